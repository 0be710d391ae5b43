"""The day's snapshot (日次勤務実績) and the month guards that every attendance write checks."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attendance import lock_objects, selectors, worktime
from attendance.codes import AttendanceError
from attendance.models import DaySummary, MonthStatus
from attendance.registry import approved_telework_location
from core import batch
from core.errors import DomainError
from org.models import Employee


def month_closed(day: date) -> DomainError:
    """409 `month_closed` for the month of `day`."""
    return AttendanceError.MONTH_CLOSED.error(month=f"{day:%Y-%m}")


def month_refusal(*, status: str, day: date) -> DomainError | None:
    """The refusal of a change to a day in a month of that status: `month_closed` for a closed month,
    `timesheet_submitted` while its timesheet is submitted or approved; None for an open month."""
    if status == MonthStatus.CLOSED:
        return month_closed(day)
    if status != MonthStatus.OPEN:
        return AttendanceError.TIMESHEET_SUBMITTED.error(month=f"{day:%Y-%m}", status=status)
    return None


def ensure_month_open(*, employee_id: int, day: date) -> None:
    """Refuses a change in a closed month (PC logs, which never move the totals, only need this)."""
    if selectors.is_month_closed(employee_id=employee_id, day=day):
        raise month_closed(day)


def ensure_month_editable(*, employee_id: int, day: date) -> None:
    """Refuses a change of the day's events in a closed month, and while the month's timesheet is submitted or
    approved (the approver signs these totals): the timesheet is withdrawn first, or reopened by HR."""
    status = selectors.month_status(employee_id=employee_id, month=day)
    if refusal := month_refusal(status=status, day=day):
        raise refusal


def recompute(*, employee: Employee, day: date) -> DaySummary:
    """Recompute and store one day's snapshot (two queries; three on a day with an event away from the office,
    whose telework day is looked up). Call with the employee's row locked."""
    facts = selectors.day_facts(employee_id=employee.pk, day=day)
    snapshot = day_snapshot(employee=employee, day=day, facts=facts, events=facts.events)
    [rows] = batch.run([snapshot_statement(snapshot)])
    return batch.inserted(snapshot, rows)


def day_snapshot(
    *, employee: Employee, day: date, facts: selectors.DayFacts, events: list[worktime.Event]
) -> DaySummary:
    """The day's snapshot (not stored) from its facts and its effective `events` (the facts' own, or those with
    an event being recorded in the same transaction).

    The day is complete once it can no longer go on: a shift still open is closed for the calculation
    (`missing_clock_out`) from its deadline (`worktime.open_shift_deadline`); a day without one once it is past.
    The day is an approved telework day when the telework app, through `attendance.registry`, says so; it is
    asked only about a day with an event away from the office, the only days its answer changes. Its approved
    overtime orders, day swaps and leave come with its facts (`selectors.day_facts`)."""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    open_since = worktime.open_shift_start(events, tz)
    if open_since is None:
        complete = day < timezone.localdate(now)
    else:
        complete = now >= worktime.open_shift_deadline(
            shift_start=open_since,
            work_date=day,
            next_start=facts.next_start,
            max_hours=settings.ATTENDANCE_OPEN_SHIFT_MAX_HOURS,
            early_minutes=settings.ATTENDANCE_EARLY_CLOCK_IN_MINUTES,
            tz=tz,
        )
    away = any(event.location != worktime.OFFICE for event in events)
    summary = worktime.summarize_day(
        work_date=day,
        events=events,
        schedule=facts.schedule,
        day_kind=worktime.calendar_day_kind(
            day, schedule=facts.schedule, town_closed=facts.town_closed, swapped=facts.swapped
        ),
        previous_last_out=facts.previous_last_out,
        pc_logs=facts.pc_logs,
        telework_approved=away and approved_telework_location(employee=employee, on=day) is not None,
        on_leave=facts.on_leave,
        leave_periods=worktime.leave_periods(facts.schedule, day, facts.part_leave),
        ordered_overtime_minutes=facts.ordered_overtime_minutes,
        telework_overtime_ordered=facts.telework_overtime_ordered,
        overtime_tolerance_minutes=settings.ATTENDANCE_OVERTIME_TOLERANCE_MINUTES,
        complete=complete,
        log_gap_minutes=settings.ATTENDANCE_LOG_GAP_MINUTES,
        break_rules=settings.ATTENDANCE_BREAK_RULES,
        tz=tz,
    )
    return DaySummary(
        employee=employee,
        date=day,
        first_in=summary.first_in,
        last_out=summary.last_out,
        span_minutes=summary.span_minutes,
        worked_minutes=summary.worked_minutes,
        break_minutes=summary.break_minutes,
        overtime_minutes=summary.overtime_minutes,
        ordered_overtime_minutes=summary.ordered_overtime_minutes,
        late_night_minutes=summary.late_night_minutes,
        holiday_work_minutes=summary.holiday_work_minutes,
        scheduled_minutes=summary.scheduled_minutes,
        late_minutes=summary.late_minutes,
        early_leave_minutes=summary.early_leave_minutes,
        day_kind=summary.day_kind,
        is_holiday=summary.is_holiday,
        location=summary.location or "",
        anomalies=list(summary.anomalies),
        open_shift=summary.open_shift,
        complete=complete,
        computed_at=now,
    )


def snapshot_statement(snapshot: DaySummary) -> batch.Statement:
    """The snapshot's INSERT ... ON CONFLICT DO UPDATE (the employee's row lock already serialises writers of
    this day), RETURNING its id."""
    return batch.insert(snapshot, upsert_on=("employee", "date"), update=SNAPSHOT_FIELDS)


SNAPSHOT_FIELDS = tuple(
    field.name
    for field in DaySummary._meta.concrete_fields
    if not field.primary_key and field.name not in ("employee", "date")
)


def day_recompute(*, employee: Employee, day: date) -> DaySummary:
    """日次再計算: recompute one day's snapshot (after a schedule or calendar change); refused in a closed month and
    while the month's timesheet is submitted or approved."""
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        ensure_month_editable(employee_id=employee.pk, day=day)
        return recompute(employee=employee, day=day)


def leave_days_changed(*, employee: Employee, dates: list[date]) -> None:
    """Approved leave began or ended on `dates` (registered with `leave.registry`; runs inside the leave's
    transaction): each day of an open month is recomputed, so the day shows the leave (a day of leave without a
    clock event gets its snapshot). Days of a month submitted, approved or closed stay as signed."""
    lock_objects.employee_lock(employee)
    for day in dates:
        if selectors.is_month_open(employee_id=employee.pk, day=day):
            recompute(employee=employee, day=day)


def leave_days_refusal(*, employee: Employee, dates: list[date]) -> DomainError | None:
    """The refusal of approved leave beginning or ending on `dates` (registered with `leave.registry`): the
    first of their months that is closed, or whose timesheet is submitted or approved (the approver signs those
    days, payroll has paid them), as `month_refusal` answers a correction; None when every month is open. Under
    the employee's lock, which closing a month and submitting a timesheet take too."""
    lock_objects.employee_lock(employee)
    for month, status in selectors.month_statuses_of(employee_id=employee.pk, days=dates).items():
        if refusal := month_refusal(status=status, day=month):
            return refusal
    return None


def day_recompute_if_open(*, employee: Employee, day: date) -> DaySummary | None:
    """Like `day_recompute`, but a month that is not open (submitted, approved, closed) is left as it is (for
    periodic jobs)."""
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        if not selectors.is_month_open(employee_id=employee.pk, day=day):
            return None
        return recompute(employee=employee, day=day)
