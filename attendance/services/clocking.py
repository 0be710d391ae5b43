"""打刻: clock events at server time (or replayed from a device's offline queue), and PC log-on/off records from
system integrations (勤怠差異), one at a time or in bulk."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attendance import lock_objects, selectors, selectors_pc_logs, worktime, worktime_pc_logs
from attendance.codes import AttendanceError
from attendance.models import AlertKind, ClockEvent, ClockKind, LogGapReason, MonthStatus, PcLogEvent
from attendance.registry import telework_clocked, telework_without_approval_notify
from attendance.services.alerts import alert_once, open_shift_closed_report
from attendance.services.days import day_snapshot, month_closed, month_refusal, recompute, snapshot_statement
from core import batch
from core.errors import CoreError
from core.locking import rows_locked
from org.models import Employee, RoleCode

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


def _replay_moment(occurred_at: datetime) -> datetime:
    """The time of an offline replay: within ATTENDANCE_OFFLINE_REPLAY_MAX_HOURS in the past, never in the future
    (a device clock a little ahead, within CLOCK_SKEW, is taken as now)."""
    now = timezone.now()
    hours = settings.ATTENDANCE_OFFLINE_REPLAY_MAX_HOURS
    if occurred_at > now + CLOCK_SKEW:
        raise AttendanceError.REPLAY_IN_FUTURE.error(occurred_at=occurred_at.isoformat())
    if occurred_at < now - timedelta(hours=hours):
        raise AttendanceError.REPLAY_TOO_OLD.error(hours=hours, occurred_at=occurred_at.isoformat())
    return min(occurred_at, now)


def clock_event_record(
    *,
    employee: Employee,
    kind: str,
    location: str,
    source: str,
    at: datetime | None = None,
    occurred_at: datetime | None = None,
) -> ClockEvent:
    """打刻する: append an event at server time (`at` only for tests and integrations), then recompute the day.

    `occurred_at` replays an event pressed offline on a device (the portal's queue, sent with an Idempotency-Key):
    422 `replay_too_old` beyond ATTENDANCE_OFFLINE_REPLAY_MAX_HOURS, `replay_in_future` ahead of the server;
    409 `replay_out_of_order` when a later event is already recorded. It is stored at that time, flagged
    `offline_replay` (the day too), and checked like any other event, at that time.

    The event joins the open shift's work day even past midnight; otherwise it starts today's. A shift left open
    past its deadline (a forgotten clock-out, `worktime.open_shift_deadline`) no longer counts: the new event
    starts today's shift, that day is closed for the calculation as `missing_clock_out`, and the employee and
    their director are told once. A shift left open in a closed month never blocks a clock-in.

    Out-of-order events are refused with 409 and a stable code; so is any event in a closed month
    (`month_closed`) or in a month whose timesheet is submitted or approved (`timesheet_submitted`).
    A clock-in away from the office (home, satellite, mobile) on a day without an approved telework day is
    recorded all the same; the day gets `telework_without_approval` and the director is told once that day.

    Three round trips on PostgreSQL (core/batch.py): the token's look-up (before the view), then the lock with
    the state and today's facts behind it, then the event's INSERT with the day's snapshot computed from those
    facts and the event (the same figures `recompute` gives, in the same transaction). SQLite runs those
    statements one by one. One more for a shift from an earlier day (its day's facts), the telework look-up
    for an event away from the office, and a few when a shift left open is closed.
    """
    replayed = occurred_at is not None
    if replayed:
        occurred_at = _replay_moment(occurred_at)
    with transaction.atomic():
        # today is named before the lock; the event's own time is read after it, so that the events of one
        # employee are in time order
        named = occurred_at or at or timezone.now()
        state_row, facts = _read_locked(employee=employee, now=named)
        at = occurred_at or at or timezone.now()
        if timezone.localdate(at) == timezone.localdate(named):
            state = selectors.clock_state_from(state_row, now=at)
        else:  # midnight passed while waiting for the lock
            state = selectors.clock_state(employee_id=employee.pk, now=at)
        if replayed and state.latest_at is not None and state.latest_at > at:
            raise AttendanceError.REPLAY_OUT_OF_ORDER.error(latest=state.latest_at.isoformat())
        if (
            kind == ClockKind.IN
            and state.state != selectors.OUTSIDE
            and state.month_status == MonthStatus.CLOSED
        ):
            state = state.outside()  # nobody can close that shift now: it never blocks today's
        if refusal := month_refusal(status=state.month_status, day=state.work_date):
            raise refusal
        if refusal := REFUSALS.get((state.state, kind)):
            raise refusal.error(state=state.state)
        if state.left_open is not None and state.left_open_month_status == MonthStatus.OPEN:
            left = recompute(employee=employee, day=state.left_open)
            if worktime.MISSING_CLOCK_OUT in left.anomalies:
                open_shift_closed_report(employee=employee, day=state.left_open)
        if state.work_date != facts.day:  # a shift from an earlier day, or midnight passed meanwhile
            facts = selectors.day_facts(employee_id=employee.pk, day=state.work_date)
        event = ClockEvent(
            employee=employee,
            kind=kind,
            at=at,
            work_date=state.work_date,
            location=location,
            source=source,
            offline_replay=replayed,
        )
        recorded = worktime.Event(kind=kind, at=at, location=location, offline_replay=replayed)
        # after the day's effective events (by time, then id: the new event has the highest id)
        events = sorted([*facts.events, recorded], key=lambda item: item.at)
        summary = day_snapshot(employee=employee, day=state.work_date, facts=facts, events=events)
        event_rows, _summary_rows = batch.run([batch.insert(event), snapshot_statement(summary)])
        batch.inserted(event, event_rows)
        if (
            kind == ClockKind.IN
            and location in worktime.REMOTE_LOCATIONS
            and worktime.TELEWORK_WITHOUT_APPROVAL in summary.anomalies
        ):
            _telework_without_approval_report(employee=employee, day=state.work_date, location=location)
        telework_clocked(employee=employee, on=state.work_date, kind=kind, location=location, at=at)
    return event


def _read_locked(*, employee: Employee, now: datetime) -> tuple[tuple, selectors.DayFacts]:
    """The employee's row locked (`lock_objects.employee_lock_statement`), then the row of the clock state
    (`selectors.clock_state_statement`) and the facts of today, each a statement of its own after the lock (so
    each sees what the previous holder committed), in one round trip where the database allows it."""
    today = timezone.localdate(now)
    lock = lock_objects.employee_lock_statement(employee.pk)
    *locked, state_rows, fact_rows = batch.run(
        [
            *([lock] if lock else []),
            selectors.clock_state_statement(employee_id=employee.pk, now=now),
            selectors.day_facts_statement(employee_id=employee.pk, day=today),
        ]
    )
    if locked and not locked[0]:
        raise Employee.DoesNotExist(f"employee {employee.pk}")
    return state_rows[0], selectors.day_facts_from(fact_rows, day=today)


def _telework_without_approval_report(*, employee: Employee, day: date, location: str) -> None:
    """承認のないテレワーク: the director hears of it once per employee and day (the alert row is the guard)."""
    if alert_once(employee=employee, kind=AlertKind.TELEWORK_WITHOUT_APPROVAL, period=day.isoformat()):
        telework_without_approval_notify(employee=employee, on=day, location=location)


# --- PC logs -----------------------------------------------------------------------------------------------


def ensure_integration(actor: Employee) -> None:
    """PC logs come from an account holding `attendance.add_pclogevent` (the integration's) or an admin."""
    if not (actor.has_perm("attendance.add_pclogevent") or actor.has_role(RoleCode.ADMIN)):
        raise AttendanceError.INTEGRATION_ONLY.error()


def _pc_log_work_date(*, employee: Employee, at: datetime) -> date:
    """The work day of the shift the log falls in or is nearest to (`worktime_pc_logs.pc_log_work_date`); two queries."""
    max_hours = settings.ATTENDANCE_OPEN_SHIFT_MAX_HOURS
    window = timedelta(minutes=settings.ATTENDANCE_PC_LOG_MATCH_MINUTES)
    events = selectors.events_between(
        employee_id=employee.pk, start=at - timedelta(hours=max_hours) - window, end=at + window
    )
    local_day = timezone.localdate(at)
    return worktime_pc_logs.pc_log_work_date(
        at=at,
        spans=worktime_pc_logs.shift_spans(events, max_hours=max_hours),
        day_start=selectors.schedule_on(employee_id=employee.pk, day=local_day).start,
        window_minutes=settings.ATTENDANCE_PC_LOG_MATCH_MINUTES,
        early_minutes=settings.ATTENDANCE_EARLY_CLOCK_IN_MINUTES,
        tz=timezone.get_current_timezone(),
    )


def _pc_log_in_future(at: datetime) -> bool:
    return at > timezone.now() + CLOCK_SKEW


def pc_log_record(*, actor: Employee, employee: Employee, kind: str, at: datetime, system: str) -> PcLogEvent:
    """PCログを登録する: a log-on/off from a system integration, for the reconciliation (勤怠差異), dated by the
    shift it falls in (or the nearest within ATTENDANCE_PC_LOG_MATCH_MINUTES).

    For the integration's account or an admin (`ensure_integration`). A log in the future (422 `in_future`) or in
    a closed month is refused. The same (system, employee, kind, at) again records nothing and returns the log."""
    ensure_integration(actor)
    if _pc_log_in_future(at):
        raise CoreError.RULE_VIOLATION.error(errors=[AttendanceError.IN_FUTURE.field("at")])
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        if existing := PcLogEvent.objects.filter(system=system, employee=employee, kind=kind, at=at).first():
            return existing
        work_date = _pc_log_work_date(employee=employee, at=at)
        if selectors.is_month_closed(employee_id=employee.pk, day=work_date):
            raise month_closed(work_date)
        log = PcLogEvent.objects.create(
            employee=employee, kind=kind, at=at, work_date=work_date, system=system, recorded_by=actor
        )
        recompute(employee=employee, day=work_date)
    return log


@dataclass
class PcLogBulk:
    """What a bulk post did: how many logs it recorded, how many it already had, and each item refused (its index
    in the request and its code)."""

    created: int = 0
    duplicates: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def pc_logs_bulk_record(*, actor: Employee, items: Sequence[dict]) -> PcLogBulk:
    """PCログの一括登録: an integration's batch `[{employee, kind, at, system}]`, `employee` a username or an external
    id. Idempotent by (system, employee, kind, at): what is already recorded counts as a duplicate.

    Items that cannot be recorded are reported, not raised (`employee_not_found`, `employee_ambiguous`,
    `in_future`, `month_closed`); the others are recorded in one transaction. The employees' rows are locked in
    id order (core/locking.py), then each affected day is recomputed once."""
    ensure_integration(actor)
    result = PcLogBulk()
    found = selectors_pc_logs.employees_by_reference(item["employee"] for item in items)
    wanted: list[tuple[int, Employee, dict]] = []
    for index, item in enumerate(items):
        people = found.get(item["employee"], [])
        if not people:
            result.failed.append((index, AttendanceError.EMPLOYEE_NOT_FOUND))
        elif len(people) > 1:
            result.failed.append((index, AttendanceError.EMPLOYEE_AMBIGUOUS))
        elif _pc_log_in_future(item["at"]):
            result.failed.append((index, AttendanceError.IN_FUTURE))
        else:
            wanted.append((index, people[0], item))
    with transaction.atomic():
        employees = {e.pk: e for _i, e, _item in wanted}
        rows_locked(Employee.objects.filter(pk__in=employees), no_key=True)
        existing = set(
            PcLogEvent.objects.filter(employee_id__in=employees)
            .filter(at__in={item["at"] for _i, _e, item in wanted})
            .values_list("system", "employee_id", "kind", "at")
        )
        affected: dict[int, set[date]] = defaultdict(set)
        for index, employee, item in wanted:
            identity = (item["system"], employee.pk, item["kind"], item["at"])
            if identity in existing:
                result.duplicates += 1
                continue
            work_date = _pc_log_work_date(employee=employee, at=item["at"])
            if selectors.is_month_closed(employee_id=employee.pk, day=work_date):
                result.failed.append((index, AttendanceError.MONTH_CLOSED))
                continue
            PcLogEvent.objects.create(
                employee=employee,
                kind=item["kind"],
                at=item["at"],
                work_date=work_date,
                system=item["system"],
                recorded_by=actor,
            )
            existing.add(identity)
            affected[employee.pk].add(work_date)
            result.created += 1
        for employee_id, days in sorted(affected.items()):
            for day in sorted(days):
                recompute(employee=employees[employee_id], day=day)
    result.failed.sort()
    return result


def log_gap_reason_record(*, actor: Employee, employee: Employee, day: date, reason: str) -> LogGapReason:
    """勤怠差異の理由を記録する: why the day's clock and PC log differ, by the employee or whoever may see their
    attendance (their department's managers, HR); 404 `employee_not_found` for anyone else. A later reason
    replaces the earlier one (who and when are kept with it). Refused in a closed month."""
    employee = selectors.attendance_subject(viewer=actor, employee_id=employee.pk)
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        if selectors.is_month_closed(employee_id=employee.pk, day=day):
            raise month_closed(day)
        recorded, _created = LogGapReason.objects.update_or_create(
            employee=employee,
            date=day,
            defaults={"reason": reason, "recorded_by": actor, "recorded_at": timezone.now()},
        )
    return recorded
