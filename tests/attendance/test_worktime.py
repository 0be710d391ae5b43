"""The pure work-day computation: the issue's exact examples, the anomaly rules, and properties by hypothesis."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance.worktime import (
    LOCAL_TZ,
    Event,
    PcLog,
    Schedule,
    summarize_day,
)

DAY = date(2026, 6, 10)  # a Wednesday


def at(hh: int, mm: int = 0, *, day: date = DAY, days: int = 0) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(hh, mm), tzinfo=LOCAL_TZ)


def ev(kind: str, hh: int, mm: int = 0, *, location: str = "office", days: int = 0) -> Event:
    return Event(kind=kind, at=at(hh, mm, days=days), location=location)


def test_weekday_with_recorded_break_and_evening_overtime():
    # given in 08:30, a recorded break 12:00–13:00, out 19:15
    events = [ev("in", 8, 30), ev("break_start", 12), ev("break_end", 13), ev("out", 19, 15)]
    # when
    day = summarize_day(work_date=DAY, events=events)
    # then
    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes, day.late_night_minutes) == (
        585,
        60,
        120,
        0,
    )
    assert day.span_minutes == 645
    assert day.first_in == at(8, 30)
    assert day.last_out == at(19, 15)
    assert day.location == "office"
    assert day.anomalies == ()


def test_weekday_until_late_night_without_recorded_break_takes_the_scheduled_break():
    events = [ev("in", 8, 30), ev("out", 23, 30)]

    day = summarize_day(work_date=DAY, events=events)

    assert (day.break_minutes, day.worked_minutes, day.overtime_minutes, day.late_night_minutes) == (
        60,
        840,
        375,
        90,
    )


def test_default_schedule_is_seven_hours_forty_five():
    assert Schedule().minutes == 465
    assert Schedule().break_minutes == 60


@pytest.mark.parametrize(
    ("start", "end", "break_start", "break_end"),
    [
        (time(8, 30), time(17, 15), time(7), time(8)),  # break before the day
        (time(8, 30), time(17, 15), time(12), None),  # half a break
        (time(8, 30), time(17, 15), time(13), time(12)),  # break past the end of the day
        (time(8, 30, 30), time(17, 15), None, None),  # seconds
    ],
)
def test_an_impossible_schedule_is_refused(start, end, break_start, break_end):
    with pytest.raises(ValueError, match=r"schedule|break"):
        Schedule(start=start, end=end, break_start=break_start, break_end=break_end)


def test_a_plain_day_on_schedule_has_no_overtime_and_no_anomaly():
    day = summarize_day(work_date=DAY, events=[ev("in", 8, 30), ev("out", 17, 15)])

    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes) == (465, 60, 0)
    assert day.scheduled_minutes == 465
    assert day.anomalies == ()


def test_a_shift_past_midnight_counts_late_night_on_both_sides():
    # a council session from 08:30 until 01:30 the next morning
    events = [ev("in", 8, 30), ev("out", 1, 30, days=1)]

    day = summarize_day(work_date=DAY, events=events)

    assert day.span_minutes == 17 * 60
    assert day.break_minutes == 60
    assert day.worked_minutes == 17 * 60 - 60
    assert day.late_night_minutes == 210  # 22:00–01:30
    assert day.last_out == at(1, 30, days=1)


def test_night_shift_schedule_with_its_break_after_midnight():
    night = Schedule(start=time(22), end=time(7), break_start=time(2), break_end=time(3))
    events = [ev("in", 22), ev("out", 7, days=1)]

    day = summarize_day(work_date=DAY, events=events, schedule=night)

    assert night.minutes == 480
    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes) == (480, 60, 0)
    assert day.late_night_minutes == 7 * 60 - 60  # 22:00–05:00 less the 02:00–03:00 break


def test_short_hours_schedule_counts_overtime_beyond_its_own_day():
    short = Schedule(start=time(9), end=time(15), break_start=time(12), break_end=time(13))
    events = [ev("in", 9), ev("out", 16)]

    day = summarize_day(work_date=DAY, events=events, schedule=short)

    assert short.minutes == 300
    assert (day.worked_minutes, day.overtime_minutes) == (360, 60)


def test_work_on_a_weekly_rest_day_is_all_overtime_and_no_holiday_work():
    # 週休日 (a Saturday): every worked minute is 時間外勤務, none of it 休日勤務
    events = [ev("in", 9), ev("out", 12)]

    day = summarize_day(work_date=date(2026, 6, 13), events=events, day_kind="weekly_rest")

    assert day.is_holiday
    assert (day.worked_minutes, day.overtime_minutes, day.holiday_work_minutes) == (180, 180, 0)
    assert day.scheduled_minutes == 0


def test_work_on_a_holiday_within_regular_hours_is_holiday_work_not_overtime():
    # 休日 (海の日, a Monday) from 8:30 to 19:15: the regular hours are 休日勤務, the rest 時間外勤務
    umi_no_hi = date(2026, 7, 20)
    events = [Event("in", at(8, 30, day=umi_no_hi)), Event("out", at(19, 15, day=umi_no_hi))]

    day = summarize_day(work_date=umi_no_hi, events=events, day_kind="holiday")

    assert day.is_holiday
    assert (day.worked_minutes, day.holiday_work_minutes, day.overtime_minutes) == (585, 465, 120)
    assert (day.scheduled_minutes, day.late_minutes, day.early_leave_minutes) == (0, 0, 0)


def test_a_morning_only_day_takes_no_break():
    day = summarize_day(work_date=DAY, events=[ev("in", 8, 30), ev("out", 12)])

    assert (day.worked_minutes, day.break_minutes) == (210, 0)


def test_only_the_overlapping_part_of_the_scheduled_break_is_deducted():
    day = summarize_day(work_date=DAY, events=[ev("in", 12, 30), ev("out", 17, 15)])

    assert (day.break_minutes, day.worked_minutes) == (30, 255)


def test_seconds_are_truncated_to_the_minute():
    events = [
        Event("in", at(8, 30).replace(second=59)),
        Event("out", at(17, 15).replace(second=1)),
    ]

    day = summarize_day(work_date=DAY, events=events)

    assert day.worked_minutes == 465


def test_two_shifts_in_a_day_add_up_and_mixed_location():
    events = [
        ev("in", 8, 30, location="office"),
        ev("out", 11, location="office"),
        ev("in", 13, location="home"),
        ev("out", 17, 15, location="home"),
    ]

    day = summarize_day(work_date=DAY, events=events)

    assert day.span_minutes == 150 + 120 + 255
    assert day.break_minutes == 120  # 11:00–13:00 between the shifts is a break (中抜け)
    assert day.worked_minutes == 405
    assert day.location == "mixed"


def test_location_is_the_single_place_of_the_day():
    day = summarize_day(work_date=DAY, events=[ev("in", 9, location="home"), ev("out", 12, location="home")])

    assert day.location == "home"


def test_an_empty_day_has_nothing():
    day = summarize_day(work_date=DAY, events=[])

    assert (day.first_in, day.last_out, day.location, day.worked_minutes, day.anomalies) == (
        None,
        None,
        None,
        0,
        (),
    )


def test_missing_clock_out_only_once_the_day_is_complete():
    events = [ev("in", 8, 30)]

    assert summarize_day(work_date=DAY, events=events).anomalies == ("missing_clock_out",)
    assert summarize_day(work_date=DAY, events=events, complete=False).anomalies == ()
    # while the day goes on the open shift counts nothing; once over it is closed at the schedule's end
    assert summarize_day(work_date=DAY, events=events, complete=False).worked_minutes == 0
    assert summarize_day(work_date=DAY, events=events).worked_minutes == 465


def test_break_short_over_six_hours_needs_forty_five_minutes():
    events = [ev("in", 9), ev("break_start", 12), ev("break_end", 12, 30), ev("out", 15, 45)]

    day = summarize_day(work_date=DAY, events=events)

    assert day.worked_minutes == 375
    assert day.anomalies == ("break_short",)


def test_break_short_over_seven_forty_five_needs_sixty_minutes():
    short_break = [ev("in", 8, 30), ev("break_start", 12), ev("break_end", 12, 50), ev("out", 18)]
    enough = [ev("in", 8, 30), ev("break_start", 12), ev("break_end", 13), ev("out", 18)]

    assert "break_short" in summarize_day(work_date=DAY, events=short_break).anomalies
    assert "break_short" not in summarize_day(work_date=DAY, events=enough).anomalies


def test_forty_five_minutes_are_enough_up_to_seven_forty_five():
    events = [ev("in", 8, 30), ev("break_start", 12), ev("break_end", 12, 45), ev("out", 16, 45)]

    day = summarize_day(work_date=DAY, events=events)

    assert day.worked_minutes == 450
    assert day.anomalies == ()


def test_rest_interval_under_eleven_hours():
    events = [ev("in", 8, 30), ev("out", 17, 15)]

    short = summarize_day(work_date=DAY, events=events, previous_last_out=at(22, 0, days=-1))
    enough = summarize_day(work_date=DAY, events=events, previous_last_out=at(21, 30, days=-1))

    assert short.anomalies == ("rest_interval_short",)
    assert enough.anomalies == ()


def test_log_gap_beyond_the_threshold():
    events = [ev("in", 8, 30), ev("out", 17, 15)]
    close = [PcLog("logon", at(8, 20)), PcLog("logoff", at(17, 40))]
    far = [PcLog("logon", at(8, 20)), PcLog("logoff", at(18, 0))]

    assert summarize_day(work_date=DAY, events=events, pc_logs=close).anomalies == ()
    assert summarize_day(work_date=DAY, events=events, pc_logs=far).anomalies == ("log_gap",)
    assert summarize_day(work_date=DAY, events=events, pc_logs=far, log_gap_minutes=60).anomalies == ()


def test_pc_log_without_any_clock_in_is_a_log_gap():
    day = summarize_day(work_date=DAY, events=[], pc_logs=[PcLog("logon", at(8, 30))])

    assert day.anomalies == ("log_gap",)


def test_overtime_on_a_telework_day():
    home = [ev("in", 8, 30, location="home"), ev("out", 18, location="home")]
    office = [ev("in", 8, 30), ev("out", 18)]

    assert summarize_day(work_date=DAY, events=home, telework_approved=True).anomalies == (
        "overtime_on_telework",
    )
    assert summarize_day(work_date=DAY, events=home).anomalies == (
        "overtime_on_telework",
        "telework_without_approval",
    )
    assert summarize_day(work_date=DAY, events=office).anomalies == ()
    # an approved telework day worked entirely at the office is an office day (issue 13)
    assert summarize_day(work_date=DAY, events=office, telework_approved=True).anomalies == ()
    field = [ev("in", 8, 30, location="mobile"), ev("out", 18, location="mobile")]
    assert summarize_day(work_date=DAY, events=field, telework_approved=True).anomalies == (
        "overtime_on_telework",
    )


@pytest.mark.parametrize("location", ["home", "satellite", "mobile"])
def test_a_shift_started_away_from_the_office_needs_an_approved_telework_day(location):
    events = [ev("in", 8, 30, location=location), ev("out", 17, 15, location=location)]

    unapproved = summarize_day(work_date=DAY, events=events)
    approved = summarize_day(work_date=DAY, events=events, telework_approved=True)

    assert unapproved.anomalies == ("telework_without_approval",)
    assert approved.anomalies == ()


def test_only_a_remote_clock_in_is_telework_without_approval():
    # given a day started at the office and clocked out from home (a field visit on the way back)
    events = [ev("in", 8, 30), ev("out", 17, 15, location="home")]

    assert summarize_day(work_date=DAY, events=events).anomalies == ()


# --- properties -----------------------------------------------------------------------------------------

KINDS = st.sampled_from(["in", "out", "break_start", "break_end"])
LOCATIONS = st.sampled_from(["office", "home", "satellite", "mobile"])
MOMENTS = st.datetimes(
    min_value=datetime(2026, 6, 9, 18), max_value=datetime(2026, 6, 12, 6), timezones=st.just(LOCAL_TZ)
)
EVENTS = st.lists(st.builds(Event, kind=KINDS, at=MOMENTS, location=LOCATIONS), max_size=14)


@st.composite
def schedules(draw):
    """Any valid schedule: a day of 1 minute to 24 hours from any start, with or without a break inside it."""
    start = draw(st.integers(0, 24 * 60 - 1))
    length = draw(st.integers(2, 24 * 60))
    clock = lambda minutes: time((minutes // 60) % 24, minutes % 60)  # noqa: E731
    if not draw(st.booleans()):
        return Schedule(start=clock(start), end=clock(start + length), break_start=None, break_end=None)
    break_offset = draw(st.integers(0, length - 2))
    break_length = draw(st.integers(1, length - break_offset - 1))
    return Schedule(
        start=clock(start),
        end=clock(start + length),
        break_start=clock(start + break_offset),
        break_end=clock(start + break_offset + break_length),
    )


SCHEDULES = schedules()
DAY_KINDS = st.sampled_from(["workday", "weekly_rest", "holiday"])


@settings(max_examples=400, deadline=None)
@given(events=EVENTS, schedule=SCHEDULES, kind=DAY_KINDS, complete=st.booleans())
def test_worked_plus_break_is_always_the_span(events, schedule, kind, complete):
    day = summarize_day(work_date=DAY, events=events, schedule=schedule, day_kind=kind, complete=complete)

    assert day.worked_minutes + day.break_minutes == day.span_minutes
    assert day.worked_minutes >= 0
    assert day.break_minutes >= 0
    assert 0 <= day.overtime_minutes <= day.worked_minutes
    assert 0 <= day.late_night_minutes <= day.worked_minutes
    assert day.overtime_minutes + day.holiday_work_minutes <= day.worked_minutes
    assert day.holiday_work_minutes == 0 or kind == "holiday"
    assert day.late_minutes + day.early_leave_minutes <= day.scheduled_minutes


@st.composite
def single_shifts(draw):
    """One in, recorded breaks or none, one out: a well-formed day."""
    start = draw(MOMENTS)
    offsets = sorted(draw(st.lists(st.integers(0, 24 * 60), min_size=1, max_size=7, unique=True)))
    moments = [start + timedelta(minutes=offset, seconds=draw(st.integers(0, 59))) for offset in offsets]
    *middle, end = moments
    middle = middle[: len(middle) // 2 * 2]
    events = [Event("in", start)]
    for index, moment in enumerate(middle):
        events.append(Event("break_start" if index % 2 == 0 else "break_end", moment))
    events.append(Event("out", end))
    return events


@settings(max_examples=300, deadline=None)
@given(events=single_shifts())
def test_a_single_shift_spans_from_first_in_to_last_out(events):
    day = summarize_day(work_date=DAY, events=events)

    assert day.span_minutes == int((day.last_out - day.first_in).total_seconds() // 60)
    assert day.worked_minutes + day.break_minutes == day.span_minutes
    assert "missing_clock_out" not in day.anomalies


@settings(max_examples=200, deadline=None)
@given(events=single_shifts())
def test_late_night_matches_a_minute_by_minute_count(events):
    # given the worked minutes counted one by one: inside the shift and outside every recorded break
    day = summarize_day(work_date=DAY, events=events)
    local = [(e.kind, e.at.replace(second=0, microsecond=0)) for e in events]
    start, end = local[0][1], local[-1][1]
    breaks = list(
        zip(
            [m for k, m in local if k == "break_start"],
            [m for k, m in local if k == "break_end"],
            strict=True,
        )
    )
    if not breaks:
        scheduled = (at(12), at(13))
        breaks = (
            [(max(start, scheduled[0]), min(end, scheduled[1]))] if start < at(13) and end > at(12) else []
        )
    minute, late_night = start, 0
    while minute < end:
        on_break = any(b_start <= minute < b_end for b_start, b_end in breaks)
        if not on_break and (minute.hour >= 22 or minute.hour < 5):
            late_night += 1
        minute += timedelta(minutes=1)
    # then
    assert day.late_night_minutes == late_night
