"""Fixtures of the leave tests: the telework test town (tests/telework/town.py) with a 副町長, and its clock."""

from datetime import date

import pytest

from org.models import Position
from tests.factories import EmployeeFactory
from tests.telework.town import Clock, build_town


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def town(db, clock):
    town = build_town()
    town.deputy_mayor = EmployeeFactory(
        username="fukuchou", name="副町長", department=town.kikaku, position=Position.DEPUTY_MAYOR
    )
    town.staff[0].hired_on = date(2020, 4, 1)
    return town
