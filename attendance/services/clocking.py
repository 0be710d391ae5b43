"""打刻: clock events at server time and PC log-on/off records from system integrations (勤怠差異)."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance import lock_objects, selectors, worktime
from attendance.codes import AttendanceError
from attendance.models import AlertKind, ClockEvent, ClockKind, PcLogEvent
from attendance.registry import telework_clocked, telework_without_approval_notify
from attendance.services.alerts import alert_once
from attendance.services.days import ensure_month_open, month_closed, recompute
from core.errors import CoreError
from org.models import Employee, RoleCode

# PC logs belong to the calendar day, which for them changes at 05:00 (a log-off at 01:00 ends the day before).
PC_LOG_DAY_CHANGE = time(5, 0)
CLOCK_SKEW = timedelta(minutes=5)

# (state, kind) → the refusal; missing pairs are allowed.
REFUSALS = {
    (selectors.OUTSIDE, ClockKind.OUT): AttendanceError.NOT_CLOCKED_IN,
    (selectors.OUTSIDE, ClockKind.BREAK_START): AttendanceError.NOT_CLOCKED_IN,
    (selectors.OUTSIDE, ClockKind.BREAK_END): AttendanceError.NOT_CLOCKED_IN,
    (selectors.WORKING, ClockKind.IN): AttendanceError.ALREADY_CLOCKED_IN,
    (selectors.WORKING, ClockKind.BREAK_END): AttendanceError.BREAK_NOT_STARTED,
    (selectors.ON_BREAK, ClockKind.IN): AttendanceError.ALREADY_CLOCKED_IN,
    (selectors.ON_BREAK, ClockKind.BREAK_START): AttendanceError.BREAK_ALREADY_STARTED,
    (selectors.ON_BREAK, ClockKind.OUT): AttendanceError.ON_BREAK,
}


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
        lock_objects.employee_lock(employee)
        at = at or timezone.now()  # read after the lock, so events of one employee are in time order
        state = selectors.clock_state(employee_id=employee.pk, now=at)
        if state.month_closed:
            raise month_closed(state.work_date)
        if refusal := REFUSALS.get((state.state, kind)):
            raise refusal.error(state=state.state)
        event = ClockEvent.objects.create(
            employee=employee, kind=kind, at=at, work_date=state.work_date, location=location, source=source
        )
        summary = recompute(employee=employee, day=state.work_date)
        if (
            kind == ClockKind.IN
            and location in worktime.REMOTE_LOCATIONS
            and worktime.TELEWORK_WITHOUT_APPROVAL in summary.anomalies
        ):
            _telework_without_approval_report(employee=employee, day=state.work_date, location=location)
        telework_clocked(employee=employee, on=state.work_date, kind=kind, location=location, at=at)
    return event


def _telework_without_approval_report(*, employee: Employee, day: date, location: str) -> None:
    """承認のないテレワーク: the director hears of it once per employee and day (the alert row is the guard)."""
    if alert_once(employee=employee, kind=AlertKind.TELEWORK_WITHOUT_APPROVAL, period=day.isoformat()):
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
        raise AttendanceError.INTEGRATION_ONLY.error()
    if at > timezone.now() + CLOCK_SKEW:
        raise CoreError.INVALID.error(
            _("未来の時刻は登録できません。"), errors=[AttendanceError.IN_FUTURE.field("at")]
        )
    work_date = _pc_log_work_date(at)
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        ensure_month_open(employee_id=employee.pk, day=work_date)
        log = PcLogEvent.objects.create(
            employee=employee, kind=kind, at=at, work_date=work_date, system=system, recorded_by=actor
        )
        recompute(employee=employee, day=work_date)
    return log
