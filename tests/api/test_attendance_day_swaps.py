"""週休日の振替 through the API: the window's boundaries, the kinds of day the rules ask for, the effect of an
approved swap on the day's kind and figures, cancel, the lists' query counts."""

from datetime import date, datetime, time, timedelta

import pytest

from approvals.models import Document
from attendance import services
from attendance.models import DaySummary, DaySwap, MonthClosing, MonthStatus, WorkSchedule
from attendance.worktime import LOCAL_TZ
from tests.api.schema_codes import assert_codes_documented
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/attendance/day-swaps/"
SATURDAY = date(2026, 7, 4)
MONDAY = date(2026, 7, 6)


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)  # Wednesday 2026-07-01


@pytest.fixture
def somu(department):
    return {
        "staff": EmployeeFactory(username="staff", department=department),
        "colleague": EmployeeFactory(username="colleague", department=department),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "hr": EmployeeFactory(username="hr", department=department, roles=["hr"]),
    }


def ask(as_user, employee, work_date: date, off_date: date):
    return as_user(employee).post(
        URL,
        {"work_date": work_date.isoformat(), "off_date": off_date.isoformat(), "reason": "町民運動会"},
        format="json",
    )


def approve(as_user, somu, body) -> None:
    response = as_user(somu["director"]).post(f"/api/v1/approvals/documents/{body['document']}/approve/", {})
    assert response.status_code == 200


def test_a_swap_is_routed_to_the_director(as_user, somu):
    response = ask(as_user, somu["staff"], SATURDAY, MONDAY)

    body = response.json()
    assert (response.status_code, body["status"]) == (201, "submitted")
    assert Document.objects.get(pk=body["document"]).kind == "day_swap"
    inbox = as_user(somu["director"]).get("/api/v1/approvals/inbox/").json()["results"]
    assert body["document"] in [item["document"]["id"] for item in inbox]


def test_an_approved_swap_makes_the_rest_day_a_working_day_and_the_working_day_a_rest_day(as_user, somu):
    saturday, monday = date(2026, 6, 27), date(2026, 6, 29)
    for kind, hh, mm in (("in", 8, 30), ("out", 17, 15)):
        at = datetime.combine(saturday, time(hh, mm), tzinfo=LOCAL_TZ)
        services.clock_event_record(employee=somu["staff"], kind=kind, location="office", source="web", at=at)
    worked = DaySummary.objects.get(employee=somu["staff"], date=saturday)
    assert (worked.day_kind, worked.overtime_minutes) == ("weekly_rest", 465)  # all of it overtime

    body = ask(as_user, somu["staff"], saturday, monday).json()
    approve(as_user, somu, body)

    worked.refresh_from_db()
    assert (worked.day_kind, worked.overtime_minutes, worked.scheduled_minutes) == ("workday", 0, 465)
    off = DaySummary.objects.get(employee=somu["staff"], date=monday)
    assert (off.day_kind, off.is_holiday) == ("weekly_rest", True)
    rows = (
        as_user(somu["hr"])
        .get("/api/v1/attendance/export.csv", {"month": "2026-06"})
        .content.decode("utf-8-sig")
    )
    monday_row = next(line for line in rows.splitlines() if "2026-06-29" in line)
    assert "週休日" in monday_row
    assert "no_record" not in monday_row


def test_the_window_runs_from_4_weeks_before_to_8_weeks_after(as_user, somu):
    """Weeks from a 週休日 land on the same weekday: a schedule resting on Mondays and Tuesdays in June and from
    August makes the window's edges (Saturdays) working days."""
    hr = somu["hr"]
    mon_tue = services.schedule_create(
        actor=hr,
        name="月火休み",
        start=time(8, 30),
        end=time(17, 15),
        break_start=time(12),
        break_end=time(13),
        rest_weekdays=[0, 1],
    )
    services.schedule_assignment_create(
        actor=hr, employee=somu["staff"], schedule=mon_tue, start=date(2026, 6, 1), end=date(2026, 6, 30)
    )
    services.schedule_assignment_create(
        actor=hr, employee=somu["staff"], schedule=mon_tue, start=date(2026, 8, 1)
    )
    earliest, latest = SATURDAY - timedelta(weeks=4), SATURDAY + timedelta(weeks=8)

    too_early = ask(as_user, somu["staff"], SATURDAY, earliest - timedelta(days=1))
    too_late = ask(as_user, somu["staff"], SATURDAY, latest + timedelta(days=1))
    first = ask(as_user, somu["staff"], SATURDAY, earliest)
    document = first.json()["document"]
    as_user(somu["director"]).post(f"/api/v1/approvals/documents/{document}/reject/", {"comment": "再考"})
    last = ask(as_user, somu["staff"], SATURDAY, latest)

    assert (first.status_code, last.status_code) == (201, 201)
    for refused in (too_early, too_late):
        assert refused.status_code == 422
        [error] = refused.json()["errors"]
        assert (error["field"], error["code"]) == ("off_date", "swap_outside_window")
        assert error["params"] == {"earliest": "2026-06-06", "latest": "2026-08-29"}
        assert_codes_documented(refused)
    assert WorkSchedule.objects.count() == 1


def test_the_rules_ask_for_a_rest_day_and_a_working_day(as_user, somu):
    holiday = date(2026, 7, 20)  # 海の日, a Monday

    both_wrong = ask(as_user, somu["staff"], MONDAY, SATURDAY + timedelta(days=7))
    on_a_holiday = ask(as_user, somu["staff"], SATURDAY, holiday)

    assert both_wrong.status_code == 422
    assert sorted(e["code"] for e in both_wrong.json()["errors"]) == [
        "swap_not_rest_day",
        "swap_not_working_day",
    ]
    assert [e["code"] for e in on_a_holiday.json()["errors"]] == ["swap_not_working_day"]
    assert_codes_documented(both_wrong)
    assert not DaySwap.objects.exists()


def test_a_day_is_in_one_swap_at_a_time(as_user, somu):
    assert ask(as_user, somu["staff"], SATURDAY, MONDAY).status_code == 201

    again = ask(as_user, somu["staff"], SATURDAY, MONDAY + timedelta(days=1))
    colleague = ask(as_user, somu["colleague"], SATURDAY, MONDAY)

    assert [(e["field"], e["code"]) for e in again.json()["errors"]] == [("work_date", "overlapping_swap")]
    assert colleague.status_code == 201
    assert DaySwap.objects.count() == 2


def test_a_closed_month_refuses_a_swap(as_user, somu):
    MonthClosing.objects.create(employee=somu["staff"], month=date(2026, 6, 1), status=MonthStatus.CLOSED)

    response = ask(as_user, somu["staff"], SATURDAY, date(2026, 6, 30))

    assert (response.status_code, response.json()["code"]) == (409, "month_closed")
    assert_codes_documented(response)
    assert not DaySwap.objects.exists()


def test_cancelling_an_approved_swap_gives_the_days_back_their_kinds(as_user, somu, frozen_clock):
    body = ask(as_user, somu["staff"], SATURDAY, MONDAY).json()
    approve(as_user, somu, body)
    assert DaySummary.objects.get(employee=somu["staff"], date=MONDAY).day_kind == "weekly_rest"

    response = as_user(somu["director"]).post(f"{URL}{body['id']}/cancel/")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert DaySummary.objects.get(employee=somu["staff"], date=MONDAY).day_kind == "workday"
    assert DaySummary.objects.get(employee=somu["staff"], date=SATURDAY).day_kind == "weekly_rest"


def test_a_swap_is_cancelled_before_its_first_day(as_user, somu, frozen_clock):
    withdrawn = ask(as_user, somu["staff"], SATURDAY, MONDAY).json()
    body = ask(as_user, somu["staff"], SATURDAY + timedelta(days=7), MONDAY + timedelta(days=7)).json()
    approve(as_user, somu, body)

    by_colleague = as_user(somu["colleague"]).post(f"{URL}{body['id']}/cancel/")
    withdrawing = as_user(somu["staff"]).post(f"{URL}{withdrawn['id']}/cancel/")
    frozen_clock.set(datetime(2026, 7, 11, 9, 0, tzinfo=LOCAL_TZ))
    on_the_day = as_user(somu["staff"]).post(f"{URL}{body['id']}/cancel/")

    assert by_colleague.status_code == 404
    assert withdrawing.json()["status"] == "withdrawn"
    assert (on_the_day.status_code, on_the_day.json()["code"]) == (409, "swap_started")
    assert_codes_documented(on_the_day)
    assert DaySwap.objects.get(pk=body["id"]).status == "approved"


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_costs_a_fixed_number_of_queries(as_user, somu, django_assert_max_num_queries, count):
    for n in range(count):
        employee = EmployeeFactory(department=somu["staff"].department)
        services.day_swap_request(
            employee=employee, work_date=SATURDAY, off_date=MONDAY + timedelta(days=n % 3)
        )
    client = as_user(somu["director"])

    with django_assert_max_num_queries(6):
        response = client.get(URL, {"department": "somu", "month": "2026-07", "page_size": 50})

    assert response.json()["count"] == count
    assert as_user(somu["staff"]).get(URL).json()["count"] == 0
    assert as_user(somu["staff"]).get(URL, {"department": "somu"}).status_code == 403
