"""/healthz: the database and the Celery broker, 503 naming what is down."""

from unittest import mock

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthy_embedded_mode(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_database_down_is_503_naming_it(client, settings):
    # given a database whose cursor fails
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with mock.patch.object(connection, "cursor", side_effect=RuntimeError("connection refused")):
        # when
        response = client.get("/healthz")
    # then
    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "eager"}


@pytest.mark.django_db
def test_reachable_broker_is_ok(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_unreachable_broker_is_503_naming_it(client, settings):
    # given a broker URL where nothing listens (port 1 on the loopback)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}
    assert response["Cache-Control"] == "no-store"
