"""/api/v1/org/sections/, /api/v1/org/transfers/, /api/v1/org/employees/{id}/assignments/ and the employee's
section and identifiers (issue 11): shapes, authorisation matrices (nothing changes on a denial), query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from org.models import Assignment, Employee, Position, Section
from org.services import employee_transfer, section_create
from tests.factories import DepartmentFactory, EmployeeFactory

SECTIONS = "/api/v1/org/sections/"
TRANSFERS = "/api/v1/org/transfers/"


@pytest.fixture
def town(department):
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    chief = EmployeeFactory(username="chief", department=department, position=Position.CHIEF)
    return {
        "somu": department,
        "kikaku": kikaku,
        "chief": chief,
        "staff": EmployeeFactory(username="staff", department=department, employee_number="A001"),
        "manager": EmployeeFactory(username="kacho", department=department, position=Position.DIRECTOR),
        "hr": EmployeeFactory(username="hr", department=department, roles=["hr"]),
        "admin": EmployeeFactory(username="sysadmin", department=None, roles=["admin"]),
    }


# --- sections -----------------------------------------------------------------------------------------


def test_hr_creates_a_section_and_everyone_reads_it(as_user, town):
    response = as_user(town["hr"]).post(
        SECTIONS,
        {"department": "somu", "code": "digital", "name": "デジタル推進係", "chief": town["chief"].pk},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("department", "code", "name", "chief")} == {
        "department": "somu",
        "code": "digital",
        "name": "デジタル推進係",
        "chief": town["chief"].pk,
    }
    listed = as_user(town["staff"]).get(SECTIONS, {"department": "somu"}).json()
    assert [s["id"] for s in listed["results"]] == [body["id"]]
    assert as_user(town["staff"]).get(SECTIONS, {"department": "kikaku"}).json()["count"] == 0


def test_section_write_authorisation_matrix(as_user, api_client, town):
    body = {"department": "somu", "code": "zaisei", "name": "財政係"}
    assert api_client.post(SECTIONS, body, format="json").status_code == 401
    assert api_client.get(SECTIONS).status_code == 401
    for who in ("staff", "manager"):
        assert as_user(town[who]).post(SECTIONS, body, format="json").status_code == 403
    assert not Section.objects.exists()
    assert as_user(town["admin"]).post(SECTIONS, body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"department": "somu", "code": "x", "name": ""}, "blank"),
        ({"department": "kikaku", "code": "x", "name": "係", "chief": "chief"}, "chief_not_in_department"),
        ({"department": "nowhere", "code": "x", "name": "係"}, "does_not_exist"),
    ],
)
def test_a_bad_section_is_400_and_creates_nothing(as_user, town, body, code):
    if body.get("chief") == "chief":
        body = {**body, "chief": town["chief"].pk}
    response = as_user(town["hr"]).post(SECTIONS, body, format="json")
    assert response.status_code == 400
    assert code in {e["code"] for e in response.json()["errors"]}
    assert not Section.objects.exists()


def test_hr_changes_a_sections_chief(as_user, town):
    section = section_create(actor=None, department=town["somu"], code="somu", name="総務係")
    response = as_user(town["hr"]).patch(
        f"{SECTIONS}{section.pk}/", {"chief": town["chief"].pk}, format="json"
    )
    assert (response.status_code, response.json()["chief"]) == (200, town["chief"].pk)


@pytest.mark.parametrize("count", [3, 30])
def test_the_section_list_costs_a_fixed_number_of_queries(
    as_user, town, django_assert_max_num_queries, count
):
    for n in range(count):
        section_create(
            actor=None, department=town["somu"], code=f"s{n}", name=f"第{n}係", chief=town["chief"]
        )
    with django_assert_max_num_queries(4):
        response = as_user(town["staff"]).get(SECTIONS, {"page_size": 100})
    assert response.json()["count"] == count


# --- the employee's section and identifiers -------------------------------------------------------------


def test_the_employee_shows_section_number_external_id_and_retirement(as_user, town):
    section = section_create(actor=None, department=town["somu"], code="somu", name="総務係")
    response = as_user(town["hr"]).patch(
        f"/api/v1/org/employees/{town['staff'].pk}/",
        {"section": section.pk, "external_id": "AD-0001", "employee_number": "A101"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["section"], body["external_id"], body["employee_number"], body["retired_on"]) == (
        section.pk,
        "AD-0001",
        "A101",
        None,
    )
    colleague = as_user(town["chief"]).get(f"/api/v1/org/employees/{town['staff'].pk}/").json()
    assert colleague["section"] == section.pk
    assert "external_id" not in colleague
    assert "employee_number" not in colleague


def test_a_section_of_another_department_is_refused(as_user, town):
    other = section_create(actor=None, department=town["kikaku"], code="kikaku", name="企画係")
    response = as_user(town["hr"]).patch(
        f"/api/v1/org/employees/{town['staff'].pk}/", {"section": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "section_not_in_department"
    assert Employee.objects.get(pk=town["staff"].pk).section is None


# --- transfers and the assignment history -----------------------------------------------------------------


def test_hr_records_a_transfer_and_the_history_shows_it(as_user, town):
    section = section_create(actor=None, department=town["kikaku"], code="kikaku", name="企画係")
    today = timezone.localdate()
    response = as_user(town["hr"]).post(
        TRANSFERS,
        {
            "employee": town["staff"].pk,
            "effective_on": today.isoformat(),
            "department": "kikaku",
            "section": section.pk,
            "position": "senior",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["department"], response.json()["section"], response.json()["position"]) == (
        "kikaku",
        section.pk,
        "senior",
    )
    staff = Employee.objects.get(pk=town["staff"].pk)
    assert (staff.department, staff.section, staff.position) == (town["kikaku"], section, "senior")
    history = as_user(town["staff"]).get(f"/api/v1/org/employees/{staff.pk}/assignments/").json()
    assert [(a["department"], a["position"], a["end"]) for a in history] == [
        ("somu", "staff", (today - timedelta(days=1)).isoformat()),
        ("kikaku", "senior", None),
    ]


def test_a_transfer_dated_later_waits_for_its_day(as_user, town):
    later = timezone.localdate() + timedelta(days=10)
    response = as_user(town["hr"]).post(
        TRANSFERS,
        {
            "employee": town["staff"].pk,
            "effective_on": later.isoformat(),
            "department": "kikaku",
            "position": "staff",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Employee.objects.get(pk=town["staff"].pk).department == town["somu"]


def test_transfer_authorisation_matrix(as_user, api_client, town):
    body = {
        "employee": town["staff"].pk,
        "effective_on": timezone.localdate().isoformat(),
        "department": "kikaku",
        "position": "staff",
    }
    before = Assignment.objects.count()
    assert api_client.post(TRANSFERS, body, format="json").status_code == 401
    for who in ("staff", "manager", "chief"):
        assert as_user(town[who]).post(TRANSFERS, body, format="json").status_code == 403
    admin_move = {**body, "employee": town["admin"].pk}
    response = as_user(town["hr"]).post(TRANSFERS, admin_move, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "admin_only")
    assert Assignment.objects.count() == before
    assert Employee.objects.get(pk=town["staff"].pk).department == town["somu"]


def test_a_transfer_before_a_later_one_is_refused(as_user, town):
    employee_transfer(
        actor=None,
        employee=town["staff"],
        effective_on=timezone.localdate() + timedelta(days=30),
        department=town["kikaku"],
        position="staff",
    )
    response = as_user(town["hr"]).post(
        TRANSFERS,
        {
            "employee": town["staff"].pk,
            "effective_on": timezone.localdate().isoformat(),
            "department": "kikaku",
            "position": "senior",
        },
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "transfer_before_later_one")


def test_assignment_history_authorisation(as_user, api_client, town):
    url = f"/api/v1/org/employees/{town['staff'].pk}/assignments/"
    assert api_client.get(url).status_code == 401
    assert as_user(town["manager"]).get(url).status_code == 403  # sees the directory, not the record
    outsider = EmployeeFactory(username="outsider", department=town["kikaku"])
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(town["hr"]).get(url).status_code == 200
    assert as_user(town["staff"]).get(url).status_code == 200


@pytest.mark.parametrize("moves", [1, 12])
def test_the_history_costs_a_fixed_number_of_queries(as_user, town, django_assert_max_num_queries, moves):
    start = town["staff"].hired_on + timedelta(days=1)
    for n in range(moves):
        employee_transfer(
            actor=None,
            employee=town["staff"],
            effective_on=start + timedelta(days=30 * n),
            department=town["kikaku"] if n % 2 else town["somu"],
            position="staff",
        )
    client = as_user(town["hr"])
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/org/employees/{town['staff'].pk}/assignments/")
    assert len(response.json()) >= moves
