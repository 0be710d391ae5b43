"""勤怠の参照: the reads that services, the API and the tasks share, with who may see whose records."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from attendance import worktime
from attendance.models import (
    ClockEvent,
    ClockKind,
    DaySummary,
    MonthClosing,
    MonthStatus,
    PcLogEvent,
    ScheduleAssignment,
)
from org.errors import NotFound, PermissionDenied
from org.models import Employee, RoleCode

# An open shift whose last event is older than this is abandoned (a forgotten clock-out): the next `in` starts a
# new day. Long enough for a night shift or a council session that runs past midnight.
OPEN_SHIFT_STALE = timedelta(hours=getattr(settings, "ATTENDANCE_OPEN_SHIFT_STALE_HOURS", 20))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return (month_start(day) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


# --- who may see whose attendance ----------------------------------------------------------------------


def can_view_attendance_of(*, viewer: Employee, employee: Employee) -> bool:
    """Own records; a manager (課長・係長) their department's; HR and admin everyone's; the secretariat only its own."""
    if viewer.pk == employee.pk or viewer.has_role(RoleCode.HR, RoleCode.ADMIN):
        return True
    return bool(
        viewer.has_role(RoleCode.MANAGER)
        and viewer.department_id is not None
        and viewer.department_id == employee.department_id
    )


def attendance_subject(*, viewer: Employee, employee_id: int | None) -> Employee:
    """The employee whose records are asked for (the viewer when None); 404 for one the viewer may not see."""
    if employee_id is None or employee_id == viewer.pk:
        return viewer
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None or not can_view_attendance_of(viewer=viewer, employee=employee):
        raise NotFound(_("職員が見つかりません。"), code="employee_not_found")
    return employee


def ensure_hr(actor: Employee) -> None:
    if not actor.has_role(RoleCode.HR, RoleCode.ADMIN):
        raise PermissionDenied(_("人事担当のみが行えます。"), code="hr_only")


# --- events and shifts ---------------------------------------------------------------------------------


def effective_events(*, employee_id: int, day: date) -> QuerySet[ClockEvent]:
    """The day's events that no correction has replaced, in time order."""
    return ClockEvent.objects.filter(
        employee_id=employee_id, work_date=day, corrected_by__isnull=True
    ).order_by("at", "id")


@dataclass(frozen=True)
class ShiftState:
    """Where the employee stands now: `outside`, `working` or `on_break`, and the open shift's work date."""

    state: str
    work_date: date | None = None


OUTSIDE, WORKING, ON_BREAK = "outside", "working", "on_break"


def shift_state(*, employee_id: int, now: datetime) -> ShiftState:
    """From the latest effective event; an open shift left untouched for OPEN_SHIFT_STALE counts as closed."""
    latest = (
        ClockEvent.objects.filter(employee_id=employee_id, corrected_by__isnull=True)
        .order_by("-at", "-id")
        .only("kind", "at", "work_date")
        .first()
    )
    if latest is None or latest.kind == ClockKind.OUT or now - latest.at >= OPEN_SHIFT_STALE:
        return ShiftState(OUTSIDE)
    return ShiftState(ON_BREAK if latest.kind == ClockKind.BREAK_START else WORKING, latest.work_date)


def schedule_for(*, employee_id: int, day: date) -> worktime.Schedule:
    """The schedule assigned for the day, or the default 8:30–17:15."""
    assignment = (
        ScheduleAssignment.objects.filter(employee_id=employee_id, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("schedule")
        .order_by("-start", "-id")
        .first()
    )
    return assignment.schedule.as_value() if assignment else worktime.DEFAULT_SCHEDULE


def previous_last_out(*, employee_id: int, day: date) -> datetime | None:
    out = (
        ClockEvent.objects.filter(
            employee_id=employee_id, work_date__lt=day, kind=ClockKind.OUT, corrected_by__isnull=True
        )
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return out


def pc_logs_of(*, employee_id: int, day: date) -> list[worktime.PcLog]:
    return [log.as_value() for log in PcLogEvent.objects.filter(employee_id=employee_id, work_date=day)]


def month_status(*, employee_id: int, month: date) -> str:
    return month_record(employee_id=employee_id, month=month)[0]


def month_record(*, employee_id: int, month: date) -> tuple[str, int | None]:
    """(status, timesheet document id) of the employee's month; an unrecorded month is open."""
    row = (
        MonthClosing.objects.filter(employee_id=employee_id, month=month_start(month))
        .values_list("status", "document_id")
        .first()
    )
    return row or (MonthStatus.OPEN, None)


def is_month_closed(*, employee_id: int, day: date) -> bool:
    return month_status(employee_id=employee_id, month=day) == MonthStatus.CLOSED


# --- days and months -----------------------------------------------------------------------------------


def day_summaries(*, employee: Employee, start: date, end: date) -> QuerySet[DaySummary]:
    return DaySummary.objects.filter(employee=employee, date__gte=start, date__lte=end).order_by("date")


TOTAL_FIELDS = (
    "worked_minutes",
    "break_minutes",
    "overtime_minutes",
    "late_night_minutes",
    "holiday_work_minutes",
)


@dataclass
class Timesheet:
    """月次勤務表: the month's days, totals and status."""

    employee: Employee
    month: date
    status: str
    days: list[DaySummary]
    totals: dict[str, int] = field(default_factory=dict)
    document: int | None = None


def timesheet(*, employee: Employee, month: date) -> Timesheet:
    days = list(day_summaries(employee=employee, start=month_start(month), end=month_end(month)))
    totals = {name: sum(getattr(day, name) for day in days) for name in TOTAL_FIELDS}
    totals["days_worked"] = sum(1 for day in days if day.worked_minutes > 0)
    status, document = month_record(employee_id=employee.pk, month=month)
    return Timesheet(
        employee=employee,
        month=month_start(month),
        status=status,
        days=days,
        totals=totals,
        document=document,
    )


def employees_in_scope(*, department_code: str | None = None) -> QuerySet[Employee]:
    employees = Employee.objects.filter(is_active=True).select_related("department")
    if department_code:
        employees = employees.filter(department__code=department_code)
    return employees.order_by("department__sort_order", "department__code", "id")


def month_days_by_employee(*, employee_ids, month: date) -> dict[int, dict[date, DaySummary]]:
    """{employee id: {date: summary}} for the month, in one query."""
    by_employee: dict[int, dict[date, DaySummary]] = defaultdict(dict)
    for summary in DaySummary.objects.filter(
        employee_id__in=employee_ids, date__gte=month_start(month), date__lte=month_end(month)
    ):
        by_employee[summary.employee_id][summary.date] = summary
    return by_employee


def month_statuses(*, employee_ids, month: date) -> dict[int, str]:
    return dict(
        MonthClosing.objects.filter(employee_id__in=employee_ids, month=month_start(month)).values_list(
            "employee_id", "status"
        )
    )


def overtime_by_employee_month(*, start: date, end: date) -> dict[int, dict[date, int]]:
    """{employee id: {first day of month: overtime minutes}} between two dates, in one query."""
    rows = (
        DaySummary.objects.filter(date__gte=start, date__lte=end, overtime_minutes__gt=0)
        .values("employee_id", "date__year", "date__month")
        .annotate(total=Sum("overtime_minutes"))
    )
    result: dict[int, dict[date, int]] = defaultdict(dict)
    for row in rows:
        result[row["employee_id"]][date(row["date__year"], row["date__month"], 1)] = row["total"]
    return result


def open_shifts_on(*, day: date) -> QuerySet[DaySummary]:
    """Days whose shift was still open (clocked in, not out) when last computed."""
    return DaySummary.objects.filter(date=day, open_shift=True).select_related("employee")


def events_of_day(*, employee: Employee, day: date) -> QuerySet[ClockEvent]:
    """Every event of the day, corrected ones too, each marked `replaced` when a correction stands for it."""
    return (
        ClockEvent.objects.filter(employee=employee, work_date=day)
        .annotate(replaced=Exists(ClockEvent.objects.filter(corrects=OuterRef("pk"))))
        .order_by("at", "id")
    )
