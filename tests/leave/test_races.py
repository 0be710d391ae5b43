"""Races on PostgreSQL: two applications for the same day, filed at once (two tabs, a retried click), leave one
request; the applicant's row lock serialises the overlap check and the balance."""

import pytest

from leave.models import LeaveRequest
from tests.approvals.conftest import postgres_only
from tests.leave.helpers import apply, date
from tests.races import race

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_applications_for_one_day_at_once_file_one_request(town, clock):
    staff = town.staff[0]
    day = date(2026, 11, 26)

    results = race(lambda: apply(staff, start=day), lambda: apply(staff, start=day))

    filed = [r for r in results if isinstance(r, LeaveRequest)]
    refused = [r for r in results if not isinstance(r, LeaveRequest)]
    assert len(filed) == 1
    assert [(error.code, [item["code"] for item in error.errors]) for error in refused] == [
        ("rule_violation", ["overlapping_leave"])
    ]
    assert LeaveRequest.objects.filter(employee=staff).exclude(status="cancelled").count() == 1
