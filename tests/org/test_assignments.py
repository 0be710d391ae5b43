"""Sections (係) and the assignment history (配属, 人事異動): where each person stood on each day.

Given / when / then through the services; a transfer dated today takes effect at once, one dated later on its day
(the periodic job), and "where was this person on that day" reads the history, not today's organisation."""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from attendance.worktime import LOCAL_TZ
from core.errors import Conflict, PermissionDenied, ValidationFailed
from org import registry, selectors, services
from org.models import Assignment, Employee, Position, RoleCode
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=LOCAL_TZ)


@pytest.fixture
def clock():
    return FrozenClock(noon(date(2026, 3, 25)))


@pytest.fixture
def town(db, clock):
    somu = DepartmentFactory(code="somu", name="総務課", short_name="南富総")
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    hr = EmployeeFactory(username="hr", department=somu, roles=[RoleCode.HR])
    general = services.section_create(actor=hr, department=somu, code="somu", name="総務係")
    digital = services.section_create(actor=hr, department=somu, code="digital", name="デジタル推進係")
    planning = services.section_create(actor=hr, department=kikaku, code="kikaku", name="企画係")
    sato = services.employee_create(
        actor=hr,
        username="sato",
        name="佐藤 翔太",
        department=somu,
        section=digital,
        position=Position.STAFF,
        hired_on=date(2020, 4, 1),
    )
    return {
        "somu": somu,
        "kikaku": kikaku,
        "hr": hr,
        "general": general,
        "digital": digital,
        "planning": planning,
        "sato": sato,
    }


def history(employee: Employee) -> list[tuple]:
    return [
        (row.start, row.end, row.department.code if row.department else None, row.section_id, row.position)
        for row in selectors.assignment_history(employee=employee)
    ]


def test_a_new_employee_starts_their_history_on_the_hire_date(town):
    assert history(town["sato"]) == [(date(2020, 4, 1), None, "somu", town["digital"].pk, "staff")]


def test_a_transfer_dated_today_takes_effect_at_once_and_closes_the_day_before(town):
    # when HR moves 佐藤 to 企画課 企画係 as 係長 from today
    heard = []
    registry.register_transfer_listener("test", lambda **kwargs: heard.append(kwargs))
    try:
        services.employee_transfer(
            actor=town["hr"],
            employee=town["sato"],
            effective_on=date(2026, 3, 25),
            department=town["kikaku"],
            section=town["planning"],
            position=Position.CHIEF,
        )
    finally:
        registry._LISTENERS.pop("test")
    # then the employee holds the new post with the manager role, and the history has both rows
    sato = Employee.objects.get(pk=town["sato"].pk)
    assert (sato.department.code, sato.section.code, sato.position) == ("kikaku", "kikaku", "chief")
    assert sato.has_role(RoleCode.MANAGER)
    assert history(sato) == [
        (date(2020, 4, 1), date(2026, 3, 24), "somu", town["digital"].pk, "staff"),
        (date(2026, 3, 25), None, "kikaku", town["planning"].pk, "chief"),
    ]
    assert [call["employee"].pk for call in heard] == [sato.pk]
    assert heard[0]["previous"].department.code == "somu"


def test_a_transfer_dated_later_waits_for_its_day_and_applies_once(town, clock):
    # given a 4/1 transfer recorded on 3/25
    services.employee_transfer(
        actor=town["hr"],
        employee=town["sato"],
        effective_on=date(2026, 4, 1),
        department=town["kikaku"],
        section=town["planning"],
        position=Position.SENIOR,
    )
    # then nothing changes before the day, but the history already answers for 4/1
    assert Employee.objects.get(pk=town["sato"].pk).department.code == "somu"
    assert services.transfers_apply_due() == 0
    assert selectors.department_ids_on(on=date(2026, 3, 31))[town["sato"].pk] == town["somu"].pk
    assert selectors.department_ids_on(on=date(2026, 4, 1))[town["sato"].pk] == town["kikaku"].pk
    # when the day comes, the periodic job applies it, and a second run changes nothing
    clock.set(noon(date(2026, 4, 1)))
    assert services.transfers_apply_due() == 1
    assert services.transfers_apply_due() == 0
    sato = Employee.objects.get(pk=town["sato"].pk)
    assert (sato.department.code, sato.position) == ("kikaku", "senior")


def test_a_change_of_department_through_the_employee_record_is_a_transfer_of_today(town):
    services.employee_update(actor=town["hr"], employee=town["sato"], department=town["kikaku"])
    sato = Employee.objects.get(pk=town["sato"].pk)
    assert sato.section is None
    assert history(sato)[-1] == (date(2026, 3, 25), None, "kikaku", None, "staff")
    assert history(sato)[0][1] == date(2026, 3, 24)


def test_a_retirement_ends_the_history_and_the_person_is_no_longer_counted(town, clock):
    services.employee_deactivate(actor=town["hr"], employee=town["sato"])
    sato = Employee.objects.get(pk=town["sato"].pk)
    assert sato.retired_on == date(2026, 3, 25)
    assert history(sato) == [(date(2020, 4, 1), date(2026, 3, 25), "somu", town["digital"].pk, "staff")]
    assert sato.pk in selectors.department_ids_on(on=date(2026, 3, 25))
    assert sato.pk not in selectors.department_ids_on(on=date(2026, 3, 26))
    assert sato.pk not in selectors.department_ids_on(on=date(2019, 4, 1))  # not yet hired


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"section": "planning", "department": "somu"}, "section_not_in_department"),
        ({"position": "shogun"}, "invalid_choice"),
    ],
)
def test_a_transfer_with_a_bad_shape_is_refused_and_changes_nothing(town, kwargs, code):
    before = history(town["sato"])
    with pytest.raises(ValidationFailed) as refused:
        services.employee_transfer(
            actor=town["hr"],
            employee=town["sato"],
            effective_on=date(2026, 4, 1),
            department=town[kwargs.get("department", "kikaku")],
            section=town[kwargs["section"]] if "section" in kwargs else None,
            position=kwargs.get("position", Position.STAFF),
        )
    assert [error["code"] for error in refused.value.errors] == [code]
    assert history(town["sato"]) == before


def test_a_transfer_before_a_later_one_already_recorded_is_refused(town):
    services.employee_transfer(
        actor=town["hr"],
        employee=town["sato"],
        effective_on=date(2026, 4, 1),
        department=town["kikaku"],
        position=Position.STAFF,
    )
    with pytest.raises(Conflict) as refused:
        services.employee_transfer(
            actor=town["hr"],
            employee=town["sato"],
            effective_on=date(2026, 3, 28),
            department=town["kikaku"],
            position=Position.STAFF,
        )
    assert refused.value.code == "transfer_before_later_one"
    assert len(history(town["sato"])) == 2


def test_only_hr_and_admin_record_transfers_and_only_an_admin_moves_an_admin(town):
    chief = EmployeeFactory(username="chief", department=town["somu"], position=Position.CHIEF)
    admin = EmployeeFactory(username="root", department=None, roles=[RoleCode.ADMIN])
    for actor, employee, code in (
        (chief, town["sato"], "permission_denied"),
        (town["sato"], town["sato"], "permission_denied"),
        (town["hr"], admin, "admin_only"),
    ):
        before = history(employee)
        with pytest.raises(PermissionDenied) as refused:
            services.employee_transfer(
                actor=actor,
                employee=employee,
                effective_on=date(2026, 4, 1),
                department=town["kikaku"],
                position=Position.STAFF,
            )
        assert refused.value.code == code
        assert history(employee) == before


def test_sections_have_unique_codes_chiefs_of_their_department_and_close_only_when_empty(town):
    outsider = EmployeeFactory(username="outsider", department=town["kikaku"])
    with pytest.raises(ValidationFailed) as refused:
        services.section_create(
            actor=town["hr"], department=town["somu"], code="digital", name="重複", chief=outsider
        )
    assert sorted(error["code"] for error in refused.value.errors) == ["chief_not_in_department", "unique"]
    with pytest.raises(Conflict) as closing:
        services.section_update(actor=town["hr"], section=town["digital"], is_active=False)
    assert closing.value.code == "section_has_members"
    with pytest.raises(PermissionDenied):
        services.section_create(actor=town["sato"], department=town["somu"], code="new", name="新係")
    assert selectors.sections_of(department=town["somu"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_existing_employees_get_their_current_assignment_from_the_hire_date_when_migrating():
    # given a database from before the assignment history, with two employees
    executor = MigrationExecutor(connection)
    executor.migrate([("org", "0005_sections_assignments")])
    try:
        old = MigrationExecutor(connection).loader.project_state(("org", "0005_sections_assignments")).apps
        department = old.get_model("org", "Department").objects.create(
            code="zeimu", name="税務課", short_name="南富税"
        )
        Employee_ = old.get_model("org", "Employee")
        known = Employee_.objects.create(
            username="known", name="既知", department=department, position="chief", hired_on=date(2011, 4, 1)
        )
        unknown = Employee_.objects.create(username="unknown", name="不明", department=department)
    finally:
        # when it migrates forward
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    # then each holds their post from the hire date (or the floor of the records)
    rows = Assignment.objects.filter(employee_id__in=[known.pk, unknown.pk]).order_by("employee__username")
    assert [(row.employee.username, row.start, row.end, row.position) for row in rows] == [
        ("known", date(2011, 4, 1), None, "chief"),
        ("unknown", date(2000, 4, 1), None, "staff"),
    ]
