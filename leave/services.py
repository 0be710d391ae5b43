"""休暇の操作: the annual grant (付与, with the carry-over), leave requests (apply, cancel) and the handlers of the
`leave` document kind (approve, reject, withdraw). Approved leave is the truth everywhere: it records the
employee's `org.Absence` (so a deputy may decide for them, telework refuses that day and the 窓口 count leaves
them out) and tells attendance of the changed days through `leave.registry`.

Row locks are `leave.lock_objects`'s, in the order its docstring states. Every error is a member of a catalogue
(`leave.codes`, `core.errors.CoreError`).
"""

from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_batch
from approvals.models_record import AttachmentPurpose
from core.errors import CoreError
from leave import registry, rules, selectors
from leave.codes import LeaveError
from leave.lock_objects import applicant_lock, document_lock, grant_lock, request_lock
from leave.models import (
    TRANSITIONS,
    AnnualGrant,
    LeaveDay,
    LeaveRequest,
    LeaveType,
    RequestStatus,
    RequestUnit,
)
from org import selectors as org_selectors
from org.models import Absence, Employee, RoleCode

KIND = "leave"
MAX_SPAN_DAYS = 366


# --- the annual grant ----------------------------------------------------------------------------------


def _carried_into(*, employee: Employee, year: int, day_minutes: int) -> Decimal:
    previous = selectors.grant_of(employee=employee, year=year - 1)
    usage = selectors.usage_of(previous) if previous else None
    return rules.carry_over(usage, cap_minutes=Decimal(settings.LEAVE_CARRY_OVER_MAX_DAYS * day_minutes))


def annual_grant_ensure(*, employee: Employee, year: int, table: dict | None = None) -> AnnualGrant:
    """年次休暇の付与: the employee's grant for the year, made once (the full days, or the pro-rating table's for a
    hire during the year) with the carry-over of last year's unused grant. Idempotent."""
    existing = selectors.grant_of(employee=employee, year=year)
    if existing is not None:
        return existing
    table = selectors.proration_table() if table is None else table
    start, _end = selectors.year_bounds(year)
    on = max(selectors.grant_date_of(year), employee.hired_on or start)
    day_minutes = registry.scheduled_day_minutes(employee=employee, on=on)
    days = rules.granted_days(
        hired_on=employee.hired_on,
        year=year,
        start=settings.LEAVE_YEAR_START,
        full_days=settings.LEAVE_ANNUAL_DAYS,
        table=table,
    )
    try:
        with transaction.atomic():
            return AnnualGrant.objects.create(
                employee=employee,
                year=year,
                granted_minutes=days * day_minutes,
                carried_minutes=_carried_into(employee=employee, year=year, day_minutes=day_minutes),
                day_minutes=day_minutes,
                granted_on=on,
            )
    except IntegrityError:  # granted meanwhile by another run
        return AnnualGrant.objects.get(employee=employee, year=year)


def annual_grants_run(*, year: int | None = None, today: date | None = None) -> int:
    """The yearly grant job: every active employee employed by now (or, for a past or given year, by its end)
    without a grant for the year gets one. Safe to run twice; returns how many were granted."""
    today = today or timezone.localdate()
    year = year or selectors.year_of(today)
    if year == selectors.year_of(today) and today < selectors.grant_date_of(year):
        return 0
    on = (
        min(today, selectors.year_bounds(year)[1])
        if year <= selectors.year_of(today)
        else selectors.year_bounds(year)[1]
    )
    table = selectors.proration_table()
    granted = 0
    for employee in selectors.employees_without_grant(year=year, on=on):
        annual_grant_ensure(employee=employee, year=year, table=table)
        granted += 1
    return granted


def _refresh_carry_over(*, employee: Employee, year: int) -> None:
    """After a change to the year's use, next year's carry-over (when already granted) follows it."""
    following = grant_lock(employee_id=employee.pk, year=year + 1)
    if following is None:
        return
    carried = _carried_into(employee=employee, year=year + 1, day_minutes=following.day_minutes)
    if carried != following.carried_minutes:
        following.carried_minutes = carried
        following.save(update_fields=["carried_minutes"])


# --- requests ------------------------------------------------------------------------------------------


def _break_bounds() -> tuple[time, time] | None:
    if not settings.LEAVE_BREAK:
        return None
    start, end = settings.LEAVE_BREAK.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def _shape_errors(*, start_date: date, end_date: date, unit: str, start_time, end_time) -> list[dict]:
    errors = []
    if end_date < start_date:
        errors.append(CoreError.END_BEFORE_START.field("end_date"))
    elif (end_date - start_date).days >= MAX_SPAN_DAYS:
        errors.append(CoreError.INVALID.field("end_date", _("1回の申請は1年以内にしてください。")))
    if unit != RequestUnit.DAY and end_date != start_date:
        errors.append(LeaveError.ONE_DAY_REQUIRED.field("end_date"))
    if unit == RequestUnit.HOURS:
        for name, value in (("start_time", start_time), ("end_time", end_time)):
            if value is None:
                errors.append(CoreError.REQUIRED.field(name, _("時間単位の休暇は開始・終了時刻が必須です。")))
        if start_time and end_time:
            if end_time <= start_time:
                errors.append(
                    CoreError.END_BEFORE_START.field(
                        "end_time", _("終了時刻は開始時刻より後にしてください。")
                    )
                )
            elif rules.hours_minutes(start_time, end_time, _break_bounds()) % 60:
                errors.append(LeaveError.WHOLE_HOURS.field("end_time"))
    return errors


def _document_text(
    *, employee: Employee, leave_type: LeaveType, facts: rules.RequestFacts, reason: str
) -> tuple[str, str]:
    span = facts.start_date.isoformat()
    if facts.end_date != facts.start_date:
        span += f"〜{facts.end_date.isoformat()}"
    if facts.unit == RequestUnit.HOURS:
        amount = _("%(start)s〜%(end)s(%(hours)s時間)") % {
            "start": facts.start_time.strftime("%H:%M"),
            "end": facts.end_time.strftime("%H:%M"),
            "hours": facts.hours_minutes // 60,
        }
    elif facts.unit == RequestUnit.DAY:
        amount = _("%(days)s日") % {"days": len(facts.working_days)}
    else:
        amount = RequestUnit(facts.unit).label
    title = _("休暇申請: %(name)s %(type)s %(span)s %(amount)s") % {
        "name": employee.name or employee.username,
        "type": leave_type.name,
        "span": span,
        "amount": amount,
    }
    return title, reason


def request_facts(
    *,
    employee: Employee,
    leave_type: LeaveType,
    start_date: date,
    end_date: date,
    unit: str,
    start_time: time | None,
    end_time: time | None,
    grant: AnnualGrant | None,
    exclude: LeaveRequest | None = None,
) -> rules.RequestFacts:
    """The facts the rules read for a request (the employee's row locked when filing)."""
    calendar = org_selectors.business_calendar()
    today = timezone.localdate()
    year = selectors.year_of(start_date)
    working = tuple(calendar.working_days(start_date, end_date))
    minutes = rules.hours_minutes(start_time, end_time, _break_bounds()) if unit == RequestUnit.HOURS else 0
    day_minutes = (
        grant.day_minutes if grant else registry.scheduled_day_minutes(employee=employee, on=start_date)
    )
    cost = sum(rules.charged_days(working, unit, day_minutes, minutes).values(), Decimal(0))
    usage = selectors.usage_of(grant) if grant else None
    return rules.RequestFacts(
        leave_type=selectors.type_facts(leave_type),
        unit=unit,
        start_date=start_date,
        end_date=end_date,
        working_days=working,
        cost=cost,
        hours_minutes=minutes,
        earliest=calendar.business_days_before(today, settings.LEAVE_AFTER_THE_FACT_BUSINESS_DAYS),
        usage=usage,
        hourly_used=selectors.hourly_used(employee_id=employee.pk, year=year),
        hourly_limit=Decimal(settings.LEAVE_HOURLY_MAX_DAYS * day_minutes),
        used_this_year_days=selectors.used_days_of_type(
            employee_id=employee.pk, leave_type=leave_type, year=year
        ),
        taken=selectors.taken_on(employee_id=employee.pk, dates=working),
        start_time=start_time,
        end_time=end_time,
        leave_year_end=selectors.year_bounds(year)[1],
    )


def _category(leave_type: LeaveType, days: Decimal) -> str:
    """文書分類 of the request's document, which route rules read (`category_in`): the type's code, or
    `<code>_long` beyond the type's long length (e.g. a long sick leave decided by the 副町長)."""
    if leave_type.long_after_days is not None and days > leave_type.long_after_days:
        return f"{leave_type.code}_long"
    return leave_type.code


def leave_request_create(
    *,
    employee: Employee,
    leave_type: LeaveType,
    start_date: date,
    end_date: date,
    unit: str,
    start_time: time | None = None,
    end_time: time | None = None,
    reason: str = "",
) -> LeaveRequest:
    """休暇の申請: every rule is checked at once (422 listing every violation); the request charges its working
    days (holidays and closure days inside the span are not charged), annual leave from the carry-over first,
    and its `leave` document is submitted to the route of the kind's rule. A 診断書 needed beyond the type's days
    is a warning here (attach it to the document; the 決裁 refuses without it)."""
    from approvals.services import document_create, document_submit

    start_time = start_time if unit == RequestUnit.HOURS else None
    end_time = end_time if unit == RequestUnit.HOURS else None
    errors = _shape_errors(
        start_date=start_date, end_date=end_date, unit=unit, start_time=start_time, end_time=end_time
    )
    if errors:
        raise CoreError.INVALID.error(errors=errors)
    year = selectors.year_of(start_date)
    with transaction.atomic(), audit_batch():
        employee = applicant_lock(employee)
        grant = annual_grant_ensure(employee=employee, year=year) if leave_type.balance else None
        facts = request_facts(
            employee=employee,
            leave_type=leave_type,
            start_date=start_date,
            end_date=end_date,
            unit=unit,
            start_time=start_time,
            end_time=end_time,
            grant=grant,
        )
        registry.ensure_days_changeable(employee=employee, dates=facts.working_days)
        violations = rules.check(facts)
        if violations:
            raise CoreError.RULE_VIOLATION.error(errors=violations)
        title, body = _document_text(employee=employee, leave_type=leave_type, facts=facts, reason=reason)
        document = document_create(
            kind=KIND,
            drafter=employee,
            title=title,
            body=body,
            category=_category(leave_type, facts.days),
            payload={
                "type": leave_type.code,
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat(),
                "unit": unit,
                "days": float(facts.days),
                "minutes": float(facts.cost),
            },
        )
        request = LeaveRequest.objects.create(
            employee=employee,
            department=employee.department,
            leave_type=leave_type,
            start_date=start_date,
            end_date=end_date,
            unit=unit,
            start_time=start_time,
            end_time=end_time,
            reason=reason,
            year=year,
            days=facts.days,
            minutes=facts.cost,
            from_carried=facts.usage.split(facts.cost) if facts.usage and leave_type.balance else Decimal(0),
            document=document,
            warnings=[
                {"field": w["field"], "code": w["code"], "params": w["params"]}
                for w in rules.attachment_warning(facts)
            ],
        )
        day_minutes = (
            grant.day_minutes if grant else registry.scheduled_day_minutes(employee=employee, on=start_date)
        )
        LeaveDay.objects.bulk_create(
            LeaveDay(
                request=request, employee=employee, date=day, unit=unit, minutes=cost, status=request.status
            )
            for day, cost in rules.charged_days(
                facts.working_days, unit, day_minutes, facts.hours_minutes
            ).items()
        )
        if leave_type.balance:
            _refresh_carry_over(employee=employee, year=year)
        document_submit(document=document, actor=employee)
    return request


def _set_status(request: LeaveRequest, status: str, *, actor: Employee | None = None) -> None:
    if status not in TRANSITIONS[request.status]:
        raise CoreError.INVALID_STATE.error(
            _("現在の状態(%(status)s)ではこの操作はできません。") % {"status": request.get_status_display()}
        )
    now = timezone.now()
    request.status = status
    if status == RequestStatus.CANCELLED:
        request.cancelled_at, request.cancelled_by = now, actor
    else:
        request.decided_at = now
    request.save(update_fields=["status", "decided_at", "cancelled_at", "cancelled_by"])
    request.leave_days.update(status=status)


def _dates_of(request: LeaveRequest) -> list[date]:
    return list(request.leave_days.values_list("date", flat=True))


def _absence_end(request: LeaveRequest) -> None:
    """The absence of an approved whole-day leave goes, and attendance recomputes the days."""
    if request.absence_id:
        Absence.objects.filter(pk=request.absence_id).delete()
        request.absence = None
    registry.leave_days_changed(
        employee=request.employee, dates=request.leave_days.values_list("date", flat=True)
    )


def leave_request_cancel(*, request: LeaveRequest, actor: Employee) -> LeaveRequest:
    """取消: by the applicant before the leave's first day (a submitted request's document is withdrawn), or by
    HR at any time (after the day: the leave did not happen). The balance is restored (a cancelled request
    charges nothing), an approved leave's absence is removed and attendance recomputes the days."""
    from approvals.services import document_withdraw

    hr = actor.has_role(RoleCode.HR)
    if actor.pk != request.employee_id and not hr:
        raise CoreError.PERMISSION_DENIED.error(_("申請者と人事担当のみが取り消せます。"))
    with transaction.atomic(), audit_batch():
        document = document_lock(request.document_id) if request.document_id else None
        request = request_lock(request.pk)
        if request.status not in (RequestStatus.SUBMITTED, RequestStatus.APPROVED):
            raise CoreError.INVALID_STATE.error(
                _("現在の状態(%(status)s)ではこの操作はできません。")
                % {"status": request.get_status_display()}
            )
        started = request.start_date <= timezone.localdate()
        if started and not hr:
            raise LeaveError.LEAVE_STARTED.error()
        was_approved = request.status == RequestStatus.APPROVED
        if not was_approved and actor.pk != request.employee_id:
            raise CoreError.PERMISSION_DENIED.error(_("審査中の申請は申請者のみが取り消せます(引上げ)。"))
        if was_approved:  # the days change: not in a month closed or signed
            registry.ensure_days_changeable(employee=request.employee, dates=_dates_of(request))
        _set_status(request, RequestStatus.CANCELLED, actor=actor)
        if document is not None and not was_approved:
            document_withdraw(document=document, actor=actor, comment=_("休暇申請の取消"))
        if was_approved:
            _absence_end(request)
            request.save(update_fields=["absence"])
        if request.leave_type.balance:
            _refresh_carry_over(employee=request.employee, year=request.year)
    return request


# --- approval handlers (registered for the `leave` document kind) --------------------------------------


def _request_of(document) -> LeaveRequest:
    request_id = LeaveRequest.objects.filter(document=document).values_list("pk", flat=True).first()
    if request_id is None:
        raise CoreError.NOT_FOUND.error(_("休暇の申請が見つかりません。"))
    return request_lock(request_id)


def before_approve(document, *, step_kind: str, acknowledge_warnings: bool) -> None:
    """The 決裁 of a leave that needs a 診断書 (beyond the type's days) refuses without a file attached to the
    document (422 `attachment_required`: return it to the applicant, who attaches the file and resubmits)."""
    request = _request_of(document)
    if request.status != RequestStatus.SUBMITTED:
        raise CoreError.INVALID_STATE.error(_("この申請は承認できる状態ではありません。"))
    if step_kind != "final":
        return
    registry.ensure_days_changeable(employee=request.employee, dates=_dates_of(request))
    facts = selectors.type_facts(request.leave_type)
    attached = document.attachments.filter(purpose=AttachmentPurpose.DOCUMENT).exists()
    if rules.needs_attachment(facts, request.days) and not attached:
        raise CoreError.RULE_VIOLATION.error(errors=[rules.attachment_error(facts)])


def on_approved(document) -> None:
    """決裁: the request and its days are approved; a whole-day leave records the employee's absence (不在: a
    deputy decides for them, telework refuses the days, the 窓口 count leaves them out); attendance is told."""
    request = _request_of(document)
    _set_status(request, RequestStatus.APPROVED)
    if request.unit == RequestUnit.DAY:
        dates = list(request.leave_days.order_by("date").values_list("date", flat=True))
        request.absence = Absence.objects.create(
            employee=request.employee, start=dates[0], end=dates[-1], reason=_("休暇")
        )
        request.save(update_fields=["absence"])
    registry.leave_days_changed(
        employee=request.employee, dates=request.leave_days.values_list("date", flat=True)
    )


def on_rejected(document) -> None:
    request = _request_of(document)
    if request.status == RequestStatus.SUBMITTED:
        _set_status(request, RequestStatus.REJECTED)
        _after_release(request)


def on_withdrawn(document) -> None:
    request = _request_of(document)
    if request.status == RequestStatus.SUBMITTED:
        _set_status(request, RequestStatus.WITHDRAWN)
        _after_release(request)


def _after_release(request: LeaveRequest) -> None:
    if request.leave_type.balance:
        _refresh_carry_over(employee=request.employee, year=request.year)
