"""Races on PostgreSQL: two overtime orders for the same hours, or two swaps of the same 週休日, filed at once (two
tabs, a retried click) leave one; the employee's row lock serialises the overlap checks."""

from datetime import date, time

import pytest

from attendance import services
from attendance.models import DaySwap, OvertimeOrder
from tests.approvals.conftest import postgres_only
from tests.factories import EmployeeFactory
from tests.races import race

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]

DAY = date(2026, 6, 10)  # a Wednesday
SATURDAY = date(2026, 6, 13)


@pytest.fixture
def somu(department, settings):
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 60
    return {
        "staff": EmployeeFactory(department=department),
        "director": EmployeeFactory(department=department, position="director"),
    }


def refusals(results, model) -> list[tuple[str, list[str]]]:
    return [
        (error.code, [item["code"] for item in error.errors])
        for error in results
        if not isinstance(error, model)
    ]


def test_two_orders_for_the_same_hours_at_once_leave_one(somu):
    def order():
        return services.overtime_order_create(
            actor=somu["director"],
            employee_id=somu["staff"].pk,
            day=DAY,
            start=time(17, 15),
            end=time(19, 15),
            reason="決算",
        )

    results = race(order, order)

    assert sum(isinstance(result, OvertimeOrder) for result in results) == 1
    assert refusals(results, OvertimeOrder) == [("rule_violation", ["overlapping_order"])]
    assert OvertimeOrder.objects.filter(employee=somu["staff"], date=DAY).count() == 1


def test_two_swaps_of_the_same_rest_day_at_once_leave_one(somu):
    def swap(off_date):
        return lambda: services.day_swap_request(
            employee=somu["staff"], work_date=SATURDAY, off_date=off_date
        )

    results = race(swap(date(2026, 6, 15)), swap(date(2026, 6, 16)))

    assert sum(isinstance(result, DaySwap) for result in results) == 1
    assert refusals(results, DaySwap) == [("rule_violation", ["overlapping_swap"])]
    assert DaySwap.objects.filter(employee=somu["staff"], work_date=SATURDAY).count() == 1
