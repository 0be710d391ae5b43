"""Absences (不在): an approver away, so that their deputy may decide for them (代決)."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import CoreError, PermissionDenied, ValidationFailed
from org import lock_objects
from org.codes import OrgError
from org.models import (
    Absence,
    Employee,
    RoleCode,
)


def can_record_absence(*, actor: Employee, employee: Employee) -> bool:
    """Self; a manager for their own department; hr and admin for anyone."""
    if actor.pk == employee.pk or actor.has_role(RoleCode.HR, RoleCode.ADMIN):
        return True
    return bool(
        actor.has_role(RoleCode.MANAGER)
        and actor.department_id is not None
        and actor.department_id == employee.department_id
    )


@transaction.atomic
def absence_create(
    *, actor: Employee | None, employee: Employee, start: date, end: date, reason: str = ""
) -> Absence:
    """不在を登録する: while it lasts the employee's deputy may decide for them (代決).

    Refuses an end before the start (400), a caller without the right (403), an inactive employee and an
    absence overlapping one already recorded for the employee (409).
    """
    if actor is not None and not can_record_absence(actor=actor, employee=employee):
        raise PermissionDenied(_("この職員の不在を登録する権限がありません。"))
    if end < start:
        raise ValidationFailed(errors=[CoreError.END_BEFORE_START.field("end")])
    (employee,) = lock_objects.employees_lock(employee)
    if not employee.is_active:
        raise OrgError.EMPLOYEE_INACTIVE.error()
    overlapping = Absence.objects.filter(Q(employee=employee) & Q(start__lte=end) & Q(end__gte=start))
    if overlapping.exists():
        raise OrgError.ABSENCE_OVERLAP.error()
    return Absence.objects.create(employee=employee, start=start, end=end, reason=reason, created_by=actor)


@transaction.atomic
def absence_delete(*, actor: Employee | None, absence: Absence) -> None:
    """不在を取り消す: whoever may record the employee's absence may also take it back."""
    absence = lock_objects.absence_lock(absence)
    if actor is not None and not can_record_absence(actor=actor, employee=absence.employee):
        raise PermissionDenied(_("この職員の不在を登録する権限がありません。"))
    absence.delete()
