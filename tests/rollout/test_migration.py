"""The rollout's models moved from telework to rollout in the migrations' state only (telework 0003, rollout
0001): a database migrated before the move runs no SQL for it, keeps its rows, and reads them through the
rollout models afterwards."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rollout.models import AdoptionSnapshot, PhaseEvent, PhasePlan, PlanRevision, RolloutReport
from tests.factories import DepartmentFactory, EmployeeFactory

# The schema as it was before the move: telework with the rollout's models, no rollout app.
BEFORE_THE_MOVE = [("telework", "0002_rollout"), ("rollout", None)]
MOVE = [("telework", "0003_rollout_models_moved"), ("rollout", "0001_initial")]
TABLES = ["telework_adoptionsnapshot", "telework_phaseevent", "telework_phaseplan", "telework_rolloutreport"]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def forward() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    return migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_migrates_forward_with_its_rows():
    # given a database at the schema before the move, with rows in each of the rollout's tables
    department = DepartmentFactory(code="zeimu", name="税務課", short_name="南富税")
    secretariat = EmployeeFactory(username="dx", department=department)
    executor = migrate(BEFORE_THE_MOVE)
    try:
        assert not {node for node in MOVE if node in executor.loader.applied_migrations}
        old = executor.loader.project_state(("telework", "0002_rollout")).apps
        computed = timezone.now()
        old.get_model("telework", "PhaseEvent").objects.create(
            department_id=department.pk,
            phase="trial",
            previous_phase="preparing",
            date=date(2025, 11, 4),
            note="各課トライアル",
            moved_by_id=secretariat.pk,
            created_at=computed,
        )
        old.get_model("telework", "PhasePlan").objects.create(
            department_id=department.pk, phase="partial", planned_on=date(2027, 1, 4), updated_at=computed
        )
        old.get_model("telework", "AdoptionSnapshot").objects.create(
            department_id=department.pk,
            month=date(2026, 6, 1),
            fiscal_year=2026,
            headcount=3,
            teleworkers=1,
            telework_days=2,
            days_by_location={"home": 2},
            teleworker_ids=[secretariat.pk],
            computed_at=computed,
        )
        old.get_model("telework", "RolloutReport").objects.create(
            month=date(2026, 10, 1), summary={"departments_implementing": 1}, created_at=computed
        )

        # when it migrates forward: the move itself is no SQL at all
        plan = MigrationExecutor(connection).migration_plan(MOVE)
        assert [(migration.app_label, migration.name) for migration, _backwards in plan] == MOVE
        sql = MigrationExecutor(connection).loader.collect_sql(plan)
        assert [statement for statement in sql if not statement.startswith("--")] == []
    finally:
        executor = forward()

    # then the move is applied, the tables are the same and the rows read through the rollout models
    assert set(MOVE) <= set(executor.loader.applied_migrations)
    tables = set(connection.introspection.table_names())
    assert set(TABLES) <= tables
    # (no table of the moved models under the rollout app's name; rollout 0002 adds its own new table)
    assert not {f"rollout_{table.removeprefix('telework_')}" for table in TABLES} & tables
    event = PhaseEvent.objects.get(department=department)
    assert (event.phase, event.previous_phase, event.date, event.note, event.moved_by) == (
        "trial",
        "preparing",
        date(2025, 11, 4),
        "各課トライアル",
        secretariat,
    )
    plan_row = PhasePlan.objects.get(department=department)
    assert (plan_row.phase, plan_row.planned_on) == ("partial", date(2027, 1, 4))
    snapshot = AdoptionSnapshot.objects.get(department=department)
    assert (snapshot.month, snapshot.headcount, snapshot.teleworkers, snapshot.telework_days) == (
        date(2026, 6, 1),
        3,
        1,
        2,
    )
    assert (snapshot.days_by_location, snapshot.teleworker_ids) == ({"home": 2}, [secretariat.pk])
    assert RolloutReport.objects.get(month=date(2026, 10, 1)).summary == {"departments_implementing": 1}
    # and the town-wide plan that telework 0002 seeded is still there, read by the rollout app
    assert set(PhasePlan.objects.filter(department=None).values_list("phase", flat=True)) == {
        "preparing",
        "trial",
        "partial",
        "formal",
    }
    # and rollout 0002 made the plan as it stood its first revisions, known "since always"
    revision = PlanRevision.objects.get(department=department)
    assert (revision.phase, revision.planned_on, revision.revised_on) == (
        "partial",
        date(2027, 1, 4),
        date(2000, 4, 1),
    )
    assert PlanRevision.objects.filter(department=None).count() == 4
    assert AdoptionSnapshot.objects.get(department=department).staff_ids == []
