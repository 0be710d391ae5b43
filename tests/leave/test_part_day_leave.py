"""Half-day and hourly leave (半日・時間単位の休暇) in the day's figures: the hours on leave are not hours of duty, so
coming in at 13:00 after a morning of approved leave is not 遅刻, leaving at noon before an afternoon of leave is
not 早退 (payroll deducts both), and time worked beyond the hours still on duty is overtime. Pure cases first,
then the whole path through the API (apply, approve, clock, the day)."""

from datetime import date, datetime, time

import pytest

from attendance import services as attendance_services
from attendance.worktime import LOCAL_TZ, Event, Schedule, leave_periods, summarize_day
from tests.leave.helpers import apply, approve_all

DAY = date(2026, 6, 10)  # a Wednesday; the default schedule is 8:30–17:15 with a 12:00–13:00 break
SCHEDULE = Schedule()


def shift(start: tuple[int, int], end: tuple[int, int]) -> list[Event]:
    return [
        Event("in", datetime.combine(DAY, time(*start), tzinfo=LOCAL_TZ), "office"),
        Event("out", datetime.combine(DAY, time(*end), tzinfo=LOCAL_TZ), "office"),
    ]


def figures(events, *parts) -> tuple[int, int, int]:
    day = summarize_day(work_date=DAY, events=events, leave_periods=leave_periods(SCHEDULE, DAY, parts))
    return day.late_minutes, day.early_leave_minutes, day.overtime_minutes


@pytest.mark.parametrize(
    ("events", "parts", "expected"),
    [
        # without leave, 13:00 is 3h30 of regular hours late (8:30–12:00)
        (shift((13, 0), (17, 15)), [], (210, 0, 0)),
        # a morning of leave: 13:00 is on time, 13:30 is 30 minutes late
        (shift((13, 0), (17, 15)), [("am", None, None)], (0, 0, 0)),
        (shift((13, 30), (17, 15)), [("am", None, None)], (30, 0, 0)),
        # an afternoon of leave: out at noon is not early, at 11:30 it is 30 minutes early
        (shift((8, 30), (12, 0)), [("pm", None, None)], (0, 0, 0)),
        (shift((8, 30), (11, 30)), [("pm", None, None)], (0, 30, 0)),
        # two hours of leave at the end of the day, or at its start
        (shift((8, 30), (15, 15)), [("hours", time(15, 15), time(17, 15))], (0, 0, 0)),
        (shift((10, 30), (17, 15)), [("hours", time(8, 30), time(10, 30))], (0, 0, 0)),
        (shift((10, 45), (17, 15)), [("hours", time(8, 30), time(10, 30))], (15, 0, 0)),
        # a morning of leave, then 13:00–18:15: the hour after 17:15 is beyond the hours on duty
        (shift((13, 0), (18, 15)), [("am", None, None)], (0, 0, 60)),
        # without leave the same day is only short, with no overtime
        (shift((13, 0), (18, 15)), [], (210, 0, 0)),
    ],
)
def test_the_hours_on_leave_are_not_hours_of_duty(events, parts, expected):
    assert figures(events, *parts) == expected


def day_of(events, parts, schedule=SCHEDULE):
    return summarize_day(
        work_date=DAY,
        events=events,
        schedule=schedule,
        leave_periods=leave_periods(schedule, DAY, parts),
        ordered_overtime_minutes=0,
    )


def test_an_hour_of_leave_clocked_out_and_in_is_not_the_days_break_nor_overtime():
    """The review's finding: out at 10:00, in at 11:00 for an hour of leave, lunch not clocked. The gap was taken
    for the day's break (so lunch was not deducted) and its hour came back as overtime without an order."""
    events = [*shift((8, 30), (10, 0)), *shift((11, 0), (17, 15))]

    day = day_of(events, [("hours", time(10), time(11))])

    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes) == (405, 60, 0)
    assert day.anomalies == ()


def test_an_hour_of_leave_without_clocking_out_is_not_worked_time():
    day = day_of(shift((8, 30), (17, 15)), [("hours", time(15), time(16))])

    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes, day.anomalies) == (405, 60, 0, ())


def test_leave_across_the_break_clocked_out_and_in():
    events = [*shift((8, 30), (11, 0)), *shift((14, 0), (17, 15))]

    day = day_of(events, [("hours", time(11), time(14))])

    assert (day.worked_minutes, day.overtime_minutes, day.late_minutes, day.early_leave_minutes) == (
        345,
        0,
        0,
        0,
    )


def test_hours_of_leave_before_a_staggered_start_fall_on_the_day_itself():
    """時差出勤 10:00–18:45: leave 9:00–11:00 covers the day's first hour on duty (it was put on the next day)."""
    staggered = Schedule(start=time(10), end=time(18, 45), break_start=time(13), break_end=time(14))
    [(start, end)] = leave_periods(staggered, DAY, [("hours", time(9), time(11))])

    assert (start, end) == (datetime.combine(DAY, time(9)), datetime.combine(DAY, time(11)))
    assert day_of(shift((11, 0), (18, 45)), [("hours", time(9), time(11))], staggered).late_minutes == 0


def test_on_a_night_shift_hours_after_midnight_are_the_next_mornings():
    night = Schedule(start=time(22), end=time(7), break_start=time(2), break_end=time(3))
    [(start, end)] = leave_periods(night, DAY, [("hours", time(5), time(7))])

    assert (start.date(), start.time(), end.time()) == (date(2026, 6, 11), time(5), time(7))


def test_without_a_scheduled_break_the_halves_split_the_day_in_the_middle():
    schedule = Schedule(start=time(9), end=time(13), break_start=None, break_end=None)

    morning, afternoon = leave_periods(schedule, DAY, [("am", None, None), ("pm", None, None)])

    assert (morning[0].time(), morning[1].time()) == (time(9), time(11))
    assert (afternoon[0].time(), afternoon[1].time()) == (time(11), time(13))


def test_an_approved_morning_of_leave_through_the_api(as_user, town, clock):
    staff = town.staff[0]
    request = apply(staff, start=date(2026, 11, 24), unit="am")
    assert approve_all(request.document).status == "approved"
    clock.set(date(2026, 11, 24), time(13, 0))

    answer = as_user(staff).post(
        "/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    clock.set(date(2026, 11, 24), time(17, 15))
    attendance_services.clock_event_record(employee=staff, kind="out", location="office", source="web")

    days = as_user(staff).get("/api/v1/attendance/days/?from=2026-11-24&to=2026-11-24").json()["results"]
    [day] = days
    assert (day["late_minutes"], day["early_leave_minutes"], day["overtime_minutes"]) == (0, 0, 0)
    assert day["leave"]["unit"] == "am"
    assert day["anomalies"] == []


def test_leave_approved_after_the_day_was_clocked_takes_the_lateness_back(as_user, town, clock):
    staff = town.staff[0]
    request = apply(staff, start=date(2026, 11, 24), unit="am")
    clock.set(date(2026, 11, 24), time(13, 0))
    attendance_services.clock_event_record(employee=staff, kind="in", location="office", source="web")
    clock.set(date(2026, 11, 24), time(17, 15))
    attendance_services.clock_event_record(employee=staff, kind="out", location="office", source="web")
    url = "/api/v1/attendance/days/?from=2026-11-24&to=2026-11-24"
    assert as_user(staff).get(url).json()["results"][0]["late_minutes"] == 210

    approve_all(request.document)

    assert as_user(staff).get(url).json()["results"][0]["late_minutes"] == 0
