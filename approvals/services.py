"""決裁の操作: create, submit, approve, reject, return, withdraw, resubmit, acknowledge, comment; delegations and rules.

Every action is one transaction that locks the document row first (SELECT FOR UPDATE), re-checks the state and
the step, changes it, runs the kind's handler, writes the notifications and appends its audit events; the
notifications are delivered after the commit.

Lock order, one for the whole project (a transaction takes locks only in this order, so none waits in a cycle):
domain rows first (the employee and the applicant's own rows when an application is filed; the document; the
kind's rows its handler locks: request, correction, month, employee, department days; the number counter), and
the global audit chain head LAST. Each service runs inside `audit_batch()`, so its `audit_append` calls only
queue events and the head is locked once, when the outermost batch ends, after every other lock. A service of
another app that locks rows and then calls these services opens its own `audit_batch()` around all of it.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import reminders, routing, selectors
from approvals.audit import audit_append, audit_batch
from approvals.models import (
    DECIDED_STATUSES,
    RETENTION_YEARS,
    ActedAs,
    Action,
    ApprovalReminder,
    Decision,
    Delegation,
    Document,
    DocumentKind,
    DocumentNumberCounter,
    DocumentStatus,
    DocumentUserObjectPermission,
    ReminderLevel,
    RouteRule,
    Step,
    StepApprover,
    StepKind,
    StepMode,
    StepStatus,
    allowed,
)
from approvals.models import Comment as DocumentComment
from approvals.registry import get_kind
from approvals.selectors import VIEW_CODENAME, Principals, can_view, principals_of
from core.errors import Conflict, NotFound, PermissionDenied, RuleViolation, ValidationFailed
from notifications.services import notify
from org import selectors as org_selectors
from org.calendar import fiscal_year, fiscal_year_end
from org.models import Department, Employee

DECISION_STEP_KINDS = (StepKind.REVIEW, StepKind.CONSULT, StepKind.FINAL)
ACK_STEP_KINDS = (StepKind.CIRCULATE, StepKind.POST_REVIEW)
ROUTE_STEP_KINDS = (StepKind.REVIEW, StepKind.CONSULT, StepKind.FINAL, StepKind.CIRCULATE)
EDITABLE_FIELDS = ("title", "body", "category", "amount", "retention_years")


# --- helpers --------------------------------------------------------------------------------------


def _lock(document: Document) -> Document:
    """Re-read the document under SELECT FOR UPDATE: every action on it waits here for the previous one."""
    return Document.objects.select_for_update().get(pk=document.pk)


def _ensure_visible(document: Document, actor: Employee) -> None:
    if not can_view(user=actor, document=document):
        raise NotFound(code="document_not_found")


def _ensure_allowed(document: Document, action: str) -> None:
    if allowed(document.status, action):
        return
    if document.status in DECIDED_STATUSES:
        raise Conflict(_("この文書は既に処理が完了しています。"), code="already_decided")
    raise Conflict(
        _("現在の状態ではこの操作はできません。"), code="invalid_state", params={"status": document.status}
    )


def _ensure_drafter(document: Document, actor: Employee) -> None:
    if document.drafter_id != actor.pk:
        raise PermissionDenied(_("起案者のみが行えます。"), code="not_drafter")


def _view_permission() -> Permission:
    content_type = ContentType.objects.get_for_model(Document)
    return Permission.objects.get(content_type=content_type, codename=VIEW_CODENAME)


def _grant_view(document: Document, user_ids: Iterable[int]) -> None:
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


def _notify(
    *, recipients: Iterable[Employee], kind: str, title: str, document: Document, body: str = ""
) -> None:
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


def _run_handler(document: Document, event: str) -> None:
    spec = get_kind(document.kind)
    handler = spec.handler(event) if spec else None
    if handler:
        handler(document)


def _current_steps(document: Document):
    return Step.objects.filter(document=document, round=document.round).order_by("order")


# --- route building -------------------------------------------------------------------------------


def _org_facts(*, document: Document, template: list[dict]) -> routing.OrgFacts:
    department = document.department
    chief = org_selectors.department_chief(department=department)
    director = org_selectors.department_director(department=department)
    consult_directors = []
    for consulted in document.consult_departments.order_by("sort_order", "code"):
        head = org_selectors.department_director(department=consulted)
        if head is not None:
            consult_directors.append(head.pk)
    positions = {}
    for position in routing.referenced_positions(template):
        holder = org_selectors.active_employees().filter(position=position).order_by("id").first()
        positions[position] = holder.pk if holder else None
    roles = {
        code: tuple(
            org_selectors.active_employees()
            .filter(roles__code=code)
            .order_by("id")
            .values_list("id", flat=True)
        )
        for code in routing.referenced_roles(template)
    }
    return routing.OrgFacts(
        drafter=document.drafter_id,
        drafter_position=document.drafter.position,
        chief=chief.pk if chief else None,
        director=director.pk if director else None,
        consult_directors=tuple(consult_directors),
        positions=positions,
        roles=roles,
    )


def route_specs_for(*, document: Document) -> tuple[RouteRule | None, list[routing.StepSpec]]:
    """The route a document would get now: from its kind's route_builder, or from the active route rule."""
    spec = get_kind(document.kind)
    if spec and spec.route_builder:
        return None, list(spec.route_builder(document))
    rule = RouteRule.objects.filter(kind=document.kind, active=True).order_by("-version").first()
    if rule is None:
        raise RuleViolation(_("この種別の決裁ルートが設定されていません。"), code="no_route_rule")
    facts = routing.DocumentFacts(kind=document.kind, amount=document.amount, category=document.category)
    return rule, routing.build_route(rule.steps, _org_facts(document=document, template=rule.steps), facts)


def _create_route(document: Document, now: datetime) -> list[Step]:
    rule, specs = route_specs_for(document=document)
    finals = [s for s in specs if s.kind == StepKind.FINAL]
    if not finals or (finals[0].skip_reason == routing.SKIP_VACANT):
        raise RuleViolation(
            _("決裁者が見つかりません(専決区分の職位が空席です)。"),
            code="no_final_approver",
            errors=[
                {
                    "field": "amount",
                    "code": "no_final_approver",
                    "message": _("決裁者が見つかりません。"),
                    "params": {},
                }
            ],
        )
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
    StepApprover.objects.bulk_create(
        [
            StepApprover(
                step=step,
                approver_id=person,
                decision=Decision.NOT_NEEDED if spec.skipped else Decision.PENDING,
            )
            for step, spec in zip(steps, specs, strict=True)
            for person in spec.approvers
        ]
    )
    _grant_view(
        document, [document.drafter_id, *(p for spec in specs if not spec.skipped for p in spec.approvers)]
    )
    return steps


def _open_step(document: Document, step: Step, now: datetime) -> None:
    step.status = StepStatus.WAITING
    step.opened_at = now
    step.save(update_fields=["status", "opened_at"])
    approvers = [row.approver for row in step.approvers.select_related("approver")]
    _grant_view(document, [a.pk for a in approvers])
    _notify(
        recipients=approvers,
        kind="approval_step_opened",
        title=_("決裁依頼: %(title)s") % {"title": document.title},
        body=_("%(step)sをお願いします。") % {"step": step.get_kind_display()},
        document=document,
    )


def _advance(document: Document, *, actor: Employee, now: datetime) -> None:
    """Open the next pending step of the route; when none is left, the document is approved (決裁)."""
    for step in _current_steps(document).filter(kind__in=ROUTE_STEP_KINDS):
        if step.status == StepStatus.PENDING:
            document.current_step_order = step.order
            _open_step(document, step, now)
            return
    _finalize_approval(document, actor=actor, now=now)


def _finalize_approval(document: Document, *, actor: Employee, now: datetime) -> None:
    """決裁: run the kind's handler, number the document, set its disposal date, open any later 供覧 steps.

    The handler runs before the numbering: the kind's rows are locked before the number counter (lock order)."""
    document.status = DocumentStatus.APPROVED
    document.decided_at = now
    document.current_step_order = None
    _run_handler(document, "approved")
    _assign_number(document, now)
    for step in _current_steps(document).filter(kind=StepKind.CIRCULATE, status=StepStatus.PENDING):
        _open_step(document, step, now)
    document.save()
    audit_append(
        document=document,
        action=Action.DECIDE,
        actor=actor,
        data={"number": document.number, "fiscal_year": document.fiscal_year},
    )
    _notify(
        recipients=[document.drafter],
        kind="approval_decided",
        title=_("決裁されました: %(title)s") % {"title": document.title},
        body=document.number,
        document=document,
    )


def _locked_counter(department_id: int, fy: int) -> DocumentNumberCounter:
    counter = (
        DocumentNumberCounter.objects.select_for_update()
        .filter(department_id=department_id, fiscal_year=fy)
        .first()
    )
    if counter is None:
        DocumentNumberCounter.objects.bulk_create(
            [DocumentNumberCounter(department_id=department_id, fiscal_year=fy, last=0)],
            ignore_conflicts=True,
        )
        counter = DocumentNumberCounter.objects.select_for_update().get(
            department_id=department_id, fiscal_year=fy
        )
    return counter


def _assign_number(document: Document, now: datetime) -> None:
    """文書番号 {short_name}第{n}号, gapless per department and fiscal year: must hold the document's row lock."""
    fy = fiscal_year(timezone.localtime(now).date())
    counter = _locked_counter(document.department_id, fy)
    counter.last += 1
    counter.save(update_fields=["last"])
    document.fiscal_year = fy
    document.number_seq = counter.last
    document.number = f"{document.department.short_name}第{counter.last}号"
    document.disposal_date = disposal_date(decided_fiscal_year=fy, retention_years=document.retention_years)


def disposal_date(*, decided_fiscal_year: int, retention_years: int | None) -> date | None:
    """廃棄予定日: end of the fiscal year of the decision plus the retention years; None = 永年保存."""
    if retention_years is None:
        return None
    return fiscal_year_end(decided_fiscal_year + retention_years)


# --- acting on a step -----------------------------------------------------------------------------


def _acting_row(
    *,
    document: Document,
    actor: Employee,
    step_kinds: Iterable[str],
    on_behalf_of: Employee | None,
    principals: Principals,
    any_round: bool = False,
) -> tuple[StepApprover, str]:
    """The undecided row of an open step that the actor decides now, and in which capacity (self first).

    Raises Conflict `already_decided` / `not_your_turn`, or PermissionDenied `not_an_approver`.
    """
    rows = StepApprover.objects.filter(step__document=document).select_related("step", "approver")
    if not any_round:
        rows = rows.filter(step__round=document.round)
    order = {ActedAs.SELF: 0, ActedAs.DELEGATE: 1, ActedAs.PROXY: 2}
    candidates: list[tuple[StepApprover, str]] = []
    mine: list[StepApprover] = []
    for row in rows:
        if row.approver_id == actor.pk:
            capacity = ActedAs.SELF
        else:
            capacity = principals.capacity(approver_id=row.approver_id, kind=document.kind)
        if capacity is None or (on_behalf_of is not None and row.approver_id != on_behalf_of.pk):
            continue
        mine.append(row)
        if (
            row.step.kind in step_kinds
            and row.step.status == StepStatus.WAITING
            and row.decision == Decision.PENDING
        ):
            candidates.append((row, capacity))
    if candidates:
        return min(candidates, key=lambda item: (order[item[1]], item[0].step.order))
    relevant = [row for row in mine if row.step.kind in step_kinds]
    if any(row.step.status == StepStatus.PENDING for row in relevant) and not any(
        row.step.status == StepStatus.WAITING for row in relevant
    ):
        raise Conflict(_("まだ処理の順番ではありません。"), code="not_your_turn")
    if relevant:
        raise Conflict(_("このステップは既に処理されています。"), code="already_decided")
    raise PermissionDenied(_("この文書の処理者ではありません。"), code="not_an_approver")


def _record(
    row: StepApprover, *, actor: Employee, capacity: str, decision: str, comment: str, now: datetime
) -> None:
    row.decision = decision
    row.decided_by = actor
    row.decided_at = now
    row.acted_as = capacity
    row.on_behalf_of = None if capacity == ActedAs.SELF else row.approver
    row.comment = comment
    row.save(update_fields=["decision", "decided_by", "decided_at", "acted_as", "on_behalf_of", "comment"])


def _step_tally(step: Step) -> tuple[int, int]:
    """(approvals so far, approvals still possible from undecided rows)."""
    decisions = list(step.approvers.values_list("decision", flat=True))
    approved = sum(d in (Decision.APPROVED, Decision.ACKNOWLEDGED) for d in decisions)
    pending = sum(d == Decision.PENDING for d in decisions)
    return approved, pending


def _close_step(step: Step, status: str, now: datetime) -> None:
    step.status = status
    step.decided_at = now
    step.save(update_fields=["status", "decided_at"])
    step.approvers.filter(decision=Decision.PENDING).update(decision=Decision.NOT_NEEDED)


def _add_post_review(
    document: Document, *, step: Step, absent: Employee, actor: Employee, now: datetime
) -> Step:
    """後閲: after a 代決 the absent approver acknowledges the decision on return."""
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
        opened_at=now,
    )
    StepApprover.objects.create(step=post, approver=absent)
    _grant_view(document, [absent.pk, actor.pk])
    _notify(
        recipients=[absent],
        kind="approval_proxy_decided",
        title=_("代決されました(後閲): %(title)s") % {"title": document.title},
        body=_("%(deputy)sが代決しました。") % {"deputy": actor.name or actor.username},
        document=document,
    )
    return post


def _notify_drafter(document: Document, *, action: str, actor: Employee) -> None:
    _notify(
        recipients=[document.drafter],
        kind=f"approval_{action}",
        title=_("%(action)s: %(title)s") % {"action": Action(action).label, "title": document.title},
        body=_("%(actor)sが処理しました。") % {"actor": actor.name or actor.username},
        document=document,
    )


# --- services -------------------------------------------------------------------------------------


def _validate_fields(*, title: str, retention_years: int | None, amount: int | None) -> None:
    errors = []
    if not title or not title.strip():
        errors.append({"field": "title", "code": "required", "message": _("件名は必須です。"), "params": {}})
    if retention_years is not None and retention_years not in RETENTION_YEARS:
        errors.append(
            {
                "field": "retention_years",
                "code": "invalid_retention",
                "message": _("保存年限は1・3・5・10・30年または永年です。"),
                "params": {"choices": list(RETENTION_YEARS)},
            }
        )
    if amount is not None and amount < 0:
        errors.append(
            {"field": "amount", "code": "invalid_amount", "message": _("金額が不正です。"), "params": {}}
        )
    if errors:
        raise ValidationFailed(errors=errors)


def document_create(
    *,
    kind: str,
    drafter: Employee,
    title: str,
    body: str = "",
    category: str = "",
    amount: int | None = None,
    retention_years: int | None = None,
    consult_departments: Iterable[Department] = (),
    payload: dict | None = None,
    corrects: Document | None = None,
) -> Document:
    """起案: a draft document of the drafter's department; `corrects` links a correction (修正) to a decided one."""
    if kind not in DocumentKind.values or get_kind(kind) is None:
        raise ValidationFailed(
            errors=[{"field": "kind", "code": "invalid_kind", "message": _("不明な種別です。"), "params": {}}]
        )
    _validate_fields(title=title, retention_years=retention_years, amount=amount)
    if drafter.department_id is None:
        raise RuleViolation(_("所属のない職員は起案できません。"), code="no_department")
    with transaction.atomic(), audit_batch():
        if corrects is not None:
            original = _lock(corrects)
            _ensure_visible(original, drafter)
            if original.status != DocumentStatus.APPROVED:
                raise Conflict(_("決裁済みの文書のみ修正できます。"), code="not_decided")
        document = Document.objects.create(
            kind=kind,
            title=title.strip(),
            body=body,
            category=category,
            amount=amount,
            retention_years=retention_years,
            drafter=drafter,
            department_id=drafter.department_id,
            payload=payload or {},
            corrects=corrects,
        )
        document.consult_departments.set(list(consult_departments))
        _grant_view(document, [drafter.pk])
        audit_append(
            document=document,
            action=Action.CREATE,
            actor=drafter,
            data={
                "kind": kind,
                "title": document.title,
                "amount": amount,
                "corrects": corrects.pk if corrects else None,
            },
        )
    return document


def document_update(
    *, document: Document, actor: Employee, consult_departments: Iterable[Department] | None = None, **changes
) -> Document:
    """修正: the drafter edits a draft or returned document (title, body, category, amount, retention_years)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            errors=[
                {"field": name, "code": "read_only", "message": _("変更できない項目です。"), "params": {}}
                for name in sorted(unknown)
            ]
        )
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_drafter(document, actor)
        _ensure_allowed(document, Action.UPDATE)
        merged = {name: changes.get(name, getattr(document, name)) for name in EDITABLE_FIELDS}
        _validate_fields(
            title=merged["title"], retention_years=merged["retention_years"], amount=merged["amount"]
        )
        for name, value in changes.items():
            setattr(document, name, value.strip() if name == "title" else value)
        document.save()
        if consult_departments is not None:
            document.consult_departments.set(list(consult_departments))
        audit_append(
            document=document,
            action=Action.UPDATE,
            actor=actor,
            data={
                "fields": sorted(changes)
                + (["consult_departments"] if consult_departments is not None else []),
            },
        )
    return document


def _start_round(document: Document, *, actor: Employee, action: str, comment: str) -> Document:
    now = timezone.now()
    _create_route(document, now)
    document.status = DocumentStatus.IN_REVIEW
    document.submitted_at = now
    document.current_step_order = None
    audit_append(
        document=document,
        action=action,
        actor=actor,
        comment=comment,
        data={"round": document.round, "route_rule_version": document.route_rule_version},
    )
    _advance(document, actor=actor, now=now)
    document.save()
    return document


def document_submit(*, document: Document, actor: Employee, comment: str = "") -> Document:
    """回議: build the route from the kind's rule and open its first step (approved at once if every step is
    skipped, e.g. a 課長 drafting within their own 専決 authority)."""
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_drafter(document, actor)
        _ensure_allowed(document, Action.SUBMIT)
        return _start_round(document, actor=actor, action=Action.SUBMIT, comment=comment)


def document_resubmit(*, document: Document, actor: Employee, comment: str = "") -> Document:
    """再回議: after a return to the drafter, a new round with the route rebuilt from the current content."""
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_drafter(document, actor)
        _ensure_allowed(document, Action.RESUBMIT)
        return _start_round(document, actor=actor, action=Action.RESUBMIT, comment=comment)


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
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_allowed(document, Action.APPROVE)
        now = timezone.now()
        row, capacity = _acting_row(
            document=document,
            actor=actor,
            step_kinds=DECISION_STEP_KINDS,
            on_behalf_of=on_behalf_of,
            principals=principals_of(user=actor),
        )
        step = row.step
        spec = get_kind(document.kind)
        if spec and spec.before_approve:
            spec.before_approve(document, step_kind=step.kind, acknowledge_warnings=acknowledge_warnings)
        _record(row, actor=actor, capacity=capacity, decision=Decision.APPROVED, comment=comment, now=now)
        _grant_view(document, [actor.pk])
        audit_append(
            document=document,
            action=Action.APPROVE,
            actor=actor,
            on_behalf_of=row.on_behalf_of,
            comment=comment,
            data={
                "step": step.order,
                "round": step.round,
                "step_kind": step.kind,
                "acted_as": capacity,
                "acknowledge_warnings": acknowledge_warnings,
            },
        )
        if capacity == ActedAs.PROXY:
            _add_post_review(document, step=step, absent=row.approver, actor=actor, now=now)
        approved, _pending = _step_tally(step)
        if approved >= step.required_count:
            _close_step(step, StepStatus.APPROVED, now)
            if step.kind == StepKind.FINAL:
                _finalize_approval(document, actor=actor, now=now)
            else:
                _advance(document, actor=actor, now=now)
                if document.status != DocumentStatus.APPROVED:
                    _notify_drafter(document, action=Action.APPROVE, actor=actor)
        else:
            _notify_drafter(document, action=Action.APPROVE, actor=actor)
        document.save()
    return document


def document_reject(
    *, document: Document, actor: Employee, comment: str = "", on_behalf_of: Employee | None = None
) -> Document:
    """否決: the document is rejected once its open step can no longer reach the approvals it needs."""
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_allowed(document, Action.REJECT)
        now = timezone.now()
        row, capacity = _acting_row(
            document=document,
            actor=actor,
            step_kinds=DECISION_STEP_KINDS,
            on_behalf_of=on_behalf_of,
            principals=principals_of(user=actor),
        )
        step = row.step
        _record(row, actor=actor, capacity=capacity, decision=Decision.REJECTED, comment=comment, now=now)
        _grant_view(document, [actor.pk])
        audit_append(
            document=document,
            action=Action.REJECT,
            actor=actor,
            on_behalf_of=row.on_behalf_of,
            comment=comment,
            data={"step": step.order, "round": step.round, "step_kind": step.kind, "acted_as": capacity},
        )
        if capacity == ActedAs.PROXY:
            _add_post_review(document, step=step, absent=row.approver, actor=actor, now=now)
        approved, pending = _step_tally(step)
        if approved + pending < step.required_count:
            _close_step(step, StepStatus.REJECTED, now)
            document.status = DocumentStatus.REJECTED
            document.decided_at = now
            document.current_step_order = None
            _run_handler(document, "rejected")
        _notify_drafter(document, action=Action.REJECT, actor=actor)
        document.save()
    return document


def document_return(
    *,
    document: Document,
    actor: Employee,
    comment: str = "",
    to_step: int | None = None,
    on_behalf_of: Employee | None = None,
) -> Document:
    """差戻し: to the drafter (status returned; edit and resubmit), or to an earlier approved step of the route,
    which then decides again (every step from it on is reopened)."""
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_allowed(document, Action.RETURN)
        now = timezone.now()
        row, capacity = _acting_row(
            document=document,
            actor=actor,
            step_kinds=DECISION_STEP_KINDS,
            on_behalf_of=on_behalf_of,
            principals=principals_of(user=actor),
        )
        step = row.step
        target = None
        if to_step is not None:
            target = (
                _current_steps(document)
                .filter(
                    order=to_step,
                    order__lt=step.order,
                    kind__in=DECISION_STEP_KINDS,
                    status=StepStatus.APPROVED,
                )
                .first()
            )
            if target is None:
                raise RuleViolation(
                    _("差戻し先のステップが不正です。"),
                    code="invalid_to_step",
                    errors=[
                        {
                            "field": "to_step",
                            "code": "invalid_to_step",
                            "message": _("承認済みの前のステップを指定してください。"),
                            "params": {"to_step": to_step},
                        }
                    ],
                )
        _grant_view(document, [actor.pk])
        audit_append(
            document=document,
            action=Action.RETURN,
            actor=actor,
            on_behalf_of=None if capacity == ActedAs.SELF else row.approver,
            comment=comment,
            data={"step": step.order, "round": step.round, "to_step": to_step, "acted_as": capacity},
        )
        if target is None:
            _record(row, actor=actor, capacity=capacity, decision=Decision.RETURNED, comment=comment, now=now)
            _close_step(step, StepStatus.RETURNED, now)
            document.status = DocumentStatus.RETURNED
            document.current_step_order = None
            _run_handler(document, "returned")
        else:
            reopened = (
                _current_steps(document)
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
            _open_step(document, target, now)
        _notify_drafter(document, action=Action.RETURN, actor=actor)
        document.save()
    return document


def document_withdraw(*, document: Document, actor: Employee, comment: str = "") -> Document:
    """引上げ: the drafter takes the document back before the final decision."""
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_drafter(document, actor)
        _ensure_allowed(document, Action.WITHDRAW)
        now = timezone.now()
        waiting = (
            _current_steps(document).filter(status=StepStatus.WAITING).exclude(kind=StepKind.POST_REVIEW)
        )
        for step in waiting:
            _close_step(step, StepStatus.SKIPPED, now)
        document.status = DocumentStatus.WITHDRAWN
        document.decided_at = now
        document.current_step_order = None
        document.save()
        audit_append(document=document, action=Action.WITHDRAW, actor=actor, comment=comment, data={})
        _run_handler(document, "withdrawn")
    return document


def document_acknowledge(
    *, document: Document, actor: Employee, comment: str = "", on_behalf_of: Employee | None = None
) -> Document:
    """確認: acknowledge an open 供覧 step, or a 後閲 step after a proxy decision (also once decided)."""
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_allowed(document, Action.ACKNOWLEDGE)
        now = timezone.now()
        row, capacity = _acting_row(
            document=document,
            actor=actor,
            step_kinds=ACK_STEP_KINDS,
            on_behalf_of=on_behalf_of,
            principals=Principals(delegators=principals_of(user=actor).delegators),
            any_round=True,
        )
        if row.step.kind == StepKind.POST_REVIEW and capacity != ActedAs.SELF:
            raise PermissionDenied(_("後閲は本人のみが行えます。"), code="not_an_approver")
        step = row.step
        _record(row, actor=actor, capacity=capacity, decision=Decision.ACKNOWLEDGED, comment=comment, now=now)
        audit_append(
            document=document,
            action=Action.ACKNOWLEDGE,
            actor=actor,
            on_behalf_of=row.on_behalf_of,
            comment=comment,
            data={"step": step.order, "round": step.round, "step_kind": step.kind},
        )
        approved, _pending = _step_tally(step)
        if approved >= step.required_count:
            _close_step(step, StepStatus.ACKNOWLEDGED, now)
            if (
                step.kind == StepKind.CIRCULATE
                and document.status == DocumentStatus.IN_REVIEW
                and step.round == document.round
            ):
                _advance(document, actor=actor, now=now)
        document.save()
    return document


def document_comment(*, document: Document, actor: Employee, comment: str) -> DocumentComment:
    """意見: a remark by anyone who can see the document; the drafter is told."""
    if not comment or not comment.strip():
        raise ValidationFailed(
            errors=[
                {"field": "comment", "code": "required", "message": _("コメントは必須です。"), "params": {}}
            ]
        )
    with transaction.atomic(), audit_batch():
        document = _lock(document)
        _ensure_visible(document, actor)
        _ensure_allowed(document, Action.COMMENT)
        remark = DocumentComment.objects.create(document=document, author=actor, body=comment.strip())
        audit_append(document=document, action=Action.COMMENT, actor=actor, comment=remark.body, data={})
        if actor.pk != document.drafter_id:
            _notify_drafter(document, action=Action.COMMENT, actor=actor)
    return remark


def delegation_check(
    *, delegator: Employee, delegate: Employee, start: date, end: date, kinds: Iterable[str], actor: Employee
) -> None:
    """委任の規則: raises PermissionDenied (the actor is neither the delegator nor an admin) or RuleViolation with
    every broken rule; the admin form runs it to show them as form errors."""
    if actor.pk != delegator.pk and not actor.has_role("admin"):
        raise PermissionDenied(_("本人または管理者のみが委任を設定できます。"), code="not_delegator")
    errors = []
    if delegate.pk == delegator.pk:
        errors.append(
            {
                "field": "delegate",
                "code": "self_delegation",
                "message": _("自分自身には委任できません。"),
                "params": {},
            }
        )
    if end < start:
        errors.append(
            {
                "field": "end",
                "code": "end_before_start",
                "message": _("終了日は開始日以降にしてください。"),
                "params": {},
            }
        )
    if any(kind not in DocumentKind.values for kind in kinds):
        errors.append(
            {"field": "kinds", "code": "invalid_kind", "message": _("不明な種別です。"), "params": {}}
        )
    if not delegate.is_active:
        errors.append(
            {"field": "delegate", "code": "inactive", "message": _("無効な職員です。"), "params": {}}
        )
    if errors:
        raise RuleViolation(errors=errors)


def delegation_create(
    *,
    delegator: Employee,
    delegate: Employee,
    start: date,
    end: date,
    kinds: Iterable[str] = (),
    actor: Employee,
) -> Delegation:
    """委任: for a period the delegate decides the delegator's items (all kinds, or only `kinds`)."""
    kinds = list(dict.fromkeys(kinds))
    delegation_check(delegator=delegator, delegate=delegate, start=start, end=end, kinds=kinds, actor=actor)
    with transaction.atomic(), audit_batch():
        delegation = Delegation.objects.create(
            delegator=delegator, delegate=delegate, start=start, end=end, kinds=kinds, created_by=actor
        )
        audit_append(
            document=None,
            action="delegate",
            actor=actor,
            on_behalf_of=delegator if actor.pk != delegator.pk else None,
            data={
                "delegation": delegation.pk,
                "delegate": delegate.pk,
                "start": start,
                "end": end,
                "kinds": kinds,
            },
        )
        notify(
            recipients=[delegate],
            kind="approval_delegated",
            title=_("%(name)sから決裁を委任されました") % {"name": delegator.name or delegator.username},
            body=f"{start}–{end}",
            data={"delegation": delegation.pk},
        )
    return delegation


def route_rule_publish(*, kind: str, steps: list[dict], actor: Employee | None, note: str = "") -> RouteRule:
    """A new version of a kind's route rule becomes the active one; versions in use are never edited."""
    errors = routing.validate_template(steps)
    if kind not in DocumentKind.values:
        errors.append({"field": "kind", "code": "invalid_kind", "message": "unknown kind"})
    if errors:
        raise RuleViolation(errors=[{**e, "params": {}} for e in errors])
    with transaction.atomic(), audit_batch():
        latest = RouteRule.objects.select_for_update().filter(kind=kind).order_by("-version").first()
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


def delegation_revoke(*, delegation: Delegation, actor: Employee) -> Delegation | None:
    """委任の取消: the delegator (or an admin) ends a delegation now. A running one ends today; one not yet
    started is deleted (returns None). Anyone else gets NotFound; one already ending by today, Conflict.
    The delegate is told."""
    with transaction.atomic(), audit_batch():
        delegation = (
            Delegation.objects.select_for_update()
            .select_related("delegator", "delegate")
            .filter(pk=delegation.pk)
            .first()
        )
        if delegation is None or (actor.pk != delegation.delegator_id and not actor.has_role("admin")):
            raise NotFound(code="delegation_not_found")
        today = timezone.localdate()
        if delegation.end <= today:
            raise Conflict(_("この委任は既に終了しているか、本日で終了します。"), code="delegation_ended")
        delegator, delegate, start, end = (
            delegation.delegator,
            delegation.delegate,
            delegation.start,
            delegation.end,
        )
        if start > today:
            delegation.delete()
            revoked = None
        else:
            delegation.end = today
            delegation.save(update_fields=["end"])
            revoked = delegation
        audit_append(
            document=None,
            action="delegation_revoke",
            actor=actor,
            on_behalf_of=delegator if actor.pk != delegator.pk else None,
            data={
                "delegation": delegation.pk if revoked else None,
                "delegate": delegate.pk,
                "start": start,
                "end": end,
                "new_end": today if revoked else None,
            },
        )
        notify(
            recipients=[delegate],
            kind="approval_delegation_revoked",
            title=_("%(name)sからの委任が取り消されました") % {"name": delegator.name or delegator.username},
            body=f"{start}–{today if revoked else end}",
            data={"delegation": revoked.pk if revoked else None, "deleted": revoked is None},
        )
    return revoked


# --- 督促・エスカレーション: the periodic reminders ---------------------------------------------------------

REMINDER_KINDS = {
    ReminderLevel.REMINDER: "approval_reminder",
    ReminderLevel.ESCALATION: "approval_escalation",
    ReminderLevel.POST_REVIEW: "approval_post_review_reminder",
}
INBOX_LINK = "/api/v1/approvals/inbox/"
POST_REVIEWS_LINK = "/api/v1/approvals/post-reviews/"


def _claim_reminders(pairs: list[tuple[int, str]], now: datetime) -> set[tuple[int, str]]:
    """Records (step approver, level) pairs and returns those recorded by this call: a pair recorded before (or
    by a run at the same time, which the unique constraint makes wait and then skip) is not returned again.
    Records older than their step's current opening (the step was reopened) are replaced."""
    keys = {key for key, _level in pairs}
    ApprovalReminder.objects.filter(
        step_approver_id__in=keys, sent_at__lt=F("step_approver__step__opened_at")
    ).delete()
    ApprovalReminder.objects.bulk_create(
        [ApprovalReminder(step_approver_id=key, level=level, sent_at=now) for key, level in pairs],
        ignore_conflicts=True,
    )
    return set(
        ApprovalReminder.objects.filter(step_approver_id__in=keys, sent_at=now).values_list(
            "step_approver_id", "level"
        )
    )


def _item_line(row: StepApprover, *, hours: int, absent: bool = False) -> str:
    values = {
        "title": row.step.document.title,
        "approver": row.approver.name or row.approver.username,
        "hours": hours,
    }
    if absent:
        return _("・%(title)s(処理者: %(approver)s 不在、%(hours)s営業時間)") % values
    return _("・%(title)s(処理者: %(approver)s、%(hours)s営業時間)") % values


def _send_digests(
    digests: dict[tuple[int, str], list], titles: dict[str, str], links: dict[str, str]
) -> None:
    """One notification per recipient and level, listing its items; `digests` maps (recipient id, level) to
    [(recipient, row, line)]."""
    for (_recipient_id, level), entries in sorted(digests.items()):
        rows = {row.pk: row for _recipient, row, _line in entries}
        notify(
            recipients=[entries[0][0]],
            kind=REMINDER_KINDS[level],
            title=titles[level] % {"count": len(rows)},
            body="\n".join(dict.fromkeys(line for _recipient, _row, line in entries)),
            link=links[level],
            data={
                "level": level,
                "documents": sorted({row.step.document_id for row in rows.values()}),
                "step_approvers": sorted(rows),
            },
        )


def approval_reminders_send(*, now: datetime | None = None) -> int:
    """督促・エスカレーション: an undecided item waiting APPROVAL_REMINDER_BUSINESS_HOURS business hours reminds its
    approver and their active delegates; after APPROVAL_ESCALATION_BUSINESS_HOURS it goes to the approver's
    superior and, if the approver is away today, their deputy (代決者). Each (item, level) once; one notification
    per recipient and level. Returns how many (item, level) pairs were sent. The queries do not grow with the
    number of items, only the notifications with the number of recipients."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminder_hours = settings.APPROVAL_REMINDER_BUSINESS_HOURS
    escalation_hours = settings.APPROVAL_ESCALATION_BUSINESS_HOURS
    # Business time never runs faster than the clock: an item younger than the threshold is not due.
    opened_before = now - timedelta(hours=min(reminder_hours, escalation_hours))
    rows = {row.pk: row for row in selectors.reminder_candidates(opened_before=opened_before)}
    if not rows:
        return 0
    calendar = org_selectors.business_calendar()
    items = [
        reminders.WaitingItem(
            key=row.pk,
            person=row.approver_id,
            opened_at=row.step.opened_at,
            sent=frozenset({ReminderLevel.REMINDER} if row.reminded else ()),
        )
        for row in rows.values()
    ]
    due = reminders.due_approval_items(
        items,
        now=now,
        calendar=calendar,
        reminder_hours=reminder_hours,
        escalation_hours=escalation_hours,
    )
    if not due:
        return 0
    with transaction.atomic():
        claimed = _claim_reminders([(item.key, level) for item, level in due], now)
        approvers = {rows[key].approver_id: rows[key].approver for key, _level in claimed}
        delegations = selectors.active_delegations_from(delegator_ids=approvers, on=today)
        absent = org_selectors.absent_employee_ids(on=today, employee_ids=list(approvers))
        escalated = [rows[key].approver for key, level in claimed if level == ReminderLevel.ESCALATION]
        superiors = selectors.superiors_of(employees=escalated) if escalated else {}
        digests: dict[tuple[int, str], list] = {}
        for key, level in sorted(claimed):
            row = rows[key]
            hours = reminders.business_minutes_between(row.step.opened_at, now, calendar) // 60
            line = _item_line(row, hours=hours)
            if level == ReminderLevel.REMINDER:
                recipients = [row.approver] + [
                    d.delegate
                    for d in delegations
                    if d.delegator_id == row.approver_id and d.covers(row.step.document.kind)
                ]
            else:
                recipients = [superiors.get(row.approver_id)]
                if row.approver_id in absent:
                    line = _item_line(row, hours=hours, absent=True)
                    deputy = row.approver.deputy
                    recipients.append(deputy if deputy is not None and deputy.is_active else None)
            for recipient in recipients:
                if recipient is not None:
                    digests.setdefault((recipient.pk, level), []).append((recipient, row, line))
        _send_digests(
            digests,
            titles={
                ReminderLevel.REMINDER: _("決裁の督促: 処理待ちが%(count)s件あります"),
                ReminderLevel.ESCALATION: _("決裁の滞留: 処理が遅れている決裁が%(count)s件あります"),
            },
            links={ReminderLevel.REMINDER: INBOX_LINK, ReminderLevel.ESCALATION: INBOX_LINK},
        )
    return len(claimed)


def post_review_reminders_send(*, now: datetime | None = None) -> int:
    """後閲の督促: a 後閲 waiting APPROVAL_POST_REVIEW_REMINDER_BUSINESS_DAYS business days or more reminds the
    absent approver once they are back (no absence covering today); once per 後閲 step. Returns how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = settings.APPROVAL_POST_REVIEW_REMINDER_BUSINESS_DAYS
    rows = {
        row.pk: row
        for row in selectors.post_review_reminder_candidates(opened_before=now - timedelta(days=days))
    }
    if not rows:
        return 0
    calendar = org_selectors.business_calendar()
    absent = org_selectors.absent_employee_ids(
        on=today, employee_ids=list({row.approver_id for row in rows.values()})
    )
    due = reminders.due_post_reviews(
        [
            reminders.WaitingItem(key=row.pk, person=row.approver_id, opened_at=row.step.opened_at)
            for row in rows.values()
        ],
        today=today,
        calendar=calendar,
        days=days,
        absent=absent,
    )
    if not due:
        return 0
    with transaction.atomic():
        claimed = _claim_reminders([(item.key, ReminderLevel.POST_REVIEW) for item in due], now)
        digests: dict[tuple[int, str], list] = {}
        for key, level in sorted(claimed):
            row = rows[key]
            days_waited = calendar.business_days_between(timezone.localdate(row.step.opened_at), today)
            line = _("・%(title)s(%(days)s営業日前に代決)") % {
                "title": row.step.document.title,
                "days": days_waited,
            }
            digests.setdefault((row.approver_id, level), []).append((row.approver, row, line))
        _send_digests(
            digests,
            titles={ReminderLevel.POST_REVIEW: _("後閲のお願い: 未確認の代決が%(count)s件あります")},
            links={ReminderLevel.POST_REVIEW: POST_REVIEWS_LINK},
        )
    return len(claimed)
