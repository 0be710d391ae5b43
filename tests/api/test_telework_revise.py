"""A returned テレワーク申請 is changed through the telework API, which checks the rules again and revises the
document with it (issue 11): POST /api/v1/telework/requests/{id}/revise/; the generic PATCH refuses it."""

from datetime import date

import pytest

from approvals.models import AuditEvent, Document
from telework import services
from telework.models import TeleworkRequest
from tests.telework.town import Clock, build_town

BASE = "/api/v1/telework/requests/"
TUE, THU = date(2026, 11, 17), date(2026, 11, 19)
PAST = date(2026, 11, 13)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def town(db, clock):
    return build_town()


@pytest.fixture
def returned(town, as_user):
    request = services.telework_request_create(
        employee=town.staff[0], dates=[TUE], location="home", work_plan="資料作成"
    )
    response = as_user(town.chief).post(
        f"/api/v1/approvals/documents/{request.document_id}/return/",
        {"comment": "日付を変えてください"},
        format="json",
    )
    assert response.json()["status"] == "returned"
    return request


def state(request):
    request = TeleworkRequest.objects.get(pk=request.pk)
    document = Document.objects.get(pk=request.document_id)
    return (
        sorted(request.days.values_list("date", flat=True)),
        request.location,
        request.work_plan,
        (document.title, document.body, document.payload, document.status, document.round),
    )


def test_the_generic_patch_refuses_a_telework_document(as_user, town, returned):
    before = state(returned)
    response = as_user(town.staff[0]).patch(
        f"/api/v1/approvals/documents/{returned.document_id}/",
        {"title": "別件", "body": "書き換え"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "kind_not_editable")
    assert state(returned) == before


def test_the_applicant_revises_a_returned_request_and_it_circulates_again(as_user, town, returned):
    response = as_user(town.staff[0]).post(
        f"{BASE}{returned.pk}/revise/",
        {"dates": [THU.isoformat()], "location": "home", "work_plan": "計画書の作成"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    days, location, work_plan, (title, body, payload, status, rounds) = state(returned)
    assert (days, location, work_plan) == ([THU], "home", "計画書の作成")
    assert "2026-11-19" in title
    assert "2026-11-19" in body
    assert "計画書の作成" in body
    assert payload["dates"] == ["2026-11-19"]
    assert (status, rounds) == ("in_review", 2)
    actions = list(
        AuditEvent.objects.filter(document_id=returned.document_id).values_list("action", flat=True)
    )
    assert actions[-2:] == ["update", "resubmit"]
    assert (
        as_user(town.chief)
        .post(f"/api/v1/approvals/documents/{returned.document_id}/approve/", {}, format="json")
        .status_code
        == 200
    )


def test_a_revision_breaking_a_rule_is_refused_with_every_violation(as_user, town, returned):
    before = state(returned)
    response = as_user(town.staff[0]).post(
        f"{BASE}{returned.pk}/revise/",
        {"dates": [PAST.isoformat()], "location": "home", "work_plan": "x"},
        format="json",
    )
    assert response.status_code == 422
    assert "past_date" in {e["code"] for e in response.json()["errors"]}  # a day gone by (issue 13)
    assert state(returned) == before


def test_revise_authorisation_and_state(as_user, api_client, town, returned):
    body = {"dates": [THU.isoformat()], "location": "home", "work_plan": "x"}
    before = state(returned)
    assert api_client.post(f"{BASE}{returned.pk}/revise/", body, format="json").status_code == 401
    assert as_user(town.staff[1]).post(f"{BASE}{returned.pk}/revise/", body, format="json").status_code == 404
    assert as_user(town.chief).post(f"{BASE}{returned.pk}/revise/", body, format="json").status_code == 403
    assert state(returned) == before
    waiting = services.telework_request_create(
        employee=town.staff[2], dates=[TUE], location="home", work_plan="x"
    )
    response = as_user(town.staff[2]).post(f"{BASE}{waiting.pk}/revise/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")


def test_a_request_recorded_without_a_document_is_not_revised(as_user, town):
    """Imported history (the demo's year) has approved requests without an approval document: revising one is a
    state conflict, not a server error (schemathesis found the 500)."""
    recorded = TeleworkRequest.objects.create(
        employee=town.staff[0], department=town.staff[0].department, location="home", work_plan="x",
        status="approved",
    )  # fmt: skip
    body = {"dates": [THU.isoformat()], "location": "home", "work_plan": "x"}
    response = as_user(town.staff[0]).post(f"{BASE}{recorded.pk}/revise/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert not recorded.days.exists()
