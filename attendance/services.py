"""勤怠の更新: clocking, PC logs, day recomputation, month closing. Each write is one transaction.

Every write for an employee first locks that employee's row (`_lock_employee`), so two racing requests of the
same person serialise: two `in` cannot both pass the state check, and a recomputation never reads half a change.
Lock order (approvals/services.py): the employee before the documents, the audit chain head last; corrections and
timesheets open an `audit_batch` around their whole transaction.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import services as approvals
from approvals.audit import audit_batch
from attendance import overtime, selectors, worktime
from attendance.exports import ANOMALY_LABELS
from attendance.models import (
    MONTH_TRANSITIONS,
    AlertKind,
    AttendanceAlert,
    ClockEvent,
    ClockKind,
    ClockSource,
    CorrectionRequest,
    CorrectionStatus,
    DaySummary,
    MonthClosing,
    MonthStatus,
    PcLogEvent,
)
from attendance.registry import approved_telework_location, telework_without_approval_notify
from core.errors import Conflict, PermissionDenied, ValidationFailed
from notifications.services import notify
from org.calendar import is_working_day
from org.models import Department, Employee, RoleCode
from org.selectors import department_director

LOG_GAP_MINUTES = getattr(settings, "ATTENDANCE_LOG_GAP_MINUTES", worktime.LOG_GAP_MINUTES)
# PC logs belong to the calendar day, which for them changes at 05:00 (a log-off at 01:00 ends the day before).
PC_LOG_DAY_CHANGE = time(5, 0)
CLOCK_SKEW = timedelta(minutes=5)
KIND_CORRECTION = "attendance_correction"
KIND_TIMESHEET = "timesheet"

# (state, kind) → the stable code of the refusal; missing pairs are allowed.
REFUSALS = {
    (selectors.OUTSIDE, ClockKind.OUT): "not_clocked_in",
    (selectors.OUTSIDE, ClockKind.BREAK_START): "not_clocked_in",
    (selectors.OUTSIDE, ClockKind.BREAK_END): "not_clocked_in",
    (selectors.WORKING, ClockKind.IN): "already_clocked_in",
    (selectors.WORKING, ClockKind.BREAK_END): "break_not_started",
    (selectors.ON_BREAK, ClockKind.IN): "already_clocked_in",
    (selectors.ON_BREAK, ClockKind.BREAK_START): "break_already_started",
    (selectors.ON_BREAK, ClockKind.OUT): "on_break",
}
REFUSAL_MESSAGES = {
    "not_clocked_in": _("出勤の打刻がありません。"),
    "already_clocked_in": _("すでに出勤しています。"),
    "break_not_started": _("休憩を開始していません。"),
    "break_already_started": _("すでに休憩中です。"),
    "on_break": _("休憩中です。休憩終了を打刻してから退勤してください。"),
}


def _lock_employee(employee: Employee) -> Employee:
    """Must be called inside a transaction: holds the employee's row until it ends.

    FOR NO KEY UPDATE: writers of the same employee still serialise, but rows of other transactions that only
    reference the employee (their foreign keys are checked at commit, under FOR KEY SHARE) do not wait for it,
    so a transaction holding the audit head never waits here."""
    return Employee.objects.select_for_update(no_key=True).only("id").get(pk=employee.pk)


def _month_closed(day: date) -> Conflict:
    return Conflict(
        _("%(month)s は締め済みのため変更できません。") % {"month": f"{day:%Y-%m}"},
        code="month_closed",
        params={"month": f"{day:%Y-%m}"},
    )


def _ensure_month_open(*, employee_id: int, day: date) -> None:
    if selectors.is_month_closed(employee_id=employee_id, day=day):
        raise _month_closed(day)


def _recompute(*, employee: Employee, day: date) -> DaySummary:
    """Recompute and store one day's snapshot (three queries). Call with the employee's row locked.

    The day is an approved telework day when the telework app, through `attendance.registry`, says so."""
    today = timezone.localdate()
    facts = selectors.day_facts(employee_id=employee.pk, day=day)
    summary = worktime.summarize_day(
        work_date=day,
        events=facts.events,
        schedule=facts.schedule,
        is_holiday=not is_working_day(day, closed_days=(day,) if facts.town_closed else ()),
        previous_last_out=facts.previous_last_out,
        pc_logs=facts.pc_logs,
        telework_approved=approved_telework_location(employee=employee, on=day) is not None,
        complete=day < today,
        log_gap_minutes=LOG_GAP_MINUTES,
    )
    figures = {
        "first_in": summary.first_in,
        "last_out": summary.last_out,
        "span_minutes": summary.span_minutes,
        "worked_minutes": summary.worked_minutes,
        "break_minutes": summary.break_minutes,
        "overtime_minutes": summary.overtime_minutes,
        "late_night_minutes": summary.late_night_minutes,
        "holiday_work_minutes": summary.holiday_work_minutes,
        "scheduled_minutes": summary.scheduled_minutes,
        "is_holiday": summary.is_holiday,
        "location": summary.location or "",
        "anomalies": list(summary.anomalies),
        "open_shift": summary.open_shift,
        "complete": day < today,
        "computed_at": timezone.now(),
    }
    # one INSERT ... ON CONFLICT DO UPDATE (the employee's row lock already serialises writers of this day)
    [snapshot] = DaySummary.objects.bulk_create(
        [DaySummary(employee=employee, date=day, **figures)],
        update_conflicts=True,
        unique_fields=["employee", "date"],
        update_fields=list(figures),
    )
    return snapshot


def clock_event_record(
    *, employee: Employee, kind: str, location: str, source: str, at: datetime | None = None
) -> ClockEvent:
    """打刻する: append an event at server time (`at` only for tests and integrations), then recompute the day.

    The event joins the open shift's work day even past midnight; otherwise it starts today's. Out-of-order
    events are refused with 409 and a stable code; so is any event in a closed month (`month_closed`).
    A clock-in away from the office (home, satellite, mobile) on a day without an approved telework day is
    recorded all the same; the day gets `telework_without_approval` and the director is told once that day.

    Six queries: the lock, the state, the insert and the recomputation (the day's facts, the telework day, the
    snapshot).
    """
    with transaction.atomic():
        _lock_employee(employee)
        at = at or timezone.now()  # read after the lock, so events of one employee are in time order
        state = selectors.clock_state(employee_id=employee.pk, now=at)
        if state.month_closed:
            raise _month_closed(state.work_date)
        if refusal := REFUSALS.get((state.state, kind)):
            raise Conflict(REFUSAL_MESSAGES[refusal], code=refusal, params={"state": state.state})
        event = ClockEvent.objects.create(
            employee=employee, kind=kind, at=at, work_date=state.work_date, location=location, source=source
        )
        summary = _recompute(employee=employee, day=state.work_date)
        if (
            kind == ClockKind.IN
            and location in worktime.REMOTE_LOCATIONS
            and worktime.TELEWORK_WITHOUT_APPROVAL in summary.anomalies
        ):
            _telework_without_approval_report(employee=employee, day=state.work_date, location=location)
    return event


def _telework_without_approval_report(*, employee: Employee, day: date, location: str) -> None:
    """承認のないテレワーク: the director hears of it once per employee and day (the alert row is the guard)."""
    if _alert_once(employee=employee, kind=AlertKind.TELEWORK_WITHOUT_APPROVAL, period=day.isoformat()):
        telework_without_approval_notify(employee=employee, on=day, location=location)


def _pc_log_work_date(at: datetime) -> date:
    local = timezone.localtime(at)
    return local.date() - timedelta(days=1) if local.time() < PC_LOG_DAY_CHANGE else local.date()


def pc_log_record(*, actor: Employee, employee: Employee, kind: str, at: datetime, system: str) -> PcLogEvent:
    """PCログを登録する: a log-on/off from a system integration, for the reconciliation (勤怠差異).

    Allowed to an account holding the Django permission `attendance.add_pclogevent` (the integration's account)
    or the admin role. A log in the future or in a closed month is refused.
    """
    if not (actor.has_perm("attendance.add_pclogevent") or actor.has_role(RoleCode.ADMIN)):
        raise PermissionDenied(_("PCログを登録する権限がありません。"), code="integration_only")
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationFailed(
            _("未来の時刻は登録できません。"),
            errors=[
                {"field": "at", "code": "in_future", "message": str(_("未来の時刻です。")), "params": {}}
            ],
        )
    work_date = _pc_log_work_date(at)
    with transaction.atomic():
        _lock_employee(employee)
        _ensure_month_open(employee_id=employee.pk, day=work_date)
        log = PcLogEvent.objects.create(
            employee=employee, kind=kind, at=at, work_date=work_date, system=system, recorded_by=actor
        )
        _recompute(employee=employee, day=work_date)
    return log


def day_recompute(*, employee: Employee, day: date) -> DaySummary:
    """日次再計算: recompute one day's snapshot (after a schedule or calendar change); refused in a closed month."""
    with transaction.atomic():
        _lock_employee(employee)
        _ensure_month_open(employee_id=employee.pk, day=day)
        return _recompute(employee=employee, day=day)


def day_recompute_if_open(*, employee: Employee, day: date) -> DaySummary | None:
    """Like `day_recompute`, but a closed month is left as it is (for periodic jobs)."""
    with transaction.atomic():
        _lock_employee(employee)
        if selectors.is_month_closed(employee_id=employee.pk, day=day):
            return None
        return _recompute(employee=employee, day=day)


def corrective_events_add(
    *, employee: Employee, day: date, events: list[dict], correction=None
) -> list[ClockEvent]:
    """打刻修正の反映: add corrective events for a day, each replacing the effective event it stands for.

    For each kind, the corrective events in time order replace the day's effective events of that kind in time
    order; the ones beyond them are additions. Nothing is edited or deleted. Call inside a transaction.
    """
    _lock_employee(employee)
    _ensure_month_open(employee_id=employee.pk, day=day)
    existing: dict[str, list[ClockEvent]] = {}
    for event in selectors.effective_events(employee_id=employee.pk, day=day):
        existing.setdefault(event.kind, []).append(event)
    added = []
    for item in sorted(events, key=lambda e: e["at"]):
        replaced = existing.get(item["kind"], [])
        added.append(
            ClockEvent.objects.create(
                employee=employee,
                kind=item["kind"],
                at=item["at"],
                work_date=day,
                location=item["location"],
                source=ClockSource.CORRECTION,
                corrects=replaced.pop(0) if replaced else None,
                correction=correction,
            )
        )
    _recompute(employee=employee, day=day)
    next_day = day + timedelta(days=1)
    if DaySummary.objects.filter(employee=employee, date=next_day).exists() and not selectors.is_month_closed(
        employee_id=employee.pk, day=next_day
    ):
        _recompute(employee=employee, day=next_day)  # its rest interval depends on this day's last out
    return added


def _close(*, closing: MonthClosing, actor: Employee) -> MonthClosing:
    closing.status = MonthStatus.CLOSED
    closing.closed_by = actor
    closing.closed_at = timezone.now()
    closing.save(update_fields=["status", "closed_by", "closed_at", "updated_at"])
    return closing


def month_close(
    *,
    actor: Employee,
    month: date,
    employee: Employee | None = None,
    department: Department | None = None,
) -> list[MonthClosing]:
    """月次締め (HR): close one employee's approved month, or every approved month of a department.

    One employee: 409 `month_not_approved` unless the month is approved, `month_closed` when already closed.
    A department: closes the approved months and leaves the others; returns the months it closed.
    """
    selectors.ensure_hr(actor)
    if (employee is None) == (department is None):
        raise ValidationFailed(_("職員か課のどちらか一方を指定してください。"), code="employee_or_department")
    first = selectors.month_start(month)
    with transaction.atomic():
        if employee is not None:
            _lock_employee(employee)
            closing = MonthClosing.objects.select_for_update().filter(employee=employee, month=first).first()
            status = closing.status if closing else MonthStatus.OPEN
            if status == MonthStatus.CLOSED:
                raise Conflict(
                    _("すでに締め済みです。"), code="month_closed", params={"month": f"{first:%Y-%m}"}
                )
            if status != MonthStatus.APPROVED:
                raise Conflict(
                    _("承認済みの勤務表のみ締めることができます。"),
                    code="month_not_approved",
                    params={"status": status},
                )
            return [_close(closing=closing, actor=actor)]
        list(Employee.objects.select_for_update(no_key=True).filter(department=department).order_by("id"))
        closings = list(
            MonthClosing.objects.select_for_update()
            .filter(employee__department=department, month=first, status=MonthStatus.APPROVED)
            .order_by("employee_id")
        )
        return [_close(closing=closing, actor=actor) for closing in closings]


# --- periodic alerts (called by attendance.tasks) ---------------------------------------------------------


def _alert_once(*, employee: Employee, kind: str, period: str, threshold: int = 0, minutes: int = 0) -> bool:
    """Record an alert; False when it was already recorded (the unique row makes every job safe to rerun)."""
    try:
        with transaction.atomic():
            AttendanceAlert.objects.create(
                employee=employee, kind=kind, period=period, threshold=threshold, value_minutes=minutes
            )
    except IntegrityError:
        return False
    return True


def clock_out_reminders_send(*, day: date) -> int:
    """退勤打刻忘れ: remind everyone whose shift of `day` is still open, once per day. Returns how many."""
    sent = 0
    for summary in selectors.open_shifts_on(day=day):
        with transaction.atomic():
            if not _alert_once(
                employee=summary.employee, kind=AlertKind.MISSING_CLOCK_OUT, period=day.isoformat()
            ):
                continue
            notify(
                recipients=[summary.employee],
                kind="attendance_missing_clock_out",
                title=str(_("退勤の打刻がありません")),
                body=str(
                    _("%(date)s の退勤打刻がまだありません。退勤時は忘れずに打刻してください。")
                    % {"date": day}
                ),
                link=f"/attendance/days/{day.isoformat()}",
                data={"date": day.isoformat()},
            )
            sent += 1
    return sent


def anomaly_digests_send(*, day: date) -> int:
    """勤怠異常の日次通知: settle `day` (an open shift becomes `missing_clock_out`), then tell each director
    which of their staff had anomalies that day, once per director and day. Returns how many notes."""
    for summary in DaySummary.objects.filter(date=day, complete=False).select_related("employee"):
        day_recompute_if_open(employee=summary.employee, day=day)
    by_department: dict[int, list[DaySummary]] = {}
    for summary in (
        DaySummary.objects.filter(date=day, employee__department__isnull=False)
        .exclude(anomalies=[])
        .select_related("employee__department")
        .order_by("employee_id")
    ):
        by_department.setdefault(summary.employee.department_id, []).append(summary)
    sent = 0
    for summaries in by_department.values():
        department = summaries[0].employee.department
        director = department_director(department=department)
        if director is None:
            continue
        with transaction.atomic():
            if not _alert_once(employee=director, kind=AlertKind.ANOMALY_DIGEST, period=day.isoformat()):
                continue
            lines = [
                f"{s.employee.name}: {'・'.join(ANOMALY_LABELS.get(code, code) for code in s.anomalies)}"
                for s in summaries
            ]
            notify(
                recipients=[director],
                kind="attendance_anomalies",
                title=str(
                    _("%(date)s の勤怠異常(%(department)s)") % {"date": day, "department": department.name}
                ),
                body="\n".join(lines),
                link=f"/attendance/anomalies/{day.isoformat()}",
                data={
                    "date": day.isoformat(),
                    "employees": {str(s.employee_id): list(s.anomalies) for s in summaries},
                },
            )
            sent += 1
    return sent


def overtime_alerts_check(*, today: date) -> int:
    """時間外勤務の上限: warn the employee and their director at 80 % and at 100 % of each limit, once each.

    Returns how many notifications went out.
    """
    month = selectors.month_start(today)
    monthly = selectors.overtime_by_employee_month(start=overtime.months_needed(month), end=today)
    employees = Employee.objects.filter(pk__in=monthly).select_related("department")
    sent = 0
    for employee in employees:
        exempt = bool(employee.department and employee.department.overtime_exempt)
        breaches = overtime.overtime_breaches(monthly=monthly[employee.pk], month=month, exempt=exempt)
        with transaction.atomic():
            new = [
                breach
                for breach in breaches
                if _alert_once(
                    employee=employee,
                    kind=breach.kind,
                    period=breach.period,
                    threshold=breach.threshold,
                    minutes=breach.minutes,
                )
            ]
            highest: dict[tuple[str, str], overtime.Breach] = {}
            for breach in new:
                key = (breach.kind, breach.period)
                if key not in highest or breach.threshold > highest[key].threshold:
                    highest[key] = breach
            director = department_director(department=employee.department) if employee.department else None
            for breach in highest.values():
                notify(
                    recipients=[employee, *([director] if director and director != employee else [])],
                    kind="attendance_overtime",
                    title=str(OVERTIME_TITLES[breach.threshold] % {"name": employee.name}),
                    body=str(
                        _("%(limit)s: %(hours)s 時間(上限 %(limit_hours)s 時間)")
                        % {
                            "limit": AlertKind(breach.kind).label,
                            "hours": f"{breach.minutes / 60:.1f}",
                            "limit_hours": breach.limit // 60,
                        }
                    ),
                    data={
                        "employee": employee.pk,
                        "kind": breach.kind,
                        "period": breach.period,
                        "threshold": breach.threshold,
                        "minutes": breach.minutes,
                        "limit_minutes": breach.limit,
                    },
                )
                sent += 1
    return sent


OVERTIME_TITLES = {
    overtime.WARNING_PERCENT: _("%(name)s さんの時間外勤務が上限の80%%に達しました"),
    overtime.CROSSED_PERCENT: _("%(name)s さんの時間外勤務が上限を超えました"),
}


# --- corrections and timesheets through the approval core ----------------------------------------------------


def _validate_correction_events(*, day: date, events: list[dict]) -> None:
    """Each corrective event lies between the day's start and 05:00 two days later, and not in the future."""
    start = timezone.make_aware(datetime.combine(day, time(0, 0)))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=2), PC_LOG_DAY_CHANGE))
    now = timezone.now()
    errors = [
        {
            "field": f"events[{index}].at",
            "code": "outside_day",
            "message": str(_("打刻の時刻が対象日の範囲外か、未来の時刻です。")),
            "params": {"date": day.isoformat()},
        }
        for index, event in enumerate(events)
        if not (start <= event["at"] < end) or event["at"] > now
    ]
    if not events:
        errors.append(
            {
                "field": "events",
                "code": "required",
                "message": str(_("打刻を1件以上指定してください。")),
                "params": {},
            }
        )
    if errors:
        raise ValidationFailed(errors=errors)


def correction_request(
    *, employee: Employee, day: date, events: list[dict], reason: str
) -> CorrectionRequest:
    """打刻修正申請: an `attendance_correction` document, submitted at once to the employee's director.

    `events` are [{kind, at (aware datetime), location}]. Nothing changes until the final approval.
    """
    _validate_correction_events(day=day, events=events)
    stored = [
        {"kind": e["kind"], "at": e["at"].isoformat(), "location": e["location"]}
        for e in sorted(events, key=lambda e: e["at"])
    ]
    with transaction.atomic(), audit_batch():
        _lock_employee(employee)
        _ensure_month_open(employee_id=employee.pk, day=day)
        correction = CorrectionRequest.objects.create(
            employee=employee, date=day, events=stored, reason=reason
        )
        document = approvals.document_create(
            kind=KIND_CORRECTION,
            drafter=employee,
            title=str(_("打刻修正申請 %(date)s") % {"date": day.isoformat()}),
            body=reason,
            payload={"correction": correction.pk, "date": day.isoformat(), "events": stored},
        )
        correction.document = document
        correction.save(update_fields=["document"])
        approvals.document_submit(document=document, actor=employee)
    correction.refresh_from_db()
    return correction


def _correction_of(document) -> CorrectionRequest:
    """The correction's row only (`of=self`): the employee's row is locked by `_lock_employee` (FOR NO KEY UPDATE)."""
    return (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(document=document)
    )


def on_correction_approved(document) -> None:
    """決裁: add the corrective events and recompute the day; a closed month refuses (the approval rolls back)."""
    correction = _correction_of(document)
    if correction.status != CorrectionStatus.SUBMITTED:
        return
    events = [
        {"kind": e["kind"], "at": datetime.fromisoformat(e["at"]), "location": e["location"]}
        for e in correction.events
    ]
    corrective_events_add(
        employee=correction.employee, day=correction.date, events=events, correction=correction
    )
    correction.status = CorrectionStatus.APPROVED
    correction.decided_at = timezone.now()
    correction.save(update_fields=["status", "decided_at"])


def _correction_ends(document, status: str) -> None:
    correction = _correction_of(document)
    if correction.status == CorrectionStatus.SUBMITTED:
        correction.status = status
        correction.decided_at = timezone.now()
        correction.save(update_fields=["status", "decided_at"])


def on_correction_rejected(document) -> None:
    """否決: nothing changes but the request's status."""
    _correction_ends(document, CorrectionStatus.REJECTED)


def on_correction_withdrawn(document) -> None:
    _correction_ends(document, CorrectionStatus.WITHDRAWN)


def timesheet_submit(*, employee: Employee, month: date) -> MonthClosing:
    """月次勤務表の提出: a `timesheet` document routed to the director; 409 unless the month is open."""
    first = selectors.month_start(month)
    if first > timezone.localdate():
        raise ValidationFailed(_("未来の月は提出できません。"), code="future_month")
    with transaction.atomic(), audit_batch():
        _lock_employee(employee)
        closing, _created = MonthClosing.objects.select_for_update().get_or_create(
            employee=employee, month=first
        )
        if closing.status != MonthStatus.OPEN:
            raise Conflict(
                _("この月の勤務表はすでに提出されています。"),
                code="month_closed" if closing.status == MonthStatus.CLOSED else "already_submitted",
                params={"status": closing.status},
            )
        sheet = selectors.timesheet(employee=employee, month=first)
        document = approvals.document_create(
            kind=KIND_TIMESHEET,
            drafter=employee,
            title=str(_("月次勤務表 %(month)s") % {"month": f"{first:%Y-%m}"}),
            payload={"month": f"{first:%Y-%m}", "totals": sheet.totals},
        )
        closing.status = MonthStatus.SUBMITTED
        closing.document = document
        closing.save(update_fields=["status", "document", "updated_at"])
        approvals.document_submit(document=document, actor=employee)
    closing.refresh_from_db()
    return closing


def _timesheet_move(document, *, to: str) -> None:
    closing = MonthClosing.objects.select_for_update().get(document=document)
    if closing.status == MonthStatus.SUBMITTED and to in MONTH_TRANSITIONS[MonthStatus.SUBMITTED]:
        closing.status = to
        closing.save(update_fields=["status", "updated_at"])


def on_timesheet_approved(document) -> None:
    """承認: the month waits for HR's closing."""
    _timesheet_move(document, to=MonthStatus.APPROVED)


def on_timesheet_ended(document) -> None:
    """否決 or 引上げ: the month is open again, to be corrected and submitted anew."""
    _timesheet_move(document, to=MonthStatus.OPEN)
