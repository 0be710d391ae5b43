"""冪等キー: the `Idempotency-Key` header on POSTs that create something, so a retry creates nothing new.

Usage: `@idempotent` directly above `def create(self, request, *args, **kwargs)` or an `@action` method
(under the `@action(...)` line). The record is per (user, key) and lives IDEMPOTENCY_TTL (24 h) from the
first request; `purge_expired_idempotency_records` (a periodic task) deletes older ones.

- No header, or an anonymous caller: the view runs as usual.
- A malformed key (empty, over 255 characters, not visible ASCII): 400 `invalid_idempotency_key`.
- First request: an `in_progress` record is claimed by an INSERT in its own transaction (the unique
  constraint on (user, key) lets exactly one of two concurrent requests win), then the view runs.
  - 2xx/3xx DRF response: its status, body and headers are stored; the key is final.
  - 4xx/5xx response or an exception: the record is deleted and nothing is stored, because the service
    rolled back and created nothing; the same key may be sent again (e.g. after fixing a 422).
- Same key, same method, path (with query) and body, completed: the stored response again, with the header
  `Idempotent-Replayed: true`; the view does not run.
- Same key while the first request is still running: 409 `idempotency_in_progress` with Retry-After. A claim
  older than IDEMPOTENCY_LOCK_SECONDS is taken to be abandoned (its worker died) and is taken over.
- Same key with another method, path or body: 422 `idempotency_key_reused`.
"""

import functools
import hashlib
import json
import re
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from api.core.codes import ApiError
from api.models import IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
IDEMPOTENCY_TTL = timedelta(hours=24)
IDEMPOTENCY_LOCK_SECONDS = 120
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# Headers that the renderer sets again on a replay; every other header of the first response is stored.
_UNSTORED_HEADERS = {"content-type", "content-length", "vary", "allow"}


class InvalidIdempotencyKey(exceptions.APIException):
    status_code = ApiError.INVALID_IDEMPOTENCY_KEY.status
    default_code = ApiError.INVALID_IDEMPOTENCY_KEY
    default_detail = ApiError.INVALID_IDEMPOTENCY_KEY.message


class IdempotencyInProgress(exceptions.APIException):
    status_code = ApiError.IDEMPOTENCY_IN_PROGRESS.status
    default_code = ApiError.IDEMPOTENCY_IN_PROGRESS
    default_detail = ApiError.IDEMPOTENCY_IN_PROGRESS.message
    wait = 1


class IdempotencyKeyReused(exceptions.APIException):
    status_code = ApiError.IDEMPOTENCY_KEY_REUSED.status
    default_code = ApiError.IDEMPOTENCY_KEY_REUSED
    default_detail = ApiError.IDEMPOTENCY_KEY_REUSED.message


def idempotent(view_method):
    """Replays the first successful response for a repeated `Idempotency-Key` (see the module docstring)."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            raise InvalidIdempotencyKey()
        record, replay = _claim(
            user=request.user,
            key=key,
            method=request.method,
            path=request.path,
            fingerprint=_fingerprint(request),
        )
        if replay is not None:
            return replay
        try:
            response = view_method(self, request, *args, **kwargs)
        except BaseException:
            _release(record)
            raise
        if isinstance(response, Response) and response.status_code < 400:
            _store(record, response)
        else:
            _release(record)
        return response

    wrapper.idempotent = True
    return wrapper


def is_idempotent(view_method) -> bool:
    """Whether a view method carries `@idempotent` (the schema documents the header and its errors)."""
    return bool(getattr(view_method, "idempotent", False))


def purge_expired_idempotency_records(*, now: datetime | None = None) -> int:
    """Deletes records older than IDEMPOTENCY_TTL; returns how many."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_TTL
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lte=cutoff).delete()
    return deleted


def _canonical(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value


def _fingerprint(request) -> str:
    """SHA-256 of the method, the path with its query and the parsed body (JSON, form or multipart)."""
    data = request.data
    if hasattr(data, "lists"):
        body = sorted([name, [_canonical(v) for v in values]] for name, values in data.lists())
    else:
        body = data
    payload = json.dumps(
        [request.method, request.get_full_path(), body], sort_keys=True, cls=JSONEncoder, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _claim(*, user, key: str, method: str, path: str, fingerprint: str):
    """→ (record we own, None) to run the view, or (None, response) to replay; raises 409/422 otherwise."""
    for _attempt in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=method,
                    path=path[:2000],
                    fingerprint=fingerprint,
                    created_at=now,
                    locked_at=now,
                )
            return record, None
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:  # released or purged since our INSERT failed: claim again
            continue
        if existing.created_at <= now - IDEMPOTENCY_TTL:
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if (existing.method, existing.path, existing.fingerprint) != (method, path[:2000], fingerprint):
            raise IdempotencyKeyReused()
        if existing.state == IdempotencyRecord.State.COMPLETED:
            return None, _replay(existing)
        if existing.locked_at <= now - timedelta(seconds=IDEMPOTENCY_LOCK_SECONDS) and _take_over(
            existing, now
        ):
            return existing, None
        raise IdempotencyInProgress()
    raise IdempotencyInProgress()


def _take_over(record: IdempotencyRecord, now: datetime) -> bool:
    """Claims an abandoned in-progress record; an atomic UPDATE so that only one request takes it."""
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, locked_at=record.locked_at
    ).update(locked_at=now)
    record.locked_at = now
    return taken == 1


def _mine(record: IdempotencyRecord):
    return IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, locked_at=record.locked_at
    )


def _release(record: IdempotencyRecord) -> None:
    _mine(record).delete()


def _store(record: IdempotencyRecord, response: Response) -> None:
    body = "" if response.data is None else json.dumps(response.data, cls=JSONEncoder, ensure_ascii=False)
    headers = {name: value for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS}
    _mine(record).update(
        state=IdempotencyRecord.State.COMPLETED,
        response_status=response.status_code,
        response_body=body,
        response_headers=headers,
    )


def _replay(record: IdempotencyRecord) -> Response:
    data = json.loads(record.response_body) if record.response_body else None
    response = Response(data, status=record.response_status, headers=record.response_headers)
    response[REPLAYED_HEADER] = "true"
    return response
