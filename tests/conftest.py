"""Fixtures shared by every test folder."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from tests import clock
from tests.factories import DepartmentFactory, EmployeeFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and other cached state never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _clocks_stopped():
    """Every frozen clock a test started (tests/clock.py) stops when the test ends."""
    yield
    clock.stop_all()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 costs half a second a password; tests that log in or create users use a fast hasher."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _tasks_run_inline(request):
    """Unit tests run Celery tasks in-process after commit, even when REDIS_URL is set (CI's PostgreSQL run);
    tests marked `integration` talk to a real worker instead."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user():
    """as_user(employee) → an APIClient authenticated as that employee."""

    def make(employee) -> APIClient:
        client = APIClient()
        client.force_authenticate(employee)
        return client

    return make


@pytest.fixture
def department(db):
    return DepartmentFactory(code="somu", name="総務課", short_name="南富総")


@pytest.fixture
def employee(department):
    return EmployeeFactory(username="staff1", department=department)


# PostgreSQL refuses TRUNCATE of the audit record (approvals migration 0008), and Django's flush after a
# transactional test truncates every table: the triggers are switched off just for that flush.
AUDIT_TRUNCATE_TRIGGERS = (
    ("approvals_auditevent", "approvals_audit_record_kept_truncate"),
    ("approvals_auditchainhead", "approvals_audit_record_kept_truncate"),
)


def _audit_truncate_triggers(enable: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table, trigger in AUDIT_TRUNCATE_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enable else 'DISABLE'} TRIGGER {trigger}")


@pytest.fixture(autouse=True)
def _audit_record_flushable(request):
    """Every database test on PostgreSQL runs with the TRUNCATE triggers on; a transactional test's teardown
    turns them off just before its flush (this fixture is torn down before the database fixture that flushes)."""
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    if connection.vendor != "postgresql" or not (marker or transactional or "db" in names):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    _audit_truncate_triggers(True)
    yield
    if transactional:
        _audit_truncate_triggers(False)


def pytest_collection_modifyitems(items):
    """Transactional tests flush every table, the rows that migrations seed (roles, route rules, the rollout plan)
    included: give them serialized rollback, so Django restores the migrated data before each of them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
