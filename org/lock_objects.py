"""The organisation's row locks, in the order a transaction takes them (town-wide order: core/locking.py).

Within org: the department, then its sections, then employees (by id), then absences; a login locks its (username, address) login-failure row, then
the address's row. Org rows come before
the rows of every other app, except the filer's own employee row that attendance and telework take first
(`attendance.lock_objects.employee_lock`, core/locking.py step 1).
"""

from django.db import IntegrityError

from core.locking import rows_locked
from org.models import Absence, Department, Employee, LoginFailure, Section


def department_lock(department: Department) -> Department:
    """The department's row, re-read FOR UPDATE."""
    return Department.objects.select_for_update().get(pk=department.pk)


def section_lock(section: Section) -> Section:
    """The section's row (with its department read alongside), re-read FOR UPDATE."""
    return Section.objects.select_for_update().select_related("department").get(pk=section.pk)


def employees_lock(*employees: Employee) -> list[Employee]:
    """The employees' rows re-read FOR UPDATE in id order (two updates that name each other as deputy never
    deadlock; a deputy cannot be deactivated while it is being assigned), returned in the order given."""
    rows = {row.pk: row for row in rows_locked(Employee.objects.filter(pk__in=[e.pk for e in employees]))}
    return [rows[e.pk] for e in employees]


def absence_lock(absence: Absence) -> Absence:
    """The absence's row and its employee's, FOR UPDATE (the employee is read with it)."""
    return Absence.objects.select_for_update().select_related("employee").get(pk=absence.pk)


def login_failure_lock(*, username: str, address: str) -> LoginFailure | None:
    """The failure row of (username, address), or of the address alone with `username=""`, created if missing,
    FOR UPDATE until the transaction ends; None when a concurrent login created and deleted it meanwhile, three
    times over. A login locks its (username, address) row, then, after a failure, the address's row."""
    for _attempt in range(3):
        try:
            failure, _created = LoginFailure.objects.select_for_update().get_or_create(
                username=username, address=address
            )
            return failure
        except IntegrityError:
            continue
    return None
