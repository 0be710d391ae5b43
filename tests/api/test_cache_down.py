"""No Redis, no outage: with the cache unreachable the throttles fail open (a warning is logged) and login, /me/,
clock-in and the rest answer as usual instead of 500."""

import logging
from datetime import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from attendance.models import ClockEvent
from attendance.worktime import LOCAL_TZ
from tests.clock import FrozenClock
from tests.config.test_settings import run_manage
from tests.factories import TEST_PASSWORD, EmployeeFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1 of the loopback


def test_the_settings_use_the_fail_open_cache_with_redis():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DJANGO_DEBUG="1",
        REDIS_URL=DEAD_REDIS,
    )
    assert result.stdout.split()[-1] == "core.cache.FailOpenRedisCache"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": DEAD_REDIS}}
    settings.CACHE_RETRY_SECONDS = 0  # ask Redis each time: every call meets the outage


def test_login_me_and_clock_in_answer_with_the_cache_down(db, redis_down, department, caplog):
    FrozenClock(datetime(2026, 6, 1, 8, 30, tzinfo=LOCAL_TZ))
    employee = EmployeeFactory(username="tanaka", department=department)
    client = APIClient()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        login = client.post(
            "/api/v1/auth/token/", {"username": "tanaka", "password": TEST_PASSWORD}, format="json"
        )
        client.credentials(HTTP_AUTHORIZATION=f"Token {login.json()['token']}")
        me = client.get("/api/v1/me/")
        clock = client.post("/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json")

    assert (login.status_code, me.status_code, clock.status_code) == (200, 200, 201)
    assert ClockEvent.objects.filter(employee=employee).count() == 1
    assert any("cache unreachable" in record.getMessage() for record in caplog.records)


def test_the_cache_answers_as_an_empty_one_while_redis_is_down(redis_down):
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.delete("key") is False
    assert cache.incr("counter", 3) == 3
    assert cache.ping() is False


def test_after_a_failure_redis_is_not_asked_again_for_a_while(redis_down, settings, monkeypatch):
    settings.CACHE_RETRY_SECONDS = 60
    cache.get("key")  # the failure opens the breaker
    asked = []
    monkeypatch.setattr(type(cache._cache), "get", lambda *args: asked.append(args), raising=False)

    assert cache.get("key", "fallback") == "fallback"
    assert asked == []
