"""Fixtures of the attendance tests: a frozen clock for every test (see tests/attendance/clock.py)."""

import pytest

from tests.attendance.clock import NOW
from tests.clock import FrozenClock


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)
