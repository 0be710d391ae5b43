"""The pure day calculation for the ways people really work (issue 12): 中抜け and staggered lunches, the break
minimums as data, late arrival and early leave, 週休日 and 休日, a shift left open, night shifts, and the work day
of a PC log; with properties by hypothesis over 中抜け and night shifts."""

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance.worktime import (
    LOCAL_TZ,
    Event,
    Schedule,
    day_kind,
    minimum_break,
    open_shift_deadline,
    summarize_day,
)
from attendance.worktime_pc_logs import ShiftSpan, pc_log_work_date, shift_spans

DAY = date(2026, 6, 10)  # a Wednesday
NIGHT = Schedule(start=time(22), end=time(7), break_start=time(2), break_end=time(3))


def at(hh: int, mm: int = 0, *, day: date = DAY, days: int = 0) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(hh, mm), tzinfo=LOCAL_TZ)


def ev(kind: str, hh: int, mm: int = 0, *, days: int = 0, **extra) -> Event:
    return Event(kind=kind, at=at(hh, mm, days=days), **extra)


# --- breaks: 中抜け, staggered lunches, the minimums as data -----------------------------------------


def test_lunch_taken_by_clocking_out_and_in_is_a_break_and_not_short():
    # 中抜け: out at 12:00, in again at 13:00
    events = [ev("in", 8, 30), ev("out", 12), ev("in", 13), ev("out", 17, 15)]

    day = summarize_day(work_date=DAY, events=events)

    assert (day.span_minutes, day.worked_minutes, day.break_minutes) == (525, 465, 60)
    assert day.anomalies == ()


def test_a_staggered_lunch_by_clock_out_replaces_the_scheduled_break():
    # lunch 13:00–14:00 by clocking out: the scheduled 12:00–13:00 is not deducted as well
    events = [ev("in", 8, 30), ev("out", 13), ev("in", 14), ev("out", 17, 15)]

    day = summarize_day(work_date=DAY, events=events)

    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes) == (465, 60, 0)
    assert day.anomalies == ()


def test_a_short_errand_does_not_replace_the_scheduled_lunch():
    # out to the post office 10:00–10:10: too short to be the day's break, so the scheduled lunch still counts
    events = [ev("in", 8, 30), ev("out", 10), ev("in", 10, 10), ev("out", 17, 15)]

    day = summarize_day(work_date=DAY, events=events)

    assert (day.break_minutes, day.worked_minutes) == (70, 455)
    assert day.anomalies == ()


def test_a_recorded_short_lunch_is_flagged_never_topped_up():
    # a 30-minute lunch recorded in the scheduled break: flagged, and the other 30 minutes are paid
    events = [ev("in", 8, 30), ev("break_start", 12), ev("break_end", 12, 30), ev("out", 17, 15)]

    day = summarize_day(work_date=DAY, events=events)

    assert (day.break_minutes, day.worked_minutes, day.overtime_minutes) == (30, 495, 30)
    assert day.anomalies == ("break_short",)


def test_the_break_minimums_are_the_laws_by_default_and_data_otherwise():
    # 7h50m worked with 45 minutes of break: enough under the law (60 only over 8 h), short under a 条例 that
    # asks 60 minutes from 7h45m
    events = [ev("in", 8, 30), ev("break_start", 12), ev("break_end", 12, 45), ev("out", 17, 5)]
    town = ((465, 60), (360, 45))

    assert summarize_day(work_date=DAY, events=events).worked_minutes == 470
    assert summarize_day(work_date=DAY, events=events).anomalies == ()
    assert summarize_day(work_date=DAY, events=events, break_rules=town).anomalies == ("break_short",)
    assert (minimum_break(360), minimum_break(361), minimum_break(480), minimum_break(481)) == (0, 45, 45, 60)


# --- late arrival and early leave ----------------------------------------------------------------------


def test_late_arrival_and_early_leave_against_the_schedule():
    events = [ev("in", 9, 10), ev("out", 16, 45)]

    day = summarize_day(work_date=DAY, events=events)

    assert (day.late_minutes, day.early_leave_minutes) == (40, 30)


def test_late_and_early_skip_the_scheduled_break_and_follow_a_staggered_schedule():
    # 時差出勤 10:00–18:45: in at 13:30 is 150 minutes late (12:00–13:00 is the break); out at 18:00 is 45 early
    staggered = Schedule(start=time(10), end=time(18, 45), break_start=time(12), break_end=time(13))

    day = summarize_day(work_date=DAY, events=[ev("in", 13, 30), ev("out", 18)], schedule=staggered)

    assert (day.late_minutes, day.early_leave_minutes) == (150, 45)


def test_no_late_arrival_on_a_day_off():
    events = [ev("in", 10), ev("out", 12)]

    for kind in ("weekly_rest", "holiday"):
        day = summarize_day(work_date=DAY, events=events, day_kind=kind)
        assert (day.late_minutes, day.early_leave_minutes) == (0, 0)


# --- 週休日 and 休日 -------------------------------------------------------------------------------------


def test_the_kind_of_a_day():
    four_days = Schedule(rest_weekdays={4, 5, 6})  # a 会計年度任用職員 working Monday to Thursday

    assert day_kind(date(2026, 6, 10), schedule=Schedule(), is_holiday=False) == "workday"
    assert day_kind(date(2026, 6, 13), schedule=Schedule(), is_holiday=False) == "weekly_rest"
    assert day_kind(date(2026, 7, 20), schedule=Schedule(), is_holiday=True) == "holiday"  # 海の日
    assert day_kind(date(2026, 5, 3), schedule=Schedule(), is_holiday=True) == "weekly_rest"  # a Sunday
    assert day_kind(date(2026, 6, 12), schedule=four_days, is_holiday=False) == "weekly_rest"  # a Friday


def test_a_schedule_rests_on_at_least_one_day_a_week_or_none_and_names_real_weekdays():
    with pytest.raises(ValueError, match="rest weekdays"):
        Schedule(rest_weekdays={7})
    with pytest.raises(ValueError, match="rest weekdays"):
        Schedule(rest_weekdays=set(range(7)))
    assert Schedule(rest_weekdays=set()).rest_weekdays == frozenset()


# --- a shift left open ---------------------------------------------------------------------------------


def test_a_forgotten_clock_out_is_closed_at_the_schedules_end_and_flagged():
    # in 08:30, a lunch break, then nothing
    events = [ev("in", 8, 30), ev("break_start", 12), ev("break_end", 13)]

    day = summarize_day(work_date=DAY, events=events)

    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes, day.late_night_minutes) == (
        465,
        60,
        0,
        0,
    )
    assert (day.last_out, day.open_shift, day.anomalies) == (None, False, ("missing_clock_out",))


def test_a_forgotten_clock_out_after_the_schedules_end_is_closed_at_the_last_event():
    events = [ev("in", 8, 30), ev("break_start", 18), ev("break_end", 18, 30)]

    day = summarize_day(work_date=DAY, events=events)

    # closed at 18:30; the evening's 30-minute break does not replace the scheduled lunch
    assert (day.span_minutes, day.worked_minutes, day.break_minutes) == (600, 510, 90)
    assert day.anomalies == ("missing_clock_out",)


def test_an_open_shift_still_going_counts_nothing_yet_and_is_not_flagged():
    day = summarize_day(work_date=DAY, events=[ev("in", 8, 30)], complete=False)

    assert (day.worked_minutes, day.open_shift, day.anomalies) == (0, True, ())


def test_the_open_shift_deadline():
    # the next day's 8:30 start less the two-hour early window, or 20 hours after the start, whichever first
    day_shift = open_shift_deadline(shift_start=at(8, 30), work_date=DAY, next_start=time(8, 30))
    night = open_shift_deadline(shift_start=at(22), work_date=DAY, next_start=time(22))
    snow = open_shift_deadline(
        shift_start=at(8, 30), work_date=DAY, next_start=time(8, 30), early_minutes=5 * 60
    )

    assert day_shift == at(4, 30, days=1)  # 20 h after 08:30 comes before 06:30
    assert night == at(18, days=1)
    assert snow == at(3, 30, days=1)
    assert open_shift_deadline(
        shift_start=at(8, 30), work_date=DAY, next_start=time(8, 30), max_hours=24
    ) == at(6, 30, days=1)


# --- night shifts --------------------------------------------------------------------------------------


def test_a_night_shift_with_a_gap_after_midnight():
    # 22:00–07:00 with its break taken by clocking out 02:00–03:00
    events = [ev("in", 22), ev("out", 2, days=1), ev("in", 3, days=1), ev("out", 7, days=1)]

    day = summarize_day(work_date=DAY, events=events, schedule=NIGHT)

    assert (day.span_minutes, day.worked_minutes, day.break_minutes, day.overtime_minutes) == (
        540,
        480,
        60,
        0,
    )
    assert day.late_night_minutes == 7 * 60 - 60
    assert (day.late_minutes, day.early_leave_minutes, day.anomalies) == (0, 0, ())


def test_a_night_shift_left_open_is_closed_at_its_morning_end():
    day = summarize_day(work_date=DAY, events=[ev("in", 22)], schedule=NIGHT)

    assert (day.worked_minutes, day.break_minutes, day.anomalies) == (480, 60, ("missing_clock_out",))


def test_a_replayed_event_flags_the_day():
    events = [ev("in", 8, 30, offline_replay=True), ev("out", 17, 15)]

    assert summarize_day(work_date=DAY, events=events).anomalies == ("offline_replay",)


# --- the work day of a PC log --------------------------------------------------------------------------


def spans(*pairs):
    return [ShiftSpan(work_date=d, start=s, end=e) for d, s, e in pairs]


def test_a_pc_log_belongs_to_the_shift_it_falls_in_not_to_a_fixed_hour():
    # a 04:30 snow-clearing shift: its 04:35 log-on is that day's, though before 05:00
    snow = spans((DAY, at(4, 30), at(13)))

    assert pc_log_work_date(at=at(4, 35), spans=snow, day_start=time(8, 30)) == DAY


def test_a_pc_log_outside_every_shift_goes_to_the_nearest_within_the_window():
    two_days = spans(
        (DAY - timedelta(days=1), at(8, 30, days=-1), at(17, 15, days=-1)), (DAY, at(8, 30), at(17, 15))
    )

    assert pc_log_work_date(at=at(8, 20), spans=two_days, day_start=time(8, 30)) == DAY
    assert pc_log_work_date(at=at(19, 30, days=-1), spans=two_days, day_start=time(8, 30)) == DAY - timedelta(
        days=1
    )


def test_a_pc_log_far_from_any_shift_goes_to_the_scheduled_work_day():
    # a log-off at 01:00 with no clock events: the day that began at 06:30 the day before
    assert pc_log_work_date(at=at(1, days=1), spans=[], day_start=time(8, 30)) == DAY
    assert pc_log_work_date(at=at(7), spans=[], day_start=time(8, 30)) == DAY
    assert pc_log_work_date(at=at(7, days=1), spans=[], day_start=time(22)) == DAY  # a night schedule


def test_shift_spans_reach_past_an_open_shifts_start():
    events = {
        DAY: [ev("in", 22)],
        DAY - timedelta(days=1): [ev("in", 8, 30, days=-1), ev("out", 17, days=-1)],
    }

    found = shift_spans(events)

    assert [(s.work_date, s.start, s.end) for s in found] == [
        (DAY - timedelta(days=1), at(8, 30, days=-1), at(17, days=-1)),
        (DAY, at(22), at(18, days=1)),
    ]


# --- properties: 中抜け and night shifts ------------------------------------------------------------------

SCHEDULES = st.sampled_from(
    [
        Schedule(),
        NIGHT,
        Schedule(start=time(9), end=time(15), break_start=None, break_end=None),  # short hours
        Schedule(start=time(10), end=time(18, 45), break_start=time(13), break_end=time(14)),  # 時差出勤
        Schedule(start=time(16), end=time(0, 45), break_start=time(20), break_end=time(21)),  # evening shift
    ]
)
RULES = st.sampled_from([((480, 60), (360, 45)), ((465, 60), (360, 45)), ()])


@st.composite
def split_shifts(draw):
    """Well-formed shifts with gaps between them (中抜け), recorded breaks inside some, maybe one left open, from
    any start on the evening before to the small hours after (night shifts included)."""
    start = draw(st.datetimes(min_value=datetime(2026, 6, 9, 18), max_value=datetime(2026, 6, 11, 6)))
    start = start.replace(tzinfo=LOCAL_TZ)
    count = draw(st.integers(1, 4))
    offsets = sorted(
        draw(st.lists(st.integers(1, 20 * 60), min_size=count * 2, max_size=count * 2, unique=True))
    )
    events, moment = [], start
    for index in range(count):
        shift_start = start + timedelta(minutes=offsets[index * 2 - 1] if index else 0)
        shift_end = start + timedelta(minutes=offsets[index * 2])
        if shift_start >= shift_end:
            continue
        events.append(Event("in", shift_start))
        length = int((shift_end - shift_start).total_seconds() // 60)
        if length > 2 and draw(st.booleans()):
            a, b = sorted(draw(st.lists(st.integers(1, length - 1), min_size=2, max_size=2, unique=True)))
            events += [
                Event("break_start", shift_start + timedelta(minutes=a)),
                Event("break_end", shift_start + timedelta(minutes=b)),
            ]
        events.append(Event("out", shift_end))
        moment = shift_end
    if draw(st.booleans()):
        events.append(Event("in", moment + timedelta(minutes=draw(st.integers(1, 600)))))
    return events


@settings(max_examples=400, deadline=None)
@given(
    events=split_shifts(),
    schedule=SCHEDULES,
    kind=st.sampled_from(["workday", "weekly_rest", "holiday"]),
    complete=st.booleans(),
    rules=RULES,
)
def test_worked_plus_break_is_the_span_with_gaps_and_night_shifts(events, schedule, kind, complete, rules):
    day = summarize_day(
        work_date=DAY, events=events, schedule=schedule, day_kind=kind, complete=complete, break_rules=rules
    )

    assert day.worked_minutes + day.break_minutes == day.span_minutes
    assert min(day.worked_minutes, day.break_minutes, day.overtime_minutes, day.late_night_minutes) >= 0
    assert day.overtime_minutes + day.holiday_work_minutes <= day.worked_minutes
    assert day.late_night_minutes <= day.worked_minutes
    assert day.late_minutes + day.early_leave_minutes <= day.scheduled_minutes
    # every gap between shifts is part of the break
    closed = [e for e in sorted(events, key=lambda e: e.at) if e.kind in ("in", "out")]
    gaps = sum(
        int(
            (b.at.replace(second=0, microsecond=0) - a.at.replace(second=0, microsecond=0)).total_seconds()
            // 60
        )
        for a, b in itertools.pairwise(closed)
        if a.kind == "out" and b.kind == "in" and (complete or b is not closed[-1])
    )
    assert day.break_minutes >= gaps
    assert ("missing_clock_out" in day.anomalies) == (complete and closed[-1].kind == "in")
