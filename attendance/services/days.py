"""The day's snapshot (日次勤務実績) and the month guards that every attendance write checks."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attendance import lock_objects, selectors, worktime
from attendance.codes import AttendanceError
from attendance.models import DaySummary, MonthStatus
from attendance.registry import approved_telework_location
from core.errors import DomainError
from leave import selectors as leave_selectors
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
    """Recompute and store one day's snapshot (four queries). Call with the employee's row locked.

    The day is complete once it can no longer go on: a shift still open is closed for the calculation
    (`missing_clock_out`) from its deadline (`worktime.open_shift_deadline`); a day without one once it is past.
    The day is an approved telework day when the telework app, through `attendance.registry`, says so, and a
    day of leave when the leave app's approved leave covers it (`leave.selectors`); its approved overtime
    orders and day swaps come with its facts (`selectors.day_facts`)."""
    now = timezone.now()
    facts = selectors.day_facts(employee_id=employee.pk, day=day)
    tz = timezone.get_current_timezone()
    open_since = worktime.open_shift_start(facts.events, tz)
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
    summary = worktime.summarize_day(
        work_date=day,
        events=facts.events,
        schedule=facts.schedule,
        day_kind=worktime.calendar_day_kind(
            day, schedule=facts.schedule, town_closed=facts.town_closed, swapped=facts.swapped
        ),
        previous_last_out=facts.previous_last_out,
        pc_logs=facts.pc_logs,
        telework_approved=approved_telework_location(employee=employee, on=day) is not None,
        on_leave=leave_selectors.is_whole_day(leave_selectors.leave_on(employee_id=employee.pk, day=day)),
        ordered_overtime_minutes=facts.ordered_overtime_minutes,
        telework_overtime_ordered=facts.telework_overtime_ordered,
        overtime_tolerance_minutes=settings.ATTENDANCE_OVERTIME_TOLERANCE_MINUTES,
        complete=complete,
        log_gap_minutes=settings.ATTENDANCE_LOG_GAP_MINUTES,
        break_rules=settings.ATTENDANCE_BREAK_RULES,
        tz=tz,
    )
    figures = {
        "first_in": summary.first_in,
        "last_out": summary.last_out,
        "span_minutes": summary.span_minutes,
        "worked_minutes": summary.worked_minutes,
        "break_minutes": summary.break_minutes,
        "overtime_minutes": summary.overtime_minutes,
        "ordered_overtime_minutes": summary.ordered_overtime_minutes,
        "late_night_minutes": summary.late_night_minutes,
        "holiday_work_minutes": summary.holiday_work_minutes,
        "scheduled_minutes": summary.scheduled_minutes,
        "late_minutes": summary.late_minutes,
        "early_leave_minutes": summary.early_leave_minutes,
        "day_kind": summary.day_kind,
        "is_holiday": summary.is_holiday,
        "location": summary.location or "",
        "anomalies": list(summary.anomalies),
        "open_shift": summary.open_shift,
        "complete": complete,
        "computed_at": now,
    }
    # one INSERT ... ON CONFLICT DO UPDATE (the employee's row lock already serialises writers of this day)
    [snapshot] = DaySummary.objects.bulk_create(
        [DaySummary(employee=employee, date=day, **figures)],
        update_conflicts=True,
        unique_fields=["employee", "date"],
        update_fields=list(figures),
    )
    return snapshot


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


def day_recompute_if_open(*, employee: Employee, day: date) -> DaySummary | None:
    """Like `day_recompute`, but a month that is not open (submitted, approved, closed) is left as it is (for
    periodic jobs)."""
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        if not selectors.is_month_open(employee_id=employee.pk, day=day):
            return None
        return recompute(employee=employee, day=day)
