"""Schedules HR can maintain (issue 12, item 6): GET|POST|PATCH /api/v1/attendance/schedules/ and POST
/api/v1/attendance/schedule-assignments/ for HR, the admin through the same services; short hours
(会計年度任用職員), 時差出勤 and night shifts used by the day calculation and the CSV."""

import csv
import io
from datetime import date, datetime, time

import pytest

from attendance import services
from attendance.models import DaySummary, MonthClosing, MonthStatus, ScheduleAssignment, WorkSchedule
from attendance.worktime import LOCAL_TZ
from org import services as org_services
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

SCHEDULES = "/api/v1/attendance/schedules/"
ASSIGNMENTS = "/api/v1/attendance/schedule-assignments/"
DAY = date(2026, 6, 10)
SHORT = {
    "name": "短時間勤務(会計年度)",
    "start": "09:00",
    "end": "15:00",
    "break_start": "12:00",
    "break_end": "13:00",
}


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def clock(employee, kind, when):
    return services.clock_event_record(employee=employee, kind=kind, location="office", source="web", at=when)


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def town(department):
    return {
        "staff": EmployeeFactory(username="staff", department=department, employee_number="20001"),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "hr": EmployeeFactory(username="hr", department=DepartmentFactory(), roles=["hr"]),
        "secretariat": EmployeeFactory(username="sec", department=department, roles=["secretariat"]),
    }


def test_hr_creates_lists_and_reads_a_schedule(as_user, town):
    client = as_user(town["hr"])

    created = client.post(SCHEDULES, {**SHORT, "rest_weekdays": [4, 5, 6]}, format="json")
    listed = client.get(SCHEDULES)
    read = client.get(f"{SCHEDULES}{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json() == {
        "id": created.json()["id"],
        "name": "短時間勤務(会計年度)",
        "start": "09:00:00",
        "end": "15:00:00",
        "break_start": "12:00:00",
        "break_end": "13:00:00",
        "rest_weekdays": [4, 5, 6],
        "minutes": 300,
    }
    assert [s["name"] for s in listed.json()["results"]] == ["短時間勤務(会計年度)"]
    assert read.json() == created.json()


def test_a_night_shift_and_a_staggered_pattern(as_user, town):
    client = as_user(town["hr"])

    night = client.post(
        SCHEDULES,
        {"name": "夜勤", "start": "22:00", "end": "07:00", "break_start": "02:00", "break_end": "03:00"},
        format="json",
    )
    staggered = client.post(
        SCHEDULES,
        {"name": "時差出勤A", "start": "07:30", "end": "16:15", "break_start": "11:30", "break_end": "12:30"},
        format="json",
    )

    assert (night.status_code, night.json()["minutes"], night.json()["rest_weekdays"]) == (201, 480, [5, 6])
    assert (staggered.status_code, staggered.json()["minutes"]) == (201, 465)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"break_start": "16:00", "break_end": "17:00"}, "invalid_schedule"),  # the break outside the day
        ({"break_end": None}, "invalid_schedule"),  # half a break
        ({"rest_weekdays": [0, 1, 2, 3, 4, 5, 6]}, "invalid_schedule"),
    ],
)
def test_an_impossible_schedule_is_400_and_creates_nothing(as_user, town, change, code):
    response = as_user(town["hr"]).post(SCHEDULES, {**SHORT, **change}, format="json")

    assert response.status_code == 400
    assert code in [e["code"] for e in response.json()["errors"]]
    assert not WorkSchedule.objects.exists()


def test_a_name_is_used_once(as_user, town):
    as_user(town["hr"]).post(SCHEDULES, SHORT, format="json")

    response = as_user(town["hr"]).post(SCHEDULES, SHORT, format="json")

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("name", "unique")]
    assert WorkSchedule.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "director", "secretariat"])
def test_schedules_are_for_hr_and_denials_change_nothing(as_user, api_client, town, who):
    schedule = WorkSchedule.objects.create(name="既存", start=time(9), end=time(15))

    assert api_client.get(SCHEDULES).status_code == 401
    client = as_user(town[who])
    assert client.get(SCHEDULES).status_code == 403
    assert client.post(SCHEDULES, SHORT, format="json").status_code == 403
    assert client.patch(f"{SCHEDULES}{schedule.pk}/", {"end": "16:00"}, format="json").status_code == 403
    assert (
        client.post(
            ASSIGNMENTS,
            {"employee": town["staff"].pk, "schedule": schedule.pk, "start": "2026-07-01"},
            format="json",
        ).status_code
        == 403
    )
    assert list(WorkSchedule.objects.values_list("name", "end")) == [("既存", time(15))]
    assert not ScheduleAssignment.objects.exists()


def test_an_assignment_is_used_by_the_day_calculation(as_user, town):
    schedule = as_user(town["hr"]).post(SCHEDULES, SHORT, format="json").json()
    clock(town["staff"], "in", at(9))
    clock(town["staff"], "out", at(16))
    before = DaySummary.objects.get(employee=town["staff"], date=DAY)
    assert (before.scheduled_minutes, before.overtime_minutes, before.late_minutes) == (
        465,
        0,
        30,
    )  # 8:30–17:15

    response = as_user(town["hr"]).post(
        ASSIGNMENTS,
        {
            "employee": town["staff"].pk,
            "schedule": schedule["id"],
            "start": "2026-06-01",
            "end": "2026-06-30",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "employee": town["staff"].pk,
        "schedule": schedule["id"],
        "start": "2026-06-01",
        "end": "2026-06-30",
    }
    # the day already computed is recomputed with the short day: 6 h worked, 1 h beyond its 5 h
    day = DaySummary.objects.get(employee=town["staff"], date=DAY)
    assert (day.scheduled_minutes, day.overtime_minutes, day.late_minutes) == (300, 60, 0)
    listed = as_user(town["hr"]).get(f"{ASSIGNMENTS}?employee={town['staff'].pk}").json()["results"]
    assert [a["schedule"] for a in listed] == [schedule["id"]]


def test_a_temporary_assignment_applies_inside_an_open_ended_one(town):
    staggered = WorkSchedule.objects.create(
        name="時差出勤B", start=time(9, 30), end=time(18, 15), break_start=time(12), break_end=time(13)
    )
    short = WorkSchedule.objects.create(
        name="育児短時間", start=time(9), end=time(15), break_start=time(12), break_end=time(13)
    )
    services.schedule_assignment_create(
        actor=town["hr"], employee=town["staff"], schedule=staggered, start=date(2026, 4, 1)
    )
    services.schedule_assignment_create(
        actor=town["hr"], employee=town["staff"], schedule=short, start=DAY, end=DAY
    )

    for day in (DAY, date(2026, 6, 11)):
        clock(town["staff"], "in", at(9, 30, day=day))
        clock(town["staff"], "out", at(15, day=day))

    short_day, usual = DaySummary.objects.filter(employee=town["staff"]).order_by("date")
    assert (short_day.scheduled_minutes, short_day.late_minutes, short_day.early_leave_minutes) == (
        300,
        30,
        0,
    )
    assert (usual.scheduled_minutes, usual.late_minutes, usual.early_leave_minutes) == (465, 0, 195)


def test_an_assignment_never_reaches_a_month_no_longer_open(as_user, town):
    schedule = WorkSchedule.objects.create(name="時差出勤A", start=time(7, 30), end=time(16, 15))
    MonthClosing.objects.create(employee=town["staff"], month=date(2026, 6, 1), status=MonthStatus.CLOSED)

    response = as_user(town["hr"]).post(
        ASSIGNMENTS,
        {"employee": town["staff"].pk, "schedule": schedule.pk, "start": "2026-06-15"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (409, "month_closed")
    assert not ScheduleAssignment.objects.exists()


def test_two_assignments_from_the_same_day_are_refused(as_user, town):
    schedule = WorkSchedule.objects.create(name="時差出勤A", start=time(7, 30), end=time(16, 15))
    payload = {"employee": town["staff"].pk, "schedule": schedule.pk, "start": "2026-07-01"}
    as_user(town["hr"]).post(ASSIGNMENTS, payload, format="json")

    response = as_user(town["hr"]).post(ASSIGNMENTS, payload, format="json")

    assert (response.status_code, response.json()["code"]) == (422, "schedule_assignment_overlap")
    assert ScheduleAssignment.objects.count() == 1


def test_patching_a_schedule_recomputes_its_days(as_user, town):
    schedule = WorkSchedule.objects.create(
        name="短時間", start=time(9), end=time(15), break_start=time(12), break_end=time(13)
    )
    ScheduleAssignment.objects.create(employee=town["staff"], schedule=schedule, start=date(2026, 6, 1))
    clock(town["staff"], "in", at(9))
    clock(town["staff"], "out", at(16))

    response = as_user(town["hr"]).patch(f"{SCHEDULES}{schedule.pk}/", {"end": "16:00"}, format="json")

    assert (response.status_code, response.json()["minutes"]) == (200, 360)
    day = DaySummary.objects.get(employee=town["staff"], date=DAY)
    assert (day.scheduled_minutes, day.overtime_minutes) == (360, 0)


def test_a_schedule_used_by_a_closed_month_keeps_its_times_but_may_be_renamed(as_user, town):
    schedule = WorkSchedule.objects.create(name="短時間", start=time(9), end=time(15))
    ScheduleAssignment.objects.create(employee=town["staff"], schedule=schedule, start=date(2026, 5, 1))
    MonthClosing.objects.create(employee=town["staff"], month=date(2026, 5, 1), status=MonthStatus.CLOSED)
    client = as_user(town["hr"])

    refused = client.patch(f"{SCHEDULES}{schedule.pk}/", {"end": "16:00"}, format="json")
    renamed = client.patch(f"{SCHEDULES}{schedule.pk}/", {"name": "短時間(令和8年度)"}, format="json")

    assert (refused.status_code, refused.json()["code"]) == (409, "schedule_in_use")
    assert renamed.status_code == 200
    assert list(WorkSchedule.objects.values_list("name", "end")) == [("短時間(令和8年度)", time(15))]


def test_the_csv_follows_a_part_timers_rest_days(as_user, town):
    # a 会計年度任用職員 working Monday to Thursday: Fridays are 週休日, not days without a record
    four_days = WorkSchedule.objects.create(
        name="週4日",
        start=time(9),
        end=time(16),
        break_start=time(12),
        break_end=time(13),
        rest_weekdays=[4, 5, 6],
    )
    ScheduleAssignment.objects.create(employee=town["staff"], schedule=four_days, start=date(2026, 4, 1))

    response = as_user(town["hr"]).get("/api/v1/attendance/export.csv?month=2026-06&department=somu")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    header = rows[0]
    by_day = {r[3]: dict(zip(header, r, strict=True)) for r in rows[1:] if r[0] == "20001"}
    assert (by_day["2026-06-12"]["区分"], by_day["2026-06-12"]["異常コード"]) == ("週休日", "")
    assert (by_day["2026-06-11"]["区分"], by_day["2026-06-11"]["異常コード"]) == ("勤務日", "no_record")


# --- the admin, through the same services --------------------------------------------------------------


@pytest.fixture
def hr_admin(client, town):
    """HR in the admin: an account made by the organisation's service, which gives the role its admin access."""
    hr = org_services.employee_create(
        actor=None, username="hr-admin", name="人事", department=town["hr"].department, roles=["hr"]
    )
    client.force_login(hr)
    return client


def test_hr_adds_a_schedule_and_an_assignment_in_the_admin(hr_admin, town):
    added = hr_admin.post(
        "/admin/attendance/workschedule/add/",
        {
            "name": "夜勤",
            "start": "22:00",
            "end": "07:00",
            "break_start": "02:00",
            "break_end": "03:00",
            "rest_weekdays": ["5", "6"],
        },
    )
    night = WorkSchedule.objects.get(name="夜勤")
    assigned = hr_admin.post(
        "/admin/attendance/scheduleassignment/add/",
        {"employee": town["staff"].pk, "schedule": night.pk, "start": "2026-07-01", "end": ""},
    )

    assert (added.status_code, assigned.status_code) == (302, 302)
    assert (night.minutes, night.rest_weekdays) == (480, [5, 6])
    assert list(ScheduleAssignment.objects.values_list("employee", "schedule", "start", "end")) == [
        (town["staff"].pk, night.pk, date(2026, 7, 1), None)
    ]


def test_the_admin_refuses_what_the_api_refuses(hr_admin, town):
    schedule = WorkSchedule.objects.create(name="短時間", start=time(9), end=time(15))
    ScheduleAssignment.objects.create(employee=town["staff"], schedule=schedule, start=date(2026, 5, 1))
    MonthClosing.objects.create(employee=town["staff"], month=date(2026, 5, 1), status=MonthStatus.CLOSED)

    changed = hr_admin.post(
        f"/admin/attendance/workschedule/{schedule.pk}/change/",
        {
            "name": "短時間",
            "start": "09:00",
            "end": "16:00",
            "break_start": "",
            "break_end": "",
            "rest_weekdays": ["5", "6"],
        },
    )
    broken = hr_admin.post(
        "/admin/attendance/workschedule/add/",
        {"name": "壊れた", "start": "09:00", "end": "15:00", "break_start": "16:00", "break_end": "17:00"},
    )
    assigned = hr_admin.post(
        "/admin/attendance/scheduleassignment/add/",
        {"employee": town["staff"].pk, "schedule": schedule.pk, "start": "2026-05-20", "end": ""},
    )

    assert (changed.status_code, broken.status_code, assigned.status_code) == (
        200,
        200,
        200,
    )  # the form again
    assert WorkSchedule.objects.get(pk=schedule.pk).end == time(15)
    assert not WorkSchedule.objects.filter(name="壊れた").exists()
    assert ScheduleAssignment.objects.count() == 1
