"""勤務時間の計算: one work day's figures and anomalies from its clock events and work schedule.

Pure: plain values in, plain values out, no ORM (the national calendar comes from `org.calendar`). Times are aware datetimes (or naive local times); every figure is
counted in whole minutes of local wall-clock time, each timestamp truncated to its minute, so that for every day
`worked_minutes + break_minutes == span_minutes` exactly (less the hours of approved part-day leave inside the
span, which are neither), the span running from the first shift's start to the last shift's end. The work day of
a PC log is `attendance.worktime_pc_logs`'.

Rules (地方公務員の勤務時間条例, 労働基準法34条 and the 2017 guideline 労働時間の適正な把握):
- a shift is an `in` followed by an `out`; `break_start`/`break_end` inside it are recorded breaks. Events that do
  not fit the sequence (an `out` with no `in`, a second `in`) are ignored here; the clock service refuses them.
- a shift left open once the day is over (`complete`: the next day began, see `open_shift_deadline`) is closed for
  the calculation at the schedule's end, or at its last event if later, and flagged `missing_clock_out`.
- break: the recorded breaks and the gaps between shifts (中抜け). The scheduled break counts too (the part of it
  inside the shifts) only when these do not cover the minimum the day needs and none of them lies in the scheduled
  break; with nothing recorded at all it always counts. A break shorter than the minimum is flagged
  `break_short`, never deducted (time worked is paid). The minimums are data (`break_rules`), by default the law's.
- the day's kind: a working day (勤務日), a weekly rest day (週休日: the schedule's rest weekdays) or a holiday
  (休日: national holidays, 12/29–1/3 and the town's closed days, when not a 週休日).
- overtime (時間外勤務): on a working day the minutes worked beyond the scheduled day; on a 週休日 every worked
  minute; on a 休日 the minutes worked outside the regular hours, those inside them being holiday work (休日勤務),
  which is not overtime.
- late arrival and early leave (遅刻・早退): the regular minutes of a working day before the first clock-in and
  after the last clock-out.
- late night (深夜): worked minutes between 22:00 and 5:00.
- overtime orders (時間外勤務命令): overtime beyond the day's approved orders by more than a tolerance is
  `overtime_without_order`; overtime on a telework day needs an order that covers telework, else it is
  `overtime_on_telework`.
- 週休日の振替: an approved swap makes its 週休日 a working day and its working day a 週休日.
"""

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from org.calendar import is_national_holiday, is_year_end_closure

LOCAL_TZ = ZoneInfo("Asia/Tokyo")
LATE_NIGHT_START = time(22, 0)
LATE_NIGHT_END = time(5, 0)
REST_INTERVAL_MIN = timedelta(hours=11)  # 勤務間インターバル
LOG_GAP_MINUTES = 30  # 勤怠差異: clock vs PC log
# 休憩時間の最低基準: (worked more than N minutes, at least M minutes of break), the stricter rule first.
# 労働基準法34条 by default; a town whose 条例 counts from 7h45m uses ((465, 60), (360, 45)).
LAW_BREAK_RULES: tuple[tuple[int, int], ...] = ((480, 60), (360, 45))
# A shift left open is closed for the calculation at the next day's scheduled start less this window (the earliest
# a clock-in of that day is expected), or this many hours after its start, whichever comes first.
EARLY_CLOCK_IN_MINUTES = 120
OPEN_SHIFT_MAX_HOURS = 20
# A PC log outside every shift belongs to the nearest shift within this many minutes.
PC_LOG_MATCH_MINUTES = 180
# Overtime beyond the ordered minutes by more than this is `overtime_without_order`.
OVERTIME_TOLERANCE_MINUTES = 15

IN, OUT, BREAK_START, BREAK_END = "in", "out", "break_start", "break_end"
LOGON, LOGOFF = "logon", "logoff"
OFFICE = "office"
TELEWORK_LOCATIONS = frozenset({"home", "satellite"})
# Away from the office: a shift started here needs an approved telework day (在宅・サテライト・モバイル).
REMOTE_LOCATIONS = frozenset({"home", "satellite", "mobile"})
MIXED = "mixed"

# The kinds of day (区分).
WORKDAY, WEEKLY_REST, HOLIDAY = "workday", "weekly_rest", "holiday"
DAY_KINDS = (WORKDAY, WEEKLY_REST, HOLIDAY)
SATURDAY_AND_SUNDAY = frozenset({5, 6})

MISSING_CLOCK_OUT = "missing_clock_out"
BREAK_SHORT = "break_short"
REST_INTERVAL_SHORT = "rest_interval_short"
LOG_GAP = "log_gap"
OVERTIME_ON_TELEWORK = "overtime_on_telework"
TELEWORK_WITHOUT_APPROVAL = "telework_without_approval"
OFFLINE_REPLAY = "offline_replay"
OVERTIME_WITHOUT_ORDER = "overtime_without_order"
# A working day gone by without any clock event (the payroll CSV shows it, so that absences are visible).
NO_RECORD = "no_record"
# A clock-in on a day of approved whole-day leave (休暇日の出勤打刻): the leave or the clock is wrong.
CLOCK_IN_ON_LEAVE = "clock_in_on_leave"
ANOMALY_CODES = (
    MISSING_CLOCK_OUT,
    BREAK_SHORT,
    REST_INTERVAL_SHORT,
    LOG_GAP,
    OVERTIME_ON_TELEWORK,
    TELEWORK_WITHOUT_APPROVAL,
    OFFLINE_REPLAY,
    NO_RECORD,
    CLOCK_IN_ON_LEAVE,
    OVERTIME_WITHOUT_ORDER,
)


def _after(anchor: datetime, at: time, *, inclusive: bool = False) -> datetime:
    """The first moment at wall-clock `at` after `anchor` (or at it, when inclusive)."""
    candidate = datetime.combine(anchor.date(), at)
    if candidate < anchor or (candidate == anchor and not inclusive):
        candidate += timedelta(days=1)
    return candidate


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def clock_minutes(start: time, end: time) -> int:
    """The minutes from `start` to `end` on one day (an overtime order's length); 0 when end is not after start."""
    anchor = date(2000, 1, 1)
    return max(0, _minutes(datetime.combine(anchor, end) - datetime.combine(anchor, start)))


@dataclass(frozen=True)
class Event:
    """打刻: kind is in, out, break_start or break_end; location office, home, satellite or mobile.
    `offline_replay`: pressed offline on a device and sent later (the day is flagged)."""

    kind: str
    at: datetime
    location: str = "office"
    offline_replay: bool = False


@dataclass(frozen=True)
class PcLog:
    """PCログ: a log-on or log-off reported by a system integration."""

    kind: str
    at: datetime


Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Schedule:
    """勤務時間割: start and end of the day, an optional break; an end at or before the start is the next day.
    `rest_weekdays` are the 週休日 (0 = Monday … 6 = Sunday): Saturday and Sunday unless a schedule says
    otherwise (a 会計年度任用職員 on four days a week, a shift pattern)."""

    start: time = time(8, 30)
    end: time = time(17, 15)
    break_start: time | None = time(12, 0)
    break_end: time | None = time(13, 0)
    rest_weekdays: frozenset[int] = SATURDAY_AND_SUNDAY

    def __post_init__(self) -> None:
        object.__setattr__(self, "rest_weekdays", frozenset(self.rest_weekdays))
        moments = (self.start, self.end, self.break_start, self.break_end)
        if any(m is not None and (m.second or m.microsecond or m.tzinfo) for m in moments):
            raise ValueError("schedule times are whole minutes of local time")
        if (self.break_start is None) != (self.break_end is None):
            raise ValueError("a break needs both its start and its end")
        if not self.rest_weekdays <= set(range(7)) or len(self.rest_weekdays) == 7:
            raise ValueError("rest weekdays are 0 (Monday) to 6 (Sunday), and not every day")
        if self.break_start is not None:
            (start, end), (break_start, break_end) = (
                self.bounds(date(2000, 1, 1)),
                self.break_bounds(date(2000, 1, 1)),
            )
            if not (start <= break_start < break_end <= end) or break_end - break_start >= end - start:
                raise ValueError("the break lies inside the working day and is shorter than it")

    def bounds(self, day: date) -> Interval:
        start = datetime.combine(day, self.start)
        return start, _after(start, self.end)

    def break_bounds(self, day: date) -> Interval | None:
        if self.break_start is None or self.break_end is None:
            return None
        start, _ = self.bounds(day)
        break_start = _after(start, self.break_start, inclusive=True)
        return break_start, _after(break_start, self.break_end)

    def regular_parts(self, day: date) -> list[Interval]:
        """The regular hours (正規の勤務時間) of the day: its bounds less the scheduled break."""
        scheduled_break = self.break_bounds(day)
        return _subtract(self.bounds(day), [scheduled_break] if scheduled_break else [])

    @property
    def break_minutes(self) -> int:
        bounds = self.break_bounds(date(2000, 1, 1))
        return _minutes(bounds[1] - bounds[0]) if bounds else 0

    @property
    def minutes(self) -> int:
        """所定勤務時間 in minutes (7h45m = 465 for the default)."""
        start, end = self.bounds(date(2000, 1, 1))
        return _minutes(end - start) - self.break_minutes


DEFAULT_SCHEDULE = Schedule()


def day_kind(day: date, *, schedule: Schedule, is_holiday: bool) -> str:
    """区分: a 週休日 when the weekday is one of the schedule's rest days (even on a national holiday), else a
    休日 when the calendar says so (national holiday, 12/29–1/3, a town closed day), else a working day."""
    if day.weekday() in schedule.rest_weekdays:
        return WEEKLY_REST
    return HOLIDAY if is_holiday else WORKDAY


def calendar_day_kind(day: date, *, schedule: Schedule, town_closed: bool, swapped: str | None = None) -> str:
    """`day_kind` by the business calendar: a 休日 is a national holiday, 12/29–1/3 or a town closed day.
    `swapped` is the kind an approved 週休日の振替 gives the day (WORKDAY for its 週休日, WEEKLY_REST for the
    working day taken off), which wins."""
    if swapped is not None:
        return swapped
    is_holiday = is_national_holiday(day) or is_year_end_closure(day) or town_closed
    return day_kind(day, schedule=schedule, is_holiday=is_holiday)


def minimum_break(worked: int, rules: Sequence[tuple[int, int]] = LAW_BREAK_RULES) -> int:
    """The least break a day of `worked` minutes needs (0 when no rule applies)."""
    return max((minimum for over, minimum in rules if worked > over), default=0)


def day_begins(day: date, start: time, *, early_minutes: int, tz: tzinfo) -> datetime:
    """When a work day begins for the clock: its scheduled start less the early window."""
    return datetime.combine(day, start, tzinfo=tz) - timedelta(minutes=early_minutes)


def open_shift_deadline(
    *,
    shift_start: datetime,
    work_date: date,
    next_start: time,
    max_hours: int = OPEN_SHIFT_MAX_HOURS,
    early_minutes: int = EARLY_CLOCK_IN_MINUTES,
    tz: tzinfo = LOCAL_TZ,
) -> datetime:
    """When a shift still open is closed for the calculation as `missing_clock_out` (and the next clock-in starts
    a new shift): when the next day begins (its scheduled start `next_start`, less the early window), or
    `max_hours` after the shift started, whichever comes first."""
    next_day = day_begins(work_date + timedelta(days=1), next_start, early_minutes=early_minutes, tz=tz)
    return min(shift_start + timedelta(hours=max_hours), next_day)


@dataclass(frozen=True)
class DaySummary:
    """日次集計: the figures of one work day, in minutes."""

    work_date: date
    first_in: datetime | None = None
    last_out: datetime | None = None
    span_minutes: int = 0
    worked_minutes: int = 0
    break_minutes: int = 0
    overtime_minutes: int = 0
    ordered_overtime_minutes: int = 0
    late_night_minutes: int = 0
    holiday_work_minutes: int = 0
    scheduled_minutes: int = 0
    late_minutes: int = 0
    early_leave_minutes: int = 0
    day_kind: str = WORKDAY
    location: str | None = None
    open_shift: bool = False
    anomalies: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_holiday(self) -> bool:
        """Not a working day: a 週休日 or a 休日."""
        return self.day_kind != WORKDAY


def _local(at: datetime, tz: tzinfo) -> datetime:
    """Local wall-clock time, naive, truncated to the minute."""
    if at.tzinfo is not None:
        at = at.astimezone(tz).replace(tzinfo=None)
    return at.replace(second=0, microsecond=0)


def _overlap(a: Interval, b: Interval) -> int:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return _minutes(end - start) if end > start else 0


def _subtract(interval: Interval, holes: Iterable[Interval]) -> list[Interval]:
    """The parts of `interval` outside every hole."""
    parts = [interval]
    for hole_start, hole_end in holes:
        next_parts = []
        for start, end in parts:
            if hole_end <= start or hole_start >= end:
                next_parts.append((start, end))
                continue
            if start < hole_start:
                next_parts.append((start, hole_start))
            if hole_end < end:
                next_parts.append((hole_end, end))
        parts = next_parts
    return parts


def _total(intervals: Iterable[Interval]) -> int:
    return sum(_minutes(end - start) for start, end in intervals)


# Approved part-day leave of a day (半日・時間単位の休暇): ("am" | "pm" | "hours", start, end), the times for hours.
PartLeave = tuple[str, time | None, time | None]


def leave_periods(schedule: Schedule, day: date, parts: Iterable[PartLeave]) -> list[Interval]:
    """The hours of the day that approved part-day leave covers: a morning is the day's start to the scheduled
    break, an afternoon the break's end to the day's end (without a break, the day's middle divides them), hours
    their own times (on a night shift, those before its start are the next morning's)."""
    start, end = schedule.bounds(day)
    scheduled_break = schedule.break_bounds(day)
    middle = start + (end - start) / 2
    morning_end, afternoon_start = scheduled_break or (middle, middle)
    periods = []
    for unit, taken_from, taken_to in parts:
        if unit == "am":
            periods.append((start, morning_end))
        elif unit == "pm":
            periods.append((afternoon_start, end))
        elif taken_from is not None and taken_to is not None:
            # a day schedule's hours are the day's own; a night shift's after midnight are the next morning's
            first = _after(start, taken_from, inclusive=True) if end.date() > start.date() else None
            first = first or datetime.combine(day, taken_from)
            periods.append((first, _after(first, taken_to)))
    return periods


def _late_night_windows(start: datetime, end: datetime) -> Iterable[Interval]:
    day = start.date() - timedelta(days=1)
    while day <= end.date():
        window_start = datetime.combine(day, LATE_NIGHT_START)
        yield window_start, _after(window_start, LATE_NIGHT_END)
        day += timedelta(days=1)


@dataclass
class _Shifts:
    closed: list[Interval] = field(default_factory=list)
    breaks: list[Interval] = field(default_factory=list)
    open_since: datetime | None = None
    open_breaks: list[Interval] = field(default_factory=list)
    open_break_since: datetime | None = None
    open_last: datetime | None = None


def _shifts(events: Sequence[Event], tz: tzinfo) -> _Shifts:
    """Walk the events in time order: closed shifts, the recorded breaks inside them, an open shift if any (with
    its breaks so far, a break still going and its last event)."""
    result = _Shifts()
    shift_start: datetime | None = None
    break_start: datetime | None = None
    shift_breaks: list[Interval] = []
    last = None
    for event in sorted(events, key=lambda e: e.at):
        at = _local(event.at, tz)
        if event.kind == IN and shift_start is None:
            shift_start, shift_breaks, last = at, [], at
        elif event.kind == BREAK_START and shift_start is not None and break_start is None:
            break_start = last = at
        elif event.kind == BREAK_END and break_start is not None:
            shift_breaks.append((break_start, at))
            break_start, last = None, at
        elif event.kind == OUT and shift_start is not None:
            if break_start is not None:
                shift_breaks.append((break_start, at))
                break_start = None
            result.closed.append((shift_start, at))
            result.breaks.extend(shift_breaks)
            shift_start = None
    if shift_start is not None:
        result.open_since, result.open_breaks = shift_start, shift_breaks
        result.open_break_since, result.open_last = break_start, last
    return result


def open_shift_start(events: Sequence[Event], tz: tzinfo = LOCAL_TZ) -> datetime | None:
    """The start of the shift still open among the day's events (aware), or None."""
    since = _shifts(events, tz).open_since
    return since.replace(tzinfo=tz) if since is not None else None


def _day_location(events: Sequence[Event]) -> str | None:
    locations = {event.location for event in events}
    if not locations:
        return None
    return locations.pop() if len(locations) == 1 else MIXED


def _log_gap(
    first_in: datetime | None, last_out: datetime | None, pc_logs: Sequence[PcLog], threshold: int, tz: tzinfo
) -> bool:
    """勤怠差異: the first log-on or the last log-off is more than `threshold` minutes from the clock."""
    logons = sorted(_local(log.at, tz) for log in pc_logs if log.kind == LOGON)
    logoffs = sorted(_local(log.at, tz) for log in pc_logs if log.kind == LOGOFF)
    if not logons and not logoffs:
        return False
    if first_in is None:
        return True
    limit = timedelta(minutes=threshold)
    if logons and abs(logons[0] - first_in) > limit:
        return True
    return bool(logoffs and last_out is not None and abs(logoffs[-1] - last_out) > limit)


def _breaks(
    *,
    shifts: list[Interval],
    recorded: list[Interval],
    scheduled: Interval | None,
    rules,
    leave: Sequence[Interval] = (),
) -> list[Interval]:
    """Every break of the day: the recorded ones, the gaps between shifts (中抜け) but their hours on leave, and,
    when these neither cover the minimum nor lie in the scheduled break (or when there are none), the scheduled
    break inside the shifts."""
    gaps = [(end, start) for (_s, end), (start, _e) in itertools.pairwise(shifts) if start > end]
    gaps = [part for gap in gaps for part in _subtract(gap, leave)]
    own = [(start, end) for start, end in [*recorded, *gaps] if end > start]
    if scheduled is None:
        return own
    span = _minutes(shifts[-1][1] - shifts[0][0]) if shifts else 0
    on_leave = sum(_overlap(period, (shifts[0][0], shifts[-1][1])) for period in leave) if shifts else 0
    covered = _total(own) >= minimum_break(span - _total(own) - on_leave, rules)
    if own and (covered or any(_overlap(part, scheduled) for part in own)):
        return own
    inside = [(max(start, scheduled[0]), min(end, scheduled[1])) for start, end in shifts]
    parts = [part for piece in inside if piece[1] > piece[0] for part in _subtract(piece, own)]
    return [*own, *parts]


def summarize_day(
    *,
    work_date: date,
    events: Sequence[Event],
    schedule: Schedule = DEFAULT_SCHEDULE,
    day_kind: str = WORKDAY,
    previous_last_out: datetime | None = None,
    pc_logs: Sequence[PcLog] = (),
    telework_approved: bool = False,
    on_leave: bool = False,
    leave_periods: Sequence[Interval] = (),
    ordered_overtime_minutes: int | None = None,
    telework_overtime_ordered: bool = False,
    overtime_tolerance_minutes: int = OVERTIME_TOLERANCE_MINUTES,
    complete: bool = True,
    log_gap_minutes: int = LOG_GAP_MINUTES,
    break_rules: Sequence[tuple[int, int]] = LAW_BREAK_RULES,
    tz: tzinfo = LOCAL_TZ,
) -> DaySummary:
    """The day's figures and anomaly codes.

    `events` are the day's effective events (corrected ones already left out); `complete` is False while the day
    may still go on, so that a shift still open is not yet a `missing_clock_out` (nor counted). `day_kind` is
    `day_kind(...)`'s answer. `telework_approved` says whether the day is an approved telework day: a shift started
    away from the office without it is `telework_without_approval`; overtime is `overtime_on_telework` on a day
    worked (at least partly) at home or a satellite office, or away from the office on an approved telework day.
    An approved day whose shifts were all at the office is an office day; `telework_overtime_ordered` (an
    approved order of the day covers telework) lets overtime on a telework day pass. `on_leave` says whether
    the day is one of approved whole-day leave: a clock-in that day is `clock_in_on_leave`. `leave_periods`
    (`leave_periods(...)`) are the hours of approved part-day leave: not hours of duty, so neither late arrival nor
    early leave, and work beyond the hours still on duty is overtime.

    `ordered_overtime_minutes` are the day's approved overtime orders (None: orders are not compared): overtime
    beyond them by more than `overtime_tolerance_minutes` is `overtime_without_order`.
    """
    walked = _shifts(events, tz)
    shifts, recorded = list(walked.closed), list(walked.breaks)
    left_open = walked.open_since is not None and complete
    if left_open:
        close_at = max(schedule.bounds(work_date)[1], walked.open_last)
        recorded.extend(walked.open_breaks)
        if walked.open_break_since is not None and close_at > walked.open_break_since:
            recorded.append((walked.open_break_since, close_at))
        shifts.append((walked.open_since, close_at))
    span = _minutes(shifts[-1][1] - shifts[0][0]) if shifts else 0
    breaks = _breaks(
        shifts=shifts,
        recorded=recorded,
        scheduled=schedule.break_bounds(work_date),
        rules=break_rules,
        leave=leave_periods,
    )
    break_minutes = _total(breaks)
    # hours on approved leave are not worked, clocked or not (the leave pays them)
    worked_parts = [part for shift in shifts for part in _subtract(shift, [*breaks, *leave_periods])]
    worked = _total(worked_parts)
    late_night = sum(_overlap(part, window) for part in worked_parts for window in _late_night_windows(*part))

    regular = schedule.regular_parts(work_date)
    on_duty = [piece for part in regular for piece in _subtract(part, leave_periods)]
    scheduled_minutes = holiday_work = late = early = 0
    if day_kind == WORKDAY:
        scheduled_minutes = schedule.minutes
        overtime = max(0, worked - (scheduled_minutes - (_total(regular) - _total(on_duty))))
        day_start, day_end = schedule.bounds(work_date)
        first_start = shifts[0][0] if shifts else walked.open_since
        if first_start is not None:
            late = sum(_overlap(part, (day_start, first_start)) for part in on_duty)
        if shifts and (walked.open_since is None or left_open):
            early = sum(_overlap(part, (shifts[-1][1], day_end)) for part in on_duty)
    elif day_kind == WEEKLY_REST:
        overtime = worked
    else:
        holiday_work = sum(_overlap(part, piece) for part in worked_parts for piece in regular)
        overtime = worked - holiday_work

    ordered = sorted(events, key=lambda e: e.at)
    first_in = next((_local(e.at, tz) for e in ordered if e.kind == IN), None)
    last_out = next((_local(e.at, tz) for e in reversed(ordered) if e.kind == OUT), None)
    location = _day_location(events)

    anomalies = []
    if left_open:
        anomalies.append(MISSING_CLOCK_OUT)
    if any(worked > over and break_minutes < minimum for over, minimum in break_rules):
        anomalies.append(BREAK_SHORT)
    if (
        previous_last_out is not None
        and first_in is not None
        and first_in - _local(previous_last_out, tz) < REST_INTERVAL_MIN
    ):
        anomalies.append(REST_INTERVAL_SHORT)
    if _log_gap(first_in, last_out, pc_logs, log_gap_minutes, tz):
        anomalies.append(LOG_GAP)
    telework_day = any(e.location in TELEWORK_LOCATIONS for e in events) or (
        telework_approved and any(e.location != OFFICE for e in events)
    )
    if telework_day and overtime > 0 and not telework_overtime_ordered:
        anomalies.append(OVERTIME_ON_TELEWORK)
    if (
        ordered_overtime_minutes is not None
        and overtime > ordered_overtime_minutes + overtime_tolerance_minutes
    ):
        anomalies.append(OVERTIME_WITHOUT_ORDER)
    if not telework_approved and any(e.kind == IN and e.location in REMOTE_LOCATIONS for e in events):
        anomalies.append(TELEWORK_WITHOUT_APPROVAL)
    if any(e.offline_replay for e in events):
        anomalies.append(OFFLINE_REPLAY)
    if on_leave and any(e.kind == IN for e in events):
        anomalies.append(CLOCK_IN_ON_LEAVE)

    def aware(at: datetime | None) -> datetime | None:
        return at.replace(tzinfo=tz) if at is not None else None

    return DaySummary(
        work_date=work_date,
        first_in=aware(first_in),
        last_out=aware(last_out),
        span_minutes=span,
        worked_minutes=worked,
        break_minutes=break_minutes,
        overtime_minutes=overtime,
        ordered_overtime_minutes=ordered_overtime_minutes or 0,
        late_night_minutes=late_night,
        holiday_work_minutes=holiday_work,
        scheduled_minutes=scheduled_minutes,
        late_minutes=late,
        early_leave_minutes=early,
        day_kind=day_kind,
        location=location,
        open_shift=walked.open_since is not None and not left_open,
        anomalies=tuple(anomalies),
    )
