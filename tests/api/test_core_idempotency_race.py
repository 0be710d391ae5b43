"""Idempotency-Key under concurrency (PostgreSQL): two requests with one key create exactly one row."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from api.models import IdempotencyRecord
from org.models import Absence
from tests.api.urls_idem import Gate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.api.urls_idem"),
]

URL = "/api/test/absences/"


def _client(employee) -> APIClient:
    client = APIClient()
    client.force_authenticate(employee)
    client.raise_request_exception = False
    return client


def _post(employee, body, results: list, barrier: threading.Barrier | None = None):
    try:
        client = _client(employee)
        if barrier is not None:
            barrier.wait(timeout=10)
        response = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="race-key")
        results.append(response)
    finally:
        connection.close()


def test_two_concurrent_requests_with_one_key_create_one_row(employee):
    # given two threads that post the same request with the same key at the same moment
    body = {"start": "2026-12-01", "end": "2026-12-01"}
    barrier, results = threading.Barrier(2), []
    threads = [threading.Thread(target=_post, args=(employee, body, results, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then exactly one row, and the answers are the same 201 twice or one 201 and one 409 in progress
    assert Absence.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    statuses = sorted(r.status_code for r in results)
    assert statuses in ([201, 201], [201, 409])
    created = [r.json() for r in results if r.status_code == 201]
    assert all(body == created[0] for body in created)
    for response in results:
        if response.status_code == 409:
            assert response.json()["code"] == "idempotency_in_progress"


def test_request_held_in_the_view_makes_the_retry_409_then_replays(employee):
    # given a first request held inside the view after its claim
    Gate.reset()
    body = {"start": "2026-12-01", "end": "2026-12-01", "reason": "gate"}
    first_results: list = []
    first = threading.Thread(target=_post, args=(employee, body, first_results))
    first.start()
    try:
        assert Gate.entered.wait(timeout=10)
        # when the client retries meanwhile
        retry_results: list = []
        _post(employee, body, retry_results)
    finally:
        Gate.release.set()
        first.join(timeout=30)
    # then the retry is refused as in progress, the first succeeds, a later retry replays it
    assert retry_results[0].status_code == 409
    assert retry_results[0].json()["code"] == "idempotency_in_progress"
    assert first_results[0].status_code == 201
    replay_results: list = []
    _post(employee, body, replay_results)
    assert replay_results[0].status_code == 201
    assert replay_results[0]["Idempotent-Replayed"] == "true"
    assert replay_results[0].json() == first_results[0].json()
    assert Absence.objects.count() == 1
