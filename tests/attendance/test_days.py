"""The day as recorded through the clock (issue 12, items 4 and 5): 中抜け and staggered lunches by clock-out, the
break minimums as a setting, late arrival and early leave shown, 週休日 and 休日 apart."""

from datetime import date, datetime, time, timedelta

import pytest

from attendance import selectors, services
from attendance.models import DaySummary
from attendance.worktime import LOCAL_TZ

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def record(employee, *moments, day=DAY):
    kinds = ["in", "out"] * (len(moments) // 2)
    for kind, (hh, mm) in zip(kinds, moments, strict=True):
        services.clock_event_record(
            employee=employee, kind=kind, location="office", source="web", at=at(hh, mm, day=day)
        )
    return DaySummary.objects.get(employee=employee, date=day)


def test_lunch_by_clocking_out_is_a_break_not_break_short(employee):
    day = record(employee, (8, 30), (12, 0), (13, 0), (17, 15))

    assert (day.worked_minutes, day.break_minutes, day.span_minutes, day.anomalies) == (465, 60, 525, [])


def test_a_staggered_lunch_by_clock_out_is_not_deducted_twice(employee):
    day = record(employee, (8, 30), (13, 0), (14, 0), (17, 15))

    assert (day.worked_minutes, day.break_minutes, day.overtime_minutes) == (465, 60, 0)


@pytest.mark.parametrize(
    ("rules", "anomalies"),
    [
        (((480, 60), (360, 45)), []),  # 労働基準法34条, the default: 45 minutes are enough up to 8 h
        (((465, 60), (360, 45)), ["break_short"]),  # a 条例 that asks 60 minutes from 7h45m
    ],
)
def test_the_break_minimums_follow_the_setting(employee, settings, rules, anomalies):
    settings.ATTENDANCE_BREAK_RULES = rules
    services.clock_event_record(employee=employee, kind="in", location="office", source="web", at=at(8, 30))
    for kind, moment in (("break_start", at(12)), ("break_end", at(12, 45)), ("out", at(17, 5))):
        services.clock_event_record(employee=employee, kind=kind, location="office", source="web", at=moment)

    day = DaySummary.objects.get(employee=employee, date=DAY)

    assert (day.worked_minutes, day.break_minutes, day.anomalies) == (470, 45, anomalies)


def test_the_default_break_minimums_are_the_laws(settings):
    assert settings.ATTENDANCE_BREAK_RULES == ((480, 60), (360, 45))


def test_late_arrival_and_early_leave_are_computed(employee):
    day = record(employee, (8, 50), (16, 0))

    assert (day.late_minutes, day.early_leave_minutes, day.scheduled_minutes) == (20, 75, 465)


def test_weekly_rest_days_and_holidays_are_apart(employee):
    showa = record(employee, (8, 30), (19, 15), day=date(2026, 4, 29))  # 昭和の日, a Wednesday
    saturday = record(employee, (9, 0), (12, 0), day=date(2026, 6, 13))

    assert (saturday.day_kind, saturday.overtime_minutes, saturday.holiday_work_minutes) == (
        "weekly_rest",
        180,
        0,
    )
    assert (showa.day_kind, showa.holiday_work_minutes, showa.overtime_minutes) == ("holiday", 465, 120)
    assert (showa.late_minutes, showa.early_leave_minutes) == (0, 0)


def test_the_timesheet_totals_hold_the_new_figures(employee):
    record(employee, (8, 50), (17, 15))
    record(employee, (9, 0), (12, 0), day=DAY + timedelta(days=3))  # Saturday

    totals = selectors.timesheet(employee=employee, month=DAY).totals

    assert (totals["late_minutes"], totals["weekly_rest_work_minutes"]) == (20, 180)
