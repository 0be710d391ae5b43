"""差戻しと引上げ: an approver sends the document back (to the drafter or to an earlier step); the drafter takes
it back before the final decision."""

from django.utils.translation import gettext as _

from approvals import registry
from approvals.audit import audit_append
from approvals.codes import ApprovalsError
from approvals.models import (
    ActedAs,
    Action,
    Decision,
    Document,
    DocumentStatus,
    Step,
    StepApprover,
    StepKind,
    StepStatus,
)
from approvals.services._action import document_action
from approvals.services._common import (
    DECISION_STEP_KINDS,
    ROUTE_STEP_KINDS,
    close_post_reviews,
    close_step,
    current_steps,
    grant_view,
    notify_drafter,
)
from approvals.services.decisions import record_decision, step_event_data
from approvals.services.submission import open_step
from org.models import Employee


def document_return(
    *,
    document: Document,
    actor: Employee,
    comment: str = "",
    to_step: int | None = None,
    on_behalf_of: Employee | None = None,
) -> Document:
    """差戻し: to the drafter (status returned; edit and resubmit), or to an earlier approved step of the route,
    which then decides again (every step from it on is reopened). The 後閲 of decisions this undoes (of the
    round, or of the reopened steps) are no longer needed."""
    with document_action(
        document=document, actor=actor, action=Action.RETURN, on_behalf_of=on_behalf_of
    ) as acting:
        document, step, row, now = acting.document, acting.step, acting.row, acting.now
        target = None
        if to_step is not None:
            target = (
                current_steps(document)
                .filter(
                    order=to_step,
                    order__lt=step.order,
                    kind__in=DECISION_STEP_KINDS,
                    status=StepStatus.APPROVED,
                )
                .first()
            )
            if target is None:
                raise ApprovalsError.INVALID_TO_STEP.error(
                    errors=[
                        ApprovalsError.INVALID_TO_STEP.field(
                            "to_step", _("承認済みの前のステップを指定してください。"), to_step=to_step
                        )
                    ]
                )
        grant_view(document, [actor.pk])
        if target is None:
            not_needed = close_post_reviews(current_steps(document), now)
        else:
            not_needed = close_post_reviews(
                current_steps(document).filter(
                    post_review_of__order__gte=target.order, post_review_of__order__lte=step.order
                ),
                now,
            )
        audit_append(
            document=document,
            action=Action.RETURN,
            actor=actor,
            on_behalf_of=None if acting.capacity == ActedAs.SELF else row.approver,
            comment=comment,
            data=step_event_data(
                step, to_step=to_step, acted_as=acting.capacity, post_reviews_not_needed=not_needed
            ),
        )
        if target is None:
            record_decision(acting, actor=actor, decision=Decision.RETURNED, comment=comment)
            close_step(step, StepStatus.RETURNED, now)
            document.status = DocumentStatus.RETURNED
            document.current_step_order = None
            registry.run_handler(document, "returned")
        else:
            reopened = (
                current_steps(document)
                .filter(order__gte=target.order, order__lte=step.order, kind__in=ROUTE_STEP_KINDS)
                .exclude(status=StepStatus.SKIPPED)
            )
            StepApprover.objects.filter(step__in=reopened).update(
                decision=Decision.PENDING,
                decided_by=None,
                decided_at=None,
                on_behalf_of=None,
                acted_as="",
                comment="",
            )
            reopened.update(status=StepStatus.PENDING, decided_at=None, opened_at=None)
            target.refresh_from_db()
            document.current_step_order = target.order
            open_step(document, target, now)
        notify_drafter(document, action=Action.RETURN, actor=actor)
        document.save()
    return document


def document_withdraw(*, document: Document, actor: Employee, comment: str = "") -> Document:
    """引上げ: the drafter takes the document back before the final decision; its waiting steps and every
    後閲 still waiting (the decisions they follow no longer lead anywhere) are closed, the 後閲 as not needed."""
    with document_action(document=document, actor=actor, action=Action.WITHDRAW) as acting:
        document, now = acting.document, acting.now
        waiting = current_steps(document).filter(status=StepStatus.WAITING).exclude(kind=StepKind.POST_REVIEW)
        for step in waiting:
            close_step(step, StepStatus.SKIPPED, now)
        not_needed = close_post_reviews(Step.objects.filter(document=document), now)
        document.status = DocumentStatus.WITHDRAWN
        document.decided_at = now
        document.current_step_order = None
        document.save()
        audit_append(
            document=document,
            action=Action.WITHDRAW,
            actor=actor,
            comment=comment,
            data={"post_reviews_not_needed": not_needed},
        )
        registry.run_handler(document, "withdrawn")
    return document
