"""What approvers saw is frozen (issue 11): the drafter's attachments change only while the document is a draft or
returned to them; approvers add reference attachments that only they remove, before their decision; only general
documents are edited through the generic PATCH, the other kinds through their own application (document_revise)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services
from approvals.models import AuditEvent, Document
from approvals.models_record import Attachment
from core.errors import Conflict, ValidationFailed
from tests.approvals.record_helpers import PDF_BYTES, make_draft, make_office, make_submitted
from tests.factories import EmployeeFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def office(db):
    return make_office()


def upload(client, document, name="見積書.pdf", content=PDF_BYTES):
    return client.post(
        f"/api/v1/approvals/documents/{document.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        format="multipart",
    )


def remove(client, document, attachment_id):
    return client.delete(f"/api/v1/approvals/documents/{document.pk}/attachments/{attachment_id}/")


def record(document):
    return (
        sorted(Attachment.objects.filter(document=document).values_list("id", "sha256")),
        AuditEvent.objects.filter(document=document).count(),
    )


def test_attachments_are_frozen_from_circulation_until_a_return(office, as_user):
    # given a document circulated with the drafter's estimate, approved by the 係長
    document = make_draft(office)
    drafter = as_user(office.drafter)
    original = upload(drafter, document).json()
    services.document_submit(document=document, actor=office.drafter)
    services.document_approve(document=document, actor=office.chief)
    before = record(document)
    # when the drafter tries to replace the file before the final approval
    removed = remove(drafter, document, original["id"])
    added = upload(drafter, document, name="差し替え.pdf", content=PDF_BYTES + b"%new")
    # then both are refused and the record is as the approvers saw it
    assert (removed.status_code, removed.json()["code"]) == (409, "attachments_frozen")
    assert (added.status_code, added.json()["code"]) == (409, "attachments_frozen")
    assert record(document) == before
    # after a return to the drafter, they may change them again
    services.document_return(document=Document.objects.get(pk=document.pk), actor=office.director)
    assert remove(drafter, document, original["id"]).status_code == 204
    assert upload(drafter, document, name="差し替え.pdf").status_code == 201


def test_approvers_add_references_that_only_they_remove_before_their_decision(office, as_user):
    document = make_submitted(office)
    chief, drafter = as_user(office.chief), as_user(office.drafter)
    # the waiting 係長 adds a reference (参考資料)
    reference = upload(chief, document, name="参考.pdf").json()
    assert reference["purpose"] == "reference"
    # nobody else removes it: not the drafter, not the 課長
    before = record(document)
    for client in (drafter, as_user(office.director)):
        response = remove(client, document, reference["id"])
        assert response.status_code == 403
    assert record(document) == before
    # the 係長 may, before deciding; a second one stays after the decision
    assert remove(chief, document, reference["id"]).status_code == 204
    kept = upload(chief, document, name="参考2.pdf").json()
    services.document_approve(document=document, actor=office.chief)
    late = remove(chief, document, kept["id"])
    assert (late.status_code, late.json()["code"]) == (409, "already_decided")
    assert Attachment.objects.filter(pk=kept["id"]).exists()


def test_hr_changes_the_attachments_of_their_kinds_only(office, as_user):
    hr = EmployeeFactory(username="jinji", department=office.department, roles=["hr"])
    timesheet = services.document_create(kind="timesheet", drafter=office.drafter, title="月次勤務表 2026-04")
    general = make_draft(office)
    assert upload(as_user(hr), timesheet).status_code == 201
    assert upload(as_user(hr), general).status_code == 404  # not theirs to see, even less to change
    assert Attachment.objects.get().document == timesheet


def test_only_general_documents_are_edited_through_the_generic_patch(office, as_user):
    # given a returned telework request's document
    document = services.document_create(
        kind="telework",
        drafter=office.drafter,
        title="テレワーク申請",
        body="実施日: 2026-05-01",
        payload={"dates": ["2026-05-01"]},
    )
    services.document_submit(document=document, actor=office.drafter)
    services.document_return(document=document, actor=office.chief)
    before = Document.objects.filter(pk=document.pk).values_list("title", "body", "payload").get()
    events = AuditEvent.objects.count()
    # when the drafter rewrites it through the generic PATCH
    response = as_user(office.drafter).patch(
        f"/api/v1/approvals/documents/{document.pk}/",
        {"title": "別の申請", "body": "書き換え"},
        format="json",
    )
    # then it is refused and nothing changed
    assert (response.status_code, response.json()["code"]) == (409, "kind_not_editable")
    assert Document.objects.filter(pk=document.pk).values_list("title", "body", "payload").get() == before
    assert AuditEvent.objects.count() == events


def test_the_kinds_app_revises_a_returned_document_with_the_content_audited(office):
    document = services.document_create(
        kind="telework", drafter=office.drafter, title="テレワーク申請 5/1", payload={"dates": ["2026-05-01"]}
    )
    services.document_submit(document=document, actor=office.drafter)
    # while in review the document is what approvers see: no revision
    with pytest.raises(Conflict):
        services.document_revise(
            document=document, actor=office.drafter, title="x", body="", payload={"dates": ["2026-05-08"]}
        )
    services.document_return(document=document, actor=office.chief)
    revised = services.document_revise(
        document=document,
        actor=office.drafter,
        title="テレワーク申請 5/8",
        body="実施日: 2026-05-08",
        payload={"dates": ["2026-05-08"]},
    )
    assert (revised.title, revised.payload) == ("テレワーク申請 5/8", {"dates": ["2026-05-08"]})
    event = AuditEvent.objects.filter(document=document).latest("seq")
    assert (event.action, event.data["fields"]) == ("update", ["title", "body", "payload"])
    # a general document is edited through document_update, never revised by an app
    with pytest.raises(ValidationFailed):
        services.document_revise(
            document=make_draft(office), actor=office.drafter, title="x", body="", payload={}
        )
