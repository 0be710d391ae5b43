"""導入推進: phase moves, plans, the monthly snapshot, the fiscal year's KPI and the survey on a small town
(tests/rollout/town.py has the figures computed by hand)."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from config.celery_app import app as celery_app
from core.errors import Conflict, PermissionDenied, RuleViolation, ValidationFailed
from notifications.models import Notification
from rollout import selectors, services
from rollout import tasks as rollout_tasks
from rollout.models import AdoptionSnapshot, PhaseEvent, PhasePlan, RolloutReport
from telework.models import DepartmentPhase, RequestStatus, TeleworkDay
from tests.rollout.town import (
    TODAY,
    attended,
    build_departments,
    build_town,
    patch_today,
    telework_day,
)


@pytest.fixture
def today(monkeypatch):
    return patch_today()


@pytest.fixture
def town(db, today):
    return build_town()


def snapshot_rows(month: date) -> dict[str, tuple]:
    return {
        row.department.code: (row.headcount, row.teleworkers, row.telework_days, row.days_by_location)
        for row in AdoptionSnapshot.objects.filter(month=month).select_related("department")
    }


# --- Phase moves ---------------------------------------------------------------------------------


def test_phase_move_records_history_sets_the_phase_and_notifies_the_director(db, today):
    # given
    town = build_departments()

    # when
    event = services.phase_move(
        actor=town.secretariat, department=town.zeimu, phase="preparing", on=date(2025, 4, 1), note="要綱策定"
    )

    # then
    assert (event.phase, event.previous_phase, event.date, event.note) == (
        "preparing",
        "not_started",
        date(2025, 4, 1),
        "要綱策定",
    )
    assert event.moved_by == town.secretariat
    row = DepartmentPhase.objects.get(department=town.zeimu)
    assert (row.phase, row.since) == ("preparing", date(2025, 4, 1))
    notification = Notification.objects.get(kind="telework_phase_moved")
    assert notification.recipient == town.directors["zeimu"]
    assert notification.data == {
        "department": "zeimu",
        "phase": "preparing",
        "previous_phase": "not_started",
        "date": "2025-04-01",
    }


def test_phase_move_by_someone_else_than_the_secretariat_is_refused(db, today):
    town = build_departments()

    with pytest.raises(PermissionDenied):
        services.phase_move(actor=town.directors["zeimu"], department=town.zeimu, phase="trial", on=TODAY)

    assert not PhaseEvent.objects.exists()
    assert not DepartmentPhase.objects.filter(department=town.zeimu).exists()
    assert not Notification.objects.exists()


def test_phase_move_guards(town):
    # same phase
    with pytest.raises(Conflict) as unchanged:
        services.phase_move(actor=town.secretariat, department=town.somu, phase="partial", on=TODAY)
    assert unchanged.value.code == "phase_unchanged"
    # before the last move (somu moved to partial on 2026-04-01)
    with pytest.raises(RuleViolation) as before:
        services.phase_move(
            actor=town.secretariat, department=town.somu, phase="formal", on=date(2026, 3, 31)
        )
    assert before.value.errors[0]["code"] == "phase_date_before_last"
    # in the future
    with pytest.raises(RuleViolation) as future:
        services.phase_move(
            actor=town.secretariat, department=town.somu, phase="formal", on=date(2026, 11, 28)
        )
    assert future.value.errors[0]["code"] == "phase_date_in_future"
    # unknown phase
    with pytest.raises(ValidationFailed):
        services.phase_move(actor=town.secretariat, department=town.somu, phase="done", on=TODAY)
    # nothing changed
    assert PhaseEvent.objects.filter(department=town.somu).count() == 3
    assert DepartmentPhase.objects.get(department=town.somu).phase == "partial"


def test_phase_set_without_history_counts_from_its_date(town):
    # given: kensetsu's phase set directly by the telework app (no recorded move)
    DepartmentPhase.objects.create(department=town.kensetsu, phase="trial", since=date(2026, 2, 2))

    # when
    entry = selectors.department_rollout(department=town.kensetsu, today=TODAY)

    # then
    assert entry.phase_on(date(2026, 2, 1)) == "not_started"
    assert entry.phase_on(date(2026, 2, 2)) == "trial"
    assert entry.overdue == ["partial"]


# --- Plan tracking -----------------------------------------------------------------------------------


def test_departments_against_plan(town):
    rollouts = {
        entry.department.code: entry
        for entry in selectors.department_rollouts(departments=town.departments, today=TODAY)
    }

    somu = rollouts["somu"]
    assert (somu.phase, somu.phase_since, somu.behind_plan) == ("partial", date(2026, 4, 1), False)
    assert somu.planned == {
        "preparing": date(2025, 4, 1),
        "trial": date(2025, 10, 1),
        "partial": date(2026, 4, 1),
        "formal": date(2027, 4, 1),
    }
    assert [(e.phase, e.date) for e in somu.history] == [
        ("preparing", date(2025, 4, 1)),
        ("trial", date(2025, 10, 1)),
        ("partial", date(2026, 4, 1)),
    ]
    assert (rollouts["zeimu"].phase, rollouts["zeimu"].overdue) == ("trial", ["partial"])
    assert (rollouts["kensetsu"].phase, rollouts["kensetsu"].phase_since) == ("not_started", None)
    assert rollouts["kensetsu"].overdue == ["preparing", "trial", "partial"]
    kikaku = rollouts["kikaku"]
    assert kikaku.planned["partial"] == date(2027, 1, 4)
    assert not kikaku.behind_plan
    # on 2027-01-05 kikaku's own partial date has passed
    later = selectors.department_rollout(department=town.kikaku, today=date(2027, 1, 5))
    assert later.overdue == ["partial"]


def test_plan_set_rejects_a_later_phase_before_an_earlier_one(town):
    with pytest.raises(RuleViolation) as error:
        services.plan_set(
            actor=town.secretariat, department=town.zeimu, planned={"partial": date(2025, 9, 1)}
        )

    assert error.value.errors[0]["code"] == "plan_out_of_order"
    assert not PhasePlan.objects.filter(department=town.zeimu).exists()


def test_plan_set_none_falls_back_to_the_town_plan_and_editors_only(town):
    # when: kikaku's own date is removed
    plan = services.plan_set(actor=town.secretariat, department=town.kikaku, planned={"partial": None})

    # then
    assert plan["partial"] == date(2026, 4, 1)
    assert not PhasePlan.objects.filter(department=town.kikaku).exists()
    with pytest.raises(PermissionDenied):
        services.plan_set(actor=town.staff["A"], department=None, planned={"formal": date(2028, 4, 1)})
    assert PhasePlan.objects.get(department=None, phase="formal").planned_on == date(2027, 4, 1)


def test_town_plan_is_the_dx_plan(db):
    assert selectors.plan_of(None) == {
        "preparing": date(2025, 4, 1),
        "trial": date(2025, 10, 1),
        "partial": date(2026, 4, 1),
        "formal": date(2027, 4, 1),
    }


# --- Adoption snapshots -------------------------------------------------------------------------------


def test_snapshot_of_june_matches_the_hand_computed_figures(town):
    assert snapshot_rows(date(2026, 6, 1)) == {
        "somu": (5, 2, 3, {"home": 2, "mobile": 1}),
        "zeimu": (3, 1, 1, {"home": 1}),
        "kensetsu": (2, 0, 0, {}),
        "kikaku": (1, 0, 0, {}),
    }
    assert snapshot_rows(date(2026, 5, 1)) == {
        "somu": (5, 0, 0, {}),
        "zeimu": (3, 0, 0, {}),
        "kensetsu": (2, 1, 1, {"home": 1}),
        "kikaku": (1, 0, 0, {}),
    }
    assert set(AdoptionSnapshot.objects.values_list("fiscal_year", flat=True)) == {2026}


def test_snapshot_counts_the_new_hire_from_the_month_of_hiring(town):
    services.adoption_snapshot(year=2026, month=7)

    assert snapshot_rows(date(2026, 7, 1))["kensetsu"] == (3, 0, 0, {})


def test_snapshot_is_idempotent(town):
    # given: June already computed
    before = list(AdoptionSnapshot.objects.filter(month=date(2026, 6, 1)).values())

    # when: run again
    written = services.adoption_snapshot(year=2026, month=6)

    # then: nothing written, rows unchanged (computed_at included)
    assert written == 0
    assert list(AdoptionSnapshot.objects.filter(month=date(2026, 6, 1)).values()) == before


def test_snapshot_rewrites_only_the_department_whose_figures_changed(town):
    # given: C's request for 6/5 approved late
    telework_day(town.staff["C"], date(2026, 6, 5), "home")
    kept = AdoptionSnapshot.objects.get(department=town.zeimu, month=date(2026, 6, 1)).computed_at

    # when
    written = services.adoption_snapshot(year=2026, month=6)

    # then
    assert written == 1
    assert snapshot_rows(date(2026, 6, 1))["somu"] == (5, 3, 4, {"home": 3, "mobile": 1})
    assert AdoptionSnapshot.objects.get(department=town.zeimu, month=date(2026, 6, 1)).computed_at == kept


def test_cancelled_request_no_longer_counts_after_the_next_snapshot(town):
    # given: E's approved day is cancelled afterwards
    TeleworkDay.objects.filter(employee=town.staff["E"]).update(status=RequestStatus.CANCELLED)

    services.adoption_snapshot(year=2026, month=6)

    assert snapshot_rows(date(2026, 6, 1))["zeimu"] == (3, 0, 0, {})


# --- The fiscal year: KPI, phases, survey ------------------------------------------------------------------


def test_fiscal_year_summary_of_the_small_town(town):
    summary = selectors.fiscal_year_summary(departments=town.departments, fiscal_year=2026, today=TODAY)

    assert (summary.kpi.departments_total, summary.kpi.departments_implementing) == (4, 3)
    assert summary.kpi.implementing_rate == 0.75
    assert [d.code for d in summary.not_implementing] == ["kikaku"]
    assert summary.by_phase == {"not_started": 1, "preparing": 0, "trial": 2, "partial": 1, "formal": 0}
    adoption = {d.code: summary.adoption[d.pk] for d in town.departments}
    assert (adoption["somu"].headcount, adoption["somu"].teleworkers, adoption["somu"].telework_days) == (
        5,
        2,
        3,
    )
    assert adoption["somu"].adoption_rate == 0.4
    assert adoption["zeimu"].adoption_rate == 0.3333
    assert (adoption["kensetsu"].teleworkers, adoption["kensetsu"].adoption_rate) == (1, 0.5)
    assert (adoption["kikaku"].headcount, adoption["kikaku"].telework_days) == (1, 0)


def test_fiscal_year_summary_of_a_past_year_reads_phases_at_its_end(town):
    summary = selectors.fiscal_year_summary(departments=town.departments, fiscal_year=2024, today=TODAY)

    assert summary.as_of == date(2025, 3, 31)
    assert summary.by_phase == {"not_started": 4, "preparing": 0, "trial": 0, "partial": 0, "formal": 0}
    assert summary.kpi.departments_implementing == 0


def test_survey_answers_of_the_small_town(town):
    answers = selectors.survey(fiscal_year=2026, today=TODAY).answers

    # headcount 5 + 3 + 2 + 1 = 11, teleworkers 2 + 1 + 1 + 0 = 4 → 36.4 % → 30–50
    assert answers.as_of == date(2026, 10, 1)
    assert answers.adoption_status == "implemented"
    assert (answers.headcount, answers.teleworkers, answers.telework_days) == (11, 4, 5)
    assert answers.usage_rate == 0.3636
    assert answers.usage_rate_band == "30_50"
    assert answers.forms_used == ["home", "mobile"]
    assert answers.days_by_location == {"home": 4, "satellite": 0, "mobile": 1}


def test_survey_of_fy2025_reads_the_phases_on_1_october_2025(town):
    answers = selectors.survey(fiscal_year=2025, today=TODAY).answers

    # on 2025-10-01 somu and kikaku were in trial, zeimu preparing
    assert answers.adoption_status == "trial"
    assert (answers.headcount, answers.teleworkers, answers.usage_rate_band) == (0, 0, "under_30")


# --- Jobs ----------------------------------------------------------------------------------------------------


def test_nightly_snapshot_computes_the_previous_and_current_month_and_is_idempotent(db, monkeypatch):
    # given: today is 2026-07-01; June has the facts
    patch_today(date(2026, 7, 1))
    town = build_departments()
    telework_day(town.staff["A"], date(2026, 6, 1), "home")
    attended(town.staff["A"], date(2026, 6, 1), "home")

    # when
    first = rollout_tasks.snapshot_adoption_nightly()
    second = rollout_tasks.snapshot_adoption_nightly()

    # then: 4 departments × 2 months, then nothing
    assert (first, second) == (8, 0)
    assert snapshot_rows(date(2026, 6, 1))["somu"] == (5, 1, 1, {"home": 1})
    assert snapshot_rows(date(2026, 7, 1))["somu"] == (5, 0, 0, {})


def test_jobs_queued_under_their_names_before_the_move_run_the_same_jobs(db, monkeypatch):
    # given: today is 2026-07-01; June has the facts, and the town its snapshots for the report
    patch_today(date(2026, 7, 1))
    town = build_departments()
    telework_day(town.staff["A"], date(2026, 6, 1), "home")
    attended(town.staff["A"], date(2026, 6, 1), "home")

    # when: messages sent under the former names (telework.rollout_tasks.*) are run, twice
    snapshot = celery_app.tasks["telework.rollout_tasks.snapshot_adoption_nightly"]
    report = celery_app.tasks["telework.rollout_tasks.rollout_monthly_report"]
    runs = (snapshot.apply().get(), snapshot.apply().get(), report.apply().get(), report.apply().get())

    # then: the snapshot and the report as under the new names, each once
    assert runs == (8, 0, True, False)
    assert snapshot_rows(date(2026, 6, 1))["somu"] == (5, 1, 1, {"home": 1})
    assert RolloutReport.objects.get().month == date(2026, 6, 1)


def test_nightly_snapshot_in_january_covers_december(db, monkeypatch):
    patch_today(date(2027, 1, 15))
    build_departments()

    rollout_tasks.snapshot_adoption_nightly()

    assert set(AdoptionSnapshot.objects.values_list("month", flat=True)) == {
        date(2026, 12, 1),
        date(2027, 1, 1),
    }


def test_monthly_report_notifies_the_secretariat_once(db, monkeypatch):
    # given: 1 December 2026, the town with its snapshots
    patch_today(TODAY)
    town = build_town()
    patch_today(date(2026, 12, 1))

    # when: run twice
    sent = rollout_tasks.rollout_monthly_report()
    again = rollout_tasks.rollout_monthly_report()

    # then
    assert (sent, again) == (True, False)
    report = RolloutReport.objects.get()
    assert report.month == date(2026, 11, 1)
    assert report.summary["departments_implementing"] == 3
    assert report.summary["not_implementing"] == ["kikaku"]
    assert report.summary["behind_plan"] == ["zeimu", "kensetsu"]
    notification = Notification.objects.get(kind="telework_rollout_report")
    assert notification.recipient == town.secretariat
    assert "3 / 4" in notification.body


def test_snapshot_adoption_command(db, today):
    build_departments()

    out = io.StringIO()
    call_command("snapshot_adoption", month=["2026-06"], stdout=out)

    assert set(AdoptionSnapshot.objects.values_list("month", flat=True)) == {date(2026, 6, 1)}
    assert out.getvalue().strip() == "4 snapshot rows written"


def test_snapshot_adoption_command_defaults_to_the_nightly_months(db, today):
    build_departments()

    out = io.StringIO()
    call_command("snapshot_adoption", stdout=out)

    assert set(AdoptionSnapshot.objects.values_list("month", flat=True)) == {
        date(2026, 10, 1),
        date(2026, 11, 1),
    }
