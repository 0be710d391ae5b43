"""The OpenAPI schema: generates without warnings, documents problem+json errors on every operation,
and the docs page loads only local assets (town networks are closed: no CDN)."""

import importlib.util
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

PROBLEM_REF = "#/components/schemas/Problem"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_schema_generates_without_warnings_or_errors(tmp_path):
    args = ["--fail-on-warn", "--file", str(tmp_path / "schema.yaml")]
    if importlib.util.find_spec("openapi_spec_validator"):
        args.append("--validate")
    call_command("spectacular", *args)
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_problem_component_has_the_documented_fields(schema):
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(problem["properties"])
    error = schema["components"]["schemas"]["ProblemFieldError"]
    assert set(error["properties"]) == {"field", "code", "message", "params"}


def test_every_error_response_is_a_problem(schema):
    wrong = [
        (path, method, code)
        for path, method, operation in _operations(schema)
        for code, response in operation["responses"].items()
        if int(code) >= 400
        and response.get("content", {}).get("application/problem+json", {}).get("schema", {}).get("$ref")
        != PROBLEM_REF
    ]
    assert wrong == []


def test_every_operation_documents_its_generic_errors(schema):
    missing = []
    for path, method, operation in _operations(schema):
        expected = {"406", "429"}
        if operation.get("security") and {} not in operation["security"]:
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"400", "415"}
        if any(
            p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])
        ):
            expected |= {"400", "409", "422"}
        absent = expected - set(operation["responses"])
        if absent:
            missing.append((path, method, sorted(absent)))
    assert missing == []


def test_auth_operations_are_described(schema):
    login = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert login["security"] == [{}]
    assert {"200", "400", "429"} <= set(login["responses"])
    assert "401" not in login["responses"]
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert {"200", "401", "403"} <= set(me["responses"])
    assert set(schema["components"]["schemas"]["Me"]["properties"]) == {
        "id",
        "username",
        "name",
        "department",
        "position",
        "roles",
    }


@pytest.mark.urls("tests.api.urls_idem")
def test_idempotent_operations_document_the_header_and_their_errors():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/test/absences/", "/api/test/absences/{id}/copy/"):
        operation = schema["paths"][path]["post"]
        header = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
        assert header
        assert header[0]["in"] == "header"
        assert header[0]["schema"]["maxLength"] == 255
        assert {"400", "409", "422"} <= set(operation["responses"])


@pytest.mark.django_db
def test_schema_endpoint_serves_openapi(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert "/api/v1/me/" in response.json()["paths"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_only_local_assets(client, url):
    # when the interactive docs are opened
    response = client.get(url)
    html = response.content.decode()
    # then every script, stylesheet and image comes from this server's /static/
    assert response.status_code == 200
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets
    external = [a for a in assets if re.match(r"^(?:[a-z]+:)?//", a, re.IGNORECASE)]
    assert external == []
    local = [a for a in assets if a.startswith("/static/")]
    assert local
    assert "cdn" not in html.lower()
    # and each of them is shipped by an installed package, so collectstatic serves it
    missing = [a for a in local if finders.find(a.removeprefix("/static/").split("?")[0]) is None]
    assert missing == []


def test_operations_name_the_codes_they_can_return(schema):
    # a state refusal: each code in the 409's description and as an example body
    clock = schema["paths"]["/api/v1/attendance/clock/"]["post"]["responses"]["409"]
    assert "`already_clocked_in`" in clock["description"]
    assert "`idempotency_in_progress`" in clock["description"]
    examples = clock["content"]["application/problem+json"]["examples"]
    assert examples["month_closed"]["value"]["code"] == "month_closed"
    assert examples["month_closed"]["value"]["status"] == 409
    assert clock["content"]["application/problem+json"]["schema"]["$ref"] == PROBLEM_REF
    # a field code: inside the `invalid` problem's errors
    absence = schema["paths"]["/api/v1/org/absences/"]["post"]["responses"]
    assert "In `errors`: `end_before_start`" in absence["400"]["description"]
    item = absence["400"]["content"]["application/problem+json"]["examples"]["errors: end_before_start"]
    assert item["value"]["code"] == "invalid"
    assert item["value"]["errors"][0]["code"] == "end_before_start"
    assert "`absence_overlap`" in absence["409"]["description"]
    # the login's own codes, and the generic ones of a login-only operation
    login = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "`invalid_credentials`" in login["400"]["description"]
    assert "`account_locked`" in login["429"]["description"]
    assert "`throttled`" in login["429"]["description"]
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]
    assert "`not_authenticated`" in me["401"]["description"]


def test_the_error_catalogue_is_in_the_schema_without_login(schema):
    operation = schema["paths"]["/api/v1/errors/"]["get"]
    assert {} in operation["security"]
    assert "401" not in operation["responses"]
    items = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    name = items.rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][name]["properties"]) == {
        "code",
        "status",
        "title_ja",
        "title_en",
    }
