"""Statistics true to history and small groups kept private (issue 13).

- Each person counts in the department of their assignment (配属) on the day: a 人事異動 (through
  `org.services.employee_transfer`) changes no past month, and a rebuild of a past month gives the same figures.
- The survey counts people, not department rows: a town of 7 reports 7 after a transfer.
- A past fiscal year shows each department's phase and plan as they stood at its end.
- Aggregates of fewer than ROLLOUT_MIN_GROUP_SIZE people (default 3) are "—" with a reason, for the secretariat,
  in the API and the CSV; the department's own managers see their numbers.
"""

import csv
import io
from datetime import date

import pytest

from org.services import employee_transfer
from rollout import selectors, services
from rollout.models import AdoptionSnapshot
from rollout.tasks import snapshot_adoption_nightly
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.rollout.town import TODAY, attended, build_town, patch_today, telework_day

URL = "/api/v1/telework/rollout/"


# --- history ---------------------------------------------------------------------------------------------


def seven_people_and_a_transfer():
    """総務課 4 (X among them) and 税務課 3. X teleworks on 5/20 in 総務課; on 6/1 X moves to 税務課 and teleworks on
    6/3 there, on a day X had applied for while still in 総務課."""
    patch_today(date(2026, 5, 31))
    somu = DepartmentFactory(code="somu", name="総務課", short_name="南富総")
    zeimu = DepartmentFactory(code="zeimu", name="税務課", short_name="南富税")
    hired = date(2020, 4, 1)
    x = EmployeeFactory(username="x", department=somu, hired_on=hired)
    for name in ("s1", "s2", "s3"):
        EmployeeFactory(username=name, department=somu, hired_on=hired)
    for name in ("z1", "z2", "z3"):
        EmployeeFactory(username=name, department=zeimu, hired_on=hired)
    hr = EmployeeFactory(username="hr", department=None, hired_on=hired, roles=["hr"])
    telework_day(x, date(2026, 5, 20), "home")
    attended(x, date(2026, 5, 20), "home")
    telework_day(x, date(2026, 6, 3), "home")  # applied for in 総務課: its day row says 総務課
    services.adoption_snapshot(year=2026, month=5)
    return somu, zeimu, x, hr


def figures(department, month):
    row = AdoptionSnapshot.objects.get(department=department, month=month)
    return row.headcount, row.teleworkers, row.telework_days


@pytest.mark.django_db
def test_a_transfer_leaves_past_months_as_they_were_and_counts_the_day_where_the_person_was():
    somu, zeimu, x, hr = seven_people_and_a_transfer()
    may = date(2026, 5, 1)
    assert (figures(somu, may), figures(zeimu, may)) == ((4, 1, 1), (3, 0, 0))

    # when X is transferred on 6/1 and the nightly job of that day rebuilds May and computes June
    patch_today(date(2026, 6, 1))
    employee_transfer(actor=hr, employee=x, effective_on=date(2026, 6, 1), department=zeimu, position="staff")
    x.refresh_from_db()
    assert x.department == zeimu
    patch_today(date(2026, 6, 4))
    attended(x, date(2026, 6, 3), "home")
    snapshot_adoption_nightly()

    # then May is what it was, and June counts X's day in 税務課 (the department of that day)
    assert (figures(somu, may), figures(zeimu, may)) == ((4, 1, 1), (3, 0, 0))
    june = date(2026, 6, 1)
    assert (figures(somu, june), figures(zeimu, june)) == ((3, 0, 0), (4, 1, 1))
    # and a rebuild of May months later changes nothing
    patch_today(date(2026, 11, 27))
    assert services.adoption_snapshot(year=2026, month=5) == 0


@pytest.mark.django_db
def test_the_survey_of_a_town_of_seven_reports_seven_after_a_transfer():
    somu, zeimu, x, hr = seven_people_and_a_transfer()
    patch_today(date(2026, 6, 1))
    employee_transfer(actor=hr, employee=x, effective_on=date(2026, 6, 1), department=zeimu, position="staff")
    attended(x, date(2026, 6, 3), "home")
    for month in (5, 6):
        services.adoption_snapshot(year=2026, month=month)
    patch_today(date(2026, 11, 27))

    answers = selectors.survey(fiscal_year=2026, today=TODAY).answers
    summary = selectors.fiscal_year_summary(departments=[somu, zeimu], fiscal_year=2026, today=TODAY)

    # each department counts X in its rows (4 + 4), the town counts seven people and one who teleworked
    assert sorted(summary.adoption[d.pk].headcount for d in (somu, zeimu)) == [4, 4]
    assert (answers.headcount, answers.teleworkers, answers.telework_days) == (7, 1, 2)
    assert answers.usage_rate == 0.1429


# --- a past fiscal year as it stood at its end -------------------------------------------------------------


@pytest.fixture
def town(db):
    patch_today()
    return build_town()


def test_a_past_fiscal_year_shows_the_phase_and_the_plan_as_of_its_end(town):
    # given: since FY2025 ended, 総務課 moved to partial (2026-04-01) and the town plan's formal date moved
    services.plan_set(actor=town.secretariat, department=None, planned={"formal": date(2027, 10, 1)})

    past = selectors.fiscal_year_summary(departments=town.departments, fiscal_year=2025, today=TODAY)
    now = selectors.fiscal_year_summary(departments=town.departments, fiscal_year=2026, today=TODAY)

    rows = {row.department.code: row.standing for row in past.rows}
    assert past.as_of == date(2026, 3, 31)
    assert {code: standing.phase for code, standing in rows.items()} == {
        "somu": "trial",
        "zeimu": "trial",
        "kensetsu": "not_started",
        "kikaku": "trial",
    }
    assert past.by_phase == {"not_started": 1, "preparing": 0, "trial": 3, "partial": 0, "formal": 0}
    # on 2026-03-31 partial (due 2026-04-01) was not yet due: only 建設課 was behind, and formal was planned
    # for 2027-04-01 then
    assert {code for code, standing in rows.items() if standing.behind_plan} == {"kensetsu"}
    assert rows["somu"].planned["formal"] == date(2027, 4, 1)
    current = {row.department.code: row.standing for row in now.rows}
    assert (current["somu"].phase, current["somu"].planned["formal"]) == ("partial", date(2027, 10, 1))
    assert {code for code, standing in current.items() if standing.behind_plan} == {"zeimu", "kensetsu"}


def test_the_summary_api_of_a_past_year_has_the_phase_and_plan_of_then(as_user, town):
    body = as_user(town.secretariat).get(f"{URL}summary/?fiscal_year=2025").json()
    rows = {row["code"]: row for row in body["departments"]}
    assert (rows["somu"]["phase"], rows["somu"]["behind_plan"]) == ("trial", False)
    assert (rows["zeimu"]["phase"], rows["zeimu"]["behind_plan"]) == ("trial", False)
    assert rows["kensetsu"]["overdue"] == ["preparing", "trial"]
    assert rows["somu"]["planned"]["partial"] == "2026-04-01"


# --- small groups ----------------------------------------------------------------------------------------


def test_the_secretariat_sees_small_departments_as_suppressed_with_a_reason(as_user, town):
    body = as_user(town.secretariat).get(f"{URL}summary/?fiscal_year=2026").json()
    rows = {row["code"]: row for row in body["departments"]}

    # 総務課 (5) and 税務課 (3, at the threshold) are shown; 建設課 (2) and 企画課 (1) are not
    shown = ("headcount", "teleworkers", "telework_days", "adoption_rate", "suppressed")
    assert {code: tuple(rows[code][key] for key in shown) for code in rows} == {
        "somu": (5, 2, 3, 0.4, False),
        "zeimu": (3, 1, 1, 0.3333, False),
        "kensetsu": (2, None, None, None, True),
        "kikaku": (1, None, None, None, True),
    }
    assert rows["kensetsu"]["days_by_location"] is None
    assert (
        rows["kensetsu"]["suppressed_reason"]
        == "3人未満の集計は個人が特定されるおそれがあるため表示しません。"
    )
    assert rows["somu"]["suppressed_reason"] is None
    # the KPI still says which departments implement telework
    assert (rows["kensetsu"]["implementing"], rows["kikaku"]["implementing"]) == (True, False)
    assert body["departments_implementing"] == 3


def test_the_departments_own_manager_sees_its_numbers(as_user, town):
    director = as_user(town.directors["kensetsu"]).get(f"{URL}summary/?fiscal_year=2026").json()
    (row,) = director["departments"]
    assert (row["teleworkers"], row["telework_days"], row["adoption_rate"], row["suppressed"]) == (
        1,
        1,
        0.5,
        False,
    )
    staff = as_user(town.staff["G"]).get(f"{URL}summary/?fiscal_year=2026").json()
    assert staff["departments"][0]["teleworkers"] is None


def test_the_monthly_series_suppresses_small_departments_per_month(as_user, town):
    body = as_user(town.secretariat).get(f"{URL}monthly/?fiscal_year=2026").json()
    kensetsu = next(d for d in body["departments"] if d["code"] == "kensetsu")
    assert [(m["month"], m["headcount"], m["teleworkers"], m["suppressed"]) for m in kensetsu["months"]] == [
        ("2026-05", 2, None, True),
        ("2026-06", 2, None, True),
    ]
    assert [(m["month"], m["teleworkers"]) for m in body["total"]] == [("2026-05", 1), ("2026-06", 3)]


def test_the_threshold_is_a_setting(as_user, town, settings):
    settings.ROLLOUT_MIN_GROUP_SIZE = 6
    body = as_user(town.secretariat).get(f"{URL}summary/?fiscal_year=2026").json()
    assert all(row["suppressed"] for row in body["departments"])
    assert body["departments"][0]["suppressed_reason"].startswith("6人未満")
    survey = as_user(town.secretariat).get(f"{URL}survey/?fiscal_year=2026").json()
    assert (survey["headcount"], survey["suppressed"]) == (11, False)  # the town is 11 people
    settings.ROLLOUT_MIN_GROUP_SIZE = 12
    survey = as_user(town.secretariat).get(f"{URL}survey/?fiscal_year=2026").json()
    assert (survey["headcount"], survey["teleworkers"], survey["usage_rate_band"], survey["suppressed"]) == (
        None,
        None,
        None,
        True,
    )
    assert survey["adoption_status"] == "implemented"


def test_the_summary_csv_shows_a_dash_and_the_reason(as_user, town):
    response = as_user(town.secretariat).get(f"{URL}summary/?fiscal_year=2026&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="telework-rollout-2026.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "課コード",
        "課",
        "段階",
        "計画遅れ",
        "実施",
        "職員数",
        "実施者数",
        "実施日数",
        "利用率",
        "備考",
    ]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["somu"][5:] == ["5", "2", "3", "40.0%", ""]
    assert by_code["kensetsu"][5:9] == ["2", "—", "—", "—"]
    assert by_code["kensetsu"][9].startswith("3人未満")
    assert by_code["kensetsu"][3:5] == ["遅れ", "実施"]


def test_the_survey_csv_of_a_town_below_the_threshold(as_user, town, settings):
    settings.ROLLOUT_MIN_GROUP_SIZE = 12
    text = as_user(town.secretariat).get(f"{URL}survey/?fiscal_year=2026&format=csv").content.decode("utf-8")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["headcount"][2:] == ["—", "—"]
    assert rows["usage_rate_band"][2:] == ["—", "—"]
    assert rows["suppressed"][2].startswith("12人未満")
    assert rows["adoption_status"][2:] == ["導入済み", "implemented"]
