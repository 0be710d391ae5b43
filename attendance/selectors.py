"""勤怠の参照: the reads that services, the API and the tasks share, with who may see whose records."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
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
from org.models import ClosedDay, Employee, RoleCode

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
class ClockState:
    """Where the employee stands now: `outside`, `working` or `on_break`; the work day a new event joins (the open
    shift's, else today's) and whether that day's month is closed."""

    state: str
    work_date: date
    month_closed: bool


OUTSIDE, WORKING, ON_BREAK = "outside", "working", "on_break"


def clock_state(*, employee_id: int, now: datetime) -> ClockState:
    """The shift state from the latest effective event and the month check of both candidate work days, in one
    query. An open shift left untouched for OPEN_SHIFT_STALE counts as closed.

    Read it after locking the employee's row, in a statement of its own: under READ COMMITTED a later statement
    sees what the previous lock holder committed."""
    today = timezone.localdate(now)
    latest = ClockEvent.objects.filter(employee_id=OuterRef("pk"), corrected_by__isnull=True).order_by(
        "-at", "-id"
    )
    closed = MonthClosing.objects.filter(employee_id=OuterRef("pk"), status=MonthStatus.CLOSED)
    row = (
        Employee.objects.filter(pk=employee_id)
        .annotate(latest_work_date=Subquery(latest.values("work_date")[:1]))
        .annotate(shift_month=TruncMonth("latest_work_date"))
        .values(
            "latest_work_date",
            latest_kind=Subquery(latest.values("kind")[:1]),
            latest_at=Subquery(latest.values("at")[:1]),
            today_closed=Exists(closed.filter(month=month_start(today))),
            shift_closed=Exists(closed.filter(month=OuterRef("shift_month"))),
        )
        .get()
    )
    kind, latest_at = row["latest_kind"], row["latest_at"]
    if kind is None or kind == ClockKind.OUT or now - latest_at >= OPEN_SHIFT_STALE:
        return ClockState(OUTSIDE, today, row["today_closed"])
    state = ON_BREAK if kind == ClockKind.BREAK_START else WORKING
    return ClockState(state, row["latest_work_date"], row["shift_closed"])


@dataclass(frozen=True)
class DayFacts:
    """What the day's computation reads: the effective events, the PC logs, the schedule, the last clock-out of
    an earlier day (rest interval) and whether the town closed the day (閉庁日)."""

    events: list[worktime.Event]
    pc_logs: list[worktime.PcLog]
    schedule: worktime.Schedule
    previous_last_out: datetime | None
    town_closed: bool


PC_LOG_KINDS = frozenset({worktime.LOGON, worktime.LOGOFF})


def day_facts(*, employee_id: int, day: date) -> DayFacts:
    """The facts of one employee's day in two queries: one row of scalars (schedule, previous clock-out, closed
    day) and the union of that day's effective clock events and PC logs."""
    assignment = (
        ScheduleAssignment.objects.filter(employee_id=OuterRef("pk"), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .order_by("-start", "-id")
    )
    previous_out = ClockEvent.objects.filter(
        employee_id=OuterRef("pk"), work_date__lt=day, kind=ClockKind.OUT, corrected_by__isnull=True
    ).order_by("-at", "-id")
    scalars = (
        Employee.objects.filter(pk=employee_id)
        .values(
            schedule_start=Subquery(assignment.values("schedule__start")[:1]),
            schedule_end=Subquery(assignment.values("schedule__end")[:1]),
            schedule_break_start=Subquery(assignment.values("schedule__break_start")[:1]),
            schedule_break_end=Subquery(assignment.values("schedule__break_end")[:1]),
            previous_last_out=Subquery(previous_out.values("at")[:1]),
            town_closed=Exists(ClosedDay.objects.filter(date=day)),
        )
        .get()
    )
    clock = (
        effective_events(employee_id=employee_id, day=day)
        .order_by()
        .values_list("kind", "at", "location", "id")
    )
    logs = (
        PcLogEvent.objects.filter(employee_id=employee_id, work_date=day)
        .order_by()
        .annotate(location=Value("", output_field=CharField()))
        .values_list("kind", "at", "location", "id")
    )
    events, pc_logs = [], []
    for kind, at, location, _id in clock.union(logs, all=True).order_by("at", "id"):
        if kind in PC_LOG_KINDS:
            pc_logs.append(worktime.PcLog(kind=kind, at=at))
        else:
            events.append(worktime.Event(kind=kind, at=at, location=location))
    schedule = worktime.DEFAULT_SCHEDULE
    if scalars["schedule_start"] is not None:
        schedule = worktime.Schedule(
            start=scalars["schedule_start"],
            end=scalars["schedule_end"],
            break_start=scalars["schedule_break_start"],
            break_end=scalars["schedule_break_end"],
        )
    return DayFacts(
        events=events,
        pc_logs=pc_logs,
        schedule=schedule,
        previous_last_out=scalars["previous_last_out"],
        town_closed=scalars["town_closed"],
    )


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
