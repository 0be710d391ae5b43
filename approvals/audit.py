"""監査証跡: append events to the global HMAC hash chain and verify it.

hash = HMAC-SHA256(AUDIT_HMAC_KEY, prev_hash + canonical), where canonical is the event as JSON with sorted
keys, no whitespace, ids as ints and the time in UTC with microseconds. The first event's prev_hash is 64 zeros.

Every event of a document carries the hash of the document's content after the action (`data["content"]`,
approvals.content), so verification also recomputes the content from the rows: the latest events of a document
must name its content as it stands (`content_mismatch` at the first of them otherwise). A chain without any
event while documents exist is refused (`empty_chain`): the record cannot be wiped and start again.
"""

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from approvals import lock_objects
from approvals.content import (
    CONTENT_KEY,
    document_content_hash,
    first_of_last_content,
    prefetched_content_hash,
)
from approvals.models_record import GENESIS_HASH, AuditChainHead, AuditEvent

HASH_MISMATCH = "hash_mismatch"
PREV_MISMATCH = "prev_mismatch"
SEQ_GAP = "seq_gap"
HEAD_MISMATCH = "head_mismatch"
CONTENT_MISMATCH = "content_mismatch"
EMPTY_CHAIN = "empty_chain"
DOCUMENT_VERIFY_CACHE_SECONDS = 60

_FIELDS = (
    "seq",
    "document_id",
    "action",
    "actor_id",
    "on_behalf_of_id",
    "comment",
    "data",
    "at",
    "prev_hash",
    "hash",
)


def _utc_iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_event(
    *,
    seq: int,
    document_id: int | None,
    action: str,
    actor_id: int | None,
    on_behalf_of_id: int | None,
    comment: str,
    data: dict,
    at: datetime,
) -> bytes:
    """The event's canonical encoding: the bytes the HMAC covers."""
    payload = {
        "seq": int(seq),
        "document": None if document_id is None else int(document_id),
        "action": action,
        "actor": None if actor_id is None else int(actor_id),
        "on_behalf_of": None if on_behalf_of_id is None else int(on_behalf_of_id),
        "comment": comment,
        "data": data,
        "at": _utc_iso(at),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, prev_hash.encode() + canonical, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Pending:
    """An event waiting in an `audit_batch` for the chain head."""

    document_id: int | None
    action: str
    actor_id: int | None
    on_behalf_of_id: int | None
    comment: str
    data: dict


_batch = threading.local()


@contextmanager
def audit_batch() -> Iterator[None]:
    """監査イベントをまとめて追記する: inside it, `audit_append` queues the events; the outermost batch appends them
    in one go when its block ends without an error, taking the chain head once, as the transaction's last lock.

    Open it inside the transaction: `with transaction.atomic(), audit_batch():`. Batches nest (a service that
    locks its own rows and then calls approvals services opens one around all of it). A block that raises
    drops the events it queued, as its savepoint drops its rows.
    """
    pending = getattr(_batch, "pending", None)
    outermost = pending is None
    if outermost:
        pending = _batch.pending = []
    mark = len(pending)
    try:
        yield
    except BaseException:
        del pending[mark:]
        raise
    finally:
        if outermost:
            _batch.pending = None
    if outermost and pending:
        _append_all(pending)


def audit_append(
    *,
    document,
    action: str,
    actor,
    on_behalf_of=None,
    comment: str = "",
    data: dict | None = None,
) -> AuditEvent | None:
    """監査イベントを追記する. Call inside the caller's `transaction.atomic`, so the event commits with the change.

    Lock order: the chain head is global, so it must be the last lock a transaction takes (domain rows first,
    the audit head last: `approvals.lock_objects`). Inside an `audit_batch` the event
    is queued (None is returned) and appended when the outermost batch ends, after every other lock; outside one
    it is appended at once (the event is returned), which is right only when nothing is locked after it.
    Concurrent appends wait for each other's commit (global order). An event of a document records the hash
    of its content as it stands at the call (`data["content"]`): call it after the action's changes.
    """
    if document is not None:
        data = {**(data or {}), CONTENT_KEY: document_content_hash(document)}
    event = _Pending(
        document_id=document.pk if document is not None else None,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of is not None else None,
        comment=comment or "",
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
    )
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending.append(event)
        return None
    return _append_all([event])[0]


def _append_all(pending: list[_Pending]) -> list[AuditEvent]:
    """Append the events in order under the chain head's lock: one lock, one insert, one head update."""
    with transaction.atomic(savepoint=False):
        head = lock_objects.audit_chain_head_for_update()
        at = timezone.now()
        events, last_hash = [], head.last_hash
        for seq, item in enumerate(pending, start=head.last_seq + 1):
            canonical = canonical_event(
                seq=seq,
                document_id=item.document_id,
                action=item.action,
                actor_id=item.actor_id,
                on_behalf_of_id=item.on_behalf_of_id,
                comment=item.comment,
                data=item.data,
                at=at,
            )
            digest = chain_hash(last_hash, canonical)
            events.append(
                AuditEvent(
                    seq=seq,
                    document_id=item.document_id,
                    action=item.action,
                    actor_id=item.actor_id,
                    on_behalf_of_id=item.on_behalf_of_id,
                    comment=item.comment,
                    data=item.data,
                    at=at,
                    prev_hash=last_hash,
                    hash=digest,
                )
            )
            last_hash = digest
        AuditEvent.objects.bulk_create(events)
        head.last_seq, head.last_hash, head.updated_at = events[-1].seq, last_hash, at
        head.save(update_fields=["last_seq", "last_hash", "updated_at"])
    return events


@dataclass(frozen=True)
class ChainStatus:
    """The outcome of a verification: `broken_seq` is the first broken link and `reason` says why."""

    valid: bool
    checked: int
    broken_seq: int | None = None
    reason: str | None = None
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    document: int | None = None


def _head_values() -> tuple[int, str] | None:
    row = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    return (row[0], row[1]) if row else None


def verify_chain(
    *, through_seq: int | None = None, chunk_size: int = 2000, contents: bool = True
) -> ChainStatus:
    """Walk the events in seq order (streaming) and report the first broken link.

    The whole chain (no `through_seq`): every link, the head, a chain that is not empty while documents exist
    (`empty_chain`), and with `contents` each document's content recomputed from its rows against what its
    latest events claim (`content_mismatch` at the earliest such event, naming the document).
    With `through_seq`, hashes are checked from the genesis through that event, and the rest of the chain is
    checked for completeness only (every later seq present, the last one matching the head); if that cheap
    check fails, the whole chain's links are walked to name the broken one.
    """
    head = _head_values()
    head_seq, head_hash = head if head else (0, GENESIS_HASH)
    events = AuditEvent.objects.order_by("seq")
    if through_seq is not None:
        events = events.filter(seq__lte=through_seq)
    track = contents and through_seq is None
    claims: dict[int, tuple[int, str]] = {}  # document → (first seq of its latest content, that content)
    prev, expected, checked = GENESIS_HASH, 1, 0
    for row in events.values_list(*_FIELDS).iterator(chunk_size=chunk_size):
        seq, document_id, action, actor_id, on_behalf_of_id, comment, data, at, prev_hash, digest = row
        if seq != expected:
            return ChainStatus(False, checked, expected, SEQ_GAP, head_seq, head_hash)
        if prev_hash != prev:
            return ChainStatus(False, checked, seq, PREV_MISMATCH, head_seq, head_hash)
        canonical = canonical_event(
            seq=seq,
            document_id=document_id,
            action=action,
            actor_id=actor_id,
            on_behalf_of_id=on_behalf_of_id,
            comment=comment,
            data=data,
            at=at,
        )
        if not hmac.compare_digest(chain_hash(prev_hash, canonical), digest):
            return ChainStatus(False, checked, seq, HASH_MISMATCH, head_seq, head_hash)
        if track and document_id is not None and (data or {}).get(CONTENT_KEY):
            claimed = data[CONTENT_KEY]
            if claims.get(document_id, (0, None))[1] != claimed:
                claims[document_id] = (seq, claimed)
        prev, expected, checked = digest, seq + 1, checked + 1
    last_seq = expected - 1
    if through_seq is None:
        if last_seq == 0 and head is None:
            if _documents_exist():
                return ChainStatus(False, 0, 1, EMPTY_CHAIN)
            return ChainStatus(True, checked)
        if (head_seq, head_hash) != (last_seq, prev):
            broken = last_seq if head_seq == last_seq else min(head_seq, last_seq) + 1
            return ChainStatus(False, checked, broken, HEAD_MISMATCH, head_seq, head_hash)
        if last_seq == 0 and _documents_exist():
            return ChainStatus(False, 0, 1, EMPTY_CHAIN, head_seq, head_hash)
        if track:
            mismatch = _first_content_mismatch(claims, chunk_size=chunk_size)
            if mismatch is not None:
                seq, document_id = mismatch
                return ChainStatus(False, checked, seq, CONTENT_MISMATCH, head_seq, head_hash, document_id)
        return ChainStatus(True, checked, head_seq=head_seq, head_hash=head_hash)
    if last_seq != through_seq:
        return ChainStatus(False, checked, last_seq + 1, SEQ_GAP, head_seq, head_hash)
    if not _rest_is_complete(last_seq=last_seq, last_hash=prev, head_seq=head_seq, head_hash=head_hash):
        return verify_chain(chunk_size=chunk_size, contents=False)
    return ChainStatus(True, checked, head_seq=head_seq, head_hash=head_hash)


def _documents_exist() -> bool:
    from approvals.models import Document

    return Document.objects.exists()


def _first_content_mismatch(claims: dict[int, tuple[int, str]], *, chunk_size: int) -> tuple[int, int] | None:
    """(seq, document) of the earliest event whose document's rows no longer have the content it claims;
    three queries per chunk of documents."""
    from approvals.models import Document

    found: tuple[int, int] | None = None
    ids = sorted(claims)
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        documents = Document.objects.filter(pk__in=chunk).prefetch_related(
            "consult_departments", "attachments"
        )
        for document in documents:
            since, claimed = claims[document.pk]
            if prefetched_content_hash(document) != claimed and (found is None or since < found[0]):
                found = (since, document.pk)
        missing = set(chunk) - {document.pk for document in documents}
        for document_id in missing:  # a document row removed under its events
            since = claims[document_id][0]
            if found is None or since < found[0]:
                found = (since, document_id)
    return found


def _rest_is_complete(*, last_seq: int, last_hash: str, head_seq: int, head_hash: str) -> bool:
    """Every event after `last_seq` up to the head exists, and the head names the last one."""
    if head_seq < last_seq:
        return False
    if head_seq == last_seq:
        return head_hash == last_hash
    later = AuditEvent.objects.filter(seq__gt=last_seq)
    if later.count() != head_seq - last_seq:
        return False
    return later.filter(seq=head_seq, hash=head_hash).exists()


def chain_head() -> dict:
    """The current head to keep off the server: {seq, hash, at}."""
    row = AuditChainHead.objects.filter(pk=1).values("last_seq", "last_hash", "updated_at").first()
    if row is None:
        return {"seq": 0, "hash": GENESIS_HASH, "at": None}
    return {"seq": row["last_seq"], "hash": row["last_hash"], "at": row["updated_at"].isoformat()}


def document_audit_events(*, document) -> QuerySet[AuditEvent]:
    """A document's events in chain order, with the people named."""
    return (
        AuditEvent.objects.filter(document=document).select_related("actor", "on_behalf_of").order_by("seq")
    )


def document_audit(*, document) -> tuple[ChainStatus, list[AuditEvent]]:
    """A document's events and the chain's status through its last event (see `verify_chain`), then whether
    the document's rows still have the content its latest events claim (`content_mismatch` at the first of
    them). The content is recomputed on every call. The walk from the genesis grows with the chain, so its
    outcome is cached for DOCUMENT_VERIFY_CACHE_SECONDS per (last event, head): every write of the record moves
    the head, so no outcome outlives a write; raw SQL cannot change the events or remove the head on
    PostgreSQL (triggers); `verify_audit` never uses the cache.
    """
    events = list(document_audit_events(document=document))
    through = events[-1].seq if events else 0
    head = _head_values() or (0, GENESIS_HASH)
    key = f"approvals:audit:verify:{through}:{head[0]}:{head[1]}"
    status = cache.get(key)
    if status is None:
        status = verify_chain(through_seq=through)
        cache.set(key, status, DOCUMENT_VERIFY_CACHE_SECONDS)
    if status.valid:
        latest = first_of_last_content([(event.seq, event.data) for event in events])
        if latest is not None and document_content_hash(document) != latest[1]:
            status = ChainStatus(
                False,
                status.checked,
                latest[0],
                CONTENT_MISMATCH,
                status.head_seq,
                status.head_hash,
                document.pk,
            )
    return status, events
