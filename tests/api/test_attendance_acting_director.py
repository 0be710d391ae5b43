"""The acting holder of a vacant 課長 post (職務代理者, 事務取扱) leads that department as its 課長 would: orders
its staff's overtime (decided at once, filed in that department), reads their attendance, leave and telework
lists, and decides their own applications. Only while the designation covers the day and the post stays vacant:
before, after, or once the post is filled again, they are a stranger to that department (404, 403)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from approvals.models import ActingAppointment, Document
from approvals.services import document_create
from attendance.models import OvertimeOrder
from core.errors import PermissionDenied
from org.services import employee_deactivate
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/attendance/overtime-orders/"
TODAY = NOW.date()  # Wednesday 2026-07-01


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def town(department):
    """総務課 (somu) with its 課長 and a 課長補佐; 企画課 (kikaku) whose 課長 has retired, the 課長補佐 of 総務課
    designated to hold the post from today (事務取扱)."""
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    people = {
        "somu_director": EmployeeFactory(
            username="somu_director", department=department, position="director"
        ),
        "acting": EmployeeFactory(username="acting", department=department, position="assistant_director"),
        "kikaku_staff": EmployeeFactory(username="kikaku_staff", department=kikaku),
        "kikaku_director": EmployeeFactory(
            username="kikaku_director", department=kikaku, position="director"
        ),
        "kikaku": kikaku,
    }
    employee_deactivate(actor=None, employee=people["kikaku_director"])
    people["designation"] = ActingAppointment.objects.create(
        department=kikaku, position="director", acting=people["acting"], start=TODAY
    )
    return people


def order(client, employee, *, start="17:15", end="19:15"):
    body = {
        "employee": employee.pk,
        "date": TODAY.isoformat(),
        "start": start,
        "end": end,
        "reason": "予算査定",
    }
    return client.post(URL, body, format="json")


def test_the_acting_director_orders_the_departments_staff_at_once(as_user, town):
    response = order(as_user(town["acting"]), town["kikaku_staff"])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["employee"], body["ordered_by"]) == (
        "approved",
        town["kikaku_staff"].pk,
        town["acting"].pk,
    )
    document = Document.objects.get(pk=body["document"])
    assert (document.status, document.department_id, document.drafter_id) == (
        "approved",
        town["kikaku"].pk,
        town["acting"].pk,
    )
    # 総務課's own 課長 has nothing to decide: the order is 企画課's business
    inbox = as_user(town["somu_director"]).get("/api/v1/approvals/inbox/").json()
    assert inbox["count"] == 0


def test_the_acting_director_reads_the_departments_records(as_user, town):
    made = order(as_user(town["acting"]), town["kikaku_staff"]).json()
    client = as_user(town["acting"])

    orders = client.get(URL, {"department": "kikaku"})
    days = client.get(
        "/api/v1/attendance/days/",
        {"employee": town["kikaku_staff"].pk, "from": TODAY.isoformat(), "to": TODAY.isoformat()},
    )
    one = client.get(f"{URL}{made['id']}/")
    leave = client.get("/api/v1/leave/requests/", {"department": "kikaku"})
    telework = client.get("/api/v1/telework/requests/", {"department": "kikaku"})

    assert orders.status_code == 200
    assert [row["id"] for row in orders.json()["results"]] == [made["id"]]
    assert days.status_code == 200
    assert [row["ordered_overtime_minutes"] for row in days.json()["results"]] == [120]
    assert (one.status_code, leave.status_code, telework.status_code) == (200, 200, 200)


def test_the_staffs_own_application_waits_for_the_acting_director(as_user, town):
    asked = as_user(town["kikaku_staff"]).post(
        URL,
        {"date": TODAY.isoformat(), "start": "17:15", "end": "18:15", "reason": "資料作成"},
        format="json",
    )
    assert asked.status_code == 201
    document_id = asked.json()["document"]

    inbox = as_user(town["acting"]).get("/api/v1/approvals/inbox/").json()["results"]
    assert [item["document"]["id"] for item in inbox] == [document_id]
    decided = as_user(town["acting"]).post(f"/api/v1/approvals/documents/{document_id}/approve/", {})
    assert decided.status_code == 200
    assert OvertimeOrder.objects.get(pk=asked.json()["id"]).status == "approved"


@pytest.mark.parametrize("when", ["before", "ended", "filled"])
def test_outside_the_designation_the_acting_director_is_a_stranger(as_user, town, when):
    designation = town["designation"]
    if when == "before":
        designation.start = TODAY + timedelta(days=1)
        designation.save(update_fields=["start"])
    elif when == "ended":
        designation.start, designation.end = TODAY - timedelta(days=30), TODAY - timedelta(days=1)
        designation.save(update_fields=["start", "end"])
    else:  # a new 課長 took the post: the designation no longer counts
        EmployeeFactory(department=town["kikaku"], position="director")
    client = as_user(town["acting"])

    ordered = order(client, town["kikaku_staff"])
    orders = client.get(URL, {"department": "kikaku"})
    days = client.get(
        "/api/v1/attendance/days/",
        {"employee": town["kikaku_staff"].pk, "from": TODAY.isoformat(), "to": TODAY.isoformat()},
    )
    leave = client.get("/api/v1/leave/requests/", {"department": "kikaku"})

    assert (ordered.status_code, ordered.json()["code"]) == (404, "employee_not_found")
    assert not OvertimeOrder.objects.exists()
    assert (orders.status_code, days.status_code, leave.status_code) == (403, 404, 403)


def test_the_designation_does_not_lend_the_acting_holder_anyone_elses_staff(as_user, town):
    """A designation for 企画課 gives nothing in a third department, and nothing to a colleague of the holder."""
    third = EmployeeFactory(department=DepartmentFactory(code="kaikei", name="会計課"))
    colleague = EmployeeFactory(department=town["acting"].department)

    assert order(as_user(town["acting"]), third).status_code == 404
    assert order(as_user(colleague), town["kikaku_staff"]).status_code == 404
    assert as_user(colleague).get(URL, {"department": "kikaku"}).status_code == 403
    assert not OvertimeOrder.objects.exists()


def test_an_acting_holder_of_no_department_of_their_own_leads_the_one_designated(as_user, town):
    town["designation"].acting = outsider = EmployeeFactory(department=None, position="director")
    town["designation"].save(update_fields=["acting"])

    response = order(as_user(outsider), town["kikaku_staff"])

    assert response.status_code == 201, response.json()
    assert Document.objects.get(pk=response.json()["document"]).department_id == town["kikaku"].pk


def test_a_designation_for_a_chiefs_post_lends_no_department(as_user, town):
    town["designation"].position = "chief"
    town["designation"].save(update_fields=["position"])

    assert order(as_user(town["acting"]), town["kikaku_staff"]).status_code == 404
    assert as_user(town["acting"]).get(URL, {"department": "kikaku"}).status_code == 403


def test_a_post_has_one_acting_holder_a_day(town):
    second = ActingAppointment(
        department=town["kikaku"],
        position="director",
        acting=town["somu_director"],
        start=TODAY + timedelta(days=7),
    )
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "start" in refused.value.message_dict
    town["designation"].end = TODAY + timedelta(days=6)
    town["designation"].save(update_fields=["end"])
    second.full_clean()  # once the first has an end before it, the second may follow


def test_only_a_holder_of_the_departments_post_files_a_document_in_it(town):
    """The approvals core checks the filing department itself, whoever calls it."""
    colleague = EmployeeFactory(department=town["acting"].department)
    for drafter in (town["somu_director"], colleague):
        with pytest.raises(PermissionDenied):
            document_create(
                kind="general", drafter=drafter, title="x", retention_years=1, department=town["kikaku"]
            )
    filed = document_create(
        kind="general", drafter=town["acting"], title="x", retention_years=1, department=town["kikaku"]
    )
    assert filed.department_id == town["kikaku"].pk
    assert Document.objects.count() == 1
