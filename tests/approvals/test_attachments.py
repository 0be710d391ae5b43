"""添付ファイル: limits and types from settings, SHA-256 stored and served, frozen from submission (the drafter's)
and after the decision (everyone's), audited."""

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.attachments import ATTACHMENT_ADDED, ATTACHMENT_REMOVED, sniff_content_type
from approvals.models_record import Attachment, AuditEvent
from approvals.services import document_submit
from tests.approvals.record_helpers import (
    PDF_BYTES,
    PNG_BYTES,
    decide,
    make_draft,
    make_office,
    make_submitted,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def office(db):
    return make_office()


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def _upload(client, document, name="見積書.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return client.post(
        f"/api/v1/approvals/documents/{document.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        format="multipart",
    )


# --- the pure type check ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "declared", "name", "expected"),
    [
        (PDF_BYTES, "application/octet-stream", "a.bin", "application/pdf"),
        (PDF_BYTES, "image/png", "a.png", "application/pdf"),
        (PNG_BYTES, "text/plain", "a.txt", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "", "photo", "image/jpeg"),
        (b"hello", "application/pdf", "fake.pdf", None),
        (b"hello", "image/jpeg", "fake.jpg", None),
        (b"PK\x03\x04rest", XLSX, "a.xlsx", XLSX),
        (b"not a zip", XLSX, "a.xlsx", None),
        (b"a,b\n1,2\n", "", "data.csv", "text/csv"),
        (b"a\x00b", "text/csv", "data.csv", None),
        (b"MZ\x90\x00", "application/x-msdownload", "setup.exe", "application/x-msdownload"),
    ],
)
def test_sniff_content_type(head, declared, name, expected):
    assert sniff_content_type(head=head, declared=declared, name=name) == expected


# --- upload ---------------------------------------------------------------------------------------


def test_the_drafter_uploads_a_pdf_and_gets_its_sha256(office, as_user, media_root):
    # given
    document = make_draft(office)
    # when the client does not say what it is
    response = _upload(as_user(office.drafter), document, content_type="application/octet-stream")
    # then
    assert response.status_code == 201
    body = response.json()
    sha = hashlib.sha256(PDF_BYTES).hexdigest()
    assert body["name"] == "見積書.pdf"
    assert body["size"] == len(PDF_BYTES)
    assert body["sha256"] == sha
    attachment = Attachment.objects.get(pk=body["id"])
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == office.drafter
    assert "見積書" not in attachment.file.name
    (stored,) = _stored_files(media_root)
    assert stored.read_bytes() == PDF_BYTES
    event = AuditEvent.objects.filter(document=document).latest("seq")
    assert event.action == ATTACHMENT_ADDED
    assert event.actor == office.drafter
    assert event.data["sha256"] == sha
    assert event.data["attachment"] == attachment.pk


def test_a_file_over_the_limit_is_refused(office, as_user, settings, media_root):
    settings.APPROVAL_ATTACHMENT_MAX_BYTES = 10
    document = make_draft(office)
    response = _upload(as_user(office.drafter), document)
    assert response.status_code == 422
    assert response.json()["code"] == "file_too_large"
    assert response.json()["errors"][0]["params"]["max_bytes"] == 10
    assert not Attachment.objects.exists()
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("setup.exe", b"MZ\x90\x00", "application/x-msdownload"),
        ("偽物.pdf", b"<html>not a pdf</html>", "application/pdf"),
        ("empty.txt", b"", "text/plain"),
    ],
)
def test_a_type_not_allowed_or_not_matching_its_bytes_is_refused(
    office, as_user, media_root, name, content, content_type
):
    document = make_draft(office)
    response = _upload(
        as_user(office.drafter), document, name=name, content=content, content_type=content_type
    )
    assert response.status_code == 422
    assert response.json()["code"] in {"content_type_not_allowed", "file_empty"}
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action=ATTACHMENT_ADDED).exists()
    assert _stored_files(media_root) == []


def test_the_allow_list_comes_from_settings(office, as_user, settings):
    settings.APPROVAL_ATTACHMENT_CONTENT_TYPES = ["image/png"]
    document = make_draft(office)
    client = as_user(office.drafter)
    assert _upload(client, document).status_code == 422
    response = _upload(client, document, name="図.png", content=PNG_BYTES, content_type="image/png")
    assert response.status_code == 201
    assert list(Attachment.objects.values_list("content_type", flat=True)) == ["image/png"]


def test_the_waiting_approver_may_attach_during_review(office, as_user):
    document = make_submitted(office)
    response = _upload(as_user(office.chief), document, name="参考.pdf")
    assert response.status_code == 201
    assert Attachment.objects.get().uploaded_by == office.chief


def test_upload_authorisation_matrix(office, api_client, as_user):
    # given a document waiting for the 係長; the 課長 sees it but is not asked yet
    document = make_submitted(office)
    events_before = AuditEvent.objects.count()
    # anonymous → 401, someone unrelated → 404, related without the right → 403
    assert _upload(api_client, document).status_code == 401
    assert _upload(as_user(office.outsider), document).status_code == 404
    response = _upload(as_user(office.director), document)
    assert response.status_code == 403
    # and nothing changed
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events_before
    # issue 11: once circulated, the drafter's attachments are frozen until a return (409 attachments_frozen)
    frozen = _upload(as_user(office.drafter), document)
    assert (frozen.status_code, frozen.json()["code"]) == (409, "attachments_frozen")
    assert not Attachment.objects.exists()


def test_nothing_is_added_or_removed_after_the_decision(office, as_user, media_root):
    # given an attachment added to the draft, then the circulation and the decision
    document = make_draft(office)
    client = as_user(office.drafter)
    attachment_id = _upload(client, document).json()["id"]
    document_submit(document=document, actor=office.drafter)
    document = decide(office, document)
    events_before = AuditEvent.objects.count()
    # when
    added = _upload(client, document, name="追加.pdf")
    removed = client.delete(f"/api/v1/approvals/documents/{document.pk}/attachments/{attachment_id}/")
    # then
    assert (added.status_code, removed.status_code) == (409, 409)
    assert added.json()["code"] == "already_decided"
    assert list(Attachment.objects.values_list("pk", flat=True)) == [attachment_id]
    assert AuditEvent.objects.count() == events_before
    assert len(_stored_files(media_root)) == 1


# --- download ---------------------------------------------------------------------------------------


def test_download_serves_the_bytes_with_name_and_hash(office, as_user):
    document = make_draft(office)
    attachment_id = _upload(as_user(office.drafter), document, name="見積書 (最終).pdf").json()["id"]
    document_submit(document=document, actor=office.drafter)
    sha = hashlib.sha256(PDF_BYTES).hexdigest()
    # when the 課長 on the route downloads, whatever Accept says
    response = as_user(office.director).get(
        f"/api/v1/approvals/documents/{document.pk}/attachments/{attachment_id}/",
        HTTP_ACCEPT="application/pdf",
    )
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["ETag"] == f'"{sha}"'
    assert response["X-Content-SHA256"] == sha
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('見積書 (最終).pdf')}" in disposition


def test_download_with_the_same_etag_is_not_modified(office, as_user):
    document = make_draft(office)
    client = as_user(office.drafter)
    body = _upload(client, document).json()
    response = client.get(
        f"/api/v1/approvals/documents/{document.pk}/attachments/{body['id']}/",
        HTTP_IF_NONE_MATCH=f'"{body["sha256"]}"',
    )
    assert response.status_code == 304
    assert response["ETag"] == f'"{body["sha256"]}"'


def test_download_authorisation_matrix(office, api_client, as_user):
    document = make_draft(office)
    attachment_id = _upload(as_user(office.drafter), document).json()["id"]
    url = f"/api/v1/approvals/documents/{document.pk}/attachments/{attachment_id}/"
    assert api_client.get(url).status_code == 401
    assert as_user(office.outsider).get(url).status_code == 404
    # the 課長 cannot see a draft that was never routed to them
    assert as_user(office.director).get(url).status_code == 404
    assert as_user(office.drafter).get(url).status_code == 200
    # an attachment id of another document is not found through this one
    other = make_draft(office, title="別件")
    assert (
        as_user(office.drafter)
        .get(f"/api/v1/approvals/documents/{other.pk}/attachments/{attachment_id}/")
        .status_code
        == 404
    )


def test_list_attachments_with_a_fixed_number_of_queries(office, as_user, django_assert_max_num_queries):
    document = make_draft(office)
    client = as_user(office.drafter)
    _upload(client, document)
    url = f"/api/v1/approvals/documents/{document.pk}/attachments/"
    with django_assert_max_num_queries(6):
        few = client.get(url)
    for n in range(5):
        _upload(client, document, name=f"資料{n}.pdf")
    with django_assert_max_num_queries(6):
        many = client.get(url)
    assert len(few.json()) == 1
    assert [item["name"] for item in many.json()][1:] == [f"資料{n}.pdf" for n in range(5)]


# --- removal ----------------------------------------------------------------------------------------


def test_the_uploader_removes_before_the_decision(
    office, as_user, media_root, django_capture_on_commit_callbacks
):
    document = make_draft(office)
    client = as_user(office.drafter)
    body = _upload(client, document).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"/api/v1/approvals/documents/{document.pk}/attachments/{body['id']}/")
    assert response.status_code == 204
    assert not Attachment.objects.exists()
    assert _stored_files(media_root) == []
    event = AuditEvent.objects.filter(document=document).latest("seq")
    assert event.action == ATTACHMENT_REMOVED
    assert event.data["sha256"] == body["sha256"]


def test_removal_authorisation_matrix(office, api_client, as_user):
    # given the 係長's attachment on a document in review
    document = make_submitted(office)
    attachment_id = _upload(as_user(office.chief), document).json()["id"]
    url = f"/api/v1/approvals/documents/{document.pk}/attachments/{attachment_id}/"
    events_before = AuditEvent.objects.count()
    assert api_client.delete(url).status_code == 401
    assert as_user(office.outsider).delete(url).status_code == 404
    assert as_user(office.director).delete(url).status_code == 403
    assert Attachment.objects.filter(pk=attachment_id).exists()
    assert AuditEvent.objects.count() == events_before
    # issue 11: the drafter may not remove what an approver attached (403 not_attachment_owner); the 係長 may
    refused = as_user(office.drafter).delete(url)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_attachment_owner")
    assert Attachment.objects.filter(pk=attachment_id).exists()
    assert as_user(office.chief).delete(url).status_code == 204
    assert not Attachment.objects.exists()


def test_refusals_are_in_english_on_request(office, as_user, settings):
    settings.APPROVAL_ATTACHMENT_MAX_BYTES = 10
    document = make_draft(office)
    client = as_user(office.drafter)
    response = client.post(
        f"/api/v1/approvals/documents/{document.pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "The file is too large."
    assert response.json()["errors"][0]["message"] == "Files may be at most 10 bytes."
