"""The telework and rollout parts of `manage.py demo`: policy, overrides, phases on the DX plan's schedule (the
rollout demo moves them, then adds telework's two requests)."""

from io import StringIO

import pytest
from django.core.management import call_command

from org.models import Department
from telework import selectors
from telework.models import DepartmentPhase, PolicyVersion, TeleworkRequest


@pytest.mark.django_db
def test_demo_loads_the_policy_phases_and_requests_once(settings):
    settings.DEBUG = True  # the demo is a development tool
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())

    assert PolicyVersion.objects.count() == 3  # the default and two overrides, each at version 1 only
    jumin = selectors.effective_policy(Department.objects.get(code="jumin")).values
    assert (jumin["min_office_staff"], jumin["max_days_per_week"], jumin["max_days_per_month"]) == (4, 1, 8)
    phases = dict(DepartmentPhase.objects.values_list("department__code", "phase"))
    assert phases["somu"] == "partial"
    assert (phases["gikai"], phases["kensetsu"]) == ("trial", "preparing")
    assert sorted(TeleworkRequest.objects.values_list("status", "location")) == [
        ("approved", "mobile"),
        ("submitted", "mobile"),
    ]
