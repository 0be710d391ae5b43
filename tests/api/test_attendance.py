"""/api/v1/attendance/: clocking, days, events, PC logs, timesheets, closing, CSV; authorisation and query counts."""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission

from attendance import services
from attendance.models import ClockEvent, MonthClosing, MonthStatus, PcLogEvent
from attendance.worktime import LOCAL_TZ
from org.models import AccessToken
from tests.api.schema_codes import assert_codes_documented
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)
MONTH = "2026-06"


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def work_day(employee, day=DAY, start=(8, 30), end=(19, 15), location="office"):
    services.clock_event_record(
        employee=employee, kind="in", location=location, source="web", at=at(*start, day=day)
    )
    services.clock_event_record(
        employee=employee, kind="out", location=location, source="web", at=at(*end, day=day)
    )


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    """Every test here runs at a fixed "now" (tests/attendance/clock.py), never the wall clock."""
    return FrozenClock(NOW)


@pytest.fixture
def town(department):
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    return {
        "somu": department,
        "kikaku": kikaku,
        "staff": EmployeeFactory(
            username="staff", name="佐藤 花子", department=department, employee_number="10001"
        ),
        "colleague": EmployeeFactory(username="colleague", department=department, position="senior"),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "chief": EmployeeFactory(username="chief", department=department, position="chief"),
        "other_director": EmployeeFactory(username="other_director", department=kikaku, position="director"),
        "other": EmployeeFactory(username="other", department=kikaku),
        "secretariat": EmployeeFactory(username="secretariat", department=kikaku, roles=["secretariat"]),
        "hr": EmployeeFactory(username="hr", department=kikaku, roles=["hr"]),
    }


# --- Clocking -------------------------------------------------------------------------------------


def test_clock_in_records_an_event_at_server_time(as_user, town, frozen_clock):
    # given the server's clock a minute before midnight
    frozen_clock.set(at(23, 59))

    response = as_user(town["staff"]).post(
        "/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["location"], body["source"], body["employee"]) == (
        "in",
        "office",
        "web",
        town["staff"].pk,
    )
    assert (body["at"], body["work_date"]) == ("2026-06-10T23:59:00+09:00", "2026-06-10")
    event = ClockEvent.objects.get(pk=body["id"])
    assert (event.at, event.work_date) == (at(23, 59), DAY)


def test_clock_out_of_order_is_409_with_a_code(as_user, town):
    response = as_user(town["staff"]).post(
        "/api/v1/attendance/clock/", {"kind": "out", "location": "office"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_clocked_in"
    assert response["Content-Type"].startswith("application/problem+json")
    assert_codes_documented(response)
    assert not ClockEvent.objects.exists()


def test_a_second_clock_in_is_409(as_user, town):
    client = as_user(town["staff"])
    client.post("/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json")

    response = client.post("/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "already_clocked_in")
    assert_codes_documented(response)
    assert ClockEvent.objects.count() == 1


def test_a_retried_clock_in_with_the_same_key_returns_the_first_event(as_user, town):
    client = as_user(town["staff"])
    payload = {"kind": "in", "location": "office"}

    first = client.post("/api/v1/attendance/clock/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/attendance/clock/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert ClockEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"kind": "lunch", "location": "office"}, "kind"), ({"kind": "in", "location": "moon"}, "location")],
)
def test_bad_clock_input_is_400_and_records_nothing(as_user, town, payload, field):
    response = as_user(town["staff"]).post("/api/v1/attendance/clock/", payload, format="json")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not ClockEvent.objects.exists()


def test_clock_needs_a_login(api_client, town):
    response = api_client.post(
        "/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json"
    )

    assert response.status_code == 401
    assert not ClockEvent.objects.exists()


def test_clock_in_a_closed_month_is_409(as_user, town, frozen_clock):
    MonthClosing.objects.create(
        employee=town["staff"], month=frozen_clock.today.replace(day=1), status=MonthStatus.CLOSED
    )

    response = as_user(town["staff"]).post(
        "/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "month_closed")
    assert_codes_documented(response)
    assert not ClockEvent.objects.exists()


@pytest.mark.parametrize(("kind", "history"), [("in", []), ("break_start", ["in"]), ("out", ["in"])])
def test_clock_costs_a_fixed_number_of_queries(
    api_client, town, frozen_clock, django_assert_max_num_queries, kind, history
):
    # given a token (the benchmark's authentication) and some events already today
    frozen_clock.set(at(9))
    _token, key = AccessToken.objects.create(user=town["staff"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for minute, previous in enumerate(history):
        services.clock_event_record(
            employee=town["staff"], kind=previous, location="office", source="web", at=at(8, minute)
        )
    # when / then: the token, then the service's seven (no role look-up); two more for the test's savepoint
    with django_assert_max_num_queries(1 + 7 + 2):
        response = api_client.post(
            "/api/v1/attendance/clock/", {"kind": kind, "location": "office"}, format="json"
        )

    assert response.status_code == 201
    assert ClockEvent.objects.filter(employee=town["staff"]).count() == len(history) + 1


# --- Days: the authorisation matrix ------------------------------------------------------------------

DAYS = f"/api/v1/attendance/days/?from={DAY}&to={DAY}"


def test_days_of_the_example(as_user, town):
    work_day(town["staff"])

    response = as_user(town["staff"]).get(DAYS)

    assert response.status_code == 200
    [day] = response.json()["results"]
    assert day == {
        "employee": town["staff"].pk,
        "date": "2026-06-10",
        "first_in": "2026-06-10T08:30:00+09:00",
        "last_out": "2026-06-10T19:15:00+09:00",
        "location": "office",
        "worked_minutes": 585,
        "break_minutes": 60,
        "overtime_minutes": 120,
        "ordered_overtime_minutes": 0,
        "late_night_minutes": 0,
        "holiday_work_minutes": 0,
        "is_holiday": False,
        "day_kind": "workday",
        "late_minutes": 0,
        "early_leave_minutes": 0,
        "anomalies": ["overtime_without_order"],  # two hours over, and nobody ordered them
        "leave": None,
    }


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("staff", 200),  # own
        ("director", 200),  # the department's director
        ("chief", 200),  # the department's chief
        ("hr", 200),
        ("colleague", 404),  # same department, no manager role
        ("other_director", 404),  # a director of another department
        ("secretariat", 404),  # aggregate only, never individual records
    ],
)
def test_days_authorisation_matrix(as_user, town, viewer, expected):
    work_day(town["staff"])

    response = as_user(town[viewer]).get(f"{DAYS}&employee={town['staff'].pk}")

    assert response.status_code == expected
    if expected == 200:
        assert [d["worked_minutes"] for d in response.json()["results"]] == [585]
    else:
        assert response.json()["code"] == "employee_not_found"


def test_days_anonymous_is_401(api_client, town):
    assert api_client.get(DAYS).status_code == 401


def test_days_of_an_unknown_employee_is_404(as_user, town):
    response = as_user(town["hr"]).get(f"{DAYS}&employee=999999")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=2026-06-10", "to"), ("from=2026-06-10&to=2026-06-01", "to"), ("from=x&to=2026-06-01", "from")],
)
def test_days_bad_query_is_400(as_user, town, query, field):
    response = as_user(town["staff"]).get(f"/api/v1/attendance/days/?{query}")

    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize("days", [1, 20])
def test_days_list_costs_a_fixed_number_of_queries(as_user, town, django_assert_max_num_queries, days):
    for offset in range(days):
        work_day(town["staff"], day=DAY + timedelta(days=offset))
    client = as_user(town["director"])
    url = f"/api/v1/attendance/days/?from={DAY}&to={DAY + timedelta(days=30)}&employee={town['staff'].pk}"

    # as before, and one for the range's approved leave
    with django_assert_max_num_queries(5):
        response = client.get(url)

    assert response.json()["count"] == days


# --- Events ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("events", [1, 15])
def test_events_of_a_day_cost_a_fixed_number_of_queries(as_user, town, django_assert_max_num_queries, events):
    services.clock_event_record(employee=town["staff"], kind="in", location="office", source="web", at=at(8))
    for minute in range(events - 1):
        kind = "break_start" if minute % 2 == 0 else "break_end"
        services.clock_event_record(
            employee=town["staff"], kind=kind, location="office", source="web", at=at(9, minute)
        )

    with django_assert_max_num_queries(3):
        response = as_user(town["staff"]).get(f"/api/v1/attendance/events/?date={DAY}")

    assert response.json()["count"] == events
    assert response.json()["results"][0]["kind"] == "in"


def test_events_of_another_department_are_404(as_user, town):
    work_day(town["staff"])

    response = as_user(town["other_director"]).get(
        f"/api/v1/attendance/events/?date={DAY}&employee={town['staff'].pk}"
    )

    assert response.status_code == 404


# --- PC logs --------------------------------------------------------------------------------------


def test_pc_log_by_the_integration_account(as_user, town):
    bridge = EmployeeFactory(username="ad-bridge", department=None)
    bridge.user_permissions.add(Permission.objects.get(codename="add_pclogevent"))
    bridge = type(bridge).objects.get(pk=bridge.pk)
    work_day(town["staff"], end=(17, 15))

    response = as_user(bridge).post(
        "/api/v1/attendance/pc-logs/",
        {"employee": town["staff"].pk, "kind": "logoff", "at": "2026-06-10T19:00:00+09:00", "system": "AD"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["work_date"] == "2026-06-10"
    days = as_user(town["staff"]).get(DAYS).json()["results"]
    assert days[0]["anomalies"] == ["log_gap"]


@pytest.mark.parametrize("who", ["staff", "director", "hr", "secretariat"])
def test_pc_log_refused_to_people(as_user, town, who):
    response = as_user(town[who]).post(
        "/api/v1/attendance/pc-logs/",
        {"employee": town["staff"].pk, "kind": "logon", "at": "2026-06-10T08:00:00+09:00", "system": "AD"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (403, "integration_only")
    assert not PcLogEvent.objects.exists()


# --- Timesheets and closing -----------------------------------------------------------------------


def test_own_timesheet_has_days_totals_and_status(as_user, town):
    work_day(town["staff"])
    work_day(town["staff"], day=DAY + timedelta(days=1), end=(17, 15))

    response = as_user(town["staff"]).get(f"/api/v1/attendance/timesheets/{MONTH}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["month"], body["status"], body["document"]) == (MONTH, "open", None)
    assert body["totals"]["worked_minutes"] == 585 + 465
    assert body["totals"]["overtime_minutes"] == 120
    assert body["totals"]["days_worked"] == 2
    assert [d["date"] for d in body["days"]] == ["2026-06-10", "2026-06-11"]


@pytest.mark.parametrize(("viewer", "expected"), [("director", 200), ("hr", 200), ("other_director", 404)])
def test_timesheet_of_another_employee(as_user, town, viewer, expected):
    response = as_user(town[viewer]).get(
        f"/api/v1/attendance/timesheets/{MONTH}/?employee={town['staff'].pk}"
    )

    assert response.status_code == expected


def test_timesheet_bad_month_is_400(as_user, town):
    response = as_user(town["staff"]).get("/api/v1/attendance/timesheets/2026-13/")

    assert (response.status_code, response.json()["code"]) == (400, "invalid_month")


def test_hr_closes_an_approved_month_and_the_day_refuses_changes(as_user, town):
    work_day(town["staff"])
    MonthClosing.objects.create(employee=town["staff"], month=DAY.replace(day=1), status=MonthStatus.APPROVED)

    response = as_user(town["hr"]).post(
        f"/api/v1/attendance/timesheets/{MONTH}/close/", {"employee": town["staff"].pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["closed"][0]["status"] == "closed"
    assert MonthClosing.objects.get(employee=town["staff"]).status == MonthStatus.CLOSED
    sheet = as_user(town["staff"]).get(f"/api/v1/attendance/timesheets/{MONTH}/").json()
    assert sheet["status"] == "closed"


def test_hr_closes_a_department(as_user, town):
    for who in ("staff", "colleague"):
        MonthClosing.objects.create(employee=town[who], month=DAY.replace(day=1), status=MonthStatus.APPROVED)

    response = as_user(town["hr"]).post(
        f"/api/v1/attendance/timesheets/{MONTH}/close/", {"department": "somu"}, format="json"
    )

    assert sorted(row["employee"] for row in response.json()["closed"]) == sorted(
        [town["staff"].pk, town["colleague"].pk]
    )


def test_closing_an_unapproved_month_is_409(as_user, town):
    response = as_user(town["hr"]).post(
        f"/api/v1/attendance/timesheets/{MONTH}/close/", {"employee": town["staff"].pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "month_not_approved")
    assert not MonthClosing.objects.exists()


@pytest.mark.parametrize(("who", "expected"), [("staff", 403), ("director", 403), ("secretariat", 403)])
def test_close_refused_to_others(as_user, api_client, town, who, expected):
    MonthClosing.objects.create(employee=town["staff"], month=DAY.replace(day=1), status=MonthStatus.APPROVED)
    url = f"/api/v1/attendance/timesheets/{MONTH}/close/"

    assert api_client.post(url, {"employee": town["staff"].pk}, format="json").status_code == 401
    response = as_user(town[who]).post(url, {"employee": town["staff"].pk}, format="json")

    assert response.status_code == expected
    assert MonthClosing.objects.get(employee=town["staff"]).status == MonthStatus.APPROVED


def test_close_needs_exactly_one_target(as_user, town):
    response = as_user(town["hr"]).post(f"/api/v1/attendance/timesheets/{MONTH}/close/", {}, format="json")

    assert response.status_code == 400
    assert [item["code"] for item in response.json()["errors"]] == ["employee_or_department"]
    assert_codes_documented(response)


# --- CSV ------------------------------------------------------------------------------------------


def read_csv(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def test_export_has_a_bom_japanese_headers_and_a_row_per_employee_per_day(as_user, town):
    work_day(town["staff"])

    response = as_user(town["hr"]).get(f"/api/v1/attendance/export.csv?month={MONTH}&department=somu")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0][:4] == ["職員番号", "氏名", "所属", "日付"]
    somu = [e for e in town.values() if getattr(e, "department", None) == town["somu"]]
    assert len(rows) - 1 == len(somu) * 30
    [row] = [r for r in rows if r[0] == "10001" and r[3] == "2026-06-10"]
    assert row[4:12] == ["水", "勤務日", "08:30", "19:15", "庁舎", "585", "60", "120"]


def test_summary_csv_counts_days_by_location(as_user, town):
    work_day(town["staff"])
    work_day(town["staff"], day=DAY + timedelta(days=1), location="home", end=(17, 15))
    work_day(town["staff"], day=date(2026, 6, 13), start=(9, 0), end=(12, 0))  # a Saturday

    response = as_user(town["hr"]).get(f"/api/v1/attendance/summary.csv?month={MONTH}")

    rows = read_csv(response)
    header, data = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert "出勤日数(在宅)" in header
    staff = data["10001"]
    assert (staff["出勤日数"], staff["出勤日数(庁舎)"], staff["出勤日数(在宅)"]) == ("3", "2", "1")
    # the Saturday is a 週休日: its hours are overtime, not 休日勤務
    assert (staff["週休日勤務日数"], staff["週休日勤務(分)"]) == ("1", "180")
    assert (staff["休日勤務日数"], staff["休日勤務(分)"]) == ("0", "0")
    assert staff["時間外勤務(分)"] == str(120 + 180)


@pytest.mark.parametrize("who", ["staff", "director", "secretariat"])
def test_export_is_for_hr_only(as_user, api_client, town, who):
    url = f"/api/v1/attendance/export.csv?month={MONTH}"

    assert api_client.get(url).status_code == 401
    assert as_user(town[who]).get(url).status_code == 403


@pytest.mark.parametrize("extra", [0, 25])
def test_export_costs_a_fixed_number_of_queries(as_user, town, django_assert_max_num_queries, extra):
    for n in range(extra):
        work_day(EmployeeFactory(department=town["somu"]), day=DAY + timedelta(days=n % 5))

    # the month's approved leave is one query more than before
    with django_assert_max_num_queries(6):
        response = as_user(town["hr"]).get(f"/api/v1/attendance/export.csv?month={MONTH}")
    with django_assert_max_num_queries(7):
        summary = as_user(town["hr"]).get(f"/api/v1/attendance/export.csv?month={MONTH}&kind=summary")

    assert len(read_csv(response)) == 1 + (len(town) - 2 + extra) * 30
    assert len(read_csv(summary)) == 1 + len(town) - 2 + extra


def test_refusal_in_english_with_accept_language(as_user, town):
    response = as_user(town["staff"]).post(
        "/api/v1/attendance/clock/",
        {"kind": "out", "location": "office"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.json()["detail"] == "You have not clocked in."
    assert response.json()["code"] == "not_clocked_in"
