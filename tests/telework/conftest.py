"""Fixtures of the telework tests: the town and the clock (see tests/telework/town.py)."""

import pytest

from tests.telework.town import Clock, build_town


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def town(db, clock):
    return build_town()
