"""The attendance part of `manage.py demo`: overtime orders in 総務課 with the overtime worked against them (one
within its order, one beyond it), an application waiting, and an approved day swap; loaded once."""

from datetime import date, datetime, time

import pytest

from attendance import demo
from attendance.models import DaySummary, DaySwap, OvertimeOrder
from org.demo import build_town
from tests.attendance.clock import NOW
from tests.clock import FrozenClock

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(datetime.combine(TODAY, time(9, 0), tzinfo=NOW.tzinfo))


def test_the_demo_has_orders_worked_against_them_and_a_day_swap():
    town = build_town(password="Demo-password-2026")

    demo.load(town)
    demo.load(town)  # idempotent

    orders = list(OvertimeOrder.objects.order_by("id"))
    assert [(o.date, o.status, o.minutes) for o in orders] == [
        (date(2026, 12, 1), "approved", 120),
        (date(2026, 12, 1), "approved", 60),
        (date(2026, 12, 3), "submitted", 90),
    ]
    within, beyond = (DaySummary.objects.get(employee=o.employee, date=o.date) for o in orders[:2])
    assert (within.ordered_overtime_minutes, within.overtime_minutes, within.anomalies) == (120, 130, [])
    assert (beyond.ordered_overtime_minutes, beyond.overtime_minutes) == (60, 145)
    assert "overtime_without_order" in beyond.anomalies
    [swap] = DaySwap.objects.all()
    assert (swap.work_date, swap.off_date, swap.status) == (date(2026, 12, 5), date(2026, 12, 7), "approved")
    assert DaySummary.objects.get(employee=swap.employee, date=swap.work_date).day_kind == "workday"
