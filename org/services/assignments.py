"""Assignments (配属) and transfers (人事異動): the dated history of where each employee stands.

An employee's department, section and position are those of their assignment of today. A transfer dated today
or earlier takes effect at once; one dated later is kept and applied on its day by `transfers_apply_due`
(a periodic job). Taking effect sets the employee's fields, re-applies the role rule (`manager` follows the
position) and tells the listeners of `org.registry` (approvals hands the waiting steps to the post's new holder).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import CoreError, PermissionDenied
from org import lock_objects, registry
from org.codes import OrgError
from org.models import Assignment, Department, Employee, Position, RoleCode, Section
from org.services._common import _raise_invalid
from org.services.roles import apply_role_rule

# The first assignment of an employee whose hire date is not known (the floor of the town's records).
HISTORY_FLOOR = date(2000, 4, 1)
TRANSFER_RECORDERS = (RoleCode.HR, RoleCode.ADMIN)


def assignment_errors(*, department: Department | None, section: Section | None, position: str) -> list[dict]:
    """The shape of an assignment: a known position, a section of the same department."""
    errors = []
    if position not in Position.values:
        errors.append(
            CoreError.INVALID_CHOICE.field("position", _("職位が正しくありません。"), value=position)
        )
    if section is not None and section.department_id != (department.pk if department else None):
        errors.append(OrgError.SECTION_NOT_IN_DEPARTMENT.field("section", section=section.code))
    return errors


def assignment_open(
    *,
    employee: Employee,
    start: date,
    department: Department | None,
    section: Section | None,
    position: str,
    reason: str = "",
    actor: Employee | None = None,
) -> Assignment:
    """Ends the assignment that covers `start` the day before and opens the new one; call it with the
    employee's row locked. A later assignment already recorded (a future transfer) is refused."""
    history = list(employee.assignments.order_by("start"))
    if any(row.start > start for row in history):
        raise OrgError.TRANSFER_BEFORE_LATER_ONE.error(start=start.isoformat())
    same_day = next((row for row in history if row.start == start), None)
    if same_day is not None:
        same_day.department, same_day.section, same_day.position = department, section, position
        same_day.reason, same_day.recorded_by = reason or same_day.reason, actor
        same_day.save(update_fields=["department", "section", "position", "reason", "recorded_by"])
        return same_day
    current = next((row for row in reversed(history) if row.covers(start)), None)
    if current is not None:
        current.end = start - timedelta(days=1)
        current.save(update_fields=["end"])
    return Assignment.objects.create(
        employee=employee,
        start=start,
        department=department,
        section=section,
        position=position,
        reason=reason,
        recorded_by=actor,
    )


def assignment_take_effect(*, employee: Employee, assignment: Assignment) -> None:
    """The employee now holds what the assignment says; the listeners learn of it."""
    previous = employee.assignments.filter(start__lt=assignment.start).order_by("-start").first()
    changed = []
    for field in ("department", "section", "position"):
        value = getattr(assignment, field)
        if getattr(employee, field) != value:
            setattr(employee, field, value)
            changed.append(field)
    if not changed:
        return
    employee.save(update_fields=changed)
    apply_role_rule(employee)
    registry.transfer_took_effect(employee=employee, assignment=assignment, previous=previous)


@transaction.atomic
def employee_transfer(
    *,
    actor: Employee | None,
    employee: Employee,
    effective_on: date,
    department: Department | None,
    section: Section | None = None,
    position: str,
    reason: str = "",
) -> Assignment:
    """人事異動を発令する: from `effective_on` the employee belongs to `department` (and `section`) as `position`.

    HR and admin record transfers; only an admin moves an admin. Dated today or earlier it takes effect at once,
    later on its day. Refuses a section of another department (400), a date before a later transfer already
    recorded and an inactive employee (409).
    """
    if actor is not None and not actor.has_role(*TRANSFER_RECORDERS):
        raise PermissionDenied(_("人事異動は人事・総務係のみが登録できます。"))
    (employee,) = lock_objects.employees_lock(employee)
    if actor is not None and employee.has_role(RoleCode.ADMIN) and not actor.has_role(RoleCode.ADMIN):
        raise OrgError.ADMIN_ONLY.error()
    if not employee.is_active:
        raise OrgError.EMPLOYEE_INACTIVE.error()
    _raise_invalid(assignment_errors(department=department, section=section, position=position))
    assignment = assignment_open(
        employee=employee,
        start=effective_on,
        department=department,
        section=section,
        position=position,
        reason=reason,
        actor=actor,
    )
    if effective_on <= timezone.localdate():
        assignment_take_effect(employee=employee, assignment=assignment)
    return assignment


def assignments_end(*, employee: Employee, last_day: date) -> None:
    """Ends the employee's history on `last_day` (退職): the assignment of that day closes, later ones (a
    transfer that will not happen) are removed. Call it with the employee's row locked."""
    employee.assignments.filter(start__gt=last_day).delete()
    employee.assignments.filter(start__lte=last_day, end__isnull=True).update(end=last_day)
    employee.assignments.filter(start__lte=last_day, end__gt=last_day).update(end=last_day)


def transfers_apply_due(*, today: date | None = None) -> int:
    """Applies the assignments whose day has come (each in its own transaction); returns how many took effect.

    Safe to run twice: only an employee who does not yet hold their assignment of today is locked and changed."""
    today = today or timezone.localdate()
    rows = (
        Assignment.objects.filter(start__lte=today, employee__is_active=True)
        .exclude(end__lt=today)
        .values_list(
            "pk",
            "employee_id",
            "department_id",
            "section_id",
            "position",
            "employee__department_id",
            "employee__section_id",
            "employee__position",
        )
    )
    due = [(pk, employee_id) for pk, employee_id, *held in rows if tuple(held[:3]) != tuple(held[3:])]
    for assignment_id, employee_id in due:
        with transaction.atomic():
            (employee,) = lock_objects.employees_lock(Employee(pk=employee_id))
            assignment_take_effect(employee=employee, assignment=Assignment.objects.get(pk=assignment_id))
    return len(due)
