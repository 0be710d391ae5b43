"""回議と決裁ルート: submit and resubmit, the route built from the kind's rule, how the route moves on to its next
step and to the final decision (決裁), and the publication of route rules."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import lock_objects, posts, registry, routing, selectors
from approvals.audit import audit_append, audit_batch
from approvals.codes import ApprovalsError
from approvals.models import (
    Action,
    Decision,
    Document,
    DocumentKind,
    DocumentStatus,
    RouteRule,
    Step,
    StepApprover,
    StepKind,
    StepStatus,
)
from approvals.services._action import document_action
from approvals.services._common import ROUTE_STEP_KINDS, current_steps, grant_view, notify_about
from approvals.services.numbering import assign_number
from core.errors import CoreError
from org import selectors as org_selectors
from org.models import Department, Employee

# --- the route ------------------------------------------------------------------------------------


def route_specs_for(*, document: Document) -> tuple[RouteRule | None, list[routing.StepSpec]]:
    """The route a document would get now: from its kind's route_builder, or from the active route rule."""
    spec = registry.get_kind(document.kind)
    if spec and spec.route_builder:
        return None, list(spec.route_builder(document))
    rule = RouteRule.objects.filter(kind=document.kind, active=True).order_by("-version").first()
    if rule is None:
        raise ApprovalsError.NO_ROUTE_RULE.error()
    facts = routing.DocumentFacts(kind=document.kind, amount=document.amount, category=document.category)
    org = posts.org_facts(document=document, template=rule.steps, on=timezone.localdate())
    return rule, routing.build_route(rule.steps, org, facts)


def _refuse_vacancies(specs: list[routing.StepSpec]) -> None:
    """422 when a step names a post nobody can hold: `vacant_post` (`no_final_approver` for the 決裁), with
    each vacancy in `errors` naming the step and the post's department."""
    vacancies = [(order, spec, post) for order, spec in enumerate(specs, start=1) for post in spec.vacant]
    finals = [spec for spec in specs if spec.kind == StepKind.FINAL]
    if not vacancies:
        if not finals:
            raise ApprovalsError.NO_FINAL_APPROVER.error(
                errors=[ApprovalsError.NO_FINAL_APPROVER.field("amount", _("決裁者が見つかりません。"))]
            )
        return
    errors = []
    for order, spec, post in vacancies:
        department = Department.objects.filter(pk=post.department).values_list("code", flat=True).first()
        message = _("%(step)s番目のステップ(%(kind)s)の%(post)sが空席です。") % {
            "step": order,
            "kind": StepKind(spec.kind).label,
            "post": posts.post_label(post),
        }
        errors.append(
            ApprovalsError.VACANT_POST.field(
                f"steps[{order}]",
                message,
                step=order,
                kind=spec.kind,
                department=department,
                position=post.position,
            )
        )
    first_spec = vacancies[0][1]
    code = (
        ApprovalsError.NO_FINAL_APPROVER if first_spec.kind == StepKind.FINAL else ApprovalsError.VACANT_POST
    )
    raise code.error(errors[0]["message"], errors=errors)


def _create_route(document: Document) -> list[Step]:
    rule, specs = route_specs_for(document=document)
    _refuse_vacancies(specs)
    document.round += 1
    document.route_rule = rule
    document.route_rule_version = rule.version if rule else None
    steps = Step.objects.bulk_create(
        [
            Step(
                document=document,
                round=document.round,
                order=index,
                kind=spec.kind,
                mode=spec.mode,
                required_count=spec.required_count,
                status=StepStatus.SKIPPED if spec.skipped else StepStatus.PENDING,
                skip_reason=spec.skip_reason,
            )
            for index, spec in enumerate(specs, start=1)
        ]
    )
    rows = []
    for step, spec in zip(steps, specs, strict=True):
        for person in spec.approvers:
            post = spec.post_of(person)
            rows.append(
                StepApprover(
                    step=step,
                    approver_id=person,
                    decision=Decision.NOT_NEEDED if spec.skipped else Decision.PENDING,
                    post_position=post.position if post else "",
                    post_department_id=post.department if post else None,
                    post_section_id=post.section if post else None,
                )
            )
    StepApprover.objects.bulk_create(rows)
    grant_view(
        document, [document.drafter_id, *(p for spec in specs if not spec.skipped for p in spec.approvers)]
    )
    return steps


def open_step(document: Document, step: Step, now: datetime) -> None:
    """The step waits for its approvers, who may now see the document and are told, and so are those in
    whose inbox the items land today: the approvers' delegates (委任) and the deputies of absent approvers."""
    step.status = StepStatus.WAITING
    step.opened_at = now
    step.save(update_fields=["status", "opened_at"])
    rows = list(step.approvers.filter(decision=Decision.PENDING).select_related("approver__deputy"))
    approvers = [row.approver for row in rows]
    grant_view(document, [a.pk for a in approvers])
    notify_step_opened(document=document, step=step, approvers=approvers, now=now)


def notify_step_opened(*, document: Document, step: Step, approvers: list[Employee], now: datetime) -> None:
    """`approval_step_opened` to the approvers, their delegates for the document's kind and the deputies of
    those away today; never to the drafter (who may not decide it)."""
    today = timezone.localtime(now).date()
    recipients = {a.pk: a for a in approvers}
    for delegation in selectors.active_delegations_from(delegator_ids=list(recipients), on=today):
        if delegation.covers(document.kind):
            recipients.setdefault(delegation.delegate_id, delegation.delegate)
    away = org_selectors.absent_employee_ids(on=today, employee_ids=[a.pk for a in approvers])
    for approver in approvers:
        deputy = approver.deputy if approver.deputy_id else None
        if approver.pk in away and deputy is not None and deputy.is_active:
            recipients.setdefault(deputy.pk, deputy)
    recipients.pop(document.drafter_id, None)
    notify_about(
        recipients=list(recipients.values()),
        kind="approval_step_opened",
        title=_("決裁依頼: %(title)s") % {"title": document.title},
        body=_("%(step)sをお願いします。") % {"step": step.get_kind_display()},
        document=document,
    )


def advance(document: Document, *, actor: Employee, now: datetime) -> None:
    """Open the next pending step of the route; when none is left, the document is approved (決裁)."""
    for step in current_steps(document).filter(kind__in=ROUTE_STEP_KINDS):
        if step.status == StepStatus.PENDING:
            document.current_step_order = step.order
            open_step(document, step, now)
            return
    finalize_approval(document, actor=actor, now=now)


def finalize_approval(document: Document, *, actor: Employee, now: datetime) -> None:
    """決裁: run the kind's handler, number the document, set its disposal date, open any later 供覧 steps.

    The handler runs before the numbering: the kind's rows are locked before the number counter (lock order)."""
    document.status = DocumentStatus.APPROVED
    document.decided_at = now
    document.current_step_order = None
    registry.run_handler(document, "approved")
    assign_number(document, now)
    for step in current_steps(document).filter(kind=StepKind.CIRCULATE, status=StepStatus.PENDING):
        open_step(document, step, now)
    document.save()
    audit_append(
        document=document,
        action=Action.DECIDE,
        actor=actor,
        data={
            "number": document.number,
            "register": document.register.code if document.register_id else None,
            "fiscal_year": document.fiscal_year,
            "retention_years": document.retention_years,
            "disposal_date": document.disposal_date,
        },
    )
    notify_about(
        recipients=[document.drafter],
        kind="approval_decided",
        title=_("決裁されました: %(title)s") % {"title": document.title},
        body=document.number,
        document=document,
    )


# --- 回議 and 再回議 --------------------------------------------------------------------------------


def _start_round(*, document: Document, actor: Employee, action: str, comment: str) -> Document:
    """A new round: the route built now, the document in review, its first step open (or decided at once)."""
    with document_action(document=document, actor=actor, action=action) as acting:
        document = acting.document
        _create_route(document)
        document.status = DocumentStatus.IN_REVIEW
        document.submitted_at = acting.now
        document.current_step_order = None
        audit_append(
            document=document,
            action=action,
            actor=actor,
            comment=comment,
            data={"round": document.round, "route_rule_version": document.route_rule_version},
        )
        advance(document, actor=actor, now=acting.now)
        document.save()
    return document


def document_submit(*, document: Document, actor: Employee, comment: str = "") -> Document:
    """回議: build the route from the kind's rule and open its first step (approved at once if every step is
    skipped, e.g. a 課長 drafting within their own 専決 authority)."""
    return _start_round(document=document, actor=actor, action=Action.SUBMIT, comment=comment)


def document_resubmit(*, document: Document, actor: Employee, comment: str = "") -> Document:
    """再回議: after a return to the drafter, a new round with the route rebuilt from the current content."""
    return _start_round(document=document, actor=actor, action=Action.RESUBMIT, comment=comment)


# --- route rules ----------------------------------------------------------------------------------


def route_rule_publish(*, kind: str, steps: list[dict], actor: Employee | None, note: str = "") -> RouteRule:
    """A new version of a kind's route rule becomes the active one; versions in use are never edited."""
    errors = routing.validate_template(steps)
    if kind not in DocumentKind.values:
        errors.append(ApprovalsError.INVALID_KIND.field("kind", "unknown kind"))
    if errors:
        raise CoreError.RULE_VIOLATION.error(errors=errors)
    with transaction.atomic(), audit_batch():
        latest = lock_objects.route_rules_of_kind_for_update(kind=kind)
        RouteRule.objects.filter(kind=kind, active=True).update(active=False)
        rule = RouteRule.objects.create(
            kind=kind,
            version=(latest.version + 1) if latest else 1,
            active=True,
            steps=steps,
            note=note,
            created_by=actor,
        )
        audit_append(
            document=None,
            action="route_rule_publish",
            actor=actor,
            data={"kind": kind, "version": rule.version},
        )
    return rule
