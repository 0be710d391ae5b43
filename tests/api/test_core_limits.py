"""No input gives a 5xx: every integer, date, list, character and body is held to api.core.limits, and each refusal is
a 400 (413 for size) problem with a stable code, changing nothing. The inputs are the fuzzer's findings of issue 14."""

import ast
import json
import re
from pathlib import Path

import pytest
from django.test import override_settings

from org.models import Absence, Department, Employee
from tests.factories import EmployeeFactory

ROOT = Path(__file__).resolve().parents[2]
HUGE = 51000000000000000000  # beyond 64 bits


@pytest.fixture
def admin(db):
    return EmployeeFactory(username="admin1", department=None, roles=["admin"])


@pytest.fixture
def hr(department):
    return EmployeeFactory(username="hr1", department=department, roles=["hr"])


def problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    if code is not None:
        assert body["code"] == code
    return body


def field_codes(body: dict) -> list[tuple[str | None, str]]:
    return [(item["field"], item["code"]) for item in body.get("errors", [])]


# --- integers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["5.1e19", str(HUGE), "-" + str(HUGE)])
def test_an_integer_beyond_64_bits_in_a_filter_is_a_400(as_user, hr, employee, value):
    body = problem(as_user(hr).get("/api/v1/org/absences/", {"employee": value}), 400, "invalid")
    assert field_codes(body)[0][0] == "employee"


def test_an_integer_beyond_64_bits_in_a_query_serializer_is_a_400(as_user, employee):
    body = problem(as_user(employee).get("/api/v1/attendance/events/", {"employee": HUGE}), 400, "invalid")
    assert field_codes(body) == [("employee", "max_value")]


def test_an_integer_beyond_64_bits_in_a_body_is_a_400_and_creates_nothing(as_user, admin):
    before = Department.objects.count()
    response = as_user(admin).post(
        "/api/v1/org/departments/",
        {"code": "big", "name": "大きな課", "short_name": "南富大", "sort_order": HUGE},
        format="json",
    )
    assert field_codes(problem(response, 400, "invalid")) == [("sort_order", "max_value")]
    assert Department.objects.count() == before


def test_a_model_integer_field_has_the_columns_range_on_every_database():
    from django.db.backends.base.operations import BaseDatabaseOperations

    from api.core import serializers

    class DepartmentOrder(serializers.ModelSerializer):
        class Meta:
            model = Department
            fields = ["id", "sort_order"]

    fields = DepartmentOrder().fields
    column = Department._meta.get_field("sort_order").get_internal_type()
    low, high = BaseDatabaseOperations.integer_field_ranges[column]
    assert (fields["sort_order"].min_value, fields["sort_order"].max_value) == (max(low, 0), high)
    assert fields["id"].max_value == 2**63 - 1


def test_a_related_key_beyond_64_bits_is_does_not_exist(as_user, hr, employee):
    before = Absence.objects.count()
    response = as_user(hr).post(
        "/api/v1/org/absences/", {"employee": HUGE, "start": "2026-05-01", "end": "2026-05-02"}, format="json"
    )
    assert field_codes(problem(response, 400, "invalid")) == [("employee", "does_not_exist")]
    assert Absence.objects.count() == before


# --- dates ---------------------------------------------------------------------------------------


def test_a_month_in_year_9999_is_a_400(as_user, employee):
    problem(as_user(employee).get("/api/v1/attendance/timesheets/9999-12/"), 400, "invalid_month")


def test_dates_outside_2000_to_2100_are_refused_in_queries_and_filters(as_user, hr, employee):
    days = as_user(employee).get("/api/v1/attendance/days/", {"from": "9999-12-01", "to": "9999-12-31"})
    assert ("from", "date_out_of_range") in field_codes(problem(days, 400, "invalid"))
    absences = as_user(hr).get("/api/v1/org/absences/", {"from": "1999-12-31"})
    assert field_codes(problem(absences, 400, "invalid")) == [("from", "date_out_of_range")]


def test_a_date_outside_the_range_in_a_body_is_refused(as_user, hr, employee):
    response = as_user(hr).post(
        "/api/v1/org/absences/",
        {"employee": employee.pk, "start": "2026-05-01", "end": "9999-12-31"},
        format="json",
    )
    assert field_codes(problem(response, 400, "invalid")) == [("end", "date_out_of_range")]
    assert not Absence.objects.exists()


# --- lists ---------------------------------------------------------------------------------------


def test_at_most_31_dates_in_one_telework_request(as_user, employee):
    dates = [f"2030-{month:02d}-{day:02d}" for month in (1, 2) for day in range(1, 17)]
    response = as_user(employee).post(
        "/api/v1/telework/requests/", {"dates": dates, "location": "home", "work_plan": "x"}, format="json"
    )
    assert ("dates", "max_length") in field_codes(problem(response, 400, "invalid"))


@override_settings(API_MAX_LIST_LENGTH=3)
def test_every_list_has_a_maximum_length(as_user, admin, employee):
    response = as_user(admin).patch(
        f"/api/v1/org/employees/{employee.pk}/", {"roles": ["staff"] * 4}, format="json"
    )
    assert field_codes(problem(response, 400, "invalid")) == [("roles", "max_length")]


# --- characters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/org/departments/so%00mu/",
        "/api/v1/attendance/timesheets/2026-0%001/",
        "/api/v1/org/employees/?department=%00",
        "/api/v1/org/employees/?x%01=1",
        "/api/v1/me/?q=%1b",
    ],
)
def test_a_control_character_in_a_path_or_a_query_is_a_400(as_user, employee, path):
    problem(as_user(employee).get(path), 400, "invalid_character")


def test_a_control_character_outside_the_api_is_a_plain_400(client):
    assert client.get("/accounts/login/?next=%00").status_code == 400


@pytest.mark.parametrize("username", ["new\x00user", "new\x12user", "bad\ud800"])
def test_a_control_character_or_a_lone_surrogate_in_a_body_is_a_400_and_creates_nothing(
    as_user, admin, username
):
    before = Employee.objects.count()
    body = json.dumps({"username": username, "name": "x", "password": "Furano-demo-2026"})
    response = as_user(admin).post("/api/v1/org/employees/", body, content_type="application/json")
    problem(response, 400, "invalid_character")
    assert Employee.objects.count() == before


def test_tabs_and_new_lines_are_text(as_user, admin, department):
    response = as_user(admin).patch(
        "/api/v1/org/departments/somu/", {"name": "総務課\t本庁\r\n"}, format="json"
    )
    assert response.status_code == 200


def test_a_control_character_in_a_form_body_is_a_400(as_user, admin):
    response = as_user(admin).post(
        "/api/v1/org/departments/", {"code": "a\x00", "name": "x", "short_name": "y"}
    )
    problem(response, 400, "invalid_character")


# --- JSON bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_a_400_even_anonymously_on_the_token_endpoint(api_client, db, depth):
    body = '{"username": ' + "[" * depth + "]" * depth + ', "password": "x"}'
    response = api_client.post("/api/v1/auth/token/", body, content_type="application/json")
    problem(response, 400, "json_too_deep")


@override_settings(API_MAX_JSON_BYTES=1000)
def test_a_json_body_over_the_limit_is_a_413(api_client, db):
    body = json.dumps({"username": "x" * 2000, "password": "x"})
    problem(
        api_client.post("/api/v1/auth/token/", body, content_type="application/json"),
        413,
        "payload_too_large",
    )


def test_nan_is_not_json(as_user, admin):
    body = '{"code": "nan", "name": "x", "short_name": "y", "sort_order": NaN}'
    response = as_user(admin).post("/api/v1/org/departments/", body, content_type="application/json")
    problem(response, 400, "parse_error")


# --- unknown fields ------------------------------------------------------------------------------


def test_an_unknown_field_is_refused_with_its_name_never_dropped(as_user, hr, employee):
    response = as_user(hr).post(
        "/api/v1/org/absences/",
        {"employee": employee.pk, "start": "2026-05-01", "end": "2026-05-02", "colour": "red"},
        format="json",
    )
    assert field_codes(problem(response, 400, "invalid")) == [("colour", "unknown_field")]
    assert not Absence.objects.exists()


def test_an_unknown_field_is_named_beside_the_other_errors(as_user, hr):
    response = as_user(hr).post("/api/v1/org/absences/", {"start": "x", "colour": "red"}, format="json")
    codes = field_codes(problem(response, 400, "invalid"))
    assert ("colour", "unknown_field") in codes
    assert ("employee", "required") in codes


def test_an_unknown_field_in_a_nested_item_is_refused(as_user, employee):
    response = as_user(employee).post(
        "/api/v1/attendance/corrections/",
        {
            "date": "2026-05-01",
            "reason": "忘れ",
            "events": [{"kind": "in", "at": "2026-05-01T08:30:00+09:00", "location": "office", "x": 1}],
        },
        format="json",
    )
    assert ("events[0].x", "unknown_field") in field_codes(problem(response, 400, "invalid"))


def test_unknown_query_parameters_are_not_body_fields(as_user, employee):
    response = as_user(employee).get("/api/v1/attendance/events/", {"page": 1, "page_size": 5})
    assert response.status_code == 200


def test_every_module_of_the_api_uses_the_bounded_serializers_and_filters():
    """`from api.core import serializers` / `filters`: DRF's and django-filter's own modules would be unbounded."""
    offenders = []
    for path in sorted((ROOT / "api").rglob("*.py")):
        if path.parent.name == "core" and path.stem in {"serializers", "filters"}:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {alias.name for alias in node.names}
                if (node.module == "rest_framework" and "serializers" in names) or node.module in {
                    "rest_framework.serializers",
                    "rest_framework.fields",
                    "django_filters",
                    "django_filters.rest_framework",
                    "django_filters.filters",
                }:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


# --- OPTIONS and media types ---------------------------------------------------------------------


def test_options_answers_on_every_endpoint_of_the_schema(as_user, admin, department):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    samples = {"month": "2026-04", "code": "somu"}
    answers = {}
    for path in paths:
        url = re.sub(r"{(\w+)}", lambda match: samples.get(match.group(1), "1"), path)
        for query in ("", "?format=csv"):
            answers[url + query] = as_user(admin).options(url + query).status_code
    assert [url for url, status in answers.items() if status >= 500] == []
    assert answers["/api/v1/attendance/export.csv?format=csv"] == 200


def test_options_answers_json_whatever_format_the_endpoint_serves(as_user, admin):
    response = as_user(admin).options("/api/v1/telework/rollout/survey/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"]


@pytest.mark.parametrize("accept", ["text/csv", "*/*", "text/*", None])
def test_the_payroll_csv_answers_accept_text_csv(as_user, hr, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = as_user(hr).get("/api/v1/attendance/export.csv?month=2026-04", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_the_payroll_csv_refuses_json_and_its_errors_stay_problems(as_user, hr, employee):
    problem(
        as_user(hr).get("/api/v1/attendance/export.csv?month=2026-04", HTTP_ACCEPT="application/json"), 406
    )
    problem(as_user(employee).get("/api/v1/attendance/export.csv?month=2026-04", HTTP_ACCEPT="text/csv"), 403)
    problem(as_user(hr).get("/api/v1/attendance/export.csv?month=9999-01", HTTP_ACCEPT="text/csv"), 400)


@pytest.mark.parametrize("accept", ["text/calendar", "*/*"])
def test_the_calendar_feed_answers_accept_text_calendar(api_client, as_user, employee, accept):
    token = as_user(employee).post("/api/v1/telework/calendar-token/").json()["token"]
    response = api_client.get(f"/api/v1/telework/calendar.ics?token={token}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_a_field_may_say_otherwise_an_employee_hired_before_2000(as_user, admin, employee):
    response = as_user(admin).patch(
        f"/api/v1/org/employees/{employee.pk}/", {"hired_on": "1993-04-01"}, format="json"
    )
    assert response.status_code == 200
    employee.refresh_from_db()
    assert str(employee.hired_on) == "1993-04-01"
    too_early = as_user(admin).patch(
        f"/api/v1/org/employees/{employee.pk}/", {"hired_on": "1900-04-01"}, format="json"
    )
    assert field_codes(problem(too_early, 400, "invalid")) == [("hired_on", "date_out_of_range")]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/notifications/{HUGE}/",
        f"/api/v1/approvals/documents/{HUGE}/",
        f"/api/v1/approvals/documents/{HUGE}/attachments/",
        f"/api/v1/telework/requests/{HUGE}/",
        f"/api/v1/org/employees/{HUGE}/",
    ],
)
def test_an_id_beyond_64_bits_in_a_path_is_a_404(as_user, admin, path):
    assert problem(as_user(admin).get(path), 404)["code"] in {"not_found", "document_not_found"}
