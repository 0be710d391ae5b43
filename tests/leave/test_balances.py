"""Annual leave balances with hand-computed cases: a hire in October, carry-over at the year change (oldest days
first), hours across the 5-day limit, a cancel restoring days; the grant job and command are idempotent."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.errors import RuleViolation
from leave import rules, selectors, services
from leave.models import AnnualGrant
from tests.factories import EmployeeFactory
from tests.leave.helpers import apply, approve_all, hours

DAY = 465  # 7h45m


def test_the_pure_grant_rules_by_hand():
    table = {1: Decimal(20), 10: Decimal(5), 12: Decimal(2)}
    assert rules.hire_month(date(2026, 10, 5), 2026, "01-01") == 10
    assert (
        rules.granted_days(hired_on=date(2026, 10, 5), year=2026, start="01-01", full_days=20, table=table)
        == 5
    )
    assert (
        rules.granted_days(hired_on=date(2020, 4, 1), year=2026, start="01-01", full_days=20, table=table)
        == 20
    )
    # a fiscal leave year: a hire in October is in its 7th month
    assert rules.hire_month(date(2026, 10, 5), 2026, "04-01") == 7
    used = rules.Usage(granted=Decimal(20 * DAY), carried=Decimal(3 * DAY), used_granted=Decimal(DAY))
    assert rules.carry_over(used, cap_minutes=Decimal(20 * DAY)) == 19 * DAY
    assert rules.days_and_hours(Decimal(DAY * 2 + 120), DAY) == {"days": 2, "hours": 2.0, "minutes": 1050.0}


def test_a_hire_in_october_gets_five_days(town, clock):
    # given someone hired on 5 October 2026
    newcomer = EmployeeFactory(username="newcomer", department=town.somu, hired_on=date(2026, 10, 5))
    # when the grant runs
    services.annual_grants_run()
    # then the table's 5 days for the 10th month, at 7h45m a day
    grant = AnnualGrant.objects.get(employee=newcomer, year=2026)
    assert (grant.granted_minutes, grant.carried_minutes, grant.day_minutes) == (5 * DAY, 0, DAY)
    assert selectors.balance(employee=newcomer)["remaining"] == {"days": 5, "hours": 0.0, "minutes": 5 * DAY}


def test_the_grant_job_and_the_command_are_idempotent(town, clock):
    services.annual_grants_run()
    count = AnnualGrant.objects.count()
    call_command("leave_grant", "--year", "2026")
    services.annual_grants_run()
    assert AnnualGrant.objects.count() == count > 0


def test_carry_over_at_the_year_change_uses_the_oldest_days_first(town, clock):
    staff = town.staff[0]
    # given 3 days and 2 hours of 2026's 20 days used
    request = apply(staff, start=date(2026, 11, 24), end=date(2026, 11, 26))
    approve_all(request.document)
    apply(staff, start=date(2026, 11, 27), unit="hours", start_time=hours(9, 11)[0], end_time=hours(9, 11)[1])
    assert selectors.balance(employee=staff)["remaining"] == {
        "days": 16,
        "hours": 5.75,
        "minutes": 17 * DAY - 120,
    }
    # when 2027 is granted (1 January)
    clock.set(date(2027, 1, 4))
    services.annual_grants_run()
    # then the unused 16 days 5h45m are carried (under the 20-day cap) beside the new 20 days
    grant = AnnualGrant.objects.get(employee=staff, year=2027)
    assert (grant.granted_minutes, grant.carried_minutes) == (20 * DAY, 17 * DAY - 120)
    # and a day of 2027 is drawn on the carry-over first
    first = apply(staff, start=date(2027, 1, 5))
    assert (first.minutes, first.from_carried) == (DAY, DAY)
    balance = selectors.balance(employee=staff, year=2027)
    assert balance["carried_over"]["days"] == 16
    assert balance["remaining"]["days"] == 35


def test_carry_over_is_capped_at_twenty_days(town, clock):
    staff = town.staff[1]
    AnnualGrant.objects.create(
        employee=staff,
        year=2026,
        granted_minutes=20 * DAY,
        carried_minutes=20 * DAY,
        day_minutes=DAY,
        granted_on=date(2026, 1, 1),
    )
    clock.set(date(2027, 1, 4))
    services.annual_grants_run()
    assert AnnualGrant.objects.get(employee=staff, year=2027).carried_minutes == 20 * DAY


def test_hours_across_the_five_day_limit(town, clock):
    staff = town.staff[0]
    # given 5 days of 7 hours each (the break 12:00–13:00 is not charged): 35 h of the 38 h 45 min limit
    for day in (24, 25, 26, 27, 30):
        apply(
            staff,
            start=date(2026, 11, day),
            unit="hours",
            start_time=hours(9, 17)[0],
            end_time=hours(9, 17)[1],
        )
    # when 3 more hours are asked for: 38 h, still within 5 × 7h45m
    apply(staff, start=date(2026, 12, 1), unit="hours", start_time=hours(9, 12)[0], end_time=hours(9, 12)[1])
    # then one more hour would pass it
    with pytest.raises(RuleViolation) as refused:
        apply(
            staff, start=date(2026, 12, 2), unit="hours", start_time=hours(9, 10)[0], end_time=hours(9, 10)[1]
        )
    assert [e["code"] for e in refused.value.errors] == ["hourly_limit"]
    assert refused.value.errors[0]["params"]["used_minutes"] == 38 * 60
    balance = selectors.balance(employee=staff)
    assert balance["hourly"]["used"]["minutes"] == 38 * 60
    assert balance["hourly"]["limit"] == {"days": 5, "hours": 0.0, "minutes": 5 * DAY}


def test_a_cancel_restores_the_days(town, clock):
    staff = town.staff[0]
    request = apply(staff, start=date(2026, 11, 24), end=date(2026, 11, 27))
    approve_all(request.document)
    assert selectors.balance(employee=staff)["remaining"]["days"] == 16
    services.leave_request_cancel(request=request, actor=staff)
    assert selectors.balance(employee=staff)["remaining"] == {"days": 20, "hours": 0.0, "minutes": 20 * DAY}
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert request.absence is None


def test_holidays_inside_a_range_are_not_charged(town, clock):
    # 2026-11-20 (Fri) to 2026-11-24 (Tue): Saturday, Sunday and 23 November (勤労感謝の日) are not leave days
    request = apply(town.staff[0], start=date(2026, 11, 20), end=date(2026, 11, 24))
    assert request.days == 2
    assert request.minutes == 2 * DAY
    assert sorted(request.leave_days.values_list("date", flat=True)) == [
        date(2026, 11, 20),
        date(2026, 11, 24),
    ]


def test_a_fiscal_leave_year_is_a_setting(town, clock, settings):
    # given a leave year from 1 April, granted on 1 April
    settings.LEAVE_YEAR_START = settings.LEAVE_GRANT_DATE = "04-01"
    newcomer = EmployeeFactory(username="october", department=town.somu, hired_on=date(2026, 10, 5))
    # when the grant runs in November 2026 (leave year 2026 = April 2026 – March 2027)
    services.annual_grants_run()
    # then the hire in October is in the 7th month: the table's 10 days
    assert selectors.year_of(date(2027, 3, 31)) == 2026
    assert AnnualGrant.objects.get(employee=newcomer, year=2026).granted_minutes == 10 * DAY


def test_hours_convert_at_the_scheduled_day_length(town, clock):
    # given an 8-hour schedule (8:30–17:30, an hour's break) assigned before the grant
    from attendance import services as attendance_services

    schedule = attendance_services.schedule_create(
        actor=town.hr,
        name="8時間",
        start=time(8, 30),
        end=time(17, 30),
        break_start=time(12),
        break_end=time(13),
    )
    staff = town.staff[2]
    attendance_services.schedule_assignment_create(
        actor=town.hr, employee=staff, schedule=schedule, start=date(2026, 1, 1), end=None
    )
    # when the year is granted
    services.annual_grants_run()
    # then a day is 480 minutes and 20 days are 160 hours
    grant = AnnualGrant.objects.get(employee=staff, year=2026)
    assert (grant.day_minutes, grant.granted_minutes) == (480, 20 * 480)
