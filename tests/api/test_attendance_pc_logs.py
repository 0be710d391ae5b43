"""PC logs against the clock (issue 12, item 8): matched to the shift they fall in (or the nearest within a window),
not a fixed 05:00; posted in bulk by an integration that names people by username or external id, idempotent by
(system, employee, kind, at); a day's logs read by its managers with the reason of the gap (勤怠差異の理由)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission

from attendance import services
from attendance.models import DaySummary, LogGapReason, MonthClosing, MonthStatus, PcLogEvent
from attendance.worktime import LOCAL_TZ
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)
BULK = "/api/v1/attendance/pc-logs/bulk/"


def at(hh: int, mm: int = 0, *, day: date = DAY, days: int = 0) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(hh, mm), tzinfo=LOCAL_TZ)


def clock(employee, kind, when):
    return services.clock_event_record(employee=employee, kind=kind, location="office", source="web", at=when)


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def town(department):
    bridge = EmployeeFactory(username="ad-bridge", department=None)
    bridge.user_permissions.add(Permission.objects.get(codename="add_pclogevent"))
    return {
        "staff": EmployeeFactory(username="staff", department=department, external_id="S-0042"),
        "colleague": EmployeeFactory(username="colleague", department=department),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "other_director": EmployeeFactory(department=DepartmentFactory(), position="director"),
        "hr": EmployeeFactory(username="hr", department=DepartmentFactory(), roles=["hr"]),
        "bridge": type(bridge).objects.get(pk=bridge.pk),
    }


def item(employee, kind, when, system="AD"):
    return {"employee": employee, "kind": kind, "at": when.isoformat(), "system": system}


def test_a_snow_clearing_start_at_0430_keeps_its_log_on_its_own_day(as_user, town):
    # a 04:30 start: the log-on at 04:35 is that shift's, not the day before's (no fixed 05:00 day change)
    clock(town["staff"], "in", at(4, 30))
    clock(town["staff"], "out", at(13))

    response = as_user(town["bridge"]).post(BULK, [item("staff", "logon", at(4, 35))], format="json")

    assert response.status_code == 200
    assert PcLogEvent.objects.get().work_date == DAY
    assert DaySummary.objects.get(employee=town["staff"], date=DAY).anomalies == []


def test_a_log_off_after_midnight_goes_to_the_shift_it_ends(as_user, town):
    clock(town["staff"], "in", at(8, 30))
    clock(town["staff"], "out", at(0, 50, days=1))

    as_user(town["bridge"]).post(BULK, [item("staff", "logoff", at(1, 0, days=1))], format="json")

    assert PcLogEvent.objects.get().work_date == DAY


def test_bulk_names_people_by_username_or_external_id_and_is_idempotent(as_user, town):
    clock(town["staff"], "in", at(8, 30))
    clock(town["staff"], "out", at(17, 15))
    batch = [
        item("S-0042", "logon", at(8, 20)),
        item("staff", "logoff", at(19, 0)),
        item("nobody", "logon", at(8, 0)),
        item("staff", "logon", NOW + timedelta(hours=2)),
    ]
    client = as_user(town["bridge"])

    first = client.post(BULK, batch, format="json")
    again = client.post(BULK, batch, format="json")

    assert first.json() == {
        "created": 2,
        "duplicates": 0,
        "failed": [{"index": 2, "code": "employee_not_found"}, {"index": 3, "code": "in_future"}],
    }
    assert (again.json()["created"], again.json()["duplicates"]) == (0, 2)
    assert sorted(PcLogEvent.objects.values_list("employee", "kind", "work_date", "system")) == [
        (town["staff"].pk, "logoff", DAY, "AD"),
        (town["staff"].pk, "logon", DAY, "AD"),
    ]
    assert DaySummary.objects.get(employee=town["staff"], date=DAY).anomalies == ["log_gap"]


def test_the_same_moment_from_another_system_is_another_log(as_user, town):
    client = as_user(town["bridge"])

    client.post(BULK, [item("staff", "logon", at(8, 20), system="AD")], format="json")
    response = client.post(BULK, [item("staff", "logon", at(8, 20), system="VDI")], format="json")

    assert response.json()["created"] == 1
    assert PcLogEvent.objects.count() == 2


def test_a_reference_naming_two_people_is_refused(as_user, town):
    EmployeeFactory(username="S-0042-user", external_id="colleague")  # an external id equal to a username

    response = as_user(town["bridge"]).post(BULK, [item("colleague", "logon", at(8))], format="json")

    assert response.json()["failed"] == [{"index": 0, "code": "employee_ambiguous"}]
    assert not PcLogEvent.objects.exists()


def test_a_log_in_a_closed_month_is_reported_not_recorded(as_user, town):
    MonthClosing.objects.create(employee=town["staff"], month=date(2026, 6, 1), status=MonthStatus.CLOSED)

    response = as_user(town["bridge"]).post(BULK, [item("staff", "logon", at(8))], format="json")

    assert response.json() == {
        "created": 0,
        "duplicates": 0,
        "failed": [{"index": 0, "code": "month_closed"}],
    }


@pytest.mark.parametrize("who", ["staff", "director", "hr"])
def test_bulk_is_for_the_integration_or_an_admin(as_user, api_client, town, who):
    assert api_client.post(BULK, [item("staff", "logon", at(8))], format="json").status_code == 401
    response = as_user(town[who]).post(BULK, [item("staff", "logon", at(8))], format="json")

    assert (response.status_code, response.json()["code"]) == (403, "integration_only")
    assert not PcLogEvent.objects.exists()


def test_an_admin_may_post_in_bulk(as_user, town):
    admin = EmployeeFactory(department=None, roles=["admin"])

    assert as_user(admin).post(BULK, [item("staff", "logon", at(8))], format="json").json()["created"] == 1


def test_a_malformed_batch_is_400_and_records_nothing(as_user, town):
    response = as_user(town["bridge"]).post(
        BULK, [item("staff", "logon", at(8)), {"employee": "staff", "kind": "lunch"}], format="json"
    )

    assert response.status_code == 400
    assert not PcLogEvent.objects.exists()


def test_the_single_post_is_idempotent_too(as_user, town):
    payload = {"employee": town["staff"].pk, "kind": "logon", "at": at(8).isoformat(), "system": "AD"}

    first = as_user(town["bridge"]).post("/api/v1/attendance/pc-logs/", payload, format="json")
    again = as_user(town["bridge"]).post("/api/v1/attendance/pc-logs/", payload, format="json")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert PcLogEvent.objects.count() == 1


# --- a day's logs and the reason of the gap ----------------------------------------------------------------

DAY_LOGS = f"/api/v1/attendance/pc-logs/?date={DAY}"


def test_a_manager_reads_a_days_logs_and_records_the_reason(as_user, town):
    clock(town["staff"], "in", at(8, 30))
    clock(town["staff"], "out", at(17, 15))
    as_user(town["bridge"]).post(BULK, [item("staff", "logoff", at(19, 30))], format="json")

    recorded = as_user(town["director"]).post(
        "/api/v1/attendance/pc-logs/reason/",
        {
            "date": DAY.isoformat(),
            "employee": town["staff"].pk,
            "reason": "退勤後に議会資料の送信を待っていた",
        },
        format="json",
    )
    read = as_user(town["director"]).get(f"{DAY_LOGS}&employee={town['staff'].pk}")

    assert recorded.status_code == 200
    body = read.json()
    assert (body["employee"], body["date"], body["log_gap"]) == (town["staff"].pk, "2026-06-10", True)
    assert (body["first_in"], body["last_out"]) == ("2026-06-10T08:30:00+09:00", "2026-06-10T17:15:00+09:00")
    assert [(log["kind"], log["at"], log["system"]) for log in body["logs"]] == [
        ("logoff", "2026-06-10T19:30:00+09:00", "AD")
    ]
    assert body["reason"]["reason"] == "退勤後に議会資料の送信を待っていた"
    assert body["reason"]["recorded_by"] == town["director"].pk


def test_the_employee_explains_their_own_gap(as_user, town):
    response = as_user(town["staff"]).post(
        "/api/v1/attendance/pc-logs/reason/",
        {"date": DAY.isoformat(), "reason": "PCの更新作業"},
        format="json",
    )

    assert response.status_code == 200
    assert LogGapReason.objects.get().recorded_by == town["staff"]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("staff", 200), ("director", 200), ("hr", 200), ("colleague", 404), ("other_director", 404)],
)
def test_who_reads_and_explains_a_days_logs(as_user, town, viewer, expected):
    read = as_user(town[viewer]).get(f"{DAY_LOGS}&employee={town['staff'].pk}")
    written = as_user(town[viewer]).post(
        "/api/v1/attendance/pc-logs/reason/",
        {"date": DAY.isoformat(), "employee": town["staff"].pk, "reason": "理由"},
        format="json",
    )

    assert (read.status_code, written.status_code) == (expected, expected)
    assert LogGapReason.objects.exists() == (expected == 200)
