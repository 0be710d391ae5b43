"""The audit chain: HMAC links, append-only rows, tamper detection at the right seq, commands."""

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from approvals.audit import (
    HASH_MISMATCH,
    HEAD_MISMATCH,
    PREV_MISMATCH,
    SEQ_GAP,
    audit_append,
    canonical_event,
    chain_head,
    verify_chain,
)
from approvals.models_record import GENESIS_HASH, AuditChainHead, AuditEvent
from core.querysets import AppendOnlyViolation
from tests.factories import EmployeeFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")

TABLE = AuditEvent._meta.db_table
HEAD = AuditChainHead._meta.db_table


def _append(actor, count: int, *, document=None, action: str = "comment") -> list[AuditEvent]:
    with transaction.atomic():
        return [
            audit_append(document=document, action=action, actor=actor, comment=f"意見 {n}", data={"n": n})
            for n in range(count)
        ]


def _raw(sql: str, params=(), *, table: str = TABLE) -> None:
    """Write past the ORM guard; on PostgreSQL the table's refusing triggers are switched off for the statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks, so ALTER TABLE may run
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def actor(db):
    return EmployeeFactory(username="auditor")


def test_canonical_encoding_is_sorted_compact_json_with_utc_microseconds():
    encoded = canonical_event(
        seq=7,
        document_id=3,
        action="approve",
        actor_id=12,
        on_behalf_of_id=None,
        comment="了承",
        data={"b": 1, "a": [2]},
        at=datetime(2026, 4, 1, 0, 30, 0, 120, tzinfo=UTC),
    )
    assert (
        encoded
        == (
            '{"action":"approve","actor":12,"at":"2026-04-01T00:30:00.000120Z","comment":"了承",'
            '"data":{"a":[2],"b":1},"document":3,"on_behalf_of":null,"seq":7}'
        ).encode()
    )


def test_events_form_a_keyed_chain_from_the_genesis(actor, settings):
    # given / when
    first, second, third = _append(actor, 3)
    # then
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    stored = AuditEvent.objects.get(seq=2)
    canonical = canonical_event(
        seq=2,
        document_id=None,
        action="comment",
        actor_id=actor.pk,
        on_behalf_of_id=None,
        comment="意見 1",
        data={"n": 1},
        at=stored.at,
    )
    key = settings.AUDIT_HMAC_KEY.encode()
    assert stored.hash == hmac.new(key, first.hash.encode() + canonical, hashlib.sha256).hexdigest()
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, third.hash)


def test_an_intact_chain_verifies(actor):
    _append(actor, 5)
    status = verify_chain(chunk_size=2)
    assert status.valid
    assert (status.checked, status.broken_seq, status.head_seq) == (5, None, 5)


def test_an_empty_chain_is_valid(db):
    status = verify_chain()
    assert status.valid
    assert status.checked == 0


def test_the_orm_refuses_to_update_or_delete_events(actor):
    # given
    (event,) = _append(actor, 1)
    # when / then
    event.comment = "書き換え"
    with pytest.raises(AppendOnlyViolation):
        event.save()
    with pytest.raises(AppendOnlyViolation):
        event.delete()
    with pytest.raises(AppendOnlyViolation):
        AuditEvent.objects.filter(pk=event.pk).update(comment="書き換え")
    with pytest.raises(AppendOnlyViolation):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyViolation):
        AuditEvent.objects.bulk_update([event], ["comment"])
    assert AuditEvent.objects.get(pk=event.pk).comment == "意見 0"
    assert verify_chain().valid


def test_an_updated_row_breaks_the_chain_at_that_event(actor):
    _append(actor, 5)
    _raw(f"UPDATE {TABLE} SET comment = %s WHERE seq = 3", ["改ざん"])
    status = verify_chain()
    assert not status.valid
    assert (status.broken_seq, status.reason, status.checked) == (3, HASH_MISMATCH, 2)


def test_a_row_rehashed_without_the_key_breaks_the_chain(actor):
    events = _append(actor, 4)
    forged = hashlib.sha256(b"forged").hexdigest()
    _raw(f"UPDATE {TABLE} SET data = %s, hash = %s WHERE seq = 2", [json.dumps({"n": 99}), forged])
    status = verify_chain()
    assert (status.valid, status.broken_seq, status.reason) == (False, 2, HASH_MISMATCH)
    # and a forger who also fixes the next link is caught there
    _raw(f"UPDATE {TABLE} SET hash = %s WHERE seq = 2", [events[1].hash])
    _raw(f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = 3", [forged])
    status = verify_chain()
    assert (status.broken_seq, status.reason) == (2, HASH_MISMATCH)


def test_a_changed_prev_hash_is_named(actor):
    _append(actor, 4)
    _raw(f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = 4", [GENESIS_HASH])
    status = verify_chain()
    assert (status.broken_seq, status.reason) == (4, PREV_MISMATCH)


def test_a_deleted_row_leaves_a_gap_at_its_seq(actor):
    _append(actor, 5)
    _raw(f"DELETE FROM {TABLE} WHERE seq = 2")
    status = verify_chain()
    assert (status.valid, status.broken_seq, status.reason, status.checked) == (False, 2, SEQ_GAP, 1)


def test_deleting_the_last_events_is_caught_by_the_head(actor):
    _append(actor, 5)
    _raw(f"DELETE FROM {TABLE} WHERE seq >= 4")
    status = verify_chain()
    assert (status.valid, status.broken_seq, status.reason) == (False, 4, HEAD_MISMATCH)


def test_a_deleted_head_row_is_caught(actor):
    _append(actor, 2)
    _raw(f"DELETE FROM {HEAD}", table=HEAD)  # past the ORM's and PostgreSQL's refusal
    status = verify_chain()
    assert (status.valid, status.broken_seq, status.reason) == (False, 1, HEAD_MISMATCH)


def test_another_key_fails_at_the_first_event(actor, settings):
    _append(actor, 3)
    settings.AUDIT_HMAC_KEY = "another-key"
    status = verify_chain()
    assert (status.valid, status.broken_seq, status.reason) == (False, 1, HASH_MISMATCH)


def test_through_seq_checks_the_prefix_and_the_completeness_of_the_rest(actor):
    _append(actor, 6)
    assert verify_chain(through_seq=3).valid
    # a row after the prefix goes missing: the cheap check notices and the full walk names it
    _raw(f"DELETE FROM {TABLE} WHERE seq = 5")
    status = verify_chain(through_seq=3)
    assert (status.valid, status.broken_seq, status.reason) == (False, 5, SEQ_GAP)


def test_through_seq_notices_the_truncated_end(actor):
    _append(actor, 6)
    _raw(f"DELETE FROM {TABLE} WHERE seq = 6")
    status = verify_chain(through_seq=5)
    assert (status.valid, status.broken_seq, status.reason) == (False, 6, HEAD_MISMATCH)


def test_verify_audit_command_reports_ok(actor, capsys):
    _append(actor, 3)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "OK: 3 events" in out
    assert AuditChainHead.objects.get().last_hash in out


def test_verify_audit_command_fails_naming_the_seq(actor):
    _append(actor, 4)
    _raw(f"UPDATE {TABLE} SET action = 'approve' WHERE seq = 2")
    with pytest.raises(CommandError, match=r"BROKEN at seq 2: hash_mismatch") as raised:
        call_command("verify_audit")
    assert raised.value.returncode == 1


def test_export_audit_head_prints_the_head_and_verify_checks_it(actor, capsys):
    # given a head exported and kept off the server
    _append(actor, 4)
    call_command("export_audit_head")
    exported = json.loads(capsys.readouterr().out)
    head = AuditChainHead.objects.get()
    assert exported["seq"] == 4
    assert exported["hash"] == head.last_hash
    call_command("export_audit_head", "--format", "text")
    kept = capsys.readouterr().out.strip()
    assert kept == f"4:{head.last_hash}"
    call_command("verify_audit", "--head", kept)
    # when the last events and the head row are both rewound (the chain alone looks intact)
    _raw(f"DELETE FROM {TABLE} WHERE seq >= 3")
    AuditChainHead.objects.filter(pk=1).update(last_seq=2, last_hash=AuditEvent.objects.get(seq=2).hash)
    assert verify_chain().valid
    # then the exported head exposes it
    with pytest.raises(CommandError, match=r"BROKEN at seq 4: exported_head_mismatch"):
        call_command("verify_audit", "--head", kept)


def test_chain_head_of_an_empty_chain(db):
    assert chain_head() == {"seq": 0, "hash": GENESIS_HASH, "at": None}


@postgres_only
@pytest.mark.postgres
def test_the_trigger_refuses_raw_update_and_delete(actor):
    # given
    _append(actor, 2)
    # when / then: SQL that bypasses the ORM is refused by the database itself
    for sql in (f"UPDATE {TABLE} SET comment = 'x' WHERE seq = 1", f"DELETE FROM {TABLE} WHERE seq = 2"):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 2
    assert AuditEvent.objects.get(seq=1).comment == "意見 0"
    assert verify_chain().valid


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_gapless_chain():
    # given
    actors = [EmployeeFactory(username=f"racer{n}") for n in range(8)]
    barrier = threading.Barrier(len(actors))
    errors: list[BaseException] = []

    def work(actor):
        try:
            barrier.wait()
            for _ in range(10):
                _append(actor, 1)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=work, args=(a,)) for a in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert errors == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 81))
    status = verify_chain()
    assert status.valid
    assert status.checked == 80
