"""GET …/documents/{id}/audit/ and the admin's chain check: events of the document and the chain's validity."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Action
from approvals.models_record import AuditEvent
from tests.approvals.record_helpers import decide, make_draft, make_office, make_submitted
from tests.factories import EmployeeFactory

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def office(db):
    return make_office()


def _tamper(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


def _audit(client, document):
    return client.get(f"/api/v1/approvals/documents/{document.pk}/audit/")


def test_the_audit_trail_lists_every_action_of_the_document(office, as_user):
    # given a document decided by 代決
    document = decide(office, make_submitted(office), by_proxy=True)
    make_draft(office, title="別の文書")  # another document's events are not listed
    # when
    response = _audit(as_user(office.drafter), document)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["broken_seq"] is None
    events = body["events"]
    assert [e["action"] for e in events][:4] == [Action.CREATE, Action.SUBMIT, Action.APPROVE, Action.APPROVE]
    assert events[0]["actor"] == office.drafter.pk
    proxy = events[3]
    assert (proxy["actor"], proxy["on_behalf_of"]) == (office.deputy.pk, office.director.pk)
    assert proxy["comment"] == "代決します"
    stored = list(AuditEvent.objects.filter(document=document).order_by("seq"))
    assert [e["seq"] for e in events] == [e.seq for e in stored]
    assert [e["hash"] for e in events] == [e.hash for e in stored]
    assert [e["prev_hash"] for e in events] == [e.prev_hash for e in stored]
    assert all(e["at"].endswith("+09:00") for e in events)


def test_a_tampered_earlier_event_of_another_document_makes_it_invalid(office, as_user):
    # given an earlier event of another document, then this document's events
    other = make_draft(office, title="先の文書")
    document = make_submitted(office)
    tampered = AuditEvent.objects.get(document=other)
    _tamper(f"UPDATE {TABLE} SET comment = %s WHERE seq = %s", ["改ざん", tampered.seq])
    # when
    body = _audit(as_user(office.drafter), document).json()
    # then
    assert body["valid"] is False
    assert (body["broken_seq"], body["reason"]) == (tampered.seq, "hash_mismatch")


def test_deleting_the_documents_last_events_is_detected(office, as_user):
    # given the document's submit is the globally last event, and somebody deletes it
    document = make_submitted(office)
    last = AuditEvent.objects.filter(document=document).latest("seq")
    _tamper(f"DELETE FROM {TABLE} WHERE seq = %s", [last.seq])
    # when
    body = _audit(as_user(office.drafter), document).json()
    # then
    assert body["valid"] is False
    assert (body["broken_seq"], body["reason"]) == (last.seq, "head_mismatch")


def test_audit_authorisation_matrix(office, api_client, as_user):
    document = make_submitted(office)
    assert _audit(api_client, document).status_code == 401
    assert _audit(as_user(office.outsider), document).status_code == 404
    assert _audit(as_user(office.director), document).status_code == 200
    assert _audit(as_user(office.drafter), document).status_code == 200


def test_audit_query_count_does_not_grow_with_events(office, as_user, django_assert_max_num_queries):
    document = make_draft(office)
    client = as_user(office.drafter)
    with django_assert_max_num_queries(10):
        few = _audit(client, document)
    document = decide(office, make_submitted(office, title="長い経過"))
    with django_assert_max_num_queries(10):
        many = _audit(client, document)
    assert len(few.json()["events"]) == 1
    assert [e["action"] for e in many.json()["events"]] == [
        "create",
        "submit",
        "approve",
        "approve",
        "decide",
    ]


def test_the_admin_checks_the_whole_chain(office, as_user):
    make_submitted(office)
    admin = EmployeeFactory(username="sysadmin", roles=["admin"])
    response = as_user(admin).get("/api/v1/approvals/audit/")
    assert response.status_code == 200
    assert response.json()["valid"] is True
    assert response.json()["head_seq"] == AuditEvent.objects.count()
    _tamper(f"DELETE FROM {TABLE} WHERE seq = 1")
    body = as_user(admin).get("/api/v1/approvals/audit/").json()
    assert (body["valid"], body["broken_seq"], body["reason"]) == (False, 1, "seq_gap")


def test_the_chain_check_is_for_admins_only(office, api_client, as_user):
    assert api_client.get("/api/v1/approvals/audit/").status_code == 401
    assert as_user(office.director).get("/api/v1/approvals/audit/").status_code == 403


def _walks(captured) -> int:
    return sum('"approvals_auditevent"."seq" <=' in query["sql"] for query in captured.captured_queries)


def test_the_walk_is_cached_per_chain_position(office, as_user):
    # given a first request that walks the chain
    document = make_submitted(office)
    client = as_user(office.drafter)
    with CaptureQueriesContext(connection) as first:
        assert _audit(client, document).json()["valid"] is True
    # when the same request comes again, then the outcome is reused
    with CaptureQueriesContext(connection) as again:
        assert _audit(client, document).json()["valid"] is True
    assert (_walks(first), _walks(again)) == (1, 0)
    # and a new event moves the head, so the next request walks again and sees a tampered row
    _tamper(f"UPDATE {TABLE} SET comment = 'x' WHERE seq = 1")
    make_draft(office, title="次の文書")
    body = _audit(client, document).json()
    assert (body["valid"], body["broken_seq"]) == (False, 1)
