"""勤怠の参照: the reads that services, the API and the tasks share, with who may see whose records."""

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime, parse_time

from attendance import worktime
from attendance.codes import AttendanceError
from attendance.models import (
    ClockEvent,
    ClockKind,
    DayKind,
    DaySummary,
    DaySwap,
    MonthClosing,
    MonthStatus,
    OrderStatus,
    OvertimeOrder,
    PcLogEvent,
    ScheduleAssignment,
    WorkSchedule,
)
from core import batch
from leave.models import LeaveDay, LeaveRequest
from leave.models import RequestStatus as LeaveStatus
from leave.models import RequestUnit as LeaveUnit
from org import selectors as org_selectors
from org.models import ClosedDay, Employee, RoleCode


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return (month_start(day) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


# --- who may see whose attendance ----------------------------------------------------------------------


def attendance_subject(*, viewer: Employee, employee_id: int | None) -> Employee:
    """The employee whose records are asked for (the viewer when None); 404 for one the viewer may not see."""
    if employee_id is None or employee_id == viewer.pk:
        return viewer
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None or not org_selectors.can_view_work_records_of(viewer=viewer, employee=employee):
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
    """Where the employee stands at `now`: `outside`, `working` or `on_break`; the work day a new event joins (the
    open shift's, else today's) and the status of that day's month; the latest effective event's time (an offline
    replay may not come before it).

    `left_open` is the work day of a shift that was still open but whose deadline has passed
    (`worktime.open_shift_deadline`): it is closed for the calculation, and the new event starts today's shift."""

    state: str
    work_date: date
    month_status: str
    latest_at: datetime | None
    today: date
    today_month_status: str
    left_open: date | None = None
    left_open_month_status: str = MonthStatus.OPEN

    def outside(self) -> "ClockState":
        """The state once the open shift no longer counts: outside, on today's work day."""
        return replace(self, state=OUTSIDE, work_date=self.today, month_status=self.today_month_status)


OUTSIDE, WORKING, ON_BREAK = "outside", "working", "on_break"

# The clock-in path is the busiest write of the day (everyone at 8:30), so its two reads are hand-written SQL,
# portable to SQLite and PostgreSQL: the ORM took longer to compile them (several ms of CPU each, measured with
# bench/clock_in.py) than the database took to answer. Table names come from the models; every value is a
# parameter. "Effective" events are those no corrective event replaces (NOT EXISTS on `corrects_id`, indexed).
_q = connection.ops.quote_name
_EVENTS, _PC_LOGS = _q(ClockEvent._meta.db_table), _q(PcLogEvent._meta.db_table)
_MONTHS, _CLOSED_DAYS = _q(MonthClosing._meta.db_table), _q(ClosedDay._meta.db_table)
_ASSIGNMENTS, _SCHEDULES = _q(ScheduleAssignment._meta.db_table), _q(WorkSchedule._meta.db_table)
_ORDERS, _SWAPS = _q(OvertimeOrder._meta.db_table), _q(DaySwap._meta.db_table)
_LEAVE_DAYS = _q(LeaveDay._meta.db_table)
_LEAVE_REQUESTS = _q(LeaveRequest._meta.db_table)
_NOT_CORRECTED = f"NOT EXISTS (SELECT 1 FROM {_EVENTS} c WHERE c.corrects_id = e.id)"
# The start of the schedule assigned to an employee on a day (NULL: the default schedule).
_SCHEDULE_START = f"""(SELECT s.start FROM {_ASSIGNMENTS} a JOIN {_SCHEDULES} s ON s.id = a.schedule_id
  WHERE a.employee_id = %s AND a.start <= %s AND (a.{_q("end")} IS NULL OR a.{_q("end")} >= %s)
  ORDER BY a.start DESC, a.id DESC LIMIT 1)"""
# The latest month row at or before the latest event's work day (that day's month when it is that month).
_LATEST_MONTH = f"""(SELECT m.{{column}} FROM {_MONTHS} m
  WHERE m.employee_id = %s AND m.month <= latest.work_date ORDER BY m.month DESC LIMIT 1)"""

# The latest effective event; the status of today's month; the month row of that event's work day; the latest
# effective clock-in (the open shift's start); the scheduled start of today and of tomorrow.
_CLOCK_STATE_SQL = f"""
SELECT latest.kind, latest.at, latest.work_date,
       (SELECT m.status FROM {_MONTHS} m WHERE m.employee_id = %s AND m.month = %s),
       {_LATEST_MONTH.format(column="month")},
       {_LATEST_MONTH.format(column="status")},
       (SELECT e.at FROM {_EVENTS} e WHERE e.employee_id = %s AND e.kind = %s AND {_NOT_CORRECTED}
         ORDER BY e.at DESC, e.id DESC LIMIT 1),
       {_SCHEDULE_START},
       {_SCHEDULE_START}
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


def clock_state_statement(*, employee_id: int, now: datetime) -> batch.Statement:
    """The statement of `clock_state` (to send with others, core/batch.py); `clock_state_from` reads its row."""
    today = timezone.localdate(now)
    tomorrow = today + timedelta(days=1)
    on_today, on_tomorrow, this_month = (
        connection.ops.adapt_datefield_value(day) for day in (today, tomorrow, month_start(today))
    )
    params = [employee_id, this_month, employee_id, employee_id, employee_id, ClockKind.IN]
    params += [employee_id, on_today, on_today, employee_id, on_tomorrow, on_tomorrow, employee_id]
    return _CLOCK_STATE_SQL, params


def clock_state_from(row: tuple, *, now: datetime) -> ClockState:
    today = timezone.localdate(now)
    tomorrow = today + timedelta(days=1)
    kind, latest_at, work_date, today_status, last_month, last_status, shift_start, *starts = row
    latest_at, work_date = _aware(latest_at), _date(work_date)
    today_status = today_status or MonthStatus.OPEN
    outside = ClockState(OUTSIDE, today, today_status, latest_at, today, today_status)
    if kind is None or kind == ClockKind.OUT:
        return outside
    month_status = last_status if _date(last_month) == month_start(work_date) else MonthStatus.OPEN
    next_day = work_date + timedelta(days=1)
    if next_day < today:  # the day after the shift's has come and gone: over whatever the schedules say
        left_open = True
    else:
        next_start = {today: starts[0], tomorrow: starts[1]}.get(next_day)
        deadline = worktime.open_shift_deadline(
            shift_start=_aware(shift_start),
            work_date=work_date,
            next_start=_time(next_start) or worktime.DEFAULT_SCHEDULE.start,
            max_hours=settings.ATTENDANCE_OPEN_SHIFT_MAX_HOURS,
            early_minutes=settings.ATTENDANCE_EARLY_CLOCK_IN_MINUTES,
            tz=timezone.get_current_timezone(),
        )
        left_open = now >= deadline
    if left_open:
        return replace(outside, left_open=work_date, left_open_month_status=month_status)
    state = ON_BREAK if kind == ClockKind.BREAK_START else WORKING
    return ClockState(state, work_date, month_status, latest_at, today, today_status)


def clock_state(*, employee_id: int, now: datetime) -> ClockState:
    """The shift state at `now` from the latest effective event, and the months' statuses, in one query. A shift
    still open past its deadline (the next day's scheduled start less ATTENDANCE_EARLY_CLOCK_IN_MINUTES, or
    ATTENDANCE_OPEN_SHIFT_MAX_HOURS after its start) is `left_open`: the new event starts today's shift.

    Read it after locking the employee's row, in a statement of its own: under READ COMMITTED a later statement
    sees what the previous lock holder committed."""
    [rows] = batch.run([clock_state_statement(employee_id=employee_id, now=now)])
    return clock_state_from(rows[0], now=now)


@dataclass(frozen=True)
class DayFacts:
    """What the day's computation reads: the day's effective events, the PC logs, the schedule of the day and the
    start of the next day's (the open shift's deadline), the last clock-out of an earlier day (rest interval),
    whether the town closed the day (閉庁日), the minutes of the day's approved overtime orders (and whether one of
    them covers telework), the kind an approved 週休日の振替 gives the day (None without one) and whether approved
    leave covers the whole day (a whole day, or both halves), else its approved part-day leave (半日・時間単位)."""

    day: date
    events: list[worktime.Event]
    pc_logs: list[worktime.PcLog]
    schedule: worktime.Schedule
    next_start: time
    previous_last_out: datetime | None
    town_closed: bool
    ordered_overtime_minutes: int = 0
    telework_overtime_ordered: bool = False
    swapped: str | None = None
    on_leave: bool = False
    part_leave: tuple[worktime.PartLeave, ...] = ()


# One row per fact, tagged: the day's effective events and PC logs, the last effective clock-out of an earlier
# day, the schedules assigned for the day and the next, the town's closed day, the day's approved overtime orders
# and the approved day swaps that name the day. The typed NULLs of the first
# branch fix the columns' types for PostgreSQL, which resolves a UNION pairwise; the rest weekdays (JSON) are read
# as text on both databases.
_SCHEDULE_OF = f"""SELECT '{{tag}}', NULL, NULL, NULL, s.id, NULL, s.start, s.{_q("end")}, s.break_start,
       s.break_end, CAST(s.rest_weekdays AS text)
  FROM (SELECT a.schedule_id FROM {_ASSIGNMENTS} a
         WHERE a.employee_id = %s AND a.start <= %s AND (a.{_q("end")} IS NULL OR a.{_q("end")} >= %s)
         ORDER BY a.start DESC, a.id DESC LIMIT 1) y
  JOIN {_SCHEDULES} s ON s.id = y.schedule_id"""
_DAY_FACTS_SQL = f"""
SELECT 'event', e.kind, e.at, e.location, e.id, e.offline_replay,
       CAST(NULL AS time), CAST(NULL AS time), CAST(NULL AS time), CAST(NULL AS time), CAST(NULL AS text)
  FROM {_EVENTS} e
 WHERE e.employee_id = %s AND e.work_date = %s AND {_NOT_CORRECTED}
UNION ALL
SELECT 'pc_log', p.kind, p.at, '', p.id, NULL, NULL, NULL, NULL, NULL, NULL
  FROM {_PC_LOGS} p
 WHERE p.employee_id = %s AND p.work_date = %s
UNION ALL
SELECT 'previous_out', NULL, x.at, NULL, x.id, NULL, NULL, NULL, NULL, NULL, NULL
  FROM (SELECT e.at, e.id FROM {_EVENTS} e
         WHERE e.employee_id = %s AND e.work_date < %s AND e.kind = %s AND {_NOT_CORRECTED}
         ORDER BY e.at DESC, e.id DESC LIMIT 1) x
UNION ALL
{_SCHEDULE_OF.format(tag="schedule")}
UNION ALL
{_SCHEDULE_OF.format(tag="next_schedule")}
UNION ALL
SELECT 'closed_day', NULL, NULL, NULL, d.id, NULL, NULL, NULL, NULL, NULL, NULL
  FROM {_CLOSED_DAYS} d
 WHERE d.date = %s
UNION ALL
SELECT 'overtime_order', NULL, NULL, NULL, o.id, o.telework, o.start, o.{_q("end")}, NULL, NULL, NULL
  FROM {_ORDERS} o
 WHERE o.employee_id = %s AND o.date = %s AND o.status = %s
UNION ALL
SELECT 'swap_work', NULL, NULL, NULL, w.id, NULL, NULL, NULL, NULL, NULL, NULL
  FROM {_SWAPS} w
 WHERE w.employee_id = %s AND w.work_date = %s AND w.status = %s
UNION ALL
SELECT 'swap_off', NULL, NULL, NULL, w.id, NULL, NULL, NULL, NULL, NULL, NULL
  FROM {_SWAPS} w
 WHERE w.employee_id = %s AND w.off_date = %s AND w.status = %s
UNION ALL
SELECT 'leave', l.unit, NULL, NULL, l.id, NULL, r.start_time, r.end_time, NULL, NULL, NULL
  FROM {_LEAVE_DAYS} l JOIN {_LEAVE_REQUESTS} r ON r.id = l.request_id
 WHERE l.employee_id = %s AND l.date = %s AND l.status = %s
"""


def _schedule(start, end, break_start, break_end, rest_weekdays) -> worktime.Schedule:
    """A schedule from its columns as read by hand (times as text on SQLite, the rest weekdays as JSON text)."""
    return worktime.Schedule(
        start=_time(start),
        end=_time(end),
        break_start=_time(break_start),
        break_end=_time(break_end),
        rest_weekdays=frozenset(json.loads(rest_weekdays) if rest_weekdays else ()),
    )


def day_facts_statement(*, employee_id: int, day: date) -> batch.Statement:
    """The statement of `day_facts` (to send with others, core/batch.py); `day_facts_from` reads its rows."""
    on = connection.ops.adapt_datefield_value(day)
    next_day = connection.ops.adapt_datefield_value(day + timedelta(days=1))
    params = [employee_id, on, employee_id, on, employee_id, on, ClockKind.OUT]
    params += [employee_id, on, on, employee_id, next_day, next_day, on]
    params += [employee_id, on, OrderStatus.APPROVED] * 3
    params += [employee_id, on, LeaveStatus.APPROVED]
    return _DAY_FACTS_SQL, params


def day_facts_from(rows: list[tuple], *, day: date) -> DayFacts:
    events, pc_logs = [], []
    schedule, previous_last_out, town_closed = worktime.DEFAULT_SCHEDULE, None, False
    next_start = worktime.DEFAULT_SCHEDULE.start
    ordered, telework_ordered, swapped, leave = 0, False, None, []
    for tag, kind, at, location, row_id, replayed, *columns in rows:
        if tag == "event":
            at = _aware(at)
            event = worktime.Event(kind=kind, at=at, location=location, offline_replay=bool(replayed))
            events.append((at, row_id, event))
        elif tag == "pc_log":
            pc_logs.append(worktime.PcLog(kind=kind, at=_aware(at)))
        elif tag == "previous_out":
            previous_last_out = _aware(at)
        elif tag == "schedule":
            schedule = _schedule(*columns)
        elif tag == "next_schedule":
            next_start = _time(columns[0])
        elif tag == "overtime_order":
            ordered += worktime.clock_minutes(_time(columns[0]), _time(columns[1]))
            telework_ordered = telework_ordered or bool(replayed)
        elif tag == "swap_work":
            swapped = worktime.WORKDAY
        elif tag == "swap_off":
            swapped = worktime.WEEKLY_REST
        elif tag == "leave":
            leave.append((kind, _time(columns[0]), _time(columns[1])))
        else:
            town_closed = True
    units = {unit for unit, _start, _end in leave}
    on_leave = LeaveUnit.DAY in units or {LeaveUnit.AM, LeaveUnit.PM} <= units
    return DayFacts(
        day=day,
        events=[event for _at, _id, event in sorted(events, key=lambda item: item[:2])],  # by time, then id
        pc_logs=pc_logs,
        schedule=schedule,
        next_start=next_start,
        previous_last_out=previous_last_out,
        town_closed=town_closed,
        ordered_overtime_minutes=ordered,
        telework_overtime_ordered=telework_ordered,
        swapped=swapped,
        on_leave=on_leave,
        part_leave=() if on_leave else tuple(sorted(leave, key=lambda part: (part[0], part[1] or time(0)))),
    )


def day_facts(*, employee_id: int, day: date) -> DayFacts:
    """The facts of one employee's day, in one query (see _DAY_FACTS_SQL): the single loader of a day's inputs,
    for `recompute` and, through `day_facts_statement` in the same round trip as the clock state, the clock-in."""
    [rows] = batch.run([day_facts_statement(employee_id=employee_id, day=day)])
    return day_facts_from(rows, day=day)


def schedule_on(*, employee_id: int, day: date) -> worktime.Schedule:
    """The schedule assigned to the employee on the day (the default one when none is)."""
    assignment = (
        ScheduleAssignment.objects.filter(employee_id=employee_id, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("schedule")
        .order_by("-start", "-id")
        .first()
    )
    return assignment.schedule.as_value() if assignment else worktime.DEFAULT_SCHEDULE


def scheduled_day_minutes(*, employee: Employee, on: date) -> int:
    """所定勤務時間 of the employee's day (the length at which hours of leave convert to days)."""
    return schedule_on(employee_id=employee.pk, day=on).minutes


def schedules_by_employee(*, employee_ids, start: date, end: date) -> dict[int, list[ScheduleAssignment]]:
    """{employee id: their assignments overlapping the period, latest start first}, in one query."""
    found: dict[int, list[ScheduleAssignment]] = defaultdict(list)
    for assignment in (
        ScheduleAssignment.objects.filter(employee_id__in=employee_ids, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("schedule")
        .order_by("-start", "-id")
    ):
        found[assignment.employee_id].append(assignment)
    return found


def schedule_list() -> QuerySet[WorkSchedule]:
    return WorkSchedule.objects.order_by("start", "name")


def schedule_assignments(*, employee_id: int | None = None) -> QuerySet[ScheduleAssignment]:
    """The assignments (of one employee, or everyone's), by employee, latest start first, with their schedule."""
    rows = ScheduleAssignment.objects.select_related("schedule").order_by("employee_id", "-start", "-id")
    return rows.filter(employee_id=employee_id) if employee_id is not None else rows


def schedule_from(assignments: list[ScheduleAssignment], day: date) -> worktime.Schedule:
    """The schedule of the day among an employee's assignments (latest start first), else the default."""
    for assignment in assignments:
        if assignment.start <= day and (assignment.end is None or assignment.end >= day):
            return assignment.schedule.as_value()
    return worktime.DEFAULT_SCHEDULE


def events_between(*, employee_id: int, start: datetime, end: datetime) -> dict[date, list[worktime.Event]]:
    """The effective events between two moments, by work day (the shifts near a PC log)."""
    by_day: dict[date, list[worktime.Event]] = defaultdict(list)
    for event in ClockEvent.objects.filter(
        employee_id=employee_id, at__gte=start, at__lte=end, corrected_by__isnull=True
    ).order_by("at", "id"):
        by_day[event.work_date].append(worktime.Event(kind=event.kind, at=event.at, location=event.location))
    return by_day


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


def month_statuses_of(*, employee_id: int, days) -> dict[date, str]:
    """{first day of month: status} of the employee's months of `days`, an unrecorded month open; one query."""
    months = {month_start(day) for day in days}
    recorded = dict(
        MonthClosing.objects.filter(employee_id=employee_id, month__in=months).values_list("month", "status")
    )
    return {month: recorded.get(month, MonthStatus.OPEN) for month in sorted(months)}


def is_month_closed(*, employee_id: int, day: date) -> bool:
    return month_status(employee_id=employee_id, month=day) == MonthStatus.CLOSED


def is_month_open(*, employee_id: int, day: date) -> bool:
    """The month's days may change: no timesheet submitted, approved or closed."""
    return month_status(employee_id=employee_id, month=day) == MonthStatus.OPEN


# --- days and months -----------------------------------------------------------------------------------


def day_summaries(*, employee: Employee, start: date, end: date) -> QuerySet[DaySummary]:
    return DaySummary.objects.filter(employee=employee, date__gte=start, date__lte=end).order_by("date")


TOTAL_FIELDS = (
    "worked_minutes",
    "break_minutes",
    "overtime_minutes",
    "ordered_overtime_minutes",
    "late_night_minutes",
    "holiday_work_minutes",
    "late_minutes",
    "early_leave_minutes",
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
    # 週休日の勤務: all of it overtime, paid at the rest-day rate
    totals["weekly_rest_work_minutes"] = sum(
        day.worked_minutes for day in days if day.day_kind == DayKind.WEEKLY_REST
    )
    status, document = month_record(employee_id=employee.pk, month=month)
    return Timesheet(
        employee=employee,
        month=month_start(month),
        status=status,
        days=days,
        totals=totals,
        document=document,
    )


def unresolved_days(*, employee_id: int, month: date) -> list[date]:
    """The month's days with a shift still open or closed for the calculation (`missing_clock_out`)."""
    days = DaySummary.objects.filter(
        employee_id=employee_id, date__gte=month_start(month), date__lte=month_end(month)
    ).order_by("date")
    return [day.date for day in days if day.open_shift or worktime.MISSING_CLOCK_OUT in (day.anomalies or [])]


def incomplete_days(*, employee_id: int, month: date) -> list[date]:
    """The month's days last computed while they could still go on (to settle before the month is signed)."""
    return list(
        DaySummary.objects.filter(
            employee_id=employee_id, date__gte=month_start(month), date__lte=month_end(month), complete=False
        )
        .order_by("date")
        .values_list("date", flat=True)
    )


def open_shift_days() -> QuerySet[DaySummary]:
    """Days whose shift was still open when last computed (to be closed once their deadline passes)."""
    return (
        DaySummary.objects.filter(open_shift=True).select_related("employee").order_by("date", "employee_id")
    )


def month_days_by_employee(*, employee_ids, month: date) -> dict[int, dict[date, DaySummary]]:
    """{employee id: {date: summary}} for the month, in one query."""
    by_employee: dict[int, dict[date, DaySummary]] = defaultdict(dict)
    for summary in DaySummary.objects.filter(
        employee_id__in=employee_ids, date__gte=month_start(month), date__lte=month_end(month)
    ):
        by_employee[summary.employee_id][summary.date] = summary
    return by_employee


def day_summaries_of(*, pairs) -> dict[tuple[int, date], DaySummary]:
    """{(employee id, date): summary} of the (employee id, date) pairs that have one, in one query (none
    without pairs)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    query = Q(pk__in=[])
    for employee_id, day in pairs:
        query |= Q(employee_id=employee_id, date=day)
    return {(s.employee_id, s.date): s for s in DaySummary.objects.filter(query)}


def department_anomalies(*, department_id: int, day: date) -> QuerySet[DaySummary]:
    """The day's summaries with anomalies of the department's staff (the employee loaded), by name."""
    return (
        DaySummary.objects.filter(date=day, employee__department_id=department_id)
        .exclude(anomalies=[])
        .select_related("employee")
        .order_by("employee__name", "employee_id")
    )


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
