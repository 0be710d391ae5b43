"""Periodic alerts: each job run twice notifies once."""

from datetime import date, datetime, time, timedelta

import pytest

from attendance import services, tasks
from attendance.models import AttendanceAlert
from attendance.worktime import LOCAL_TZ
from notifications.models import Notification
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def clock(employee, kind, when, location="office"):
    return services.clock_event_record(employee=employee, kind=kind, location=location, source="web", at=when)


@pytest.fixture
def somu(department):
    return {
        "staff": EmployeeFactory(username="staff", department=department),
        "director": EmployeeFactory(username="director", department=department, position="director"),
    }


@pytest.mark.parametrize("evening", [time(20, 0), time(23, 59)])
def test_missing_clock_out_reminder_runs_twice_and_notifies_once(somu, frozen_clock, evening):
    # given one employee still clocked in and one who left, on the evening of DAY (a minute before midnight too)
    frozen_clock.set(at(8, 25))
    clock(somu["staff"], "in", None)
    clock(somu["director"], "in", None)
    frozen_clock.set(at(17, 20))
    clock(somu["director"], "out", None)
    frozen_clock.set(at(evening.hour, evening.minute))
    # when the task asks the clock for today
    first, second = tasks.remind_missing_clock_out(), tasks.remind_missing_clock_out()
    # then
    assert (first, second) == (1, 0)
    [note] = Notification.objects.filter(kind="attendance_missing_clock_out")
    assert note.recipient == somu["staff"]
    assert note.data == {"date": DAY.isoformat()}


def test_missing_clock_out_reminder_after_midnight_is_about_the_new_day(somu, frozen_clock):
    # given a shift of DAY still open, and the task running a minute after midnight
    clock(somu["staff"], "in", at(8, 30))
    frozen_clock.set(at(0, 1, day=DAY + timedelta(days=1)))
    # when
    sent = tasks.remind_missing_clock_out()
    # then the new day has no open shift yet: nobody is reminded about it
    assert sent == 0
    assert not Notification.objects.filter(kind="attendance_missing_clock_out").exists()


def test_anomaly_digest_settles_the_day_and_notifies_the_director_once(somu, department):
    # given a forgotten clock-out and a short break, recorded while the day was still going on
    clock(somu["staff"], "in", at(8, 30))
    clock(somu["director"], "in", at(8, 30))
    clock(somu["director"], "break_start", at(12))
    clock(somu["director"], "break_end", at(12, 20))
    clock(somu["director"], "out", at(18))
    other = EmployeeFactory(department=DepartmentFactory())  # another department without anomalies
    clock(other, "in", at(8, 30))
    clock(other, "out", at(17, 15))
    # when
    first = services.anomaly_digests_send(day=DAY)
    second = services.anomaly_digests_send(day=DAY)
    # then
    assert (first, second) == (1, 0)
    [note] = Notification.objects.filter(kind="attendance_anomalies")
    assert note.recipient == somu["director"]
    assert note.data["employees"] == {
        str(somu["staff"].pk): ["missing_clock_out"],
        str(somu["director"].pk): ["break_short", "overtime_without_order"],
    }
    assert "退勤打刻なし" in note.body


def _overtime_days(employee, days: int, *, minutes_each: int = 180, start=date(2026, 6, 1)):
    """Workdays with `minutes_each` overtime (8:30 to 17:15 + overtime, the scheduled break deducted)."""
    day, done = start, 0
    while done < days:
        if day.weekday() < 5:
            end = datetime.combine(day, time(17, 15), tzinfo=LOCAL_TZ) + timedelta(minutes=minutes_each)
            clock(employee, "in", at(8, 30, day=day))
            clock(employee, "out", end)
            done += 1
        day += timedelta(days=1)


def test_overtime_warning_at_80_percent_goes_to_employee_and_director_once(somu):
    # given 12 days of 3 h overtime in June: 36 h, 80 % of 45 h
    _overtime_days(somu["staff"], 12)
    # when
    first = services.overtime_alerts_check(today=date(2026, 6, 30))
    second = services.overtime_alerts_check(today=date(2026, 6, 30))
    # then
    assert (first, second) == (1, 0)
    notes = Notification.objects.filter(kind="attendance_overtime")
    assert {n.recipient for n in notes} == {somu["staff"], somu["director"]}
    assert {n.data["threshold"] for n in notes} == {80}
    assert list(AttendanceAlert.objects.values_list("kind", "period", "threshold", "value_minutes")) == [
        ("monthly_limit", "2026-06", 80, 36 * 60)
    ]


def test_crossing_the_limit_later_sends_the_100_percent_alert_once(somu):
    _overtime_days(somu["staff"], 12)
    services.overtime_alerts_check(today=date(2026, 6, 20))
    # when two more days push June past 45 h
    _overtime_days(somu["staff"], 4, start=date(2026, 6, 24))
    crossed = services.overtime_alerts_check(today=date(2026, 6, 30))
    again = services.overtime_alerts_check(today=date(2026, 6, 30))
    # then
    assert (crossed, again) == (1, 0)
    assert sorted(AttendanceAlert.objects.values_list("threshold", flat=True)) == [80, 100]
    staff_notes = Notification.objects.filter(kind="attendance_overtime", recipient=somu["staff"])
    assert sorted(n.data["threshold"] for n in staff_notes) == [80, 100]


def test_exempt_department_is_not_warned_at_45_hours(somu):
    exempt = DepartmentFactory(overtime_exempt=True)
    worker = EmployeeFactory(department=exempt)
    _overtime_days(worker, 16)  # 48 h

    assert services.overtime_alerts_check(today=date(2026, 6, 30)) == 0
    assert not AttendanceAlert.objects.exists()


def test_the_tasks_are_registered_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {
        "attendance.tasks.remind_missing_clock_out",
        "attendance.tasks.notify_directors_of_anomalies",
        "attendance.tasks.check_overtime_limits",
    } <= tasks_scheduled
