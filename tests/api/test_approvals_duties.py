"""Separation of duties through the API (issue 11): the drafter decides nothing of their own document in any
capacity (self, 代決, 委任), nobody fills two rows of one step, a 合議 row is decided by its department's side only.
Every refusal has a stable code and changes nothing."""

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import AuditEvent, Document, StepApprover
from org.services import absence_create
from tests.approvals.town import build_town, submit_general
from tests.factories import EmployeeFactory

DOCS = "/api/v1/approvals/documents/"


@pytest.fixture
def town(db):
    return build_town()


def approve(client, document, **body):
    return client.post(f"{DOCS}{document.pk}/approve/", body, format="json")


def snapshot(document):
    rows = StepApprover.objects.filter(step__document=document).order_by("id")
    return (
        Document.objects.filter(pk=document.pk).values_list("status", "current_step_order").get(),
        list(rows.values_list("decision", "decided_by", "acted_as")),
        AuditEvent.objects.count(),
    )


def refused(response, status, code):
    assert response.status_code == status, response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_the_drafter_cannot_decide_as_the_deputy_of_the_absent_director(as_user, town):
    # given the 係長 (the 課長's 代決者) drafts; the document waits for the 課長, who is away
    document = submit_general(town, drafter=town.chief, amount=50_000)
    today = timezone.localdate()
    absence_create(actor=town.director, employee=town.director, start=today, end=today)
    before = snapshot(document)
    # when the drafter tries to decide it as 代決
    response = approve(as_user(town.chief), document)
    # then
    refused(response, 403, "drafter_cannot_decide")
    assert snapshot(document) == before
    for verb in ("reject", "return"):
        refused(
            as_user(town.chief).post(f"{DOCS}{document.pk}/{verb}/", {}, format="json"),
            403,
            "drafter_cannot_decide",
        )
    assert snapshot(document) == before
    assert document.pk not in [
        i["document"]["id"] for i in as_user(town.chief).get("/api/v1/approvals/inbox/").json()["results"]
    ]


def test_the_drafter_cannot_decide_as_a_delegate(as_user, town):
    # given the 課長 delegated everything to the 主事, who then drafts a document
    today = timezone.localdate()
    services.delegation_create(
        delegator=town.director, delegate=town.staff, start=today, end=today, actor=town.director
    )
    document = submit_general(town, amount=50_000)
    services.document_approve(document=document, actor=town.chief)
    before = snapshot(document)
    # when the drafter approves the 課長's 決裁 as the delegate
    response = approve(as_user(town.staff), document)
    # then
    refused(response, 403, "drafter_cannot_decide")
    assert snapshot(document) == before
    # and the 課長 still decides it
    assert approve(as_user(town.director), document).json()["status"] == "approved"


def test_nobody_fills_two_rows_of_one_step(as_user, town):
    # given an all-of 合議 of two hr members, one the deputy of the other, who is away
    first = EmployeeFactory(username="hr1", department=town.somu, roles=["hr"])
    second = EmployeeFactory(username="hr2", department=town.somu, roles=["hr"], deputy=first)
    services.route_rule_publish(
        kind="general",
        steps=[
            {"kind": "consult", "approvers": [{"role": "hr"}], "mode": "all"},
            {"kind": "final", "approver": "drafter_director"},
        ],
        actor=None,
    )
    document = submit_general(town, amount=50_000)
    today = timezone.localdate()
    absence_create(actor=second, employee=second, start=today, end=today)
    client = as_user(first)
    assert approve(client, document).status_code == 200
    before = snapshot(document)
    # when the same person approves the other row too, as 代決
    response = approve(client, document, on_behalf_of=second.pk)
    # then
    refused(response, 409, "one_row_per_step")
    assert snapshot(document) == before
    assert StepApprover.objects.filter(step__document=document, decided_by=first).count() == 1
    assert document.pk not in [
        i["document"]["id"] for i in client.get("/api/v1/approvals/inbox/").json()["results"]
    ]
    # and the proxy first, then their own row: refused as well
    other = submit_general(town, amount=50_000, title="別件")
    assert approve(client, other, on_behalf_of=second.pk).status_code == 200
    refused(approve(client, other), 409, "one_row_per_step")


def test_a_consult_row_is_decided_by_its_departments_side_only(as_user, town):
    # given the 企画課長 delegated to the 総務課長 and to a 企画課 member; a 総務課 document consults 企画課
    today = timezone.localdate()
    kikaku_staff = EmployeeFactory(username="kikaku_staff", department=town.kikaku)
    for delegate in (town.director, kikaku_staff):
        services.delegation_create(
            delegator=town.kikaku_director,
            delegate=delegate,
            start=today,
            end=today,
            actor=town.kikaku_director,
        )
    document = submit_general(town, drafter=town.chief, amount=50_000, consult=[town.kikaku])
    row = StepApprover.objects.get(step__document=document, approver=town.kikaku_director)
    assert (row.post_position, row.post_department_id) == ("director", town.kikaku.pk)
    before = snapshot(document)
    # when the other department's 課長 signs it as the delegate
    response = approve(as_user(town.director), document)
    # then
    refused(response, 403, "consult_other_department")
    assert snapshot(document) == before
    # and the department's own delegate may
    response = approve(as_user(kikaku_staff), document)
    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.decided_by, row.acted_as, row.on_behalf_of) == (
        kikaku_staff,
        "delegate",
        town.kikaku_director,
    )


def test_the_refusals_are_in_english_on_request(as_user, town):
    document = submit_general(town, drafter=town.chief, amount=50_000)
    today = timezone.localdate()
    absence_create(actor=town.director, employee=town.director, start=today, end=today)
    response = as_user(town.chief).post(
        f"{DOCS}{document.pk}/approve/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"].startswith("The drafter cannot decide their own document")
