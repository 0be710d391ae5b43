"""The leave part of `manage.py demo`: a year of leave taken by the town's staff (annual leave by days, half days
and hours, summer leave in its window, some sick leave), balances consistent with it, requests in flight through
the approval core, and nothing new on a second run."""

from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Sum

from leave import selectors
from leave.models import AnnualGrant, LeaveDay, LeaveRequest
from org.models import Absence
from tests.clock import FrozenClock

TODAY = date(2026, 12, 2)


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    FrozenClock(datetime.combine(TODAY, time(9, 0), tzinfo=ZoneInfo("Asia/Tokyo")))
    call_command("demo", stdout=StringIO())


def test_a_year_of_leave_is_taken(demo):
    history = LeaveRequest.objects.filter(document__isnull=True, status="approved")
    months = {(d.year, d.month) for d in history.values_list("start_date", flat=True)}
    assert len(months) >= 12
    units = set(history.filter(leave_type__code="annual").values_list("unit", flat=True))
    assert units == {"day", "am", "pm", "hours"}
    summer = history.filter(leave_type__code="summer").values_list("start_date", flat=True)
    assert summer
    assert all(7 <= day.month <= 9 for day in summer)
    assert history.filter(leave_type__code="sick").exists()
    # every whole-day leave has its absence, every request its working days
    approved_days = LeaveRequest.objects.filter(status="approved", unit="day")
    assert Absence.objects.filter(leave_request__isnull=False).count() == approved_days.count()
    assert LeaveDay.objects.count() >= history.count()


def test_balances_are_consistent(demo):
    for grant in AnnualGrant.objects.filter(year=2026).select_related("employee")[:40]:
        usage = selectors.usage_of(grant)
        assert usage.remaining >= 0
        assert usage.used_carried <= grant.carried_minutes
        previous = AnnualGrant.objects.filter(employee=grant.employee, year=2025).first()
        used_2025 = LeaveRequest.objects.filter(
            employee=grant.employee, year=2025, leave_type__balance=True, status="approved"
        ).aggregate(m=Sum("minutes"), c=Sum("from_carried"))
        unused = previous.granted_minutes - ((used_2025["m"] or 0) - (used_2025["c"] or 0))
        assert grant.carried_minutes == min(unused, Decimal(20 * grant.day_minutes))


def test_requests_in_flight_and_a_second_run(demo):
    in_flight = LeaveRequest.objects.filter(document__isnull=False)
    assert set(in_flight.values_list("status", flat=True)) == {"approved", "submitted"}
    before = (LeaveRequest.objects.count(), AnnualGrant.objects.count(), Absence.objects.count())
    call_command("demo", stdout=StringIO())
    assert (LeaveRequest.objects.count(), AnnualGrant.objects.count(), Absence.objects.count()) == before
