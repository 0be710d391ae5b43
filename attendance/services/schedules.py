"""勤務時間割 (HR): work schedules and their assignment to employees for a period; the days they change are
recomputed, and no change reaches a month whose timesheet is submitted, approved or closed.

On any day, the assignment with the latest start that covers it gives the employee's schedule (a temporary
短時間勤務 inside an open-ended assignment applies for its period, then the other again); with none, the default
8:30–17:15.
"""

from datetime import date

from django.db import transaction

from attendance import lock_objects, selectors, worktime
from attendance.codes import AttendanceError
from attendance.models import DaySummary, MonthClosing, MonthStatus, ScheduleAssignment, WorkSchedule
from attendance.services.days import month_refusal, recompute
from core.errors import CoreError, DomainError, ValidationFailed
from org.models import Employee

SCHEDULE_FIELDS = ("name", "start", "end", "break_start", "break_end", "rest_weekdays")
# The fields that change the days computed with the schedule.
TIME_FIELDS = ("start", "end", "break_start", "break_end", "rest_weekdays")


def schedule_value_error(values: dict) -> DomainError | None:
    """400 `invalid_schedule` when the times cannot make a day (the break outside it, half a break, every day a
    rest day...), else None."""
    try:
        worktime.Schedule(
            start=values["start"],
            end=values["end"],
            break_start=values.get("break_start"),
            break_end=values.get("break_end"),
            rest_weekdays=frozenset(values.get("rest_weekdays") or ()),
        )
    except ValueError:
        return ValidationFailed(errors=[AttendanceError.INVALID_SCHEDULE.field(None)])
    return None


def _frozen_months(*, employee_ids, start: date, end: date | None):
    """The employees' months from `start` to `end` (open-ended: all later) that are not open."""
    months = MonthClosing.objects.filter(
        employee_id__in=employee_ids, month__gte=selectors.month_start(start)
    ).exclude(status=MonthStatus.OPEN)
    return months.filter(month__lte=end) if end is not None else months


def schedule_change_error(*, schedule: WorkSchedule, changes: dict) -> DomainError | None:
    """Why `changes` may not be made to the schedule, or None: `invalid_schedule`, or 409 `schedule_in_use` when a
    time changes while an assignment of it reaches a month that is submitted, approved or closed."""
    values = {name: changes.get(name, getattr(schedule, name)) for name in SCHEDULE_FIELDS}
    if error := schedule_value_error(values):
        return error
    if all(values[name] == getattr(schedule, name) for name in TIME_FIELDS):
        return None
    for assignment in schedule.assignments.all():
        if _frozen_months(
            employee_ids=[assignment.employee_id], start=assignment.start, end=assignment.end
        ).exists():
            return AttendanceError.SCHEDULE_IN_USE.error(schedule=schedule.pk)
    return None


def _name_taken(name: str, *, exclude: int | None = None) -> bool:
    return WorkSchedule.objects.filter(name=name).exclude(pk=exclude).exists()


def schedule_create(
    *,
    actor: Employee,
    name: str,
    start,
    end,
    break_start=None,
    break_end=None,
    rest_weekdays: list[int] | None = None,
) -> WorkSchedule:
    """勤務時間割を作る (HR): a short-hours day, a 時差出勤 pattern, a night shift (an end at or before the start is
    the next morning); rest weekdays default to Saturday and Sunday."""
    selectors.ensure_hr(actor)
    values = {
        "name": name,
        "start": start,
        "end": end,
        "break_start": break_start,
        "break_end": break_end,
        "rest_weekdays": sorted(set(rest_weekdays)) if rest_weekdays is not None else [5, 6],
    }
    if error := schedule_value_error(values):
        raise error
    with transaction.atomic():
        if _name_taken(name):
            raise ValidationFailed(errors=[CoreError.UNIQUE.field("name")])
        return WorkSchedule.objects.create(**values)


def schedule_update(*, actor: Employee, schedule: WorkSchedule, **changes) -> WorkSchedule:
    """勤務時間割を変更する (HR): a new name always; new times only while no assignment of it reaches a month that
    is submitted, approved or closed (409 `schedule_in_use`: make a new schedule and assign it from a date). The
    computed days of its assignees in their periods are recomputed."""
    selectors.ensure_hr(actor)
    unknown = set(changes) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValueError(f"not a schedule field: {sorted(unknown)}")
    if "rest_weekdays" in changes:
        changes["rest_weekdays"] = sorted(set(changes["rest_weekdays"] or ()))
    with transaction.atomic():
        employees = {e.pk: e for e in lock_objects.schedule_assignees_lock(schedule)}
        schedule = lock_objects.schedule_lock(schedule)
        if error := schedule_change_error(schedule=schedule, changes=changes):
            raise error
        if "name" in changes and _name_taken(changes["name"], exclude=schedule.pk):
            raise ValidationFailed(errors=[CoreError.UNIQUE.field("name")])
        retimed = any(
            changes.get(name, getattr(schedule, name)) != getattr(schedule, name) for name in TIME_FIELDS
        )
        for name, value in changes.items():
            setattr(schedule, name, value)
        schedule.save(update_fields=[*changes] or None)
        if retimed:
            for assignment in schedule.assignments.all():
                _recompute_period(
                    employee=employees[assignment.employee_id], start=assignment.start, end=assignment.end
                )
    return schedule


def _recompute_period(*, employee: Employee, start: date, end: date | None) -> None:
    days = DaySummary.objects.filter(employee=employee, date__gte=start)
    if end is not None:
        days = days.filter(date__lte=end)
    for day in days.order_by("date").values_list("date", flat=True):
        recompute(employee=employee, day=day)


def schedule_assignment_error(*, employee: Employee, start: date, end: date | None) -> DomainError | None:
    """Why the employee may not be assigned a schedule for the period, or None: 400 `end_before_start`; 409
    `month_closed` / `timesheet_submitted` when it reaches a month that is no longer open; 422
    `schedule_assignment_overlap` for a second assignment with the same start."""
    if end is not None and end < start:
        return ValidationFailed(errors=[CoreError.END_BEFORE_START.field("end")])
    frozen = _frozen_months(employee_ids=[employee.pk], start=start, end=end).order_by("month").first()
    if frozen is not None:
        return month_refusal(status=frozen.status, day=frozen.month)
    if ScheduleAssignment.objects.filter(employee=employee, start=start).exists():
        return AttendanceError.ASSIGNMENT_OVERLAP.error(start=start.isoformat())
    return None


def schedule_assignment_create(
    *, actor: Employee, employee: Employee, schedule: WorkSchedule, start: date, end: date | None = None
) -> ScheduleAssignment:
    """勤務時間割の割当 (HR): the employee works the schedule from `start` to `end` (open-ended when None); refused
    as `schedule_assignment_error` says. The employee's days already computed in the period are recomputed."""
    selectors.ensure_hr(actor)
    with transaction.atomic():
        lock_objects.employee_lock(employee)
        if error := schedule_assignment_error(employee=employee, start=start, end=end):
            raise error
        assignment = ScheduleAssignment.objects.create(
            employee=employee, schedule=schedule, start=start, end=end
        )
        _recompute_period(employee=employee, start=start, end=end)
    return assignment
