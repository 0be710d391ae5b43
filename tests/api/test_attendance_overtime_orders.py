"""時間外勤務命令 through the API: who orders, the decision at once, every error code at its boundary, the
reconciliation of ordered and worked overtime, telework days, cancel, the lists' query counts."""

from datetime import date, datetime, time, timedelta

import pytest

from approvals.models import Document
from approvals.models_record import AuditEvent
from attendance import services
from attendance.models import DaySummary, MonthClosing, MonthStatus, OvertimeOrder
from attendance.worktime import LOCAL_TZ
from tests.api.schema_codes import assert_codes_documented
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/attendance/overtime-orders/"
TODAY = NOW.date()  # Wednesday 2026-07-01, 09:00
DAY = date(2026, 6, 10)  # a Wednesday gone by


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def somu(department):
    return {
        "staff": EmployeeFactory(username="staff", department=department),
        "colleague": EmployeeFactory(username="colleague", department=department),
        "chief": EmployeeFactory(username="chief", department=department, position="chief"),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "other_director": EmployeeFactory(department=DepartmentFactory(code="kikaku"), position="director"),
        "hr": EmployeeFactory(username="hr", department=department, roles=["hr"]),
    }


@pytest.fixture
def long_after_the_fact(settings):
    """Orders for the June days the tests clock (the tests run on 1 July)."""
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 60


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def payload(employee=None, *, day: date = TODAY, start="17:15", end="19:15", **extra) -> dict:
    body = {"date": day.isoformat(), "start": start, "end": end, "reason": "議会答弁資料の作成", **extra}
    if employee is not None:
        body["employee"] = employee.pk
    return body


def order(as_user, actor, employee=None, **kwargs):
    return as_user(actor).post(URL, payload(employee, **kwargs), format="json")


def work(employee, *, until: tuple[int, int], day: date = DAY, location: str = "office"):
    services.clock_event_record(
        employee=employee, kind="in", location=location, source="web", at=at(8, 30, day=day)
    )
    services.clock_event_record(
        employee=employee, kind="out", location=location, source="web", at=at(*until, day=day)
    )


# --- the lifecycle ---------------------------------------------------------------------------------------------


def test_a_director_ordering_their_staff_decides_it_at_once(as_user, somu):
    response = order(as_user, somu["director"], somu["staff"])

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["minutes"], body["employee"], body["ordered_by"]) == (
        "approved",
        120,
        somu["staff"].pk,
        somu["director"].pk,
    )
    document = Document.objects.get(pk=body["document"])
    assert (document.kind, document.status, document.drafter_id) == (
        "overtime",
        "approved",
        somu["director"].pk,
    )
    decided = AuditEvent.objects.get(document=document, action="decide")
    assert decided.actor_id == somu["director"].pk  # recorded as the order, by the director
    assert DaySummary.objects.get(employee=somu["staff"], date=TODAY).ordered_overtime_minutes == 120


def test_an_employees_own_application_waits_for_the_director(as_user, somu):
    response = order(as_user, somu["staff"])  # 事前申請: no employee, the caller's own

    body = response.json()
    assert (response.status_code, body["status"]) == (201, "submitted")
    inbox = as_user(somu["director"]).get("/api/v1/approvals/inbox/").json()["results"]
    assert body["document"] in [item["document"]["id"] for item in inbox]
    assert not DaySummary.objects.filter(
        employee=somu["staff"], date=TODAY, ordered_overtime_minutes__gt=0
    ).exists()

    approved = as_user(somu["director"]).post(f"/api/v1/approvals/documents/{body['document']}/approve/", {})

    assert approved.status_code == 200
    assert OvertimeOrder.objects.get(pk=body["id"]).status == "approved"
    assert DaySummary.objects.get(employee=somu["staff"], date=TODAY).ordered_overtime_minutes == 120


def test_a_rejected_application_orders_nothing(as_user, somu):
    body = order(as_user, somu["staff"]).json()

    as_user(somu["director"]).post(
        f"/api/v1/approvals/documents/{body['document']}/reject/", {"comment": "不要"}
    )

    assert OvertimeOrder.objects.get(pk=body["id"]).status == "rejected"
    assert not DaySummary.objects.filter(employee=somu["staff"], ordered_overtime_minutes__gt=0).exists()


def test_a_directors_own_application_goes_to_their_superior(as_user, somu):
    deputy_mayor = EmployeeFactory(department=DepartmentFactory(code="sanyo"), position="deputy_mayor")

    body = order(as_user, somu["director"]).json()

    assert body["status"] == "submitted"
    inbox = as_user(deputy_mayor).get("/api/v1/approvals/inbox/").json()["results"]
    assert body["document"] in [item["document"]["id"] for item in inbox]


def test_the_applicant_withdraws_a_submitted_order(as_user, somu):
    body = order(as_user, somu["staff"]).json()

    response = as_user(somu["staff"]).post(f"{URL}{body['id']}/cancel/")

    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    assert Document.objects.get(pk=body["document"]).status == "withdrawn"


def test_cancelling_an_approved_order_recomputes_the_day(as_user, somu):
    services.clock_event_record(
        employee=somu["staff"], kind="in", location="office", source="web", at=at(8, 30, day=TODAY)
    )
    body = order(as_user, somu["director"], somu["staff"]).json()
    assert DaySummary.objects.get(employee=somu["staff"], date=TODAY).ordered_overtime_minutes == 120

    response = as_user(somu["director"]).post(f"{URL}{body['id']}/cancel/")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert DaySummary.objects.get(employee=somu["staff"], date=TODAY).ordered_overtime_minutes == 0
    assert AuditEvent.objects.filter(document_id=body["document"], action="comment").count() == 1


def test_cancel_boundaries(as_user, somu, frozen_clock):
    starts_now = order(as_user, somu["director"], somu["staff"], start="09:00", end="10:00").json()
    starts_next_minute = order(as_user, somu["director"], somu["staff"], start="10:01", end="11:00").json()
    frozen_clock.set(NOW.replace(hour=10))

    started = as_user(somu["director"]).post(f"{URL}{starts_now['id']}/cancel/")
    later = as_user(somu["director"]).post(f"{URL}{starts_next_minute['id']}/cancel/")
    again = as_user(somu["director"]).post(f"{URL}{starts_next_minute['id']}/cancel/")

    assert (started.status_code, started.json()["code"]) == (409, "order_started")
    assert_codes_documented(started)
    assert_codes_documented(again)
    assert OvertimeOrder.objects.get(pk=starts_now["id"]).status == "approved"
    assert later.status_code == 200
    assert (again.status_code, again.json()["code"]) == (409, "invalid_state")


def test_only_the_drafter_or_the_director_cancels(as_user, somu):
    body = order(as_user, somu["director"], somu["staff"]).json()
    asked = order(as_user, somu["colleague"], start="20:00", end="21:00").json()

    by_employee = as_user(somu["staff"]).post(f"{URL}{body['id']}/cancel/")
    by_director_of_a_submitted_one = as_user(somu["director"]).post(f"{URL}{asked['id']}/cancel/")
    by_stranger = as_user(somu["other_director"]).post(f"{URL}{body['id']}/cancel/")

    assert (by_employee.status_code, by_employee.json()["code"]) == (403, "permission_denied")
    assert_codes_documented(by_employee)
    assert by_director_of_a_submitted_one.status_code == 403
    assert by_stranger.status_code == 404
    assert OvertimeOrder.objects.get(pk=body["id"]).status == "approved"
    assert OvertimeOrder.objects.get(pk=asked["id"]).status == "submitted"


# --- every error code at its boundary ------------------------------------------------------------------------


def test_only_the_director_of_the_employees_department_orders(as_user, somu):
    by_chief = order(as_user, somu["chief"], somu["staff"])
    by_colleague = order(as_user, somu["colleague"], somu["staff"])
    by_other_director = order(as_user, somu["other_director"], somu["staff"])
    by_hr = order(as_user, somu["hr"], somu["staff"])
    unknown = as_user(somu["director"]).post(URL, {**payload(), "employee": 999_999}, format="json")

    assert (by_chief.status_code, by_chief.json()["code"]) == (403, "not_orderer")
    assert (by_hr.status_code, by_hr.json()["code"]) == (403, "not_orderer")
    assert (by_colleague.status_code, by_colleague.json()["code"]) == (404, "employee_not_found")
    assert (by_other_director.status_code, by_other_director.json()["code"]) == (404, "employee_not_found")
    assert unknown.status_code == 404
    assert not OvertimeOrder.objects.exists()
    for refusal in (by_chief, by_colleague, unknown):
        assert_codes_documented(refusal)


def test_the_end_comes_after_the_start(as_user, somu):
    same = order(as_user, somu["director"], somu["staff"], start="18:00", end="18:00")
    one_minute = order(as_user, somu["director"], somu["staff"], start="18:00", end="18:01")

    assert (same.status_code, same.json()["errors"][0]["code"]) == (400, "end_before_start")
    assert_codes_documented(same)
    assert (one_minute.status_code, one_minute.json()["minutes"]) == (201, 1)
    assert OvertimeOrder.objects.count() == 1


def test_an_order_after_the_fact_goes_back_the_days_allowed(as_user, somu, settings):
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 3

    allowed = order(as_user, somu["director"], somu["staff"], day=TODAY - timedelta(days=3))
    refused = order(as_user, somu["director"], somu["staff"], day=TODAY - timedelta(days=4))

    assert allowed.status_code == 201
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"], error["params"]["earliest"]) == (
        "date",
        "overtime_past_date",
        "2026-06-28",
    )
    assert OvertimeOrder.objects.count() == 1
    assert_codes_documented(refused)


def test_orders_of_one_person_do_not_overlap(as_user, somu):
    assert order(as_user, somu["director"], somu["staff"], start="17:15", end="19:15").status_code == 201

    touching = order(as_user, somu["director"], somu["staff"], start="19:15", end="20:00")
    overlapping = order(as_user, somu["director"], somu["staff"], start="19:14", end="21:00")
    someone_else = order(as_user, somu["director"], somu["colleague"], start="17:15", end="19:15")

    assert touching.status_code == 201
    assert someone_else.status_code == 201
    assert overlapping.status_code == 422
    assert [e["code"] for e in overlapping.json()["errors"]] == ["overlapping_order", "overlapping_order"]
    assert_codes_documented(overlapping)
    assert OvertimeOrder.objects.count() == 3


def test_every_violation_is_listed(as_user, somu, settings):
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 3
    old = TODAY - timedelta(days=10)
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 60
    assert order(as_user, somu["director"], somu["staff"], day=old).status_code == 201
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 3

    response = order(as_user, somu["director"], somu["staff"], day=old)

    assert response.status_code == 422
    assert sorted(e["code"] for e in response.json()["errors"]) == ["overlapping_order", "overtime_past_date"]


def test_a_closed_month_refuses_an_order(as_user, somu, long_after_the_fact):
    MonthClosing.objects.create(employee=somu["staff"], month=date(2026, 6, 1), status=MonthStatus.CLOSED)

    closed = order(as_user, somu["director"], somu["staff"], day=DAY)
    open_month = order(as_user, somu["director"], somu["staff"], day=TODAY)

    assert (closed.status_code, closed.json()["code"]) == (409, "month_closed")
    assert_codes_documented(closed)
    assert open_month.status_code == 201
    assert OvertimeOrder.objects.count() == 1


# --- ordered against worked ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "anomaly"),
    [((19, 30), False), ((19, 31), True)],  # 120 ordered + 15 tolerance = 135 min over 7h45m: out at 19:30
)
def test_worked_overtime_reconciles_with_the_order(as_user, somu, long_after_the_fact, until, anomaly):
    order(as_user, somu["director"], somu["staff"], day=DAY)

    work(somu["staff"], until=until)

    day = DaySummary.objects.get(employee=somu["staff"], date=DAY)
    assert (day.ordered_overtime_minutes, day.overtime_minutes) == (120, 135 + (1 if anomaly else 0))
    assert ("overtime_without_order" in day.anomalies) is anomaly


@pytest.mark.parametrize(("tolerance", "anomaly"), [(15, False), (14, True)])
def test_the_tolerance_is_a_setting(as_user, somu, long_after_the_fact, settings, tolerance, anomaly):
    settings.ATTENDANCE_OVERTIME_TOLERANCE_MINUTES = tolerance
    order(as_user, somu["director"], somu["staff"], day=DAY)

    work(somu["staff"], until=(19, 30))

    assert (
        "overtime_without_order" in DaySummary.objects.get(employee=somu["staff"], date=DAY).anomalies
    ) is anomaly


def test_overtime_without_any_order_is_flagged_and_an_order_afterwards_clears_it(
    as_user, somu, long_after_the_fact
):
    work(somu["staff"], until=(18, 0))  # 45 minutes over
    assert "overtime_without_order" in DaySummary.objects.get(employee=somu["staff"], date=DAY).anomalies

    order(as_user, somu["director"], somu["staff"], day=DAY, start="17:15", end="18:00")

    day = DaySummary.objects.get(employee=somu["staff"], date=DAY)
    assert (day.ordered_overtime_minutes, day.anomalies) == (45, [])


def test_the_days_api_shows_ordered_and_worked_overtime(as_user, somu, long_after_the_fact):
    order(as_user, somu["director"], somu["staff"], day=DAY)
    work(somu["staff"], until=(19, 0))

    [day] = (
        as_user(somu["staff"])
        .get("/api/v1/attendance/days/", {"from": "2026-06-10", "to": "2026-06-10"})
        .json()["results"]
    )

    assert (day["overtime_minutes"], day["ordered_overtime_minutes"], day["anomalies"]) == (105, 120, [])


@pytest.mark.parametrize(("telework_order", "flagged"), [(None, True), (False, True), (True, False)])
def test_overtime_on_a_telework_day_needs_an_order_that_says_so(
    as_user, somu, long_after_the_fact, telework_order, flagged
):
    if telework_order is not None:
        order(as_user, somu["director"], somu["staff"], day=DAY, telework=telework_order)

    work(somu["staff"], until=(18, 0), location="home")

    assert (
        "overtime_on_telework" in DaySummary.objects.get(employee=somu["staff"], date=DAY).anomalies
    ) is flagged


# --- the lists --------------------------------------------------------------------------------------------------


def test_the_list_shows_what_the_viewer_may_see(as_user, somu, long_after_the_fact):
    mine = order(as_user, somu["director"], somu["staff"], day=DAY).json()
    theirs = order(as_user, somu["director"], somu["colleague"], day=TODAY).json()

    own = as_user(somu["staff"]).get(URL).json()
    department = as_user(somu["director"]).get(URL, {"department": "somu"}).json()
    june = as_user(somu["hr"]).get(URL, {"department": "somu", "month": "2026-06"}).json()
    refused = as_user(somu["staff"]).get(URL, {"department": "somu"})
    elsewhere = as_user(somu["other_director"]).get(URL, {"department": "somu"})

    assert [row["id"] for row in own["results"]] == [mine["id"]]
    assert [row["id"] for row in department["results"]] == [mine["id"], theirs["id"]]
    assert [row["id"] for row in june["results"]] == [mine["id"]]
    assert (refused.status_code, elsewhere.status_code) == (403, 403)
    assert as_user(somu["colleague"]).get(f"{URL}{mine['id']}/").status_code == 404
    assert as_user(somu["staff"]).get(f"{URL}{mine['id']}/").json()["minutes"] == 120


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_a_fixed_number_of_queries(as_user, somu, django_assert_max_num_queries, count):
    for n in range(count):
        employee = EmployeeFactory(department=somu["staff"].department)
        services.overtime_order_create(
            actor=somu["director"],
            employee_id=employee.pk,
            day=TODAY,
            start=time(17, 15),
            end=time(18, 0),
            reason=f"{n}",
        )
    client = as_user(somu["hr"])

    with django_assert_max_num_queries(6):
        response = client.get(URL, {"department": "somu", "page_size": 50})

    assert response.json()["count"] == count


def test_an_order_post_is_idempotent(as_user, somu):
    client = as_user(somu["director"])
    first = client.post(URL, payload(somu["staff"]), format="json", HTTP_IDEMPOTENCY_KEY="ot-1")
    again = client.post(URL, payload(somu["staff"]), format="json", HTTP_IDEMPOTENCY_KEY="ot-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert OvertimeOrder.objects.count() == 1
