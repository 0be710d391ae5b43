"""勤務時間の計算: one work day's figures and anomalies from its clock events and work schedule.

Pure: plain values in, plain values out, no ORM. Times are aware datetimes (or naive local times); every figure is
counted in whole minutes of local wall-clock time, each timestamp truncated to its minute, so that for every day
`worked_minutes + break_minutes == span_minutes` exactly.

Rules (地方公務員の勤務時間条例 and the 2017 guideline 労働時間の適正な把握):
- a shift is an `in` followed by an `out`; `break_start`/`break_end` inside it are recorded breaks. Events that do
  not fit the sequence (an `out` with no `in`, a second `in`) are ignored here; the clock service refuses them.
- break: the recorded breaks; when none are recorded, the part of the scheduled break that falls inside the shifts.
- overtime: worked minutes beyond the scheduled day; on a holiday (閉庁日) every worked minute is overtime and also
  holiday work, so holiday work is a part of overtime, not an addition to it.
- late night (深夜): worked minutes between 22:00 and 5:00.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Tokyo")
LATE_NIGHT_START = time(22, 0)
LATE_NIGHT_END = time(5, 0)
REST_INTERVAL_MIN = timedelta(hours=11)  # 勤務間インターバル
LOG_GAP_MINUTES = 30  # 勤怠差異: clock vs PC log
# 休憩時間: (worked more than, minimum break), the stricter rule first.
BREAK_RULES = ((465, 60), (360, 45))

IN, OUT, BREAK_START, BREAK_END = "in", "out", "break_start", "break_end"
LOGON, LOGOFF = "logon", "logoff"
OFFICE = "office"
TELEWORK_LOCATIONS = frozenset({"home", "satellite"})
# Away from the office: a shift started here needs an approved telework day (在宅・サテライト・モバイル).
REMOTE_LOCATIONS = frozenset({"home", "satellite", "mobile"})
MIXED = "mixed"

MISSING_CLOCK_OUT = "missing_clock_out"
BREAK_SHORT = "break_short"
REST_INTERVAL_SHORT = "rest_interval_short"
LOG_GAP = "log_gap"
OVERTIME_ON_TELEWORK = "overtime_on_telework"
TELEWORK_WITHOUT_APPROVAL = "telework_without_approval"
ANOMALY_CODES = (
    MISSING_CLOCK_OUT,
    BREAK_SHORT,
    REST_INTERVAL_SHORT,
    LOG_GAP,
    OVERTIME_ON_TELEWORK,
    TELEWORK_WITHOUT_APPROVAL,
)


def _after(anchor: datetime, at: time, *, inclusive: bool = False) -> datetime:
    """The first moment at wall-clock `at` after `anchor` (or at it, when inclusive)."""
    candidate = datetime.combine(anchor.date(), at)
    if candidate < anchor or (candidate == anchor and not inclusive):
        candidate += timedelta(days=1)
    return candidate


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


@dataclass(frozen=True)
class Event:
    """打刻: kind is in, out, break_start or break_end; location office, home, satellite or mobile."""

    kind: str
    at: datetime
    location: str = "office"


@dataclass(frozen=True)
class PcLog:
    """PCログ: a log-on or log-off reported by a system integration."""

    kind: str
    at: datetime


@dataclass(frozen=True)
class Schedule:
    """勤務時間割: start and end of the day, an optional break; an end at or before the start is the next day."""

    start: time = time(8, 30)
    end: time = time(17, 15)
    break_start: time | None = time(12, 0)
    break_end: time | None = time(13, 0)

    def __post_init__(self) -> None:
        moments = (self.start, self.end, self.break_start, self.break_end)
        if any(m is not None and (m.second or m.microsecond or m.tzinfo) for m in moments):
            raise ValueError("schedule times are whole minutes of local time")
        if (self.break_start is None) != (self.break_end is None):
            raise ValueError("a break needs both its start and its end")
        if self.break_start is not None:
            (start, end), (break_start, break_end) = (
                self.bounds(date(2000, 1, 1)),
                self.break_bounds(date(2000, 1, 1)),
            )
            if not (start <= break_start < break_end <= end) or break_end - break_start >= end - start:
                raise ValueError("the break lies inside the working day and is shorter than it")

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.start)
        return start, _after(start, self.end)

    def break_bounds(self, day: date) -> tuple[datetime, datetime] | None:
        if self.break_start is None or self.break_end is None:
            return None
        start, _ = self.bounds(day)
        break_start = _after(start, self.break_start, inclusive=True)
        return break_start, _after(break_start, self.break_end)

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
    late_night_minutes: int = 0
    holiday_work_minutes: int = 0
    scheduled_minutes: int = 0
    is_holiday: bool = False
    location: str | None = None
    open_shift: bool = False
    anomalies: tuple[str, ...] = field(default_factory=tuple)


Interval = tuple[datetime, datetime]


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


def _shifts(events: Sequence[Event], tz: tzinfo) -> _Shifts:
    """Walk the events in time order: closed shifts, the recorded breaks inside them, an open shift if any."""
    result = _Shifts()
    shift_start: datetime | None = None
    break_start: datetime | None = None
    shift_breaks: list[Interval] = []
    for event in sorted(events, key=lambda e: e.at):
        at = _local(event.at, tz)
        if event.kind == IN and shift_start is None:
            shift_start, shift_breaks = at, []
        elif event.kind == BREAK_START and shift_start is not None and break_start is None:
            break_start = at
        elif event.kind == BREAK_END and break_start is not None:
            shift_breaks.append((break_start, at))
            break_start = None
        elif event.kind == OUT and shift_start is not None:
            if break_start is not None:
                shift_breaks.append((break_start, at))
                break_start = None
            result.closed.append((shift_start, at))
            result.breaks.extend(shift_breaks)
            shift_start = None
    result.open_since = shift_start
    return result


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


def summarize_day(
    *,
    work_date: date,
    events: Sequence[Event],
    schedule: Schedule = DEFAULT_SCHEDULE,
    is_holiday: bool = False,
    previous_last_out: datetime | None = None,
    pc_logs: Sequence[PcLog] = (),
    telework_approved: bool = False,
    complete: bool = True,
    log_gap_minutes: int = LOG_GAP_MINUTES,
    tz: tzinfo = LOCAL_TZ,
) -> DaySummary:
    """The day's figures and anomaly codes.

    `events` are the day's effective events (corrected ones already left out); `complete` is False while the day
    may still go on, so that a shift still open is not yet a `missing_clock_out`. `telework_approved` says whether
    the day is an approved telework day: a shift started away from the office without it is
    `telework_without_approval`; overtime is `overtime_on_telework` on a day worked (at least partly) at home or a
    satellite office, or away from the office on an approved telework day. An approved day whose shifts were all
    at the office is an office day.
    """
    shifts = _shifts(events, tz)
    span = sum(_minutes(end - start) for start, end in shifts.closed)
    breaks = shifts.breaks
    if not breaks and (scheduled := schedule.break_bounds(work_date)):
        breaks = [
            (max(start, scheduled[0]), min(end, scheduled[1]))
            for start, end in shifts.closed
            if _overlap((start, end), scheduled)
        ]
    break_minutes = sum(_minutes(end - start) for start, end in breaks)
    worked = span - break_minutes
    scheduled_minutes = 0 if is_holiday else schedule.minutes
    overtime = worked if is_holiday else max(0, worked - scheduled_minutes)
    late_night = sum(
        _overlap(part, window)
        for shift in shifts.closed
        for part in _subtract(shift, breaks)
        for window in _late_night_windows(*part)
    )

    ordered = sorted(events, key=lambda e: e.at)
    first_in = next((_local(e.at, tz) for e in ordered if e.kind == IN), None)
    last_out = next((_local(e.at, tz) for e in reversed(ordered) if e.kind == OUT), None)
    location = _day_location(events)

    anomalies = []
    if shifts.open_since is not None and complete:
        anomalies.append(MISSING_CLOCK_OUT)
    if any(worked > over and break_minutes < minimum for over, minimum in BREAK_RULES):
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
    if telework_day and overtime > 0:
        anomalies.append(OVERTIME_ON_TELEWORK)
    if not telework_approved and any(e.kind == IN and e.location in REMOTE_LOCATIONS for e in events):
        anomalies.append(TELEWORK_WITHOUT_APPROVAL)

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
        late_night_minutes=late_night,
        holiday_work_minutes=worked if is_holiday else 0,
        scheduled_minutes=scheduled_minutes,
        is_holiday=is_holiday,
        location=location,
        open_shift=shifts.open_since is not None,
        anomalies=tuple(anomalies),
    )
