"""Lockout under concurrency (PostgreSQL): parallel wrong passwords are each counted, and no more than
LOGIN_FAILURE_LIMIT of them are tried before the lock."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from org.models import LoginFailure
from tests.factories import EmployeeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _parallel_logins(count: int, username: str, password: str) -> list[int]:
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def attempt():
        try:
            client = APIClient()
            barrier.wait(timeout=10)
            response = client.post(
                "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_parallel_failures_are_each_counted(settings):
    # given a high limit and an existing user
    settings.LOGIN_FAILURE_LIMIT = 100
    EmployeeFactory(username="tanaka")
    # when six wrong passwords arrive at once
    statuses = _parallel_logins(6, "tanaka", "wrong")
    # then all six are counted in one row
    assert statuses == [400] * 6
    assert LoginFailure.objects.get(username="tanaka").failures == 6


def test_parallel_failures_never_exceed_the_limit(settings):
    # given a limit of 3
    settings.LOGIN_FAILURE_LIMIT = 3
    # when six wrong passwords for an unknown name arrive at once
    statuses = _parallel_logins(6, "ghost", "wrong")
    # then two are refused as wrong, the third locks, the rest meet the lock
    assert sorted(statuses) == [400, 400, 429, 429, 429, 429]
    row = LoginFailure.objects.get(username="ghost")
    assert row.locked_until is not None
