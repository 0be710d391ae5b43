"""勤怠差異の照合 (pure): the work day a PC log-on or log-off belongs to, from the clocked spans of the work days
around it (`attendance.worktime` computes the days themselves)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from attendance.worktime import (
    EARLY_CLOCK_IN_MINUTES,
    IN,
    LOCAL_TZ,
    OPEN_SHIFT_MAX_HOURS,
    OUT,
    PC_LOG_MATCH_MINUTES,
    Event,
    day_begins,
)


@dataclass(frozen=True)
class ShiftSpan:
    """The clocked span of a work day: its first clock-in to its last event (aware)."""

    work_date: date
    start: datetime
    end: datetime


def shift_spans(
    events_by_day: dict[date, Sequence[Event]], *, max_hours: int = OPEN_SHIFT_MAX_HOURS
) -> list[ShiftSpan]:
    """Each work day's span from its events; a day whose last event is not a clock-out (a shift still open)
    reaches `max_hours` past its last clock-in."""
    spans = []
    for work_date, events in events_by_day.items():
        ordered = sorted(events, key=lambda e: e.at)
        ins = [e.at for e in ordered if e.kind == IN]
        if not ins:
            continue
        end = ordered[-1].at
        if ordered[-1].kind != OUT:
            end = max(end, ins[-1] + timedelta(hours=max_hours))
        spans.append(ShiftSpan(work_date=work_date, start=ins[0], end=end))
    return sorted(spans, key=lambda span: span.start)


def pc_log_work_date(
    *,
    at: datetime,
    spans: Sequence[ShiftSpan],
    day_start: time,
    window_minutes: int = PC_LOG_MATCH_MINUTES,
    early_minutes: int = EARLY_CLOCK_IN_MINUTES,
    tz: tzinfo = LOCAL_TZ,
) -> date:
    """勤怠差異の照合: the work day of a PC log. The shift it falls in (the latest begun, when two do); else the
    nearest shift within `window_minutes`; else the work day whose scheduled start (less the early window, as for
    an open shift) it follows — `day_start` is the schedule's start on the log's calendar day."""
    inside = [span for span in spans if span.start <= at <= span.end]
    if inside:
        return inside[-1].work_date
    window = timedelta(minutes=window_minutes)
    near = [
        (min(abs(at - span.start), abs(at - span.end)), index, span)
        for index, span in enumerate(spans)
        if min(abs(at - span.start), abs(at - span.end)) <= window
    ]
    if near:
        return min(near)[2].work_date
    local_day = at.astimezone(tz).date()
    begins = day_begins(local_day, day_start, early_minutes=early_minutes, tz=tz)
    return local_day if at >= begins else local_day - timedelta(days=1)
