"""導入推進の計算 (rollout/calculations.py): a small town's figures computed by hand."""

from datetime import date

import pytest

from rollout import calculations
from rollout.calculations import DayFact, MonthFigures

SOMU, ZEIMU, KENSETSU = 1, 2, 3


# --- Phases against plan --------------------------------------------------------------------------


def test_phase_on_follows_the_history():
    # given: 準備 from 2025-04-01, トライアル from 2025-10-15
    history = [(date(2025, 4, 1), "preparing"), (date(2025, 10, 15), "trial")]

    # then
    assert calculations.phase_on(history, date(2025, 3, 31)) == "not_started"
    assert calculations.phase_on(history, date(2025, 4, 1)) == "preparing"
    assert calculations.phase_on(history, date(2025, 10, 14)) == "preparing"
    assert calculations.phase_on(history, date(2025, 10, 15)) == "trial"
    assert calculations.phase_on([], date(2030, 1, 1)) == "not_started"


def test_behind_plan_when_a_planned_date_has_passed_without_the_phase():
    plan = calculations.DX_PLAN_SCHEDULE  # trial 2025-10-01, partial 2026-04-01, formal 2027-04-01

    # a department still preparing on 2025-10-02 is behind (trial was due 2025-10-01)
    assert calculations.overdue_phases(phase="preparing", planned=plan, today=date(2025, 10, 2)) == ["trial"]
    assert calculations.is_behind_plan(phase="preparing", planned=plan, today=date(2025, 10, 2))
    # on the planned day itself the date has not passed yet
    assert not calculations.is_behind_plan(phase="preparing", planned=plan, today=date(2025, 10, 1))
    # in trial on 2026-11-27: partial (2026-04-01) has passed → behind; formal is still ahead
    assert calculations.overdue_phases(phase="trial", planned=plan, today=date(2026, 11, 27)) == ["partial"]
    # in partial operation on 2026-11-27 → on plan
    assert not calculations.is_behind_plan(phase="partial", planned=plan, today=date(2026, 11, 27))
    # ahead of plan is not behind
    assert not calculations.is_behind_plan(phase="formal", planned=plan, today=date(2025, 1, 1))
    # not started in 2027-05: every planned phase is overdue
    assert calculations.overdue_phases(phase="not_started", planned=plan, today=date(2027, 5, 1)) == [
        "preparing",
        "trial",
        "partial",
        "formal",
    ]


def test_behind_plan_without_a_plan_is_never_true():
    assert not calculations.is_behind_plan(phase="not_started", planned={}, today=date(2030, 1, 1))


def test_effective_plan_takes_the_department_dates_over_the_town_plan():
    town = {"preparing": date(2025, 4, 1), "trial": date(2025, 10, 1), "formal": date(2027, 4, 1)}
    department = {"trial": date(2026, 1, 5), "partial": date(2026, 6, 1)}

    assert calculations.effective_plan(town=town, department=department) == {
        "preparing": date(2025, 4, 1),
        "trial": date(2026, 1, 5),
        "partial": date(2026, 6, 1),
        "formal": date(2027, 4, 1),
    }
    assert list(calculations.effective_plan(town=town, department=department)) == list(
        calculations.PLANNED_PHASES
    )


# --- Adoption per month -----------------------------------------------------------------------------


def small_town_june_facts() -> list[DayFact]:
    """June 2026. 総務課 (1): A home twice (approved), B satellite once (approved), B mobile once without a
    request, C office only. 税務課 (2): D mixed day with an approved home request, D home without approval.
    建設課 (3): nobody teleworks; E (left since, not on the roster) teleworked once from the field."""
    return [
        DayFact(101, SOMU, date(2026, 6, 1), "home", "home"),
        DayFact(101, SOMU, date(2026, 6, 2), "home", "home"),
        DayFact(101, SOMU, date(2026, 6, 3), "office", None),
        DayFact(102, SOMU, date(2026, 6, 1), "satellite", "satellite"),
        DayFact(102, SOMU, date(2026, 6, 4), "mobile", None),
        DayFact(103, SOMU, date(2026, 6, 1), "office", "home"),  # approved but came to the office
        DayFact(201, ZEIMU, date(2026, 6, 5), "mixed", "home"),
        DayFact(201, ZEIMU, date(2026, 6, 8), "home", None),
        DayFact(202, ZEIMU, date(2026, 6, 8), None, "home"),  # approved, never clocked in
        DayFact(309, KENSETSU, date(2026, 6, 9), "mobile", "mobile"),
    ]


def test_month_adoption_of_a_small_town():
    # given: roster 総務課 4 (101–104), 税務課 2 (201, 202), 建設課 3 (301–303); 309 left since
    roster = {101: SOMU, 102: SOMU, 103: SOMU, 104: SOMU, 201: ZEIMU, 202: ZEIMU, 301: KENSETSU}
    roster |= {302: KENSETSU, 303: KENSETSU}

    # when
    result = calculations.month_adoption(
        department_ids=[SOMU, ZEIMU, KENSETSU], roster=roster, facts=small_town_june_facts()
    )

    # then: 総務課 teleworkers A, B; days 3 (home 2, satellite 1); rate 2/4
    somu = result[SOMU]
    assert (somu.headcount, somu.teleworkers, somu.telework_days) == (4, 2, 3)
    assert somu.days_by_location == {"home": 2, "satellite": 1}
    assert somu.adoption_rate == 0.5
    # 税務課: only D's mixed day counts (home by the request); rate 1/2
    zeimu = result[ZEIMU]
    assert (zeimu.headcount, zeimu.teleworkers, zeimu.telework_days) == (2, 1, 1)
    assert zeimu.days_by_location == {"home": 1}
    assert zeimu.adoption_rate == 0.5
    # 建設課: E counts in the headcount because E teleworked; 1/4
    kensetsu = result[KENSETSU]
    assert (kensetsu.headcount, kensetsu.teleworkers, kensetsu.telework_days) == (4, 1, 1)
    assert kensetsu.days_by_location == {"mobile": 1}
    assert kensetsu.adoption_rate == 0.25


def test_month_adoption_ignores_departments_not_asked_for_and_empty_departments_are_zero():
    result = calculations.month_adoption(
        department_ids=[ZEIMU, 4], roster={101: SOMU}, facts=small_town_june_facts()
    )

    assert set(result) == {ZEIMU, 4}
    assert (result[4].headcount, result[4].teleworkers, result[4].telework_days) == (0, 0, 0)
    assert result[4].adoption_rate == 0.0
    assert result[4].days_by_location == {}


def test_rate_rounds_to_four_places_and_never_exceeds_one():
    assert calculations.rate(1, 3) == 0.3333
    assert calculations.rate(2, 3) == 0.6667
    assert calculations.rate(5, 4) == 1.0
    assert calculations.rate(3, 0) == 0.0


# --- Roll-up over a fiscal year and the KPI ------------------------------------------------------------------


SOMU_APRIL, SOMU_MAY = frozenset({101, 102, 104, 105}), frozenset({101, 102, 103, 104, 105})


def months_of_fy2026() -> list[MonthFigures]:
    """Snapshots: 総務課 April (A, B; 3 days) and May (B, C; 2 days), headcount 4 then 5;
    税務課 April and May with nobody teleworking; 建設課 May only (E; 1 day)."""
    return [
        MonthFigures(SOMU, 2026, 4, 4, frozenset({101, 102}), 3, {"home": 2, "satellite": 1}, SOMU_APRIL),
        MonthFigures(SOMU, 2026, 5, 5, frozenset({102, 103}), 2, {"home": 1, "mobile": 1}, SOMU_MAY),
        MonthFigures(ZEIMU, 2026, 4, 2, frozenset(), 0, {}, frozenset({201, 202})),
        MonthFigures(ZEIMU, 2026, 5, 2, frozenset(), 0, {}, frozenset({201, 202})),
        MonthFigures(KENSETSU, 2026, 5, 3, frozenset({301}), 1, {"mobile": 1}, frozenset({301, 302, 303})),
    ]


def test_roll_up_counts_distinct_teleworkers_over_the_months():
    result = calculations.roll_up(department_ids=[SOMU, ZEIMU, KENSETSU], months=months_of_fy2026())

    somu = result[SOMU]
    assert (somu.headcount, somu.teleworkers, somu.telework_days) == (5, 3, 5)  # A, B, C of 5
    assert somu.days_by_location == {"home": 3, "satellite": 1, "mobile": 1}
    assert somu.adoption_rate == 0.6
    assert (result[ZEIMU].headcount, result[ZEIMU].teleworkers, result[ZEIMU].adoption_rate) == (2, 0, 0.0)
    assert (result[KENSETSU].headcount, result[KENSETSU].teleworkers) == (3, 1)
    assert result[KENSETSU].adoption_rate == 0.3333


def test_kpi_counts_departments_with_a_telework_day():
    adoption = calculations.roll_up(department_ids=[SOMU, ZEIMU, KENSETSU], months=months_of_fy2026())

    kpi = calculations.kpi(department_ids=[SOMU, ZEIMU, KENSETSU], adoption=adoption)

    assert (kpi.departments_total, kpi.departments_implementing) == (3, 2)
    assert kpi.implementing_rate == 0.6667
    assert kpi.not_implementing == (ZEIMU,)
    assert kpi.target_rate == 1.0
    assert not kpi.target_met


def test_kpi_met_when_every_department_teleworks_and_empty_town_is_zero():
    adoption = calculations.roll_up(department_ids=[SOMU, KENSETSU], months=months_of_fy2026())

    kpi = calculations.kpi(department_ids=[SOMU, KENSETSU], adoption=adoption)

    assert kpi.implementing_rate == 1.0
    assert kpi.target_met
    assert kpi.not_implementing == ()
    empty = calculations.kpi(department_ids=[], adoption={})
    assert (empty.implementing_rate, empty.target_met) == (0.0, False)


def test_phase_counts_lists_every_phase():
    assert calculations.phase_counts(["trial", "trial", "formal"]) == {
        "not_started": 0,
        "preparing": 0,
        "trial": 2,
        "partial": 0,
        "formal": 1,
    }


# --- The national survey ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("teleworkers", "headcount", "band"),
    [
        (0, 0, "under_30"),
        (0, 10, "under_30"),
        (29, 100, "under_30"),
        (299, 1000, "under_30"),
        (30, 100, "30_50"),  # 30 % exactly is in 30–50
        (3, 10, "30_50"),
        (49, 100, "30_50"),
        (499, 1000, "30_50"),
        (50, 100, "50_80"),  # 50 % exactly is in 50–80
        (1, 2, "50_80"),
        (79, 100, "50_80"),
        (799, 1000, "50_80"),
        (80, 100, "80_over"),  # 80 % exactly is in 80 and over
        (4, 5, "80_over"),
        (100, 100, "80_over"),
    ],
)
def test_usage_rate_band_edges(teleworkers, headcount, band):
    assert calculations.usage_rate_band(teleworkers=teleworkers, headcount=headcount) == band


@pytest.mark.parametrize(
    ("phases", "planned_fiscal_year", "status"),
    [
        ([], None, "undecided"),
        (["not_started", "not_started"], None, "undecided"),
        (["not_started", "preparing"], None, "undecided"),
        (["not_started", "preparing"], 2027, "planned"),
        (["preparing", "trial"], 2027, "trial"),
        (["trial", "partial"], None, "implemented"),  # 一部運用 answers 導入済み (SURVEY_STATUS_BY_PHASE)
        (["not_started", "formal"], None, "implemented"),
    ],
)
def test_adoption_status_from_the_most_advanced_phase(phases, planned_fiscal_year, status):
    assert calculations.adoption_status(phases, planned_fiscal_year=planned_fiscal_year) == status


def test_the_table_answers_every_phase_with_a_survey_status():
    assert set(calculations.SURVEY_STATUS_BY_PHASE) == set(calculations.PHASES)
    assert set(calculations.SURVEY_STATUS_BY_PHASE.values()) <= set(calculations.SURVEY_STATUSES)
    assert calculations.SURVEY_STATUS_BY_PHASE["partial"] == "implemented"


def test_a_town_before_its_trial_is_planned_for_the_fiscal_year_of_its_plan():
    answers = calculations.survey_answers(
        fiscal_year=2024,
        phases=["not_started", "preparing"],
        adoption={},
        plans=[{"preparing": date(2025, 4, 1), "trial": date(2025, 10, 1)}, {"trial": date(2026, 1, 5)}],
    )
    assert (answers.adoption_status, answers.planned_fiscal_year) == ("planned", 2025)
    undecided = calculations.survey_answers(fiscal_year=2024, phases=["preparing"], adoption={}, plans=[{}])
    assert (undecided.adoption_status, undecided.planned_fiscal_year) == ("undecided", None)
    trial = calculations.survey_answers(
        fiscal_year=2025, phases=["trial"], adoption={}, plans=[{"formal": date(2027, 4, 1)}]
    )
    assert (trial.adoption_status, trial.planned_fiscal_year) == ("trial", None)


def test_the_survey_counts_a_person_transferred_between_departments_once():
    # 105 of 総務課 moved to 税務課 in May and teleworked in both: seven people in all
    months = [
        MonthFigures(SOMU, 2026, 4, 3, frozenset({105}), 1, {"home": 1}, frozenset({101, 102, 105})),
        MonthFigures(SOMU, 2026, 5, 2, frozenset(), 0, {}, frozenset({101, 102})),
        MonthFigures(ZEIMU, 2026, 4, 4, frozenset(), 0, {}, frozenset({201, 202, 203, 204})),
        MonthFigures(
            ZEIMU, 2026, 5, 5, frozenset({105}), 1, {"home": 1}, frozenset({201, 202, 203, 204, 105})
        ),
    ]
    adoption = calculations.roll_up(department_ids=[SOMU, ZEIMU], months=months)
    answers = calculations.survey_answers(fiscal_year=2026, phases=["trial", "trial"], adoption=adoption)
    assert (adoption[SOMU].headcount, adoption[ZEIMU].headcount) == (3, 5)  # each department's rows
    assert (answers.headcount, answers.teleworkers, answers.telework_days) == (7, 1, 2)  # the town's people


def test_survey_months_are_april_to_september():
    assert calculations.survey_months(2026) == [(2026, m) for m in range(4, 10)]
    assert calculations.survey_date(2026) == date(2026, 10, 1)


def test_survey_answers_of_a_small_town():
    # given: April–September figures rolled up; 総務課 in partial operation, the others trial and not started
    adoption = calculations.roll_up(department_ids=[SOMU, ZEIMU, KENSETSU], months=months_of_fy2026())

    # when
    answers = calculations.survey_answers(
        fiscal_year=2026, phases=["partial", "trial", "not_started"], adoption=adoption
    )

    # then: headcount 5 + 2 + 3 = 10, teleworkers 3 + 0 + 1 = 4 → 40 % → 30–50
    assert answers.as_of == date(2026, 10, 1)
    assert answers.adoption_status == "implemented"
    assert (answers.headcount, answers.teleworkers, answers.telework_days) == (10, 4, 6)
    assert answers.usage_rate == 0.4
    assert answers.usage_rate_band == "30_50"
    assert answers.days_by_location == {"home": 3, "satellite": 1, "mobile": 2}
    assert answers.forms_used == ["home", "satellite", "mobile"]
    assert (answers.departments_total, answers.departments_implementing) == (3, 2)


def test_forms_used_only_lists_forms_with_days():
    assert calculations.forms_used({"home": 0, "satellite": 2}) == ["satellite"]
    assert calculations.forms_used({}) == []
