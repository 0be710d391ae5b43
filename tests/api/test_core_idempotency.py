"""Idempotency-Key: replay, one row, refusal of a reused key, in-progress, expiry (test view in urls_idem)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.core.idempotency import purge_expired_idempotency_records
from api.models import IdempotencyRecord
from org.models import Absence

pytestmark = pytest.mark.urls("tests.api.urls_idem")

URL = "/api/test/absences/"
BODY = {"start": "2026-12-01", "end": "2026-12-02"}


@pytest.fixture
def client(employee, as_user):
    return as_user(employee)


def post(client, body=BODY, key="key-1", url=URL):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, body, format="json", **headers)


def test_same_key_replays_the_first_response_and_creates_nothing_new(client, employee):
    # given a first request
    first = post(client)
    # when the same request comes again with the same key
    second = post(client)
    # then the same status, body and Location, marked as replayed, and one row
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Absence.objects.filter(employee=employee).count() == 1
    assert IdempotencyRecord.objects.get().state == IdempotencyRecord.State.COMPLETED


def test_key_order_in_json_does_not_matter(client, employee):
    post(client, body={"start": "2026-12-01", "end": "2026-12-02"})
    second = post(client, body={"end": "2026-12-02", "start": "2026-12-01"})
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert Absence.objects.count() == 1


def test_without_a_key_every_request_creates(client):
    post(client, key=None)
    post(client, key=None)
    assert Absence.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_different_keys_create_separately(client):
    post(client, key="a")
    post(client, key="b")
    assert Absence.objects.count() == 2


def test_same_key_with_another_body_is_422_and_creates_nothing(client):
    post(client)
    response = post(client, body={"start": "2026-12-05", "end": "2026-12-05"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Absence.objects.count() == 1


def test_same_key_on_another_path_is_422(client):
    first = post(client)
    response = post(client, body={}, url=f"{URL}{first.json()['id']}/copy/")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Absence.objects.count() == 1


def test_same_key_from_another_user_is_independent(client, department, as_user):
    from tests.factories import EmployeeFactory

    other = as_user(EmployeeFactory(username="other", department=department))
    post(client)
    response = post(other)
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Absence.objects.count() == 2


def test_same_request_while_in_progress_is_409_in_progress(client, employee):
    # given a claim of the same request that has not finished (its fingerprint is taken from a real claim)
    post(client, key="probe")
    probe = IdempotencyRecord.objects.get(key="probe")
    now = timezone.now()
    IdempotencyRecord.objects.create(
        user=employee,
        key="key-1",
        method="POST",
        path=URL,
        fingerprint=probe.fingerprint,
        created_at=now,
        locked_at=now,
    )
    # when
    response = post(client)
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert response["Retry-After"] == "1"
    assert Absence.objects.count() == 1


def test_abandoned_claim_is_taken_over(client, employee):
    # given a claim whose worker died three minutes ago
    post(client, key="probe")
    probe = IdempotencyRecord.objects.get(key="probe")
    old = timezone.now() - timedelta(minutes=3)
    IdempotencyRecord.objects.create(
        user=employee,
        key="key-1",
        method="POST",
        path=URL,
        fingerprint=probe.fingerprint,
        created_at=old,
        locked_at=old,
    )
    # when the client retries
    response = post(client)
    # then the request runs and its outcome is stored
    assert response.status_code == 201
    assert Absence.objects.count() == 2
    assert IdempotencyRecord.objects.get(key="key-1").state == IdempotencyRecord.State.COMPLETED


def test_error_outcome_is_not_stored_and_the_key_can_be_used_again(client):
    # given a request refused by a business rule
    refused = post(client, body={**BODY, "reason": "refuse"})
    # when the same key is sent again with a corrected body
    accepted = post(client)
    # then the first left no record and the second created the row
    assert refused.status_code == 422
    assert refused.json()["code"] == "refused"
    assert accepted.status_code == 201
    assert "Idempotent-Replayed" not in accepted
    assert Absence.objects.count() == 1


def test_validation_error_is_not_stored(client):
    invalid = post(client, body={"start": "not-a-date"})
    assert invalid.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert Absence.objects.count() == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "日本語"])
def test_malformed_key_is_400(client, key):
    response = post(client, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Absence.objects.count() == 0


def test_expired_key_runs_again(client, employee):
    # given a completed record from 25 hours ago
    first = post(client)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    # when the same key comes again
    second = post(client)
    # then it is a new request
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]
    assert Absence.objects.count() == 2


def test_purge_deletes_only_expired_records(client):
    post(client, key="old")
    post(client, key="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_expired_idempotency_records() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_action_is_idempotent_too(client):
    original = post(client, key=None).json()["id"]
    first = post(client, body={}, key="copy-1", url=f"{URL}{original}/copy/")
    second = post(client, body={}, key="copy-1", url=f"{URL}{original}/copy/")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert Absence.objects.count() == 2


def test_anonymous_is_401_before_any_claim(api_client, db):
    response = post(api_client)
    assert response.status_code == 401
    assert not IdempotencyRecord.objects.exists()
    assert Absence.objects.count() == 0


def test_multipart_bodies_are_compared_by_file_content(client):
    # given a multipart request with a file
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(content: bytes):
        return client.post(
            URL,
            {**BODY, "file": SimpleUploadedFile("a.txt", content, content_type="text/plain")},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )

    first = upload(b"first version")
    # when the same file is sent again, then another file with the same key
    same = upload(b"first version")
    other = upload(b"second version")
    # then the first is replayed and the other refused
    assert first.status_code == same.status_code == 201
    assert same["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Absence.objects.count() == 1


def test_hourly_purge_task_cleans_expired_keys(client, settings):
    # given an expired key and a live key
    from api.tasks import purge_expired
    from config.celery_app import app

    post(client, key="old")
    post(client, key="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    # when the scheduled task runs (twice: it is safe to repeat)
    first = purge_expired.delay().get()
    second = purge_expired.delay().get()
    # then
    assert first == {"idempotency_records": 1}
    assert second == {"idempotency_records": 0}
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert settings.CELERY_BEAT_SCHEDULE["api-purge"]["task"] == "api.tasks.purge_expired"
    assert "api.tasks.purge_expired" in app.tasks


def test_hourly_purge_task_cleans_stale_login_failures(db, settings):
    # given a forgotten login failure and a recent one (the lockout is org's: org.tasks)
    from config.celery_app import app
    from org.models import LoginFailure
    from org.tasks import purge_login_failures

    LoginFailure.objects.create(username="x", failures=1, last_failed_at=timezone.now() - timedelta(days=1))
    LoginFailure.objects.create(username="y", failures=1, last_failed_at=timezone.now())
    # when the scheduled task runs (twice: it is safe to repeat)
    first = purge_login_failures.delay().get()
    second = purge_login_failures.delay().get()
    # then
    assert (first, second) == (1, 0)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["y"]
    entry = settings.CELERY_BEAT_SCHEDULE["org-login-failures-purge"]
    assert entry["task"] == "org.tasks.purge_login_failures"
    assert entry["schedule"] == timedelta(hours=1)
    assert "org.tasks.purge_login_failures" in app.tasks
