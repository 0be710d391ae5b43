"""/api/v1/org/absences/: self, the department's manager, hr and admin record; they and the deputy read."""

import pytest

from org.models import Absence
from tests.factories import DepartmentFactory, EmployeeFactory

URL = "/api/v1/org/absences/"


@pytest.fixture
def town(department):
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    director = EmployeeFactory(username="director", department=department, position="director")
    chief = EmployeeFactory(username="chief", department=department, position="chief")
    director.deputy = chief
    director.save()
    return {
        "director": director,
        "chief": chief,
        "staff": EmployeeFactory(username="staff", department=department),
        "other_manager": EmployeeFactory(username="other_manager", department=kikaku, position="director"),
        "other": EmployeeFactory(username="other", department=kikaku),
        "hr": EmployeeFactory(username="hr", department=department, roles=["hr"]),
        "admin": EmployeeFactory(username="admin", department=None, roles=["admin"]),
    }


def body(employee, start="2026-06-01", end="2026-06-03"):
    return {"employee": employee.pk, "start": start, "end": end, "reason": "出張"}


def absences():
    return sorted(Absence.objects.values_list("employee_id", "start", "end"))


@pytest.mark.parametrize("who", ["director", "hr", "admin"])
def test_self_hr_and_admin_record_the_directors_absence(as_user, town, who):
    response = as_user(town[who]).post(URL, body(town["director"]), format="json")

    assert response.status_code == 201
    data = response.json()
    assert (data["employee"], data["start"], data["end"], data["created_by"]) == (
        town["director"].pk,
        "2026-06-01",
        "2026-06-03",
        town[who].pk,
    )
    assert Absence.objects.get().employee == town["director"]


def test_a_manager_records_an_absence_in_their_department(as_user, town):
    response = as_user(town["chief"]).post(URL, body(town["staff"]), format="json")

    assert response.status_code == 201
    assert absences()[0][0] == town["staff"].pk


@pytest.mark.parametrize("who", ["staff", "other_manager", "other"])
def test_others_cannot_record_the_directors_absence(as_user, town, who):
    response = as_user(town[who]).post(URL, body(town["director"]), format="json")

    assert response.status_code == 403
    assert absences() == []


def test_anonymous_is_401(api_client, town):
    assert api_client.post(URL, body(town["director"]), format="json").status_code == 401
    assert api_client.get(URL).status_code == 401
    assert absences() == []


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"start": "2026-06-03", "end": "2026-06-01"}, "end", "end_before_start"),
        ({"start": "not a date"}, "start", "invalid"),
        ({"employee": 999999}, "employee", "does_not_exist"),
    ],
)
def test_bad_absence_input_is_400(as_user, town, payload, field, code):
    response = as_user(town["hr"]).post(URL, body(town["director"]) | payload, format="json")

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]
    assert absences() == []


def test_overlapping_absence_is_409(as_user, town):
    client = as_user(town["director"])
    client.post(URL, body(town["director"]), format="json")

    response = client.post(URL, body(town["director"], start="2026-06-03", end="2026-06-05"), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "absence_overlap"
    assert len(absences()) == 1


def test_idempotency_key_replays_the_first_response(as_user, town):
    client = as_user(town["director"])
    headers = {"HTTP_IDEMPOTENCY_KEY": "absence-1"}

    first = client.post(URL, body(town["director"]), format="json", **headers)
    second = client.post(URL, body(town["director"]), format="json", **headers)

    assert first.status_code == 201
    assert (second.status_code, second.json()) == (201, first.json())
    assert len(absences()) == 1


def test_each_caller_lists_the_absences_they_may_see(as_user, town):
    for who in ("director", "staff", "other"):
        as_user(town["hr"]).post(URL, body(town[who]), format="json")

    def listed(who):
        return {row["employee"] for row in as_user(town[who]).get(URL).json()["results"]}

    assert listed("staff") == {town["staff"].pk}
    assert listed("chief") == {town["director"].pk, town["staff"].pk}  # deputy and manager of 総務課
    assert listed("other_manager") == {town["other"].pk}
    assert listed("hr") == {town[w].pk for w in ("director", "staff", "other")}


def test_absence_list_filters_by_employee_and_period(as_user, town):
    client = as_user(town["hr"])
    client.post(URL, body(town["director"], "2026-06-01", "2026-06-03"), format="json")
    client.post(URL, body(town["director"], "2026-07-01", "2026-07-02"), format="json")
    client.post(URL, body(town["staff"], "2026-06-02", "2026-06-02"), format="json")

    def starts(params):
        return sorted((row["employee"], row["start"]) for row in client.get(URL, params).json()["results"])

    assert starts({"employee": town["staff"].pk}) == [(town["staff"].pk, "2026-06-02")]
    assert starts({"from": "2026-06-03", "to": "2026-06-30"}) == [(town["director"].pk, "2026-06-01")]
    assert len(starts({"from": "2026-06-02", "to": "2026-07-01"})) == 3


def test_absence_list_query_count_is_fixed(as_user, town, django_assert_max_num_queries):
    client = as_user(town["hr"])
    for total in (5, 100):
        start = Absence.objects.count()
        Absence.objects.bulk_create(
            Absence(
                employee=town["staff"],
                start=f"2027-{1 + i // 28:02d}-{1 + i % 28:02d}",
                end=f"2027-{1 + i // 28:02d}-{1 + i % 28:02d}",
            )
            for i in range(start, total)
        )
        with django_assert_max_num_queries(4):
            response = client.get(URL, {"page_size": 200})
        assert response.json()["count"] == total


def test_an_absence_is_taken_back_by_whoever_may_record_it(as_user, town):
    created = as_user(town["director"]).post(URL, body(town["director"]), format="json").json()

    assert as_user(town["hr"]).delete(f"{URL}{created['id']}/").status_code == 204
    assert absences() == []


def test_the_deputy_cannot_take_their_principals_absence_back(as_user, town):
    # given the director's absence, which the chief (their deputy, 代決者) reads
    created = as_user(town["director"]).post(URL, body(town["director"]), format="json").json()

    response = as_user(town["chief"]).delete(f"{URL}{created['id']}/")

    assert response.status_code == 403
    assert len(absences()) == 1


@pytest.mark.parametrize(("who", "status"), [("staff", 404), ("other_manager", 404), ("other", 404)])
def test_others_cannot_take_an_absence_back(as_user, town, who, status):
    created = as_user(town["hr"]).post(URL, body(town["director"]), format="json").json()

    response = as_user(town[who]).delete(f"{URL}{created['id']}/")

    assert response.status_code == status
    assert len(absences()) == 1


def test_the_deputy_sees_but_cannot_take_back_an_absence_outside_their_department(as_user, town):
    town["director"].deputy = town["other"]
    town["director"].save()
    created = as_user(town["hr"]).post(URL, body(town["director"]), format="json").json()

    assert {row["id"] for row in as_user(town["other"]).get(URL).json()["results"]} == {created["id"]}
    response = as_user(town["other"]).delete(f"{URL}{created['id']}/")

    assert response.status_code == 403
    assert len(absences()) == 1
