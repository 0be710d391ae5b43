"""org.services: roles follow positions, deputies, deactivation, absences (and their race on PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connection

from core.errors import Conflict, PermissionDenied, ValidationFailed
from org import services
from org.models import Absence, Department, Employee
from tests.factories import EmployeeFactory


def codes(exc_info) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in exc_info.value.errors]


@pytest.fixture
def hr(department):
    return EmployeeFactory(username="hr", department=department, roles=["hr"])


def test_employee_create_hashes_the_password_and_always_grants_staff(department):
    employee = services.employee_create(
        actor=None, username="yamada", name="山田 太郎", password="Minami-furano-2026", department=department
    )

    assert employee.password != "Minami-furano-2026"
    assert employee.check_password("Minami-furano-2026")
    assert employee.role_codes == {"staff"}


def test_employee_without_password_cannot_log_in(department):
    employee = services.employee_create(
        actor=None, username="yamada", name="山田 太郎", department=department
    )

    assert employee.has_usable_password() is False


@pytest.mark.parametrize("position", ["chief", "assistant_director", "director", "deputy_mayor", "mayor"])
def test_chief_and_above_are_managers(department, position):
    employee = services.employee_create(
        actor=None, username="boss", name="上司", department=department, position=position
    )

    assert employee.role_codes == {"staff", "manager"}


def test_dropping_below_chief_removes_the_manager_role(department):
    chief = services.employee_create(
        actor=None, username="c", name="係長", department=department, position="chief"
    )

    services.employee_update(actor=None, employee=chief, position="senior")

    assert Employee.objects.get(pk=chief.pk).role_codes == {"staff"}


def test_roles_update_keeps_staff_and_manager_by_position(department):
    chief = services.employee_create(
        actor=None, username="c", name="係長", department=department, position="chief"
    )

    services.employee_update(actor=None, employee=chief, roles=["hr"])

    assert Employee.objects.get(pk=chief.pk).role_codes == {"staff", "manager", "hr"}


def test_deputy_must_be_another_active_employee(department):
    employee = EmployeeFactory(department=department)
    gone = EmployeeFactory(department=department, is_active=False)

    with pytest.raises(ValidationFailed) as self_deputy:
        services.employee_update(actor=None, employee=employee, deputy=employee)
    with pytest.raises(ValidationFailed) as inactive:
        services.employee_update(actor=None, employee=employee, deputy=gone)

    assert codes(self_deputy) == [("deputy", "deputy_self")]
    assert codes(inactive) == [("deputy", "deputy_inactive")]
    assert Employee.objects.get(pk=employee.pk).deputy_id is None


def test_update_with_deputy_none_clears_it(department):
    deputy = EmployeeFactory(department=department)
    employee = EmployeeFactory(department=department, deputy=deputy)

    services.employee_update(actor=None, employee=employee, deputy=None)

    assert Employee.objects.get(pk=employee.pk).deputy_id is None


def test_every_invalid_field_is_reported_at_once(department):
    with pytest.raises(ValidationFailed) as exc_info:
        services.employee_create(actor=None, username="", name=" ", position="emperor", roles=["king"])

    assert set(codes(exc_info)) == {
        ("username", "required"),
        ("name", "required"),
        ("position", "invalid_choice"),
        ("roles", "invalid_choice"),
    }
    assert Employee.objects.count() == 0


def test_staff_actor_cannot_create_employees(employee):
    with pytest.raises(PermissionDenied):
        services.employee_create(actor=employee, username="x", name="x")

    assert Employee.objects.count() == 1


def test_hr_cannot_deactivate_an_admin(hr):
    admin = EmployeeFactory(username="root", department=None, roles=["admin"])

    with pytest.raises(PermissionDenied):
        services.employee_deactivate(actor=hr, employee=admin)

    assert Employee.objects.get(pk=admin.pk).is_active is True


def test_nobody_deactivates_themselves(hr):
    with pytest.raises(Conflict) as exc_info:
        services.employee_deactivate(actor=hr, employee=hr)

    assert exc_info.value.code == "cannot_deactivate_self"
    assert Employee.objects.get(pk=hr.pk).is_active is True


def test_department_create_and_update(db):
    department = services.department_create(code="kikaku", name=" 企画課 ", short_name="南富企")

    services.department_update(department=department, short_name="南富企画", sort_order=3)

    department.refresh_from_db()
    assert (department.name, department.short_name, department.sort_order) == ("企画課", "南富企画", 3)


def test_empty_department_can_be_closed(db):
    department = services.department_create(code="kikaku", name="企画課", short_name="南富企")

    services.department_update(department=department, is_active=False)

    assert Department.objects.get(code="kikaku").is_active is False


def test_absence_end_before_start_is_refused(employee):
    with pytest.raises(ValidationFailed) as exc_info:
        services.absence_create(
            actor=employee, employee=employee, start=date(2026, 6, 2), end=date(2026, 6, 1)
        )

    assert codes(exc_info) == [("end", "end_before_start")]
    assert Absence.objects.count() == 0


def test_absence_of_an_inactive_employee_is_refused(hr, department):
    gone = EmployeeFactory(department=department, is_active=False)

    with pytest.raises(Conflict) as exc_info:
        services.absence_create(actor=hr, employee=gone, start=date(2026, 6, 1), end=date(2026, 6, 1))

    assert exc_info.value.code == "employee_inactive"
    assert Absence.objects.count() == 0


def test_single_day_absence_is_allowed(employee):
    absence = services.absence_create(
        actor=employee, employee=employee, start=date(2026, 6, 1), end=date(2026, 6, 1)
    )

    assert (absence.start, absence.end, absence.created_by) == (date(2026, 6, 1), date(2026, 6, 1), employee)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_absences_at_once_make_one_row(department):
    employee = EmployeeFactory(username="racer", department=department)
    barrier = threading.Barrier(2)
    outcomes = []

    def record(start: date, end: date) -> None:
        try:
            barrier.wait()
            services.absence_create(actor=employee, employee=employee, start=start, end=end)
            outcomes.append("created")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=record, args=(date(2026, 6, 1), date(2026, 6, 3))),
        threading.Thread(target=record, args=(date(2026, 6, 2), date(2026, 6, 4))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["absence_overlap", "created"]
    assert Absence.objects.filter(employee=employee).count() == 1


def test_labels_and_messages_have_english_translations():
    from django.utils import translation

    from org.models import Position

    with translation.override("en"):
        assert str(Position.ASSISTANT_DIRECTOR.label) == "Assistant director"
        assert str(Employee._meta.verbose_name) == "Employee"
        assert str(Conflict.default_detail) == "This action is not possible in the current state."
