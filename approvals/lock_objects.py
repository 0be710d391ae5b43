"""Row locks of approvals (SELECT FOR UPDATE), named, and the one lock order of the whole project.

Lock order: a transaction takes row locks only in this order, so no two transactions wait for each other in a
cycle (a deadlock that PostgreSQL would break by aborting one of them):

1. the rows of the person who files, when another app files an application (their employee row, then their own
   requests, corrections or month: those apps' `lock_objects`);
2. the document: `document_for_update` (every action on a document waits here for the previous one; the rows of
   its steps and approvers are changed only under it, so they are not locked themselves). A correction (修正)
   locks the decided original before its own document exists;
3. the kind's rows that its handler locks on a decision (request, correction, month, employee, department days:
   the kind's app, through `approvals.registry.run_handler`);
4. the number counter of the kind's register: `number_counter_for_update`, on the final decision (決裁);
5. the global audit chain head, LAST: `audit_chain_head_for_update`, taken once by the outermost
   `approvals.audit.audit_batch` when its block ends, after every other lock of the transaction.

Delegations (`delegation_for_update`) and route rules (`route_rules_of_kind_for_update`) are locked by
transactions that lock no document; they too come before the audit head.
"""

from approvals.models import Delegation, Document, DocumentNumberCounter, RouteRule
from approvals.models_record import AuditChainHead


def document_for_update(*, pk: int) -> Document:
    """The document, re-read under SELECT FOR UPDATE."""
    return Document.objects.select_for_update().get(pk=pk)


def number_counter_for_update(
    *, register_id: int, department_id: int | None, fiscal_year: int
) -> DocumentNumberCounter:
    """The counter of a register for a fiscal year (and a department, for a register kept per department;
    None for a town-wide one) under SELECT FOR UPDATE, created (0) on first use: a concurrent creation waits on
    the unique constraint and then locks the same row."""
    key = {"register_id": register_id, "department_id": department_id, "fiscal_year": fiscal_year}
    counter = DocumentNumberCounter.objects.select_for_update().filter(**key).first()
    if counter is None:
        DocumentNumberCounter.objects.bulk_create(
            [DocumentNumberCounter(**key, last=0)], ignore_conflicts=True
        )
        counter = DocumentNumberCounter.objects.select_for_update().get(**key)
    return counter


def route_rules_of_kind_for_update(*, kind: str) -> RouteRule | None:
    """The latest version of a kind's route rule under SELECT FOR UPDATE (None before the first one)."""
    return RouteRule.objects.select_for_update().filter(kind=kind).order_by("-version").first()


def delegation_for_update(*, pk: int) -> Delegation | None:
    """The delegation under SELECT FOR UPDATE, joined with its delegator and delegate (whose rows the join locks
    too), or None once deleted."""
    return (
        Delegation.objects.select_for_update().select_related("delegator", "delegate").filter(pk=pk).first()
    )


def audit_chain_head_for_update() -> AuditChainHead:
    """The audit chain's head row under SELECT FOR UPDATE (created on first use): it serialises every append."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head
