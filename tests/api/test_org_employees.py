"""/api/v1/org/employees/: the directory, full records for self/hr/admin, writes by admin and hr."""

import pytest
from django.contrib.auth.hashers import check_password

from org.models import Employee
from tests.factories import TEST_PASSWORD, DepartmentFactory, EmployeeFactory

URL = "/api/v1/org/employees/"
DIRECTORY = {"id", "name", "department", "section", "position", "is_active"}
FULL = DIRECTORY | {
    "username",
    "employee_number",
    "external_id",
    "retired_on",
    "email",
    "employment_type",
    "hired_on",
    "roles",
    "deputy",
    "security_training_fy",
    "security_pledge_signed",
}


@pytest.fixture
def town(department):
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    return {
        "somu": department,
        "kikaku": kikaku,
        "staff": EmployeeFactory(username="staff", name="佐藤 花子", department=department),
        "colleague": EmployeeFactory(username="colleague", department=department, position="senior"),
        "other": EmployeeFactory(username="other", department=kikaku),
        "manager": EmployeeFactory(username="manager", department=kikaku, position="director"),
        "secretariat": EmployeeFactory(username="secretariat", department=department, roles=["secretariat"]),
        "hr": EmployeeFactory(username="hr", department=department, roles=["hr"]),
        "admin": EmployeeFactory(username="admin", department=None, roles=["admin"]),
    }


def snapshot():
    return sorted(
        Employee.objects.values_list(
            "id", "username", "name", "password", "department_id", "position", "deputy_id", "is_active"
        )
    )


def role_snapshot():
    return sorted(Employee.roles.through.objects.values_list("employee_id", "role_id"))


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- Reading -------------------------------------------------------------------------------------


def test_anonymous_is_401(api_client, town):
    assert api_client.get(URL).status_code == 401
    assert api_client.get(f"{URL}{town['staff'].pk}/").status_code == 401


def test_staff_see_their_own_department_as_a_directory(as_user, town):
    response = as_user(town["staff"]).get(URL)

    assert response.status_code == 200
    somu_ids = {town[k].pk for k in ("staff", "colleague", "secretariat", "hr")}
    assert ids(response) == somu_ids
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows[town["staff"].pk]) == FULL
    assert set(rows[town["colleague"].pk]) == DIRECTORY
    assert rows[town["colleague"].pk]["department"] == "somu"


@pytest.mark.parametrize("who", ["manager", "secretariat", "hr", "admin"])
def test_managers_secretariat_hr_and_admin_see_everyone(as_user, town, who):
    response = as_user(town[who]).get(URL)

    assert ids(response) == set(Employee.objects.values_list("id", flat=True))


@pytest.mark.parametrize(
    ("who", "fields"), [("manager", DIRECTORY), ("secretariat", DIRECTORY), ("hr", FULL), ("admin", FULL)]
)
def test_only_self_hr_and_admin_read_the_full_record(as_user, town, who, fields):
    response = as_user(town[who]).get(f"{URL}{town['other'].pk}/")

    assert response.status_code == 200
    assert set(response.json()) == fields


def test_self_reads_own_full_record_without_password(as_user, town):
    response = as_user(town["staff"]).get(f"{URL}{town['staff'].pk}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == FULL
    assert body["username"] == "staff"
    assert body["roles"] == ["staff"]
    assert "password" not in body


def test_staff_cannot_see_another_department_employee(as_user, town):
    response = as_user(town["staff"]).get(f"{URL}{town['other'].pk}/")

    assert response.status_code == 404


def test_filters_by_department_position_and_active(as_user, town):
    client = as_user(town["hr"])
    town["colleague"].is_active = False
    town["colleague"].save()

    assert ids(client.get(URL, {"department": "kikaku"})) == {town["other"].pk, town["manager"].pk}
    assert ids(client.get(URL, {"position": "director"})) == {town["manager"].pk}
    assert ids(client.get(URL, {"active": "false"})) == {town["colleague"].pk}
    assert town["colleague"].pk not in ids(client.get(URL, {"active": "true"}))


@pytest.mark.parametrize(
    ("params", "field"), [({"position": "emperor"}, "position"), ({"department": "nope"}, "department")]
)
def test_bad_filters_are_400(as_user, town, params, field):
    response = as_user(town["hr"]).get(URL, params)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_list_query_count_is_fixed_for_few_and_many_rows(as_user, department, django_assert_max_num_queries):
    hr = EmployeeFactory(username="hr", department=department, roles=["hr"])
    client = as_user(hr)
    for total in (5, 100):
        while Employee.objects.count() < total:
            EmployeeFactory(department=department, roles=["secretariat"])
        with django_assert_max_num_queries(5):
            response = client.get(URL, {"page_size": 200})
        assert response.json()["count"] == total
        assert all(row["roles"] for row in response.json()["results"])


# --- Creating ------------------------------------------------------------------------------------


def new_employee_body(**overrides):
    return {
        "username": "tanaka",
        "password": "Minami-furano-2026",
        "name": "田中 一郎",
        "department": "kikaku",
        "position": "chief",
        "employment_type": "fixed_term",
        "hired_on": "2024-04-01",
        "roles": ["secretariat"],
        "security_training_fy": 2026,
        "security_pledge_signed": True,
    } | overrides


@pytest.mark.parametrize("who", ["admin", "hr"])
def test_admin_and_hr_register_an_employee(as_user, town, who):
    body = new_employee_body(deputy=town["manager"].pk)

    response = as_user(town[who]).post(URL, body, format="json")

    assert response.status_code == 201
    data = response.json()
    assert "password" not in data
    assert data["roles"] == ["manager", "secretariat", "staff"]
    assert (data["department"], data["deputy"], data["employment_type"]) == (
        "kikaku",
        town["manager"].pk,
        "fixed_term",
    )
    created = Employee.objects.get(username="tanaka")
    assert created.check_password("Minami-furano-2026")
    assert created.role_codes == {"staff", "manager", "secretariat"}


@pytest.mark.parametrize("who", ["anonymous", "staff", "manager", "secretariat"])
def test_others_cannot_register_employees(api_client, as_user, town, who):
    before = snapshot()
    client = api_client if who == "anonymous" else as_user(town[who])

    response = client.post(URL, new_employee_body(), format="json")

    assert response.status_code == (401 if who == "anonymous" else 403)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"department": "nothere"}, "department", "does_not_exist"),
        ({"position": "emperor"}, "position", "invalid_choice"),
        ({"employment_type": "forever"}, "employment_type", "invalid_choice"),
        ({"roles": ["king"]}, "roles", "invalid_choice"),
        ({"username": "staff"}, "username", "unique"),
        ({"password": "123"}, "password", "password_too_short"),
        ({"position": "staff", "roles": ["manager"]}, "roles", "manager_requires_position"),
        ({"deputy": 999999}, "deputy", "does_not_exist"),
        ({"name": ""}, "name", "blank"),
    ],
)
def test_bad_employee_input_is_400_and_changes_nothing(as_user, town, overrides, field, code):
    before, roles_before = snapshot(), role_snapshot()

    response = as_user(town["admin"]).post(URL, new_employee_body(**overrides), format="json")

    assert response.status_code == 400
    assert (field, code) in [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert snapshot() == before
    assert role_snapshot() == roles_before


def test_inactive_deputy_is_refused(as_user, town):
    town["other"].is_active = False
    town["other"].save()
    before = snapshot()

    response = as_user(town["admin"]).post(URL, new_employee_body(deputy=town["other"].pk), format="json")

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("deputy", "deputy_inactive")]
    assert snapshot() == before


def test_hr_cannot_grant_admin(as_user, town):
    before = snapshot()

    response = as_user(town["hr"]).post(URL, new_employee_body(roles=["admin"]), format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "admin_only"
    assert snapshot() == before


# --- Changing ------------------------------------------------------------------------------------


def test_hr_changes_position_and_roles_follow(as_user, town):
    url = f"{URL}{town['colleague'].pk}/"

    response = as_user(town["hr"]).patch(
        url, {"position": "chief", "deputy": town["staff"].pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["manager", "staff"]
    colleague = Employee.objects.get(pk=town["colleague"].pk)
    assert (colleague.position, colleague.deputy_id) == ("chief", town["staff"].pk)

    response = as_user(town["hr"]).patch(url, {"position": "senior"}, format="json")

    assert response.json()["roles"] == ["staff"]


def test_admin_resets_a_password(as_user, town):
    response = as_user(town["admin"]).patch(
        f"{URL}{town['staff'].pk}/", {"password": "A-new-long-passphrase-9"}, format="json"
    )

    assert response.status_code == 200
    assert check_password("A-new-long-passphrase-9", Employee.objects.get(pk=town["staff"].pk).password)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("staff", 403), ("colleague", 403), ("manager", 403), ("secretariat", 403)],
)
def test_others_cannot_change_an_employee(api_client, as_user, town, who, status):
    before, roles_before = snapshot(), role_snapshot()
    client = api_client if who == "anonymous" else as_user(town[who])

    response = client.patch(f"{URL}{town['staff'].pk}/", {"name": "改竄", "roles": ["admin"]}, format="json")

    assert response.status_code == status
    assert snapshot() == before
    assert role_snapshot() == roles_before
    assert Employee.objects.get(pk=town["staff"].pk).check_password(TEST_PASSWORD)


def test_hr_cannot_change_an_admin(as_user, town):
    before = snapshot()

    response = as_user(town["hr"]).patch(
        f"{URL}{town['admin'].pk}/", {"password": "Taken-over-2026!"}, format="json"
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_employee_cannot_be_own_deputy(as_user, town):
    before = snapshot()

    response = as_user(town["hr"]).patch(
        f"{URL}{town['staff'].pk}/", {"deputy": town["staff"].pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "deputy_self"
    assert snapshot() == before


def test_patch_unknown_employee_is_404(as_user, town):
    assert as_user(town["hr"]).patch(f"{URL}999999/", {"name": "x"}, format="json").status_code == 404


# --- Deactivating --------------------------------------------------------------------------------


def test_hr_deactivates_and_deputy_links_are_cleared(as_user, town):
    town["manager"].deputy = town["other"]
    town["manager"].save()

    response = as_user(town["hr"]).post(f"{URL}{town['other'].pk}/deactivate/")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert Employee.objects.get(pk=town["other"].pk).is_active is False
    assert Employee.objects.get(pk=town["manager"].pk).deputy_id is None


@pytest.mark.parametrize("who", ["staff", "manager", "secretariat"])
def test_others_cannot_deactivate(as_user, town, who):
    before = snapshot()

    response = as_user(town[who]).post(f"{URL}{town['colleague'].pk}/deactivate/")

    assert response.status_code == 403
    assert snapshot() == before


def test_deactivating_twice_is_409(as_user, town):
    client = as_user(town["admin"])
    client.post(f"{URL}{town['other'].pk}/deactivate/")

    response = client.post(f"{URL}{town['other'].pk}/deactivate/")

    assert response.status_code == 409
    assert response.json()["code"] == "already_inactive"
