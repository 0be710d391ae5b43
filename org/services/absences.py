"""Absences (不在): an approver away, so that their deputy may decide for them (代決).

Who records an absence: HR and admin for anyone, the employee themself, and a superior in their reporting line
(`org.selectors.is_superior_in_line`); never a subordinate, and never the deputy for their principal, whoever
else they are (a deputy who could declare their principal away could decide for them and read what was routed
to them). Every absence recorded or taken back is a security event.
"""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import CoreError, PermissionDenied, ValidationFailed
from org import lock_objects
from org.codes import OrgError
from org.models import Absence, Employee, RoleCode, SecurityAction
from org.security import security_event_record
from org.selectors import is_superior_in_line

ABSENCE_RECORDERS = (RoleCode.HR, RoleCode.ADMIN)


def can_record_absence(*, actor: Employee, employee: Employee) -> bool:
    """Self; HR and admin; a superior in the employee's line. Never their deputy (代決者)."""
    if actor.pk == employee.pk:
        return True
    if employee.deputy_id is not None and employee.deputy_id == actor.pk:
        return False
    return actor.has_role(*ABSENCE_RECORDERS) or is_superior_in_line(superior=actor, employee=employee)


def _refuse() -> PermissionDenied:
    return PermissionDenied(_("この職員の不在を登録する権限がありません。"))


def _audit(*, action: str, actor: Employee | None, absence: Absence) -> None:
    security_event_record(
        action=action,
        actor=actor,
        subject=absence.employee,
        data={"absence": absence.pk, "start": absence.start.isoformat(), "end": absence.end.isoformat()},
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
        raise _refuse()
    if end < start:
        raise ValidationFailed(errors=[CoreError.END_BEFORE_START.field("end")])
    (employee,) = lock_objects.employees_lock(employee)
    if not employee.is_active:
        raise OrgError.EMPLOYEE_INACTIVE.error()
    overlapping = Absence.objects.filter(Q(employee=employee) & Q(start__lte=end) & Q(end__gte=start))
    if overlapping.exists():
        raise OrgError.ABSENCE_OVERLAP.error()
    absence = Absence.objects.create(employee=employee, start=start, end=end, reason=reason, created_by=actor)
    _audit(action=SecurityAction.ABSENCE_RECORDED, actor=actor, absence=absence)
    return absence


@transaction.atomic
def absence_delete(*, actor: Employee | None, absence: Absence) -> None:
    """不在を取り消す: whoever may record the employee's absence may also take it back."""
    absence = lock_objects.absence_lock(absence)
    if actor is not None and not can_record_absence(actor=actor, employee=absence.employee):
        raise _refuse()
    _audit(action=SecurityAction.ABSENCE_DELETED, actor=actor, absence=absence)
    absence.delete()
