"""/healthz (liveness: the process and the database) and /readyz (the database, the Celery broker and the cache,
503 naming what is down)."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection

# --- /healthz: liveness ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_liveness_is_200_while_the_database_answers(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_liveness_stays_200_with_the_broker_down(client, settings):
    # given a broker URL where nothing listens (port 1 on the loopback): a container health check on /healthz
    # must not kill a web process that can still serve
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


@pytest.mark.django_db
def test_liveness_is_503_when_the_database_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with mock.patch.object(connection, "cursor", side_effect=RuntimeError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down"}


# --- /readyz: readiness ---------------------------------------------------------------------------------


def _cache_state() -> str:
    return "ok" if hasattr(cache, "ping") else "local"


@pytest.mark.django_db
def test_ready_in_embedded_mode(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager", "cache": _cache_state()}


@pytest.mark.django_db
def test_database_down_is_503_naming_it(client, settings):
    # given a database whose cursor fails
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with mock.patch.object(connection, "cursor", side_effect=RuntimeError("connection refused")):
        # when
        response = client.get("/readyz")
    # then
    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "eager", "cache": _cache_state()}


@pytest.mark.django_db
def test_reachable_broker_is_ok(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "cache": _cache_state()}


@pytest.mark.django_db
def test_unreachable_broker_is_503_naming_it(client, settings):
    # given a broker URL where nothing listens (port 1 on the loopback)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "cache": _cache_state()}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_unreachable_cache_is_503_naming_it(client, settings):
    # given a Redis cache where nothing listens
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "eager", "cache": "down"}
