"""The telework and rollout parts of `manage.py demo`: policy, overrides, phases on the DX plan's schedule, the
requests in flight, and a year behind it (approved telework since April with its attendance, day reports and
the monthly snapshots), so the dashboard, the survey and the calendar have figures on `make run`; and the
README's staff login applies for home telework next week as the README prints it."""

import re
from datetime import date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from attendance.models import ClockEvent, DaySummary
from org.demo import DEMO_PASSWORD
from org.models import Department
from rollout import selectors as rollout_selectors
from rollout.models import AdoptionSnapshot
from telework import selectors
from telework.models import DayReport, DepartmentPhase, PolicyVersion, TeleworkDay, TeleworkRequest
from tests.clock import FrozenClock

TODAY = date(2026, 12, 2)  # a Wednesday
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo is a development tool
    FrozenClock(datetime.combine(TODAY, time(9, 0), tzinfo=ZoneInfo("Asia/Tokyo")))
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        TeleworkRequest.objects.count(),
        TeleworkDay.objects.count(),
        ClockEvent.objects.count(),
        DaySummary.objects.count(),
        DayReport.objects.count(),
        PolicyVersion.objects.count(),
        AdoptionSnapshot.objects.count(),
    )


def test_demo_loads_the_policy_phases_and_requests_once(demo):
    before = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == before

    assert PolicyVersion.objects.count() == 3  # the default and two overrides, each at version 1 only
    jumin = selectors.effective_policy(Department.objects.get(code="jumin")).values
    assert (jumin["min_office_staff"], jumin["max_days_per_week"], jumin["max_days_per_month"]) == (4, 1, 8)
    phases = dict(DepartmentPhase.objects.values_list("department__code", "phase"))
    assert (phases["somu"], phases["kikaku"]) == ("partial", "formal")
    assert (phases["gikai"], phases["kensetsu"]) == ("trial", "preparing")
    in_flight = TeleworkRequest.objects.filter(document__isnull=False)
    assert sorted(in_flight.values_list("status", "location")) == [
        ("approved", "mobile"),
        ("submitted", "mobile"),
    ]


def test_demo_has_a_year_of_telework_behind_it_with_figures_everywhere(demo):
    history = TeleworkDay.objects.filter(date__lt=date(2026, 11, 30), status="approved")
    # since April, up to the end of last week, only where the phase admitted it
    assert history.count() > 200
    assert min(history.values_list("date", flat=True)) >= date(2026, 4, 1)
    assert max(history.values_list("date", flat=True)) <= date(2026, 11, 27)
    partial = history.filter(department__code="somu")
    assert set(partial.values_list("location", flat=True)) == {"mobile"}  # 一部運用: field work only
    assert not history.filter(department__code="kensetsu").exists()  # still preparing
    assert history.filter(department__code="kikaku", date__gte=date(2026, 10, 1), location="home").exists()
    # each day has its attendance: clocked in and out where it was worked, the day recomputed
    day = history.filter(location="mobile").order_by("date", "id").first()
    summary = DaySummary.objects.get(employee=day.employee, date=day.date)
    assert summary.location in ("mobile", "office")
    assert summary.worked_minutes > 400
    assert DayReport.objects.count() > 0.9 * history.count()

    # and the dashboard, the survey and the calendar have figures
    departments = list(rollout_selectors.active_departments())
    summary = rollout_selectors.fiscal_year_summary(departments=departments, fiscal_year=2026, today=TODAY)
    assert summary.kpi.departments_total == 12
    assert 8 <= summary.kpi.departments_implementing <= 11
    assert "kensetsu" in {d.code for d in summary.not_implementing}
    rows = {row.department.code: row for row in summary.rows}
    assert all(not row.figures.suppressed for row in rows.values())  # every department has 4 or more staff
    assert rows["somu"].figures.headcount > 10
    assert 0 < rows["somu"].figures.adoption_rate < 1
    survey = rollout_selectors.survey(fiscal_year=2026, today=TODAY).answers
    assert survey.adoption_status == "implemented"
    assert survey.forms_used == ["home", "satellite", "mobile"]
    assert 90 <= survey.headcount <= 100
    assert survey.teleworkers > 20
    week = selectors.department_calendar(
        department=Department.objects.get(code="somu"), start=date(2026, 11, 16), end=date(2026, 11, 20)
    )
    assert sum(len(day["teleworking"]) for day in week) > 0


def readme_staff_login() -> str:
    """The username of the README's staff row (主事)."""
    row = next(line for line in README.read_text().splitlines() if "(staff)" in line and line.startswith("|"))
    return re.search(r"`([a-z.]+)`", row)[1]


def test_the_readme_staff_login_applies_for_home_telework_next_week(demo):
    username = readme_staff_login()
    assert username in demo  # the demo prints it among the logins
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}, format="json"
    )
    assert token.status_code == 200, token.json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    # the README's date: next week's Wednesday
    next_wednesday = TODAY + timedelta(days=7 - TODAY.weekday() + 2)

    response = client.post(
        "/api/v1/telework/requests/",
        {"dates": [next_wednesday.isoformat()], "location": "home", "work_plan": "企画書の作成"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["warnings"]) == ("submitted", [])
