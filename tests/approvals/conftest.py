"""Fixtures of the approval tests (the town itself is built in tests/approvals/town.py)."""

import pytest
from django.db import connection

from approvals import registry
from tests.approvals.town import build_town, submit_general

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)")


@pytest.fixture
def kinds():
    """Restores the kind registry after a test that registers handlers."""
    saved = dict(registry._KINDS)
    yield registry
    registry._KINDS.clear()
    registry._KINDS.update(saved)


@pytest.fixture
def town(db):
    return build_town()


@pytest.fixture
def submitted(town):
    """submitted(amount=..., consult=[...], drafter=...) → a general document routed and waiting."""

    def make(**kwargs):
        return submit_general(town, **kwargs)

    return make
