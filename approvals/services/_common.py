"""What the actions share: who may see a document (view grants), telling people, the steps of the round."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from approvals.models import (
    Action,
    Decision,
    Document,
    DocumentUserObjectPermission,
    Step,
    StepKind,
    StepStatus,
)
from approvals.selectors import VIEW_CODENAME
from notifications.services import notify
from org.models import Employee

DECISION_STEP_KINDS = (StepKind.REVIEW, StepKind.CONSULT, StepKind.FINAL)
ACK_STEP_KINDS = (StepKind.CIRCULATE, StepKind.POST_REVIEW)
ROUTE_STEP_KINDS = (StepKind.REVIEW, StepKind.CONSULT, StepKind.FINAL, StepKind.CIRCULATE)


def _view_permission() -> Permission:
    content_type = ContentType.objects.get_for_model(Document)
    return Permission.objects.get(content_type=content_type, codename=VIEW_CODENAME)


def grant_view(document: Document, user_ids: Iterable[int]) -> None:
    """guardian object permission view_document for each user (direct-FK rows; existing ones are kept)."""
    ids = {user_id for user_id in user_ids if user_id}
    if not ids:
        return
    permission = _view_permission()
    DocumentUserObjectPermission.objects.bulk_create(
        [
            DocumentUserObjectPermission(user_id=uid, permission=permission, content_object=document)
            for uid in ids
        ],
        ignore_conflicts=True,
    )


def _link(document: Document) -> str:
    return f"/api/v1/approvals/documents/{document.pk}/"


def notify_about(
    *, recipients: Iterable[Employee], kind: str, title: str, document: Document, body: str = ""
) -> None:
    """A notification about the document (linked to it) to each recipient that is not None."""
    recipients = [r for r in recipients if r is not None]
    if recipients:
        notify(
            recipients=recipients,
            kind=kind,
            title=title,
            body=body,
            link=_link(document),
            data={"document": document.pk, "document_kind": document.kind, "status": document.status},
        )


def notify_drafter(document: Document, *, action: str, actor: Employee) -> None:
    notify_about(
        recipients=[document.drafter],
        kind=f"approval_{action}",
        title=_("%(action)s: %(title)s") % {"action": Action(action).label, "title": document.title},
        body=_("%(actor)sが処理しました。") % {"actor": actor.name or actor.username},
        document=document,
    )


def current_steps(document: Document) -> QuerySet[Step]:
    """The steps of the document's current round, in order."""
    return Step.objects.filter(document=document, round=document.round).order_by("order")


def close_step(step: Step, status: str, now: datetime, *, skip_reason: str = "") -> None:
    """The step ends with `status`; its rows still undecided are no longer needed."""
    step.status = status
    step.decided_at = now
    fields = ["status", "decided_at"]
    if skip_reason:
        step.skip_reason = skip_reason
        fields.append("skip_reason")
    step.save(update_fields=fields)
    step.approvers.filter(decision=Decision.PENDING).update(decision=Decision.NOT_NEEDED)


POST_REVIEW_NOT_NEEDED = "not_needed"


def close_post_reviews(steps: QuerySet[Step], now: datetime) -> list[int]:
    """後閲 that the document no longer needs (the decision they follow was withdrawn or sent back): closed as
    skipped, their rows `not_needed`; returns the orders of the decided steps they followed."""
    closed = []
    for step in steps.filter(kind=StepKind.POST_REVIEW, status=StepStatus.WAITING).select_related(
        "post_review_of"
    ):
        close_step(step, StepStatus.SKIPPED, now, skip_reason=POST_REVIEW_NOT_NEEDED)
        closed.append(step.post_review_of.order if step.post_review_of_id else step.order)
    return closed
