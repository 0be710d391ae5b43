"""一括承認: one approver approves several documents at once, each in its own transaction, for the kinds whose
registration allows it (`approvals.registry.register_kind(..., bulk_approvable=True)`)."""

from dataclasses import dataclass, field

from approvals import registry
from approvals.codes import ApprovalsError
from approvals.models import Document
from approvals.selectors import can_view
from approvals.services.decisions import document_approve
from core.errors import DomainError
from org.models import Employee


@dataclass(frozen=True)
class BulkApproval:
    """What a bulk approval did: the documents approved, and each refused one with its error code."""

    approved: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def documents_bulk_approve(*, actor: Employee, document_ids: list[int], comment: str = "") -> BulkApproval:
    """一括承認: `document_approve` of each document (in the order given, each id once), each in its own
    transaction, so one refusal (not your turn, a rule of the kind, a race lost) leaves the others decided.
    A document the actor may not see fails with `document_not_found`, a kind that does not allow bulk
    decisions with `bulk_not_allowed`, any other refusal with its own code. Never call it inside a
    transaction: the approvals would commit or roll back together."""
    approved: list[int] = []
    failed: list[tuple[int, str]] = []
    for document_id in dict.fromkeys(document_ids):
        document = Document.objects.filter(pk=document_id).first()
        if document is None or not can_view(user=actor, document=document):
            failed.append((document_id, ApprovalsError.DOCUMENT_NOT_FOUND.value))
            continue
        spec = registry.get_kind(document.kind)
        if spec is None or not spec.bulk_approvable:
            failed.append((document_id, ApprovalsError.BULK_NOT_ALLOWED.value))
            continue
        try:
            document_approve(document=document, actor=actor, comment=comment)
        except DomainError as refused:
            failed.append((document_id, refused.code))
        else:
            approved.append(document_id)
    return BulkApproval(approved=approved, failed=failed)
