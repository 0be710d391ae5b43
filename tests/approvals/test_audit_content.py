"""The record covers the content (issue 11): every audit event of a document carries the hash of its content;
`verify_audit` and the audit endpoint recompute it from the rows and name the first event whose content no
longer matches; the chain check is not cached past a write; the record cannot be truncated or its head deleted;
an empty chain while documents exist is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, connection, transaction

from approvals.audit import CONTENT_MISMATCH, EMPTY_CHAIN, verify_chain
from approvals.content import CONTENT_KEY, document_content_hash
from approvals.models import Document
from approvals.models_record import AuditChainHead, AuditEvent
from core.querysets import AppendOnlyViolation
from tests.approvals.conftest import postgres_only
from tests.approvals.record_helpers import PDF_BYTES, decide, make_draft, make_office

EVENTS = AuditEvent._meta.db_table
HEAD = AuditChainHead._meta.db_table
DOCUMENTS = Document._meta.db_table


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def office(db):
    return make_office()


def _sql(sql: str, params=(), *, tables=()) -> None:
    """Raw SQL past the ORM; on PostgreSQL the named tables' refusing triggers are off for the statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _decided_with_an_attachment(office, as_user):
    document = make_draft(office)
    client = as_user(office.drafter)
    client.patch(f"/api/v1/approvals/documents/{document.pk}/", {"body": "改めた本文"}, format="json")
    upload = SimpleUploadedFile("見積書.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = client.post(
        f"/api/v1/approvals/documents/{document.pk}/attachments/", {"file": upload}, format="multipart"
    ).json()
    extra = SimpleUploadedFile("不要.pdf", PDF_BYTES + b"%", content_type="application/pdf")
    removed = client.post(
        f"/api/v1/approvals/documents/{document.pk}/attachments/", {"file": extra}, format="multipart"
    ).json()
    client.delete(f"/api/v1/approvals/documents/{document.pk}/attachments/{removed['id']}/")
    client.post(f"/api/v1/approvals/documents/{document.pk}/submit/", {}, format="json")
    return decide(office, Document.objects.get(pk=document.pk)), attachment


def test_every_event_of_a_document_carries_the_hash_of_its_content(office, as_user):
    document, _attachment = _decided_with_an_attachment(office, as_user)
    events = list(AuditEvent.objects.filter(document=document).order_by("seq"))
    actions = [e.action for e in events]
    assert actions == [
        "create",
        "update",
        "attachment_added",
        "attachment_added",
        "attachment_removed",
        "submit",
        "approve",
        "approve",
        "decide",
    ]
    assert all(CONTENT_KEY in e.data for e in events)
    # each change of content gives a new hash; what approvers decided is the content as it stands
    hashes = [e.data[CONTENT_KEY] for e in events]
    assert len(set(hashes[:4])) == 4
    assert hashes[4] == hashes[5] == hashes[-1] == document_content_hash(document)
    assert hashes[2] == hashes[4]  # removing the second file gives back the content with the first


@pytest.mark.parametrize(
    ("column", "value"), [("title", "書き換えた件名"), ("body", "書き換えた本文"), ("amount", 9_999_999)]
)
def test_editing_a_decided_document_in_sql_is_a_content_mismatch(office, as_user, column, value):
    # given a decided document, then its content edited behind the application's back
    document, _attachment = _decided_with_an_attachment(office, as_user)
    first_of_final_content = AuditEvent.objects.filter(document=document, action="attachment_removed").get()
    client = as_user(office.drafter)
    assert client.get(f"/api/v1/approvals/documents/{document.pk}/audit/").json()["valid"] is True
    _sql(f"UPDATE {DOCUMENTS} SET {column} = %s WHERE id = %s", [value, document.pk])
    # when the record is checked: then the first event of the content it no longer has is named, at once
    body = client.get(f"/api/v1/approvals/documents/{document.pk}/audit/").json()
    assert (body["valid"], body["reason"], body["broken_seq"], body["document"]) == (
        False,
        CONTENT_MISMATCH,
        first_of_final_content.seq,
        document.pk,
    )
    status = verify_chain()
    assert (status.valid, status.reason, status.broken_seq, status.document) == (
        False,
        CONTENT_MISMATCH,
        first_of_final_content.seq,
        document.pk,
    )
    with pytest.raises(CommandError, match=rf"BROKEN at seq {first_of_final_content.seq}: content_mismatch"):
        call_command("verify_audit")


def test_a_replaced_attachment_is_a_content_mismatch(office, as_user):
    document, attachment = _decided_with_an_attachment(office, as_user)
    _sql("UPDATE approvals_attachment SET sha256 = %s WHERE id = %s", ["0" * 64, attachment["id"]])
    assert verify_chain().reason == CONTENT_MISMATCH
    consult = make_draft(office, title="別の文書")
    assert verify_chain().document == document.pk
    assert as_user(office.drafter).get(f"/api/v1/approvals/documents/{consult.pk}/audit/").json()["valid"]


def test_the_check_is_not_cached_past_a_write(office, as_user, django_assert_max_num_queries):
    document = make_draft(office)
    client = as_user(office.drafter)
    url = f"/api/v1/approvals/documents/{document.pk}/audit/"
    assert client.get(url).json()["valid"] is True
    with django_assert_max_num_queries(10):
        assert client.get(url).json()["valid"] is True  # the walk is reused
    _sql(f"UPDATE {DOCUMENTS} SET title = %s WHERE id = %s", ["改ざん", document.pk])
    assert client.get(url).json()["reason"] == CONTENT_MISMATCH


def test_an_empty_chain_while_documents_exist_is_refused(office):
    # given a document and its events, then the events and the head wiped (as TRUNCATE would)
    make_draft(office)
    _sql(f"DELETE FROM {EVENTS}", tables=[EVENTS])
    _sql(f"DELETE FROM {HEAD}", tables=[HEAD])
    # then
    status = verify_chain()
    assert (status.valid, status.reason, status.broken_seq) == (False, EMPTY_CHAIN, 1)
    with pytest.raises(CommandError, match="BROKEN at seq 1: empty_chain"):
        call_command("verify_audit")


def test_the_orm_never_deletes_the_head(office):
    make_draft(office)
    with pytest.raises(AppendOnlyViolation):
        AuditChainHead.objects.get().delete()
    with pytest.raises(AppendOnlyViolation):
        AuditChainHead.objects.all().delete()
    assert AuditChainHead.objects.exists()


def _in_a_savepoint(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks in the way of TRUNCATE
        cursor.execute(sql)


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [f"TRUNCATE {EVENTS} CASCADE", f"TRUNCATE {HEAD}", f"DELETE FROM {HEAD}"],
    ids=["events", "head", "delete"],
)
def test_postgresql_refuses_truncating_the_record_and_deleting_its_head(office, sql):
    make_draft(office)
    count = AuditEvent.objects.count()
    with pytest.raises(ProgrammingError, match="the audit record is kept"):
        _in_a_savepoint(sql)
    assert AuditEvent.objects.count() == count
    assert AuditChainHead.objects.get().last_seq == count
    assert verify_chain().valid
