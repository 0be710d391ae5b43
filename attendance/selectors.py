"""勤怠の参照: the reads that services, the API and the tasks share, with who may see whose records."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime, parse_time

from attendance import worktime
from attendance.codes import AttendanceError
from attendance.models import (
    ClockEvent,
    ClockKind,
    DaySummary,
    MonthClosing,
    MonthStatus,
    PcLogEvent,
    ScheduleAssignment,
    WorkSchedule,
)
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
        raise AttendanceError.EMPLOYEE_NOT_FOUND.error()
    return employee


def ensure_hr(actor: Employee) -> None:
    if not actor.has_role(RoleCode.HR, RoleCode.ADMIN):
        raise AttendanceError.HR_ONLY.error()


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

# The clock-in path is the busiest write of the day (everyone at 8:30), so its two reads are hand-written SQL,
# portable to SQLite and PostgreSQL: the ORM took longer to compile them (several ms of CPU each, measured with
# bench/clock_in.py) than the database took to answer. Table names come from the models; every value is a
# parameter. "Effective" events are those no corrective event replaces (NOT EXISTS on `corrects_id`, indexed).
_q = connection.ops.quote_name
_EVENTS, _PC_LOGS = _q(ClockEvent._meta.db_table), _q(PcLogEvent._meta.db_table)
_MONTHS, _CLOSED_DAYS = _q(MonthClosing._meta.db_table), _q(ClosedDay._meta.db_table)
_ASSIGNMENTS, _SCHEDULES = _q(ScheduleAssignment._meta.db_table), _q(WorkSchedule._meta.db_table)
_NOT_CORRECTED = f"NOT EXISTS (SELECT 1 FROM {_EVENTS} c WHERE c.corrects_id = e.id)"

# The latest effective event; whether today's month is closed; the latest closed month at or before that
# event's work day (the work day's month is closed when it is that month).
_CLOCK_STATE_SQL = f"""
SELECT latest.kind, latest.at, latest.work_date,
       EXISTS (SELECT 1 FROM {_MONTHS} m WHERE m.employee_id = %s AND m.status = %s AND m.month = %s),
       (SELECT m.month FROM {_MONTHS} m
         WHERE m.employee_id = %s AND m.status = %s AND m.month <= latest.work_date
         ORDER BY m.month DESC LIMIT 1)
  FROM (SELECT 1 AS one) base
  LEFT JOIN (SELECT e.kind, e.at, e.work_date FROM {_EVENTS} e
              WHERE e.employee_id = %s AND {_NOT_CORRECTED}
              ORDER BY e.at DESC, e.id DESC LIMIT 1) latest ON 1 = 1
"""


def _aware(value) -> datetime | None:
    """A datetime column read by hand: SQLite may give text or a naive UTC value, PostgreSQL an aware one."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _time(value) -> time | None:
    return parse_time(value) if isinstance(value, str) else value


def clock_state(*, employee_id: int, now: datetime) -> ClockState:
    """The shift state from the latest effective event and the month check of the work day, in one query.
    An open shift left untouched for OPEN_SHIFT_STALE counts as closed.

    Read it after locking the employee's row, in a statement of its own: under READ COMMITTED a later statement
    sees what the previous lock holder committed."""
    today = timezone.localdate(now)
    closed = MonthStatus.CLOSED
    params = [employee_id, closed, connection.ops.adapt_datefield_value(month_start(today))]
    params += [employee_id, closed, employee_id]
    with connection.cursor() as cursor:
        cursor.execute(_CLOCK_STATE_SQL, params)
        kind, latest_at, work_date, today_closed, last_closed_month = cursor.fetchone()
    latest_at, work_date = _aware(latest_at), _date(work_date)
    if kind is None or kind == ClockKind.OUT or now - latest_at >= OPEN_SHIFT_STALE:
        return ClockState(OUTSIDE, today, bool(today_closed))
    state = ON_BREAK if kind == ClockKind.BREAK_START else WORKING
    return ClockState(state, work_date, _date(last_closed_month) == month_start(work_date))


@dataclass(frozen=True)
class DayFacts:
    """What the day's computation reads: the effective events, the PC logs, the schedule, the last clock-out of
    an earlier day (rest interval) and whether the town closed the day (閉庁日)."""

    events: list[worktime.Event]
    pc_logs: list[worktime.PcLog]
    schedule: worktime.Schedule
    previous_last_out: datetime | None
    town_closed: bool


# One row per fact, tagged: the day's effective events and PC logs, the last effective clock-out of an earlier
# day, the schedule assigned for the day, the town's closed day. The typed NULLs of the first branch fix the
# columns' types for PostgreSQL, which resolves a UNION pairwise.
_DAY_FACTS_SQL = f"""
SELECT 'event', e.kind, e.at, e.location, e.id,
       CAST(NULL AS time), CAST(NULL AS time), CAST(NULL AS time), CAST(NULL AS time)
  FROM {_EVENTS} e
 WHERE e.employee_id = %s AND e.work_date = %s AND {_NOT_CORRECTED}
UNION ALL
SELECT 'pc_log', p.kind, p.at, '', p.id, NULL, NULL, NULL, NULL
  FROM {_PC_LOGS} p
 WHERE p.employee_id = %s AND p.work_date = %s
UNION ALL
SELECT 'previous_out', NULL, x.at, NULL, x.id, NULL, NULL, NULL, NULL
  FROM (SELECT e.at, e.id FROM {_EVENTS} e
         WHERE e.employee_id = %s AND e.work_date < %s AND e.kind = %s AND {_NOT_CORRECTED}
         ORDER BY e.at DESC, e.id DESC LIMIT 1) x
UNION ALL
SELECT 'schedule', NULL, NULL, NULL, s.id, s.start, s.{_q("end")}, s.break_start, s.break_end
  FROM (SELECT a.schedule_id FROM {_ASSIGNMENTS} a
         WHERE a.employee_id = %s AND a.start <= %s AND (a.{_q("end")} IS NULL OR a.{_q("end")} >= %s)
         ORDER BY a.start DESC, a.id DESC LIMIT 1) y
  JOIN {_SCHEDULES} s ON s.id = y.schedule_id
UNION ALL
SELECT 'closed_day', NULL, NULL, NULL, d.id, NULL, NULL, NULL, NULL
  FROM {_CLOSED_DAYS} d
 WHERE d.date = %s
"""


def day_facts(*, employee_id: int, day: date) -> DayFacts:
    """The facts of one employee's day, in one query (see _DAY_FACTS_SQL)."""
    on = connection.ops.adapt_datefield_value(day)
    params = [employee_id, on, employee_id, on, employee_id, on, ClockKind.OUT, employee_id, on, on, on]
    with connection.cursor() as cursor:
        cursor.execute(_DAY_FACTS_SQL, params)
        rows = cursor.fetchall()
    events, pc_logs = [], []
    schedule, previous_last_out, town_closed = worktime.DEFAULT_SCHEDULE, None, False
    for tag, kind, at, location, row_id, *times in rows:
        if tag == "event":
            at = _aware(at)
            events.append((at, row_id, worktime.Event(kind=kind, at=at, location=location)))
        elif tag == "pc_log":
            pc_logs.append(worktime.PcLog(kind=kind, at=_aware(at)))
        elif tag == "previous_out":
            previous_last_out = _aware(at)
        elif tag == "schedule":
            start, end, break_start, break_end = (_time(value) for value in times)
            schedule = worktime.Schedule(start=start, end=end, break_start=break_start, break_end=break_end)
        else:
            town_closed = True
    return DayFacts(
        events=[event for _at, _id, event in sorted(events, key=lambda item: item[:2])],  # by time, then id
        pc_logs=pc_logs,
        schedule=schedule,
        previous_last_out=previous_last_out,
        town_closed=town_closed,
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
