"""判断: approve (承認/決裁, also as a delegate or a deputy, 代決 adding a 後閲), reject (否決), comment (意見), and
acknowledge (確認 of 供覧 and 後閲)."""

from django.db.models import Max
from django.utils.translation import gettext as _

from approvals import registry
from approvals.audit import audit_append
from approvals.models import (
    ActedAs,
    Action,
    Decision,
    Document,
    DocumentStatus,
    Step,
    StepApprover,
    StepKind,
    StepMode,
    StepStatus,
)
from approvals.models import Comment as DocumentComment
from approvals.services._action import Acting, document_action
from approvals.services._common import close_step, grant_view, notify_about, notify_drafter
from approvals.services.submission import advance, finalize_approval
from core.errors import CoreError
from org.models import Employee


def record_decision(acting: Acting, *, actor: Employee, decision: str, comment: str) -> None:
    """The actor's decision on the acting row, with the capacity and, for someone else's row, whose it was."""
    row = acting.row
    row.decision = decision
    row.decided_by = actor
    row.decided_at = acting.now
    row.acted_as = acting.capacity
    row.on_behalf_of = None if acting.capacity == ActedAs.SELF else row.approver
    row.comment = comment
    row.save(update_fields=["decision", "decided_by", "decided_at", "acted_as", "on_behalf_of", "comment"])


def step_event_data(step: Step, **extra) -> dict:
    """The audit data naming the step an event is about."""
    return {"step": step.order, "round": step.round, **extra}


def _step_tally(step: Step) -> tuple[int, int]:
    """(approvals so far, approvals still possible from undecided rows)."""
    decisions = list(step.approvers.values_list("decision", flat=True))
    approved = sum(d in (Decision.APPROVED, Decision.ACKNOWLEDGED) for d in decisions)
    pending = sum(d == Decision.PENDING for d in decisions)
    return approved, pending


def _add_post_review(acting: Acting, *, actor: Employee) -> Step:
    """後閲: after a 代決 the absent approver acknowledges the decision on return."""
    document, step, absent = acting.document, acting.step, acting.row.approver
    last = Step.objects.filter(document=document, round=document.round).aggregate(m=Max("order"))["m"] or 0
    post = Step.objects.create(
        document=document,
        round=document.round,
        order=last + 1,
        kind=StepKind.POST_REVIEW,
        mode=StepMode.ALL,
        required_count=1,
        status=StepStatus.WAITING,
        post_review_of=step,
        opened_at=acting.now,
    )
    StepApprover.objects.create(step=post, approver=absent)
    grant_view(document, [absent.pk, actor.pk])
    notify_about(
        recipients=[absent],
        kind="approval_proxy_decided",
        title=_("代決されました(後閲): %(title)s") % {"title": document.title},
        body=_("%(deputy)sが代決しました。") % {"deputy": actor.name or actor.username},
        document=document,
    )
    return post


def _decide(acting: Acting, *, actor: Employee, action: str, decision: str, comment: str, **data) -> None:
    """A decision (承認 or 否決) on the acting row: recorded, audited, the decider may see the document from now
    on, and a 代決 adds a 後閲 step for the absent approver."""
    step = acting.step
    record_decision(acting, actor=actor, decision=decision, comment=comment)
    grant_view(acting.document, [actor.pk])
    audit_append(
        document=acting.document,
        action=action,
        actor=actor,
        on_behalf_of=acting.row.on_behalf_of,
        comment=comment,
        data=step_event_data(step, step_kind=step.kind, acted_as=acting.capacity, **data),
    )
    if acting.capacity == ActedAs.PROXY:
        _add_post_review(acting, actor=actor)


def document_approve(
    *,
    document: Document,
    actor: Employee,
    comment: str = "",
    on_behalf_of: Employee | None = None,
    acknowledge_warnings: bool = False,
) -> Document:
    """承認/決裁 of the open step, as the approver, their delegate (委任) or their deputy while away (代決, which
    adds a 後閲 step for the absent approver). Exactly one decision per row wins: others get 409."""
    with document_action(
        document=document, actor=actor, action=Action.APPROVE, on_behalf_of=on_behalf_of
    ) as acting:
        document, step, now = acting.document, acting.step, acting.now
        spec = registry.get_kind(document.kind)
        if spec and spec.before_approve:
            spec.before_approve(document, step_kind=step.kind, acknowledge_warnings=acknowledge_warnings)
        _decide(
            acting,
            actor=actor,
            action=Action.APPROVE,
            decision=Decision.APPROVED,
            comment=comment,
            acknowledge_warnings=acknowledge_warnings,
        )
        approved, _pending = _step_tally(step)
        if approved >= step.required_count:
            close_step(step, StepStatus.APPROVED, now)
            if step.kind == StepKind.FINAL:
                finalize_approval(document, actor=actor, now=now)
            else:
                advance(document, actor=actor, now=now)
                if document.status != DocumentStatus.APPROVED:
                    notify_drafter(document, action=Action.APPROVE, actor=actor)
        else:
            notify_drafter(document, action=Action.APPROVE, actor=actor)
        document.save()
    return document


def document_reject(
    *, document: Document, actor: Employee, comment: str = "", on_behalf_of: Employee | None = None
) -> Document:
    """否決: the document is rejected once its open step can no longer reach the approvals it needs."""
    with document_action(
        document=document, actor=actor, action=Action.REJECT, on_behalf_of=on_behalf_of
    ) as acting:
        document, step, now = acting.document, acting.step, acting.now
        _decide(acting, actor=actor, action=Action.REJECT, decision=Decision.REJECTED, comment=comment)
        approved, pending = _step_tally(step)
        if approved + pending < step.required_count:
            close_step(step, StepStatus.REJECTED, now)
            document.status = DocumentStatus.REJECTED
            document.decided_at = now
            document.current_step_order = None
            registry.run_handler(document, "rejected")
        notify_drafter(document, action=Action.REJECT, actor=actor)
        document.save()
    return document


def document_comment(*, document: Document, actor: Employee, comment: str) -> DocumentComment:
    """意見: a remark by anyone who can see the document; the drafter is told."""
    if not comment or not comment.strip():
        raise CoreError.INVALID.error(errors=[CoreError.REQUIRED.field("comment", _("コメントは必須です。"))])
    with document_action(document=document, actor=actor, action=Action.COMMENT) as acting:
        document = acting.document
        remark = DocumentComment.objects.create(document=document, author=actor, body=comment.strip())
        audit_append(document=document, action=Action.COMMENT, actor=actor, comment=remark.body, data={})
        if actor.pk != document.drafter_id:
            notify_drafter(document, action=Action.COMMENT, actor=actor)
    return remark


def document_acknowledge(
    *, document: Document, actor: Employee, comment: str = "", on_behalf_of: Employee | None = None
) -> Document:
    """確認: acknowledge an open 供覧 step, or a 後閲 step after a proxy decision (also once decided). A 供覧 of
    the current round that reaches its count lets the route go on (a 供覧 before the 決裁 holds it until then)."""
    with document_action(
        document=document, actor=actor, action=Action.ACKNOWLEDGE, on_behalf_of=on_behalf_of
    ) as acting:
        document, step, now = acting.document, acting.step, acting.now
        record_decision(acting, actor=actor, decision=Decision.ACKNOWLEDGED, comment=comment)
        audit_append(
            document=document,
            action=Action.ACKNOWLEDGE,
            actor=actor,
            on_behalf_of=acting.row.on_behalf_of,
            comment=comment,
            data=step_event_data(step, step_kind=step.kind),
        )
        approved, _pending = _step_tally(step)
        if approved >= step.required_count:
            close_step(step, StepStatus.ACKNOWLEDGED, now)
            if (
                step.kind == StepKind.CIRCULATE
                and document.status == DocumentStatus.IN_REVIEW
                and step.round == document.round
            ):
                advance(document, actor=actor, now=now)
        document.save()
    return document
