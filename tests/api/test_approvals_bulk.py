"""一括承認 (issue 11): POST /api/v1/approvals/bulk-approve/ {documents, comment} → {approved, failed: [{id, code}]},
each document in its own transaction, only for the kinds registered as bulk approvable."""

import pytest
from django.utils import timezone

from approvals import registry, services
from approvals.models import Document, DocumentStatus, StepApprover
from core.errors import CoreError
from org.services import absence_create
from tests.approvals.town import build_town, submit_general

URL = "/api/v1/approvals/bulk-approve/"


@pytest.fixture
def town(db):
    return build_town()


def refuse_flagged(document):
    if document.payload.get("fail"):
        raise CoreError.RULE_VIOLATION.error()


@pytest.fixture
def sheets():
    """`timesheet` registered bulk approvable with a handler refusing flagged documents; restored after."""
    saved = dict(registry._KINDS)
    registry.register_kind("timesheet", label="月次勤務表", bulk_approvable=True, on_approved=refuse_flagged)
    yield
    registry._KINDS.clear()
    registry._KINDS.update(saved)


def timesheet(town, drafter, **payload):
    document = services.document_create(
        kind="timesheet", drafter=drafter, title="月次勤務表", payload=payload
    )
    return services.document_submit(document=document, actor=drafter)


def test_the_kinds_that_allow_it_are_registered_so():
    assert registry.get_kind("timesheet").bulk_approvable
    assert registry.get_kind("telework").bulk_approvable
    assert not registry.get_kind("general").bulk_approvable
    assert not registry.get_kind("attendance_correction").bulk_approvable


def test_bulk_approval_decides_each_document_on_its_own(as_user, town, sheets):
    # given the 課長's inbox: two timesheets, one whose handler refuses, a general document; and others
    first, second = timesheet(town, town.staff), timesheet(town, town.staff2)
    refused = timesheet(town, town.chief, fail=True)
    general = submit_general(town, drafter=town.chief, amount=50_000)
    not_yet = submit_general(town, amount=50_000)  # waits for the 係長 first
    elsewhere = timesheet(town, town.kaikei_staff)  # 会計課: not visible to the 総務課長
    ids = [first.pk, second.pk, refused.pk, general.pk, not_yet.pk, elsewhere.pk, 999_999, first.pk]
    # when
    response = as_user(town.director).post(URL, {"documents": ids, "comment": "一括承認"}, format="json")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "approved": [first.pk, second.pk],
        "failed": [
            {"id": refused.pk, "code": "rule_violation"},
            {"id": general.pk, "code": "bulk_not_allowed"},
            {"id": not_yet.pk, "code": "bulk_not_allowed"},
            {"id": elsewhere.pk, "code": "document_not_found"},
            {"id": 999_999, "code": "document_not_found"},
        ],
    }
    statuses = dict(Document.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk]) == (DocumentStatus.APPROVED, DocumentStatus.APPROVED)
    assert {statuses[d.pk] for d in (refused, general, not_yet, elsewhere)} == {DocumentStatus.IN_REVIEW}
    comments = StepApprover.objects.filter(step__document=first).values_list("comment", flat=True)
    assert list(comments) == ["一括承認"]


def test_a_refusal_of_the_approval_itself_is_reported_with_its_code(as_user, town, sheets):
    # given the 課長's own timesheet waits for the 副町長, who is away, and whose deputy is that 課長
    document = timesheet(town, town.director)
    today = timezone.localdate()
    absence_create(actor=town.deputy_mayor, employee=town.deputy_mayor, start=today, end=today)
    # when the 課長 bulk-approves it as the deputy: then separation of duties refuses it
    response = as_user(town.director).post(URL, {"documents": [document.pk]}, format="json")
    assert response.json() == {
        "approved": [],
        "failed": [{"id": document.pk, "code": "drafter_cannot_decide"}],
    }
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.IN_REVIEW


@pytest.mark.parametrize(
    "body", [{}, {"documents": []}, {"documents": ["x"]}, {"documents": list(range(1, 102))}]
)
def test_the_shape_of_the_request(as_user, town, body):
    response = as_user(town.director).post(URL, body, format="json")
    assert response.status_code == 400


def test_bulk_approval_needs_a_login(api_client, town):
    assert api_client.post(URL, {"documents": [1]}, format="json").status_code == 401
