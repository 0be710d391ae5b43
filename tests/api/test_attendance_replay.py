"""POST /api/v1/attendance/clock/ with `occurred_at`: the portal's offline queue replayed (the contract with the
portal helper). Accepted within ATTENDANCE_OFFLINE_REPLAY_MAX_HOURS in the past and never in the future, with an
Idempotency-Key; stored at that time, flagged on the event and the day; order, month and telework checks as for
any clock event."""

from datetime import date, datetime, time, timedelta

import pytest

from attendance import services
from attendance.models import AttendanceAlert, ClockEvent, DaySummary, MonthClosing, MonthStatus
from attendance.worktime import LOCAL_TZ
from tests.clock import FrozenClock
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)
CLOCK = "/api/v1/attendance/clock/"


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(at(18))


@pytest.fixture
def staff(department):
    return EmployeeFactory(username="staff", department=department)


def replay(client, kind, when, key, location="office"):
    payload = {"kind": kind, "location": location, "occurred_at": when.isoformat()}
    return client.post(CLOCK, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_days_queue_is_replayed_in_order_at_the_times_pressed(as_user, staff):
    client = as_user(staff)

    first = replay(client, "in", at(8, 30), "offline-1")
    second = replay(client, "out", at(17, 15), "offline-2")

    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["at"], first.json()["offline_replay"]) == ("2026-06-10T08:30:00+09:00", True)
    assert first.json()["recorded_at"] == "2026-06-10T18:00:00+09:00"
    assert list(ClockEvent.objects.values_list("kind", "offline_replay")) == [("in", True), ("out", True)]
    day = DaySummary.objects.get(employee=staff, date=DAY)
    assert (day.worked_minutes, day.anomalies) == (465, ["offline_replay"])


def test_a_replay_sent_again_with_its_key_records_nothing_new(as_user, staff):
    client = as_user(staff)

    first = replay(client, "in", at(8, 30), "offline-1")
    again = replay(client, "in", at(8, 30), "offline-1")

    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert ClockEvent.objects.count() == 1


def test_a_replay_needs_an_idempotency_key(as_user, staff):
    response = as_user(staff).post(
        CLOCK, {"kind": "in", "location": "office", "occurred_at": at(8, 30).isoformat()}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "replay_key_required")
    assert not ClockEvent.objects.exists()


def test_a_replay_needs_an_offset(as_user, staff):
    response = replay(as_user(staff), "in", at(8, 30).replace(tzinfo=None), "offline-1")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["occurred_at"]
    assert not ClockEvent.objects.exists()


@pytest.mark.parametrize(
    ("when", "code"),
    [(at(18) - timedelta(hours=12, minutes=1), "replay_too_old"), (at(18, 10), "replay_in_future")],
)
def test_a_replay_outside_its_bounds_is_422(as_user, staff, when, code):
    response = replay(as_user(staff), "in", when, "offline-1")

    assert (response.status_code, response.json()["code"]) == (422, code)
    assert not ClockEvent.objects.exists()


def test_the_bound_is_a_setting(as_user, staff, settings):
    settings.ATTENDANCE_OFFLINE_REPLAY_MAX_HOURS = 2

    assert replay(as_user(staff), "in", at(15, 59), "offline-1").json()["code"] == "replay_too_old"
    assert replay(as_user(staff), "in", at(16, 1), "offline-2").status_code == 201


def test_a_replay_older_than_a_recorded_event_is_409(as_user, staff):
    # the person clocked in at the office at 08:40 while the phone's 08:30 press waited offline
    services.clock_event_record(employee=staff, kind="in", location="office", source="web", at=at(8, 40))

    response = replay(as_user(staff), "in", at(8, 30), "offline-1")

    assert (response.status_code, response.json()["code"]) == (409, "replay_out_of_order")
    assert ClockEvent.objects.count() == 1


def test_a_replay_is_checked_for_order_at_its_time(as_user, staff):
    replay(as_user(staff), "in", at(8, 30), "offline-1")

    response = replay(as_user(staff), "in", at(9), "offline-2")

    assert (response.status_code, response.json()["code"]) == (409, "already_clocked_in")


def test_a_replay_into_a_closed_month_is_409(as_user, staff, frozen_clock):
    frozen_clock.set(at(1, day=date(2026, 7, 1)))
    MonthClosing.objects.create(employee=staff, month=date(2026, 6, 1), status=MonthStatus.CLOSED)

    response = replay(as_user(staff), "out", at(23, 50, day=date(2026, 6, 30)), "offline-1")

    assert (response.status_code, response.json()["code"]) == (409, "month_closed")
    assert not ClockEvent.objects.exists()


def test_a_replayed_remote_clock_in_without_approval_is_flagged_and_reported(as_user, staff, department):
    EmployeeFactory(department=department, position="director")

    response = replay(as_user(staff), "in", at(8, 30), "offline-1", location="mobile")

    assert response.status_code == 201
    day = DaySummary.objects.get(employee=staff, date=DAY)
    assert day.anomalies == ["telework_without_approval", "offline_replay"]
    assert AttendanceAlert.objects.filter(kind="telework_without_approval", period="2026-06-10").count() == 1
