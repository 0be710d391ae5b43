"""A forgotten clock-out never locks the person out (issue 12, item 1): the shift left open is closed for the
calculation as `missing_clock_out` when the next day begins (or after a limit), the new clock-in starts a new
shift, the person and the director are told once, a correction fixes it, and an open shift in a closed month
never blocks today."""

from datetime import date, datetime, time, timedelta

import pytest

from attendance import services, tasks
from attendance.models import (
    AttendanceAlert,
    ClockEvent,
    DaySummary,
    MonthClosing,
    MonthStatus,
    ScheduleAssignment,
    WorkSchedule,
)
from attendance.worktime import LOCAL_TZ
from core.errors import Conflict
from notifications.models import Notification
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)  # a Wednesday
NEXT = DAY + timedelta(days=1)


def at(hh: int, mm: int = 0, *, day: date = DAY, days: int = 0) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(hh, mm), tzinfo=LOCAL_TZ)


def clock(employee, kind, when, location="office"):
    return services.clock_event_record(employee=employee, kind=kind, location=location, source="web", at=when)


@pytest.fixture
def staff(department):
    return EmployeeFactory(username="staff", department=department)


@pytest.fixture
def director(department):
    return EmployeeFactory(username="director", department=department, position="director")


def forgotten_clock_out(employee):
    """The issue's morning: in 08:30, a lunch break, and no clock-out."""
    clock(employee, "in", at(8, 30))
    clock(employee, "break_start", at(12))
    clock(employee, "break_end", at(13))


def test_the_next_mornings_clock_in_is_accepted_and_closes_the_forgotten_shift(staff, director, frozen_clock):
    frozen_clock.set(at(13))
    forgotten_clock_out(staff)
    frozen_clock.set(at(8, 25, day=NEXT))

    event = clock(staff, "in", None)

    # the new clock-in starts the next day's shift
    assert (event.kind, event.work_date) == ("in", NEXT)
    # the forgotten day is closed for the calculation at the schedule's end, flagged, not a 23-hour day
    left = DaySummary.objects.get(employee=staff, date=DAY)
    assert (left.worked_minutes, left.break_minutes, left.overtime_minutes, left.late_night_minutes) == (
        465,
        60,
        0,
        0,
    )
    assert (left.open_shift, left.complete, left.anomalies) == (False, True, ["missing_clock_out"])
    assert DaySummary.objects.get(employee=staff, date=NEXT).open_shift is True
    # the person and the director are told, once
    [note] = Notification.objects.filter(kind="attendance_open_shift_closed", recipient=staff)
    assert note.data == {"employee": staff.pk, "date": DAY.isoformat()}
    assert Notification.objects.filter(kind="attendance_open_shift_closed", recipient=director).count() == 1


def test_no_23_hour_day_can_be_booked_the_next_morning(staff):
    forgotten_clock_out(staff)

    with pytest.raises(Conflict) as refused:
        clock(staff, "out", at(8, 25, day=NEXT))

    assert refused.value.code == "not_clocked_in"
    assert ClockEvent.objects.filter(employee=staff).count() == 3
    assert DaySummary.objects.get(employee=staff, date=DAY).worked_minutes < 1376


def test_before_its_deadline_the_shift_is_still_open(staff):
    # a council session until 01:30: the shift is not abandoned at midnight
    clock(staff, "in", at(8, 30))

    with pytest.raises(Conflict) as refused:
        clock(staff, "in", at(1, 0, day=NEXT))
    event = clock(staff, "out", at(1, 30, day=NEXT))

    assert refused.value.code == "already_clocked_in"
    assert event.work_date == DAY
    day = DaySummary.objects.get(employee=staff, date=DAY)
    assert (day.worked_minutes, day.anomalies) == (17 * 60 - 60, ["overtime_without_order"])  # none ordered


def test_the_limit_from_the_shifts_start_is_a_setting(staff, settings):
    settings.ATTENDANCE_OPEN_SHIFT_MAX_HOURS = 12
    clock(staff, "in", at(8, 30))

    event = clock(staff, "in", at(20, 30))  # 12 hours later, the same evening

    assert event.work_date == DAY
    assert ClockEvent.objects.filter(employee=staff, kind="in").count() == 2
    assert "missing_clock_out" in DaySummary.objects.get(employee=staff, date=DAY).anomalies


def test_a_night_shift_is_not_cut_by_the_next_days_morning(staff):
    night = WorkSchedule.objects.create(
        name="夜勤", start=time(22), end=time(7), break_start=time(2), break_end=time(3)
    )
    ScheduleAssignment.objects.create(employee=staff, schedule=night, start=DAY)
    clock(staff, "in", at(22))

    event = clock(staff, "out", at(7, 5, day=NEXT))

    assert event.work_date == DAY
    day = DaySummary.objects.get(employee=staff, date=DAY)
    assert (day.worked_minutes, day.scheduled_minutes, day.anomalies) == (485, 480, [])


def test_a_correction_fixes_the_day(staff):
    forgotten_clock_out(staff)
    clock(staff, "in", at(8, 25, day=NEXT))

    services.corrective_events_add(
        employee=staff, day=DAY, events=[{"kind": "out", "at": at(18, 0), "location": "office"}]
    )

    day = DaySummary.objects.get(employee=staff, date=DAY)
    assert (day.worked_minutes, day.overtime_minutes, day.anomalies) == (510, 45, ["overtime_without_order"])


def test_an_open_shift_in_a_closed_month_never_blocks_today(staff, frozen_clock):
    # given a night shift from 31 May whose month was then closed
    may_31 = date(2026, 5, 31)
    frozen_clock.set(at(22, day=may_31))
    clock(staff, "in", None)
    MonthClosing.objects.create(employee=staff, month=date(2026, 5, 1), status=MonthStatus.CLOSED)
    # when the employee clocks in on 1 June, before the open shift's deadline
    frozen_clock.set(at(5, 0, day=date(2026, 6, 1)))
    event = clock(staff, "in", None)
    # then the clock-in starts 1 June's shift
    assert (event.kind, event.work_date) == ("in", date(2026, 6, 1))
    assert DaySummary.objects.get(employee=staff, date=date(2026, 6, 1)).open_shift is True


def test_a_shift_left_open_in_a_closed_month_is_not_recomputed(staff):
    clock(staff, "in", at(8, 30, day=date(2026, 5, 29)))
    MonthClosing.objects.create(employee=staff, month=date(2026, 5, 1), status=MonthStatus.CLOSED)
    before = DaySummary.objects.get(employee=staff, date=date(2026, 5, 29)).computed_at

    clock(staff, "in", at(8, 30, day=date(2026, 6, 1)))

    assert DaySummary.objects.get(employee=staff, date=date(2026, 5, 29)).computed_at == before
    assert not Notification.objects.filter(kind="attendance_open_shift_closed").exists()


def test_the_hourly_job_closes_shifts_past_their_deadline_once(staff, director, frozen_clock):
    # given a shift started at 08:30 and nobody clocking anything since
    frozen_clock.set(at(8, 30))
    clock(staff, "in", None)
    # when the job runs in the evening, the shift is still going; the next morning at 07:00 it is past its deadline
    frozen_clock.set(at(21))
    evening = tasks.close_open_shifts()
    frozen_clock.set(at(7, day=NEXT))
    morning, again = tasks.close_open_shifts(), tasks.close_open_shifts()
    # then
    assert (evening, morning, again) == (0, 1, 0)
    day = DaySummary.objects.get(employee=staff, date=DAY)
    assert (day.worked_minutes, day.anomalies) == (465, ["missing_clock_out"])
    assert {n.recipient for n in Notification.objects.filter(kind="attendance_open_shift_closed")} == {
        staff,
        director,
    }
    assert AttendanceAlert.objects.filter(kind="open_shift_closed").count() == 1


def test_the_job_is_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "attendance.tasks.close_open_shifts" in tasks_scheduled


def test_the_evening_reminder_waits_for_a_late_schedules_end(department, frozen_clock):
    # a 時差出勤 pattern 13:00–21:45 is not reminded at 20:00 in the middle of its day
    late = WorkSchedule.objects.create(
        name="時差出勤C", start=time(13), end=time(21, 45), break_start=time(17), break_end=time(18)
    )
    worker, usual = EmployeeFactory(department=department), EmployeeFactory(department=department)
    ScheduleAssignment.objects.create(employee=worker, schedule=late, start=DAY)
    frozen_clock.set(at(13))
    clock(worker, "in", None)
    clock(usual, "in", None)
    frozen_clock.set(at(20))

    assert tasks.remind_missing_clock_out() == 1
    assert [n.recipient for n in Notification.objects.filter(kind="attendance_missing_clock_out")] == [usual]
