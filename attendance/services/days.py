"""The day's snapshot (日次勤務実績) and the closed-month guard that every attendance write checks."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attendance import lock_objects, selectors, worktime
from attendance.codes import AttendanceError
from attendance.models import DaySummary
from attendance.registry import approved_telework_location
from core.errors import DomainError
from org.calendar import is_working_day
from org.models import Employee

LOG_GAP_MINUTES = getattr(settings, "ATTENDANCE_LOG_GAP_MINUTES", worktime.LOG_GAP_MINUTES)


def month_closed(day: date) -> DomainError:
    """409 `month_closed` for the month of `day`."""
    return AttendanceError.MONTH_CLOSED.error(month=f"{day:%Y-%m}")


def ensure_month_open(*, employee_id: int, day: date) -> None:
    if selectors.is_month_closed(employee_id=employee_id, day=day):
        raise month_closed(day)


def recompute(*, employee: Employee, day: date) -> DaySummary:
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


def day_recompute(*, employee: Employee, day: date) -> DaySummary:
    """日次再計算: recompute one day's snapshot (after a schedule or calendar change); refused in a closed month."""
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        ensure_month_open(employee_id=employee.pk, day=day)
        return recompute(employee=employee, day=day)


def day_recompute_if_open(*, employee: Employee, day: date) -> DaySummary | None:
    """Like `day_recompute`, but a closed month is left as it is (for periodic jobs)."""
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        if selectors.is_month_closed(employee_id=employee.pk, day=day):
            return None
        return recompute(employee=employee, day=day)
