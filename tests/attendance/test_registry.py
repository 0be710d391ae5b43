"""attendance.registry: attendance learns of telework days only through the registry that it owns and the
telework app fills in its AppConfig.ready(); with nothing registered there are no telework days."""

from datetime import date, datetime, time

import pytest

from attendance import registry, services
from attendance.models import AttendanceAlert, DaySummary
from attendance.worktime import LOCAL_TZ
from notifications.models import Notification
from telework.models import RequestStatus, TeleworkDay, TeleworkRequest
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)  # a Wednesday, before the frozen "now" of tests/attendance


def a_day_from_home(employee) -> None:
    """In at 8:30 and out at 17:15, both from home."""
    for kind, at in (("in", time(8, 30)), ("out", time(17, 15))):
        services.clock_event_record(
            employee=employee,
            kind=kind,
            location="home",
            source="web",
            at=datetime.combine(DAY, at, tzinfo=LOCAL_TZ),
        )


def approved_telework_day(employee, day: date = DAY, location: str = "home") -> TeleworkDay:
    """The telework app's outcome of an approved request, built raw: attendance reads nothing else of it."""
    request = TeleworkRequest.objects.create(
        employee=employee,
        department=employee.department,
        location=location,
        work_plan="資料作成",
        status=RequestStatus.APPROVED,
    )
    return TeleworkDay.objects.create(
        request=request,
        date=day,
        employee=employee,
        department=employee.department,
        location=location,
        status=RequestStatus.APPROVED,
    )


@pytest.fixture
def staff(department):
    EmployeeFactory(department=department, position="director")
    return EmployeeFactory(department=department)


def test_with_telework_installed_an_approved_day_away_is_a_telework_day(staff):
    # given an approved telework day at home (telework registered itself when the apps were ready)
    approved_telework_day(staff)

    # when the employee works the day from home
    a_day_from_home(staff)

    # then the day is a telework day: no anomaly, no alert, nobody told
    summary = DaySummary.objects.get(employee=staff, date=DAY)
    assert (summary.location, summary.anomalies) == ("home", [])
    assert not AttendanceAlert.objects.exists()
    assert not Notification.objects.filter(kind="telework_without_approval").exists()


def test_with_nothing_registered_there_are_no_telework_days(staff, monkeypatch):
    # given the same approved day, but nothing registered with attendance
    approved_telework_day(staff)
    monkeypatch.setattr(registry, "_REGISTERED", {})

    # when the employee works the day from home
    a_day_from_home(staff)

    # then the clock-in is recorded and flagged once (the alert row), and nobody is told
    summary = DaySummary.objects.get(employee=staff, date=DAY)
    assert (summary.location, summary.anomalies) == ("home", ["telework_without_approval"])
    assert list(AttendanceAlert.objects.values_list("kind", "period")) == [
        ("telework_without_approval", "2026-06-10")
    ]
    assert not Notification.objects.exists()


def test_attendance_asks_whatever_is_registered(staff, monkeypatch):
    # given a registry holding a stand-in for the telework app that knows no approved day
    monkeypatch.setattr(registry, "_REGISTERED", {})
    asked, told = [], []

    def approved_location(*, employee, on):
        asked.append((employee.pk, on))

    def without_approval_notify(*, employee, on, location):
        told.append((employee.pk, on, location))

    registry.register_telework_days(
        approved_location=approved_location, without_approval_notify=without_approval_notify
    )

    # when the employee works the day from home
    a_day_from_home(staff)

    # then attendance asked it about that day (at each recomputation) and had it tell of the clock-in, once
    assert asked == [(staff.pk, DAY), (staff.pk, DAY)]
    assert told == [(staff.pk, DAY, "home")]
    assert not Notification.objects.exists()
