"""The daily overtime check (issue 12, item 3): the month a day belongs to (the previous month too on a month's
first days), once per threshold, the exempted posts' 720 h and six months over 45 h, the 面接指導 notice to HR,
and 休日勤務 within the regular hours kept out of the limits (item 5)."""

from datetime import date, datetime, time, timedelta

import pytest

from attendance import services
from attendance.models import AttendanceAlert
from attendance.worktime import LOCAL_TZ
from notifications.models import Notification
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def clock(employee, kind, when):
    return services.clock_event_record(employee=employee, kind=kind, location="office", source="web", at=when)


def overtime_on(employee, day: date, minutes: int):
    """A day from 8:30 to 17:15 plus `minutes` of overtime (the scheduled break deducted)."""
    clock(employee, "in", at(day, 8, 30))
    clock(employee, "out", at(day, 17, 15) + timedelta(minutes=minutes))


def workdays(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5 and day != date(2026, 4, 29):
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture
def somu(department):
    return {
        "staff": EmployeeFactory(username="staff", department=department),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "hr": EmployeeFactory(username="hr", department=DepartmentFactory(), roles=["hr"]),
    }


def alerts(employee):
    return sorted(
        AttendanceAlert.objects.filter(employee=employee).values_list("kind", "period", "threshold")
    )


def test_a_45_hour_crossing_on_the_months_last_day_is_alerted_the_next_morning(somu):
    # given 45 h of overtime by 29 June (15 days of 3 h), checked that night: within the limit, warned at 80 %
    for day in workdays(date(2026, 6, 1), 15):
        overtime_on(somu["staff"], day, 180)
    services.overtime_alerts_check(today=date(2026, 6, 29))
    assert alerts(somu["staff"]) == [("monthly_limit", "2026-06", 80)]
    # when one more hour on 30 June crosses 45 h, and the check next runs on 1 July
    overtime_on(somu["staff"], date(2026, 6, 30), 60)
    sent = services.overtime_alerts_check(today=date(2026, 7, 1))
    again = services.overtime_alerts_check(today=date(2026, 7, 2))
    # then June's crossing is alerted, once
    assert (sent, again) == (1, 0)
    assert alerts(somu["staff"]) == [("monthly_limit", "2026-06", 80), ("monthly_limit", "2026-06", 100)]
    crossed = Notification.objects.filter(kind="attendance_overtime", data__threshold=100)
    assert {n.recipient for n in crossed} == {somu["staff"], somu["director"]}
    assert {n.data["period"] for n in crossed} == {"2026-06"}


def test_the_previous_month_is_looked_at_only_on_the_first_days(somu, settings):
    settings.ATTENDANCE_OVERTIME_PREVIOUS_MONTH_DAYS = 3
    for day in workdays(date(2026, 6, 1), 16):
        overtime_on(somu["staff"], day, 180)  # 48 h in June

    assert services.overtime_alerts_check(today=date(2026, 7, 4)) == 0
    assert services.overtime_alerts_check(today=date(2026, 7, 3)) == 1


def test_the_last_day_of_march_counts_in_its_own_fiscal_year(somu, frozen_clock):
    frozen_clock.set(at(date(2026, 4, 1), 6, 30))
    for day in workdays(date(2025, 4, 1), 250):  # 1.5 h a day up to 31 March: over 360 h in FY2025
        if day <= date(2026, 3, 31):
            overtime_on(somu["staff"], day, 90)

    services.overtime_alerts_check(today=date(2026, 4, 1))

    assert ("yearly_limit", "FY2025", 100) in alerts(somu["staff"])
    assert not [a for a in alerts(somu["staff"]) if a[1] == "FY2026"]


def test_100_hours_in_a_month_tell_hr_once_for_a_medical_interview(somu):
    exempt = DepartmentFactory(overtime_exempt=True)
    worker = EmployeeFactory(department=exempt)
    for day in workdays(date(2026, 6, 1), 20):
        overtime_on(worker, day, 300)  # 100 h in June

    first = services.overtime_alerts_check(today=date(2026, 6, 30))
    second = services.overtime_alerts_check(today=date(2026, 6, 30))

    [note] = Notification.objects.filter(kind="attendance_interview_guidance")
    assert note.recipient == somu["hr"]
    assert note.data == {
        "employee": worker.pk,
        "kind": "interview_guidance",
        "period": "2026-06",
        "minutes": 100 * 60,
        "limit_minutes": 100 * 60,
    }
    assert ("interview_guidance", "2026-06", 100) in alerts(worker)
    assert (first, second) == (2, 0)  # the monthly limit to the worker and director, the notice to HR


def test_holiday_work_within_regular_hours_does_not_count_towards_the_limits(somu, frozen_clock):
    # given 44 h of weekday overtime in July, and 海の日 (Monday 20 July, a 休日) worked 8:30–17:15
    frozen_clock.set(at(date(2026, 8, 1), 6, 30))
    umi_no_hi = date(2026, 7, 20)
    days = [d for d in workdays(date(2026, 7, 1), 23) if d != umi_no_hi][:22]
    for day in sorted([*days, umi_no_hi]):
        overtime_on(somu["staff"], day, 0 if day == umi_no_hi else 120)  # 44 h on the 22 weekdays
    # when July is checked
    services.overtime_alerts_check(today=date(2026, 7, 31))
    # then the limit is not crossed: the holiday's regular hours are 休日勤務, not 時間外勤務
    assert alerts(somu["staff"]) == [("monthly_limit", "2026-07", 80)]
