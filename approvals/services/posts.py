"""処理者の変更: a waiting step moves to another approver, by an administrator or the department's 文書主任
(`step_reassign`), or by itself when a 人事異動 takes effect (`on_transfer`, registered with org.registry): the
rows routed to a post follow the post to its new holder, who then sees the document in their inbox."""

from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import posts, routing
from approvals.audit import audit_append, audit_batch
from approvals.codes import ApprovalsError
from approvals.models import (
    Action,
    ApprovalReminder,
    Decision,
    Document,
    DocumentStatus,
    StepApprover,
    StepStatus,
)
from approvals.services._action import document_action
from approvals.services._common import ROUTE_STEP_KINDS, current_steps, grant_view, notify_about
from approvals.services.submission import notify_step_opened
from core.errors import CoreError
from core.locking import rows_locked
from org.models import Employee

OPEN_STEP_STATUSES = (StepStatus.PENDING, StepStatus.WAITING)
CAUSE_REASSIGN = "reassign"
CAUSE_TRANSFER = "transfer"


def _move_row(
    *,
    document: Document,
    row: StepApprover,
    to: Employee,
    actor: Employee | None,
    reason: str,
    cause: str,
    now: datetime,
) -> None:
    """The row's approver becomes `to`: audited, `to` may see the document, both are told (an open step lands
    in the new approver's inbox with `approval_step_opened`). Reminders already sent were the previous
    approver's: the new one is reminded afresh."""
    previous = row.approver
    row.approver = to
    row.save(update_fields=["approver"])
    ApprovalReminder.objects.filter(step_approver=row).delete()
    grant_view(document, [to.pk])
    step = row.step
    audit_append(
        document=document,
        action=Action.REASSIGN,
        actor=actor,
        comment=reason,
        data={
            "step": step.order,
            "round": step.round,
            "from": previous.pk,
            "to": to.pk,
            "cause": cause,
        },
    )
    if step.status == StepStatus.WAITING:
        notify_step_opened(document=document, step=step, approvers=[to], now=now)
    notify_about(
        recipients=[previous],
        kind="approval_reassigned",
        title=_("処理者が変更されました: %(title)s") % {"title": document.title},
        body=_("%(name)sに引き継がれました。") % {"name": to.name or to.username},
        document=document,
    )


def _reassign_errors(*, row_step_rows: list[StepApprover], document: Document, to: Employee) -> list[dict]:
    errors = []
    if not to.is_active:
        errors.append(ApprovalsError.INACTIVE.field("to"))
    if to.pk == document.drafter_id:
        errors.append(ApprovalsError.REASSIGN_TO_DRAFTER.field("to"))
    if any(other.approver_id == to.pk for other in row_step_rows):
        errors.append(ApprovalsError.REASSIGN_TARGET_ON_STEP.field("to"))
    return errors


def step_reassign(
    *,
    document: Document,
    actor: Employee,
    step: int,
    to: Employee,
    reason: str,
    approver: Employee | None = None,
) -> Document:
    """処理者の変更 (an admin, or a 文書主任 of the document's department): the undecided row of step `step` of
    the current round (the row of `approver` when the step has several) goes to `to`.

    400 without a reason or, on a step with several undecided rows, without `approver`; 403
    `not_document_officer`; 409 when the document is not in review or the step is decided; 422
    `unknown_step`, or `to` inactive, the drafter or already on the step."""
    if not reason or not reason.strip():
        raise CoreError.INVALID.error(errors=[CoreError.REQUIRED.field("reason", _("理由は必須です。"))])
    with document_action(document=document, actor=actor, action=Action.REASSIGN) as acting:
        document = acting.document
        target = current_steps(document).filter(order=step, kind__in=ROUTE_STEP_KINDS).first()
        if target is None:
            raise ApprovalsError.UNKNOWN_STEP.error(
                errors=[ApprovalsError.UNKNOWN_STEP.field("step", step=step)]
            )
        rows = list(target.approvers.select_related("approver", "step"))
        pending = [row for row in rows if row.decision == Decision.PENDING]
        if target.status not in OPEN_STEP_STATUSES or not pending:
            raise ApprovalsError.STEP_NOT_OPEN.error()
        if approver is not None:
            row = next((r for r in pending if r.approver_id == approver.pk), None)
            if row is None:
                raise CoreError.RULE_VIOLATION.error(
                    errors=[ApprovalsError.UNKNOWN_STEP.field("approver", step=step)]
                )
        elif len(pending) == 1:
            row = pending[0]
        else:
            raise CoreError.INVALID.error(errors=[ApprovalsError.APPROVER_REQUIRED.field("approver")])
        errors = _reassign_errors(row_step_rows=rows, document=document, to=to)
        if errors:
            raise CoreError.RULE_VIOLATION.error(errors=errors)
        _move_row(
            document=document,
            row=row,
            to=to,
            actor=actor,
            reason=reason.strip(),
            cause=CAUSE_REASSIGN,
            now=acting.now,
        )
        document.save(update_fields=["updated_at"])
    return document


def _open_rows() -> Q:
    """Undecided rows of open steps of the current round of documents in review."""
    return Q(
        decision=Decision.PENDING,
        step__status__in=OPEN_STEP_STATUSES,
        step__document__status=DocumentStatus.IN_REVIEW,
        step__round=F("step__document__round"),
    )


def _post_of(row: StepApprover) -> routing.Post:
    return routing.Post(row.post_position, row.post_department_id, row.post_section_id)


def on_transfer(*, employee: Employee, assignment, previous) -> None:
    """人事異動が発効した: the employee's undecided rows routed to a post they no longer hold go to its holder
    now, and the rows routed to the post they now hold whose approver left it come to them. Runs inside the
    transfer's transaction, after org's employee row (the documents are locked next, then the audit head)."""
    today = timezone.localdate()
    candidates = (
        StepApprover.objects.filter(_open_rows())
        .exclude(post_position="")
        .filter(
            Q(approver=employee)
            | Q(post_position=employee.position, post_department_id=employee.department_id)
            | Q(post_position=employee.position, post_department__isnull=True)
        )
        .values_list("step__document_id", flat=True)
    )
    document_ids = sorted(set(candidates))
    if not document_ids:
        return
    now = timezone.now()
    with audit_batch():
        for document in rows_locked(Document.objects.filter(pk__in=document_ids)):
            rows = (
                StepApprover.objects.filter(_open_rows(), step__document=document)
                .exclude(post_position="")
                .select_related("approver", "step")
            )
            moved = False
            for row in rows:
                post = _post_of(row)
                holders = posts.post_holders(post=post, on=today)
                if row.approver_id in holders:
                    continue
                if row.approver_id != employee.pk and employee.pk not in holders:
                    continue
                on_step = set(row.step.approvers.values_list("approver_id", flat=True))
                to = next((h for h in holders if h != document.drafter_id and h not in on_step), None)
                if to is None:
                    continue  # vacant: the row waits for an acting holder or a reassignment
                _move_row(
                    document=document,
                    row=row,
                    to=Employee.objects.get(pk=to),
                    actor=getattr(assignment, "recorded_by", None),
                    reason=_("人事異動(%(date)s発令)") % {"date": assignment.start.isoformat()},
                    cause=CAUSE_TRANSFER,
                    now=now,
                )
                moved = True
            if moved:
                document.save(update_fields=["updated_at"])
