"""The telework test town: 総務課 with a director, a chief and five staff, in formal operation (moved there by the
secretariat through the rollout's phase service), under a town policy; and a clock that fixes today. Shared by
tests/telework, tests/api and tests/approvals."""

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from org.models import Position
from rollout import services as rollout_services
from telework import services
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

TOKYO = ZoneInfo("Asia/Tokyo")
MONDAY = date(2026, 11, 16)

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)")


class Clock:
    """Sets "now" (09:00 in Tokyo of a day) for the code under test: a frozen clock (tests/clock.py)."""

    def __init__(self):
        self.frozen = FrozenClock(datetime.combine(MONDAY, time(9, 0), tzinfo=TOKYO))
        self.today = MONDAY

    def set(self, day: date, at: time = time(9, 0)) -> None:
        self.frozen.set(datetime.combine(day, at, tzinfo=TOKYO))
        self.today = day


def build_town() -> SimpleNamespace:
    somu = DepartmentFactory(code="somu", name="総務課", short_name="南富総", sort_order=1)
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企", sort_order=2)
    town = SimpleNamespace(somu=somu, kikaku=kikaku)
    town.director = EmployeeFactory(
        username="somu_director", name="総務課長", department=somu, position=Position.DIRECTOR
    )
    town.chief = EmployeeFactory(
        username="somu_chief", name="総務係長", department=somu, position=Position.CHIEF
    )
    town.staff = [
        EmployeeFactory(
            username=f"somu_staff{i}",
            name=f"総務主事{i}",
            department=somu,
            hired_on=date(2020, 4, 1),
            security_training_fy=2026,
            security_pledge_signed=True,
        )
        for i in range(1, 6)
    ]
    town.kikaku_director = EmployeeFactory(
        username="kikaku_director", name="企画課長", department=kikaku, position=Position.DIRECTOR
    )
    town.kikaku_staff = EmployeeFactory(
        username="kikaku_staff",
        name="企画主事",
        department=kikaku,
        security_training_fy=2026,
        security_pledge_signed=True,
    )
    town.secretariat = EmployeeFactory(
        username="dx", name="デジタル推進係", department=kikaku, roles=["secretariat"]
    )
    town.hr = EmployeeFactory(username="hr", name="人事", department=kikaku, roles=["hr"])
    for department in (somu, kikaku):
        rollout_services.phase_move(
            actor=town.secretariat, department=department, phase="formal", on=date(2026, 4, 1)
        )
    services.policy_update(
        actor=town.secretariat,
        allowed_locations=["home", "satellite", "mobile"],
        max_days_per_week=2,
        max_days_per_month=8,
        max_consecutive_days=2,
        advance_notice_business_days=1,
        min_office_staff=4,
        eligible_employment_types=["regular"],
        min_months_since_hire=6,
        require_security_training=True,
        require_security_pledge=True,
        require_day_report=True,
    )
    return town
