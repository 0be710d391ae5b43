"""POST /api/v1/attendance/clock/ away from the office, with and without an approved telework day; the days
endpoint shows the anomaly codes and the director's notification arrives once (the telework test town)."""

from datetime import date, time

import pytest

from approvals import services as approvals
from attendance.models import ClockEvent
from telework import services
from tests.telework.town import Clock, build_town

TUE, WED = date(2026, 11, 17), date(2026, 11, 18)
CLOCK = "/api/v1/attendance/clock/"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def town(db, clock):
    return build_town()


def approved_day(town, employee, day, location="home"):
    request = services.telework_request_create(
        employee=employee, dates=[day], location=location, work_plan="資料作成"
    )
    document = request.document
    for approver in (town.chief, town.director):
        document = approvals.document_approve(document=document, actor=approver)


def post_clock(client, clock, kind, day, hour, minute=0, location="home"):
    clock.set(day, time(hour, minute))
    response = client.post(CLOCK, {"kind": kind, "location": location}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def days(client, day):
    response = client.get(f"/api/v1/attendance/days/?from={day}&to={day}")
    assert response.status_code == 200
    return response.json()["results"]


def without_approval_notes(as_user, employee):
    results = as_user(employee).get("/api/v1/notifications/").json()["results"]
    return [note for note in results if note["kind"] == "telework_without_approval"]


def test_clock_in_from_home_without_approval_is_recorded_flagged_and_the_director_told_once(
    as_user, town, clock
):
    staff = as_user(town.staff[0])
    # when the employee clocks in from home with no approved day, then again after a break in the field
    first = post_clock(staff, clock, "in", TUE, 8, 30)
    post_clock(staff, clock, "out", TUE, 11)
    post_clock(staff, clock, "in", TUE, 13, location="mobile")
    post_clock(staff, clock, "out", TUE, 16)
    # then the clock-in was recorded as any other
    assert (first["kind"], first["location"], first["work_date"]) == ("in", "home", "2026-11-17")
    assert ClockEvent.objects.filter(employee=town.staff[0]).count() == 4
    # and the day carries the anomaly code
    [day] = days(staff, TUE)
    assert (day["location"], day["anomalies"]) == ("mixed", ["telework_without_approval"])
    # and the director, nobody else, has exactly one notification about it
    [note] = without_approval_notes(as_user, town.director)
    assert note["data"] == {"employee": town.staff[0].pk, "date": "2026-11-17", "location": "home"}
    assert without_approval_notes(as_user, town.chief) == []


def test_clock_in_from_home_on_an_approved_day_is_normal(as_user, town, clock):
    approved_day(town, town.staff[0], TUE)
    staff = as_user(town.staff[0])

    post_clock(staff, clock, "in", TUE, 8, 30)
    post_clock(staff, clock, "out", TUE, 17, 15)

    [day] = days(staff, TUE)
    assert (day["location"], day["worked_minutes"], day["anomalies"]) == ("home", 465, [])
    assert without_approval_notes(as_user, town.director) == []


def test_overtime_on_an_approved_telework_day_shows_in_the_days(as_user, town, clock):
    approved_day(town, town.staff[0], TUE, location="satellite")
    staff = as_user(town.staff[0])

    post_clock(staff, clock, "in", TUE, 8, 30, location="satellite")
    post_clock(staff, clock, "out", TUE, 19, location="satellite")

    [day] = days(staff, TUE)
    # no overtime order, let alone one for a telework day
    assert (day["overtime_minutes"], day["anomalies"]) == (
        105,
        ["overtime_on_telework", "overtime_without_order"],
    )


def test_the_director_sees_the_flag_in_the_staff_members_days(as_user, town, clock):
    post_clock(as_user(town.staff[0]), clock, "in", WED, 8, 30, location="satellite")

    response = as_user(town.director).get(
        f"/api/v1/attendance/days/?from={WED}&to={WED}&employee={town.staff[0].pk}"
    )

    assert response.status_code == 200
    assert [day["anomalies"] for day in response.json()["results"]] == [["telework_without_approval"]]
