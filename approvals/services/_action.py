"""The opening of every action on a document: one transaction, the document's row lock, who may act, the state.

`document_action` is the only way the actions (update, submit, resubmit, approve, reject, return, withdraw,
acknowledge, comment) start; what the actor needs for each action is the table `RIGHTS`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import lock_objects
from approvals.audit import audit_batch
from approvals.codes import ApprovalsError
from approvals.models import (
    DECIDED_STATUSES,
    ActedAs,
    Action,
    Decision,
    Document,
    Step,
    StepApprover,
    StepKind,
    StepStatus,
    allowed,
)
from approvals.selectors import Principals, can_view, principals_of
from approvals.services._common import ACK_STEP_KINDS, DECISION_STEP_KINDS
from core.errors import CoreError
from org.models import Employee, RoleCode


class Right(Enum):
    """What the actor must be for an action, besides someone who can see the document.

    DRAFTER: the drafter (起案者). DECIDER: the approver of a waiting 回議/合議/決裁 row, their delegate (委任) or
    their deputy (代決), never the drafter, never a second row of one step, and a 合議 row only from its
    department's side. ACKNOWLEDGER: the approver of a waiting 供覧 row or their delegate; of a 後閲, only the
    approver in person. VIEWER: anyone who can see the document. OFFICER: an admin or a 文書主任
    (document_officer) of the document's department, who need not be on the route.
    """

    DRAFTER = "drafter"
    DECIDER = "decider"
    ACKNOWLEDGER = "acknowledger"
    VIEWER = "viewer"
    OFFICER = "officer"


RIGHTS: dict[str, Right] = {
    Action.UPDATE: Right.DRAFTER,
    Action.SUBMIT: Right.DRAFTER,
    Action.RESUBMIT: Right.DRAFTER,
    Action.WITHDRAW: Right.DRAFTER,
    Action.APPROVE: Right.DECIDER,
    Action.REJECT: Right.DECIDER,
    Action.RETURN: Right.DECIDER,
    Action.ACKNOWLEDGE: Right.ACKNOWLEDGER,
    Action.COMMENT: Right.VIEWER,
    Action.REASSIGN: Right.OFFICER,
}


@dataclass(frozen=True)
class Acting:
    """What `document_action` yields: the locked document, the time of the action and, for a decision or an
    acknowledgement, the row the actor decides and in which capacity (self, delegate, proxy)."""

    document: Document
    now: datetime
    row: StepApprover | None = None
    capacity: str = ""

    @property
    def step(self) -> Step:
        return self.row.step


@contextmanager
def document_action(
    *, document: Document, actor: Employee, action: str, on_behalf_of: Employee | None = None
) -> Iterator[Acting]:
    """Open an action: `transaction.atomic` and `audit_batch`, the document re-read under its row lock
    (`lock_objects.document_for_update`: every action on a document waits here for the previous one), then
    the checks in this order: the actor can see it (404 `document_not_found`), is the drafter if the action
    needs one (403 `not_drafter`), the document's status allows the action (409 `already_decided` /
    `invalid_state`), and a decider or acknowledger has a row to decide now (409 `not_your_turn` /
    `already_decided`, 403 `not_an_approver`).

    The block runs inside the transaction, holding the lock; its audit events are appended when it ends, the
    chain head being the transaction's last lock. An error in the block rolls everything back.
    """
    right = RIGHTS[action]
    with transaction.atomic(), audit_batch():
        document = lock_objects.document_for_update(pk=document.pk)
        if right == Right.OFFICER:
            if not is_document_officer(actor=actor, document=document):
                ensure_visible(document, actor)
                raise ApprovalsError.NOT_DOCUMENT_OFFICER.error()
        else:
            ensure_visible(document, actor)
        if right == Right.DRAFTER and document.drafter_id != actor.pk:
            raise ApprovalsError.NOT_DRAFTER.error()
        _ensure_allowed(document, action)
        now = timezone.now()
        row, capacity = None, ""
        if right in (Right.DECIDER, Right.ACKNOWLEDGER):
            row, capacity = _acting_row(
                document=document, actor=actor, right=right, on_behalf_of=on_behalf_of
            )
        yield Acting(document=document, now=now, row=row, capacity=capacity)


def is_document_officer(*, actor: Employee, document: Document) -> bool:
    """An admin, or a 文書主任 of the document's department (文書管理規程: one per 課)."""
    if actor.has_role(RoleCode.ADMIN):
        return True
    return actor.has_role(RoleCode.DOCUMENT_OFFICER) and actor.department_id == document.department_id


def _ensure_allowed(document: Document, action: str) -> None:
    if allowed(document.status, action):
        return
    if document.status in DECIDED_STATUSES:
        raise ApprovalsError.ALREADY_DECIDED.error()
    raise CoreError.INVALID_STATE.error(status=document.status)


def ensure_visible(document: Document, actor: Employee) -> None:
    """404 `document_not_found` unless the actor can see the document."""
    if not can_view(user=actor, document=document):
        raise ApprovalsError.DOCUMENT_NOT_FOUND.error()


def _acting_row(
    *, document: Document, actor: Employee, right: Right, on_behalf_of: Employee | None
) -> tuple[StepApprover, str]:
    """The undecided row of an open step that the actor decides now, and in which capacity (self first).

    A decider takes a 回議/合議/決裁 row of the current round as the approver, their delegate or their deputy;
    an acknowledger a 供覧 or 後閲 row of any round as the approver or their delegate, a 後閲 only in person.
    Separation of duties (deciders): the drafter decides nothing of their document in any capacity (403
    `drafter_cannot_decide`), nobody decides a second row of one step (409 `one_row_per_step`), and a 合議 row is
    decided for its department only by someone of that department (403 `consult_other_department`).
    Raises Conflict `already_decided` / `not_your_turn`, or PermissionDenied `not_an_approver`.
    """
    principals = principals_of(user=actor)
    if right == Right.DECIDER:
        step_kinds, any_round = DECISION_STEP_KINDS, False
    else:
        step_kinds, any_round = ACK_STEP_KINDS, True
        principals = Principals(delegators=principals.delegators)
    rows = list(StepApprover.objects.filter(step__document=document).select_related("step", "approver"))
    if not any_round:
        rows = [row for row in rows if row.step.round == document.round]
    order = {ActedAs.SELF: 0, ActedAs.DELEGATE: 1, ActedAs.PROXY: 2}
    candidates: list[tuple[StepApprover, str]] = []
    refusals: list[ApprovalsError] = []
    mine: list[StepApprover] = []
    decided_steps = {row.step_id for row in rows if row.decided_by_id == actor.pk}
    for row in rows:
        if row.approver_id == actor.pk:
            capacity = ActedAs.SELF
        else:
            capacity = principals.capacity(approver_id=row.approver_id, kind=document.kind)
        if capacity is None or (on_behalf_of is not None and row.approver_id != on_behalf_of.pk):
            continue
        mine.append(row)
        if not (
            row.step.kind in step_kinds
            and row.step.status == StepStatus.WAITING
            and row.decision == Decision.PENDING
        ):
            continue
        refusal = _duty_refusal(document=document, actor=actor, row=row, capacity=capacity, right=right)
        if refusal is None and right == Right.DECIDER and row.step_id in decided_steps:
            refusal = ApprovalsError.ONE_ROW_PER_STEP
        if refusal is not None:
            refusals.append(refusal)
            continue
        candidates.append((row, capacity))
    if candidates:
        row, capacity = min(candidates, key=lambda item: (order[item[1]], item[0].step.order))
        if row.step.kind == StepKind.POST_REVIEW and capacity != ActedAs.SELF:
            raise ApprovalsError.NOT_AN_APPROVER.error(_("後閲は本人のみが行えます。"))
        return row, capacity
    if refusals:
        raise min(refusals, key=DUTY_REFUSALS.index).error()
    relevant = [row for row in mine if row.step.kind in step_kinds]
    if any(row.step.status == StepStatus.PENDING for row in relevant) and not any(
        row.step.status == StepStatus.WAITING for row in relevant
    ):
        raise ApprovalsError.NOT_YOUR_TURN.error()
    if relevant:
        raise ApprovalsError.ALREADY_DECIDED.error(_("このステップは既に処理されています。"))
    raise ApprovalsError.NOT_AN_APPROVER.error()


# The refusals of separation of duties, the one reported first when several apply.
DUTY_REFUSALS = (
    ApprovalsError.DRAFTER_CANNOT_DECIDE,
    ApprovalsError.ONE_ROW_PER_STEP,
    ApprovalsError.CONSULT_OTHER_DEPARTMENT,
)


def _duty_refusal(
    *, document: Document, actor: Employee, row: StepApprover, capacity: str, right: Right
) -> ApprovalsError | None:
    if right != Right.DECIDER:
        return None
    if document.drafter_id == actor.pk:
        return ApprovalsError.DRAFTER_CANNOT_DECIDE
    if (
        row.step.kind == StepKind.CONSULT
        and capacity != ActedAs.SELF
        and row.post_department_id is not None
        and actor.department_id != row.post_department_id
    ):
        return ApprovalsError.CONSULT_OTHER_DEPARTMENT
    return None
