"""Every operation under /api/v1/ names the codes it can return (issue 9, item 4): each one declares them with
`@error_codes`, each of its error responses lists them, the main flows name the codes their services answer,
and a problem an API test receives is checked against what its operation documents."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.core.schema import error_codes
from core.errors import CoreError
from telework.rules import RULE_CODES
from tests.api.schema_codes import (
    api_schema,
    assert_codes_documented,
    documented_codes,
    operation_of,
    undocumented,
)
from tests.approvals.town import build_town
from tests.factories import EmployeeFactory

API = "/api/v1/"
METHODS = {"get", "post", "put", "patch", "delete"}


def _v1_operations(schema):
    for path, item in schema["paths"].items():
        if path.startswith(API):
            for method, operation in item.items():
                if method in METHODS:
                    yield path, method, operation


def codes(method, path, status):
    return documented_codes(operation_of(method, path)[1], status)


# --- every operation --------------------------------------------------------------------------------


def test_every_v1_operation_declares_its_codes():
    # given the endpoints the schema is generated from
    generator = SchemaGenerator()
    generator.get_schema(request=None, public=True)
    undeclared = []
    for path, _regex, method, callback in generator.endpoints:
        if not path.startswith(API):
            continue
        view_class = callback.cls
        action = (getattr(callback, "actions", None) or {}).get(method.lower(), method.lower())
        # then the view method or its class carries @error_codes(...) (empty: only the generic codes)
        if not hasattr(view_class, "error_codes") and not hasattr(getattr(view_class, action), "error_codes"):
            undeclared.append(f"{method} {path} ({view_class.__name__}.{action})")
    assert undeclared == [], "\n".join(undeclared)


def test_every_v1_operation_names_the_codes_of_each_error_response():
    nameless = []
    for path, method, operation in _v1_operations(api_schema()):
        errors = {status: r for status, r in operation["responses"].items() if int(status) >= 400}
        if not errors:
            nameless.append((method, path, "no problem response"))
        for status, response in errors.items():
            examples = response["content"]["application/problem+json"].get("examples", {})
            if not examples or "Codes: " not in response["description"]:
                nameless.append((method, path, status))
    assert nameless == []


def test_every_declared_code_is_in_a_catalogue():
    published = {entry["code"] for entry in _catalogue()}
    unknown = set()
    for _path, _method, operation in _v1_operations(api_schema()):
        for status in operation["responses"]:
            documented = documented_codes(operation, int(status)) if int(status) >= 400 else None
            if documented:
                unknown |= (documented[0] | documented[1]) - published
    assert unknown == set()


def _catalogue():
    from api.core import catalogue

    return catalogue.entries(catalogue.catalogues())


# --- what the main operations name ------------------------------------------------------------------


def test_approve_names_the_refusals_of_the_route_and_of_the_kinds():
    approve = "/api/v1/approvals/documents/1/approve/"
    assert codes("post", approve, 404)[0] == {"not_found", "document_not_found"}
    assert {"permission_denied", "not_an_approver"} <= codes("post", approve, 403)[0]
    assert {"drafter_cannot_decide", "consult_other_department"} <= codes("post", approve, 403)[0]
    assert {"not_your_turn", "already_decided", "invalid_state", "month_closed"} <= codes(
        "post", approve, 409
    )[0]
    problems, fields = codes("post", approve, 422)
    assert {"warnings_not_acknowledged", "rule_violation"} <= problems
    assert fields == set(RULE_CODES)


@pytest.mark.parametrize("verb", ["reject", "return", "acknowledge"])
def test_the_other_decisions_name_the_turn_and_state_codes(verb):
    path = f"/api/v1/approvals/documents/1/{verb}/"
    assert "not_an_approver" in codes("post", path, 403)[0]
    assert {"not_your_turn", "already_decided", "invalid_state"} <= codes("post", path, 409)[0]
    if verb == "return":
        assert "invalid_to_step" in codes("post", path, 422)[0]


def test_drafter_actions_name_not_drafter_and_the_route_codes():
    for verb in ("submit", "resubmit"):
        path = f"/api/v1/approvals/documents/1/{verb}/"
        assert "not_drafter" in codes("post", path, 403)[0]
        assert {"no_route_rule", "no_final_approver"} <= codes("post", path, 422)[0]
    assert "not_drafter" in codes("post", "/api/v1/approvals/documents/1/withdraw/", 403)[0]


def test_a_telework_request_names_every_rule_code_in_its_422():
    problems, fields = codes("post", "/api/v1/telework/requests/", 422)
    assert fields == set(RULE_CODES)
    assert {"rule_violation", "no_final_approver", "no_department", "idempotency_key_reused"} <= problems


def test_clock_in_names_the_out_of_order_codes():
    problems, _fields = codes("post", "/api/v1/attendance/clock/", 409)
    assert {"already_clocked_in", "not_clocked_in", "on_break", "month_closed"} <= problems


def test_a_delegation_lists_end_before_start_among_its_rule_violations():
    # the service lists a 400 code (end_before_start) among the violations of its 422: documented there
    problems, fields = codes("post", "/api/v1/approvals/delegations/", 422)
    assert "rule_violation" in problems
    assert {"self_delegation", "inactive", "end_before_start"} <= fields
    assert "end_before_start" not in codes("post", "/api/v1/approvals/delegations/", 400)[1]
    assert "not_delegator" in codes("post", "/api/v1/approvals/delegations/", 403)[0]


def test_operations_without_path_parameters_document_their_404():
    assert codes("get", "/api/v1/telework/calendar.ics", 404)[0] == {"not_found"}
    assert "document_not_found" in codes("post", "/api/v1/approvals/documents/", 404)[0]


def test_attachments_and_rollout_name_their_codes():
    upload = "/api/v1/approvals/documents/1/attachments/"
    assert {"file_too_large", "file_empty", "content_type_not_allowed"} <= codes("post", upload, 422)[0]
    assert "already_decided" in codes("post", upload, 409)[0]
    phase = "/api/v1/telework/rollout/departments/somu/phase/"
    assert "phase_unchanged" in codes("post", phase, 409)[0]
    assert {"phase_date_in_future", "phase_date_before_last"} <= codes("post", phase, 422)[1]


# --- the checker of real responses ------------------------------------------------------------------


def test_the_checker_refuses_what_an_operation_does_not_document():
    clock = "/api/v1/attendance/clock/"
    assert undocumented("post", clock, 409, {"code": "already_clocked_in"}) == []
    assert undocumented("post", clock, 409, {"code": "not_your_turn"}) == [
        "POST /api/v1/attendance/clock/ 409: code 'not_your_turn'"
    ]
    assert undocumented("get", "/api/v1/me/", 409, {"code": "conflict"}) == [
        "GET /api/v1/me/ 409: the status is not documented"
    ]
    approve = "/api/v1/approvals/documents/7/approve/"
    body = {"code": "rule_violation", "errors": [{"code": "min_office_staff"}, {"code": "absence_overlap"}]}
    assert undocumented("post", approve, 422, body) == [
        "POST /api/v1/approvals/documents/{id}/approve/ 422: errors[].code 'absence_overlap'"
    ]
    # an item that repeats the problem's own code (the field it is about) counts as the code
    back = {"code": "invalid_to_step", "errors": [{"code": "invalid_to_step"}]}
    assert undocumented("post", "/api/v1/approvals/documents/7/return/", 422, back) == []


@pytest.mark.django_db
def test_a_delegation_ending_before_it_starts_answers_what_is_documented(as_user):
    town = build_town()
    body = {"delegate": town.chief.pk, "start": "2026-06-05", "end": "2026-06-01"}

    response = as_user(town.director).post("/api/v1/approvals/delegations/", body, format="json")

    assert response.status_code == 422
    assert [item["code"] for item in response.json()["errors"]] == ["end_before_start"]
    assert_codes_documented(response)


@pytest.mark.django_db
def test_the_calendar_feed_with_an_unknown_token_answers_its_documented_404(api_client):
    EmployeeFactory()

    response = api_client.get("/api/v1/telework/calendar.ics", {"token": "nope"})

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert_codes_documented(response)


# --- the decorator ----------------------------------------------------------------------------------


def test_error_codes_on_a_class_names_the_codes_of_all_its_operations():
    @error_codes(CoreError.CONFLICT, rule_fields=(CoreError.END_BEFORE_START,))
    class View:
        pass

    assert View.error_codes == (CoreError.CONFLICT,)
    assert View.error_field_codes == ((422, CoreError.END_BEFORE_START),)


def test_field_codes_must_be_400_or_422_codes():
    with pytest.raises(ValueError, match="field codes"):
        error_codes(fields=(CoreError.CONFLICT,))
