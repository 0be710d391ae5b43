"""/api/v1/org/departments/: everyone reads, the admin creates and changes."""

import pytest

from org.models import Department
from tests.factories import DepartmentFactory, EmployeeFactory

URL = "/api/v1/org/departments/"


@pytest.fixture
def admin(db):
    return EmployeeFactory(username="admin1", department=None, roles=["admin"])


@pytest.fixture
def hr(department):
    return EmployeeFactory(username="hr1", department=department, roles=["hr"])


def snapshot():
    return sorted(Department.objects.values_list("code", "name", "short_name", "is_active"))


def test_everyone_reads_the_departments(as_user, employee):
    DepartmentFactory(code="kikaku", name="企画課", short_name="南富企", sort_order=2)

    response = as_user(employee).get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert response.json()["results"][0] == {
        "code": "somu",
        "name": "総務課",
        "short_name": "南富総",
        "sort_order": 0,
        "overtime_exempt": False,
        "is_active": True,
    }
    detail = as_user(employee).get(f"{URL}kikaku/")
    assert detail.status_code == 200
    assert detail.json()["short_name"] == "南富企"


def test_anonymous_reads_nothing(api_client, department):
    assert api_client.get(URL).status_code == 401
    assert api_client.get(f"{URL}somu/").status_code == 401


def test_unknown_department_is_404(as_user, employee):
    response = as_user(employee).get(f"{URL}nothere/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_admin_creates_a_department(as_user, admin):
    response = as_user(admin).post(
        URL, {"code": "kikaku", "name": "企画課", "short_name": "南富企"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["code"] == "kikaku"
    department = Department.objects.get(code="kikaku")
    assert (department.name, department.short_name, department.is_active) == ("企画課", "南富企", True)


@pytest.mark.parametrize("who", ["anonymous", "staff", "hr", "manager"])
def test_only_admin_creates_departments(api_client, as_user, department, hr, who):
    before = snapshot()
    client = {
        "anonymous": api_client,
        "staff": as_user(EmployeeFactory(department=department)),
        "hr": as_user(hr),
        "manager": as_user(EmployeeFactory(department=department, position="director")),
    }[who]

    response = client.post(URL, {"code": "kikaku", "name": "企画課", "short_name": "南富企"}, format="json")

    assert response.status_code == (401 if who == "anonymous" else 403)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"code": "somu", "name": "総務課2", "short_name": "南富総2"}, "code", "unique"),
        ({"code": "bad code!", "name": "x", "short_name": "x"}, "code", "invalid"),
        ({"code": "kikaku", "short_name": "南富企"}, "name", "required"),
        ({"code": "kikaku", "name": "企画課", "short_name": "  "}, "short_name", "blank"),
    ],
)
def test_bad_department_input_is_400_and_changes_nothing(as_user, admin, department, body, field, code):
    before = snapshot()

    response = as_user(admin).post(URL, body, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in response.json()["errors"]
    ]
    assert snapshot() == before


def test_admin_renames_a_department_but_not_its_code(as_user, admin, department):
    # the code is not writable: sending it is refused (API.md: unknown fields are refused, never dropped)
    refused = as_user(admin).patch(f"{URL}somu/", {"name": "総務企画課", "code": "other"}, format="json")
    assert refused.status_code == 400
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("code", "unknown_field")]
    department.refresh_from_db()
    assert (department.code, department.name) == ("somu", "総務課")

    response = as_user(admin).patch(
        f"{URL}somu/", {"name": "総務企画課", "short_name": "南富総企"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["code"] == "somu"
    department.refresh_from_db()
    assert (department.code, department.name, department.short_name) == ("somu", "総務企画課", "南富総企")


@pytest.mark.parametrize("who", ["anonymous", "staff", "hr"])
def test_only_admin_changes_departments(api_client, as_user, department, hr, who):
    before = snapshot()
    client = {
        "anonymous": api_client,
        "staff": as_user(EmployeeFactory(department=department)),
        "hr": as_user(hr),
    }[who]

    response = client.patch(f"{URL}somu/", {"name": "変更"}, format="json")

    assert response.status_code == (401 if who == "anonymous" else 403)
    assert snapshot() == before


def test_department_with_active_staff_cannot_be_closed(as_user, admin, department, employee):
    response = as_user(admin).patch(f"{URL}somu/", {"is_active": False}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "department_has_employees"
    department.refresh_from_db()
    assert department.is_active is True


def test_department_list_query_count_is_fixed(as_user, employee, django_assert_max_num_queries):
    client = as_user(employee)
    for count in (5, 100):
        for i in range(count - Department.objects.count()):
            DepartmentFactory(code=f"d{count}-{i}")
        with django_assert_max_num_queries(4):
            response = client.get(URL, {"page_size": 200})
        assert response.json()["count"] == count


def test_messages_are_english_with_accept_language_en(as_user, admin, department):
    body = {"code": "somu", "name": "総務課", "short_name": "南富総"}

    english = as_user(admin).post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    japanese = as_user(admin).post(URL, body, format="json")

    assert english.json()["errors"][0]["message"] == "A department with this code already exists."
    assert japanese.json()["errors"][0]["message"] == "このコードの課は既に存在します。"
