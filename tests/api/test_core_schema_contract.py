"""The schema is the truth and an integrator can start from it: it validates, every operation has a summary and a
description of its own, the file endpoints declare their media types, envelopes and nullable fields are as sent,
the main operations carry real examples, and the getting-started page is served offline."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

from api.core import docs, examples

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    return {
        operation["operationId"]: (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_the_schema_validates_with_openapi_spec_validator(schema):
    validate(schema)


def test_every_operation_has_a_summary_and_a_description_of_its_own(schema):
    found = operations(schema)
    missing = [
        name for name, (_, _, op) in found.items() if not op.get("summary") or not op.get("description")
    ]
    assert missing == []
    descriptions = [op["description"] for _, _, op in found.values()]
    assert len(set(descriptions)) == len(descriptions)
    assert sorted(set(docs.OPERATIONS) - set(found)) == []  # no entry for an operation that is gone
    assert sorted(set(examples.EXAMPLES) - set(found)) == []


@pytest.mark.parametrize(
    ("operation_id", "media_types"),
    [
        ("attendance_export.csv_retrieve", {"text/csv"}),
        ("attendance_summary.csv_retrieve", {"text/csv"}),
        ("telework_calendar.ics_retrieve", {"text/calendar"}),
        ("telework_rollout_survey_retrieve", {"application/json", "text/csv"}),
    ],
)
def test_file_operations_declare_their_media_types(schema, operation_id, media_types):
    _, _, operation = operations(schema)[operation_id]
    assert set(operation["responses"]["200"]["content"]) == media_types
    assert set(operation["responses"]["403" if "403" in operation["responses"] else "400"]["content"]) == {
        "application/problem+json"
    }


@pytest.mark.parametrize("operation_id", ["attendance_days_list", "attendance_events_list"])
def test_paginated_lists_are_documented_as_the_envelope_they_send(schema, operation_id):
    _, _, operation = operations(schema)[operation_id]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(envelope["properties"])


def test_the_month_close_is_documented_as_it_answers(schema):
    _, _, operation = operations(schema)["attendance_timesheets_close_create"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"]) == {
        "month",
        "closed",
    }


def test_nullable_and_blank_fields_are_marked(schema):
    components = schema["components"]["schemas"]
    assert components["DocumentSummary"]["properties"]["current_step"]["nullable"] is True
    assert "format" not in components["Employee"]["properties"]["email"]
    # the directory fields are always sent, the others only to those who may read the full record
    assert set(components["Employee"]["required"]) == {
        "id",
        "name",
        "department",
        "section",
        "position",
        "is_active",
    }


def test_integers_and_lists_of_the_request_bodies_are_bounded(schema):
    unbounded = []

    def walk(name, node, where):
        if not isinstance(node, dict):
            return
        if node.get("readOnly"):
            return
        if node.get("type") == "integer" and ("maximum" not in node or "minimum" not in node):
            unbounded.append(f"{where}.{name}")
        if node.get("type") == "array" and "maxItems" not in node and "$ref" not in node.get("items", {}):
            unbounded.append(f"{where}.{name}[]")
        for key, child in node.get("properties", {}).items():
            walk(key, child, where)
        walk(name, node.get("items"), where)

    for component, body in schema["components"]["schemas"].items():
        if component.endswith("Request"):
            walk("", body, component)
    assert unbounded == [], unbounded


def test_the_main_operations_carry_real_examples(schema):
    found = operations(schema)

    def example(operation_id, where):
        _, _, operation = found[operation_id]
        content = operation["requestBody"] if where == "request" else operation["responses"][where]
        media = next(iter(content["content"].values()))
        return media["examples"]["example"]["value"]

    assert example("attendance_clock_create", "request") == {"kind": "in", "location": "home"}
    assert example("attendance_clock_create", "201")["kind"] == "in"
    violations = example("telework_requests_create", "422")["errors"]
    assert {item["code"] for item in violations} == {"phase_not_open", "security_training_required"}
    for action in ("approve", "reject", "return", "withdraw", "submit"):
        assert isinstance(example(f"approvals_documents_{action}_create", "request"), dict)


def test_the_getting_started_guide_is_served_offline(client, db):
    response = client.get("/api/docs/guide/")
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("token", "clock", "approval", "idempotency", "errors", "pagination"):
        assert f'id="{section}"' in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", page)
    assert "Idempotency-Key" in page
    assert "application/problem+json" in page


def test_the_docs_link_the_guide(schema):
    assert "/api/docs/guide/" in schema["info"]["description"]


def test_request_bodies_stay_json_after_drf_reloads_its_settings(settings):
    """A change of REST_FRAMEWORK (a test, a reload) gives DRF a new, equal list of parsers; the schema still
    documents JSON bodies alone (a generated client otherwise gets form variants and optional bodies)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    reloaded = SchemaGenerator().get_schema(request=None, public=True)
    body = reloaded["paths"]["/api/v1/auth/token/"]["post"]["requestBody"]
    assert (list(body["content"]), body["required"]) == (["application/json"], True)


def test_times_of_day_are_documented_as_sent(schema):
    """`08:30:00` is what the API sends and takes; OpenAPI's `time` format would demand an offset (`+09:00`)."""
    start = schema["components"]["schemas"]["Schedule"]["properties"]["start"]
    assert "format" not in start
    assert re.fullmatch(start["pattern"], "00:00:00")
    assert re.fullmatch(start["pattern"], "08:30")
    assert not re.fullmatch(start["pattern"], "24:00:00")


def test_a_read_only_relation_over_an_empty_key_is_nullable(schema):
    """A document numbered from no register sends `"register": null` (schemathesis found it undocumented)."""
    assert schema["components"]["schemas"]["Document"]["properties"]["register"]["nullable"] is True
