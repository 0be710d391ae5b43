"""Writes of the organisation: departments (課), employees (職員), absences (不在).

Every service is keyword-only and atomic and raises `core.errors` on bad input or state. Arguments of the
`*_update` services default to `UNSET`, meaning "leave as it is" (so `deputy=None` clears the deputy).

Roles: `staff` is always held. `manager` (管理職) follows the position: it is granted to 係長 and above
(MANAGER_POSITIONS) and taken away when the position drops below 係長; asking for it on a lower position is
refused. Only an admin may grant or take away `admin`, and only an admin may change an admin's record.
Holders of hr, secretariat or admin get `is_staff`: they use the Django admin with the permissions that
`org.backends` derives from their roles.
`actor=None` is a trusted caller (a management command, the demo loader), not a request.
"""

from datetime import date
from enum import Enum
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import CoreError, PermissionDenied, ValidationFailed, field_error
from org import lock_objects
from org.backends import ADMIN_SITE_ROLES
from org.codes import OrgError
from org.models import (
    MANAGER_POSITIONS,
    Absence,
    Department,
    Employee,
    EmploymentType,
    Position,
    Role,
    RoleCode,
)


class Unset(Enum):
    """The marker of an argument that was not given."""

    UNSET = "UNSET"


UNSET = Unset.UNSET


def _raise_invalid(errors: list[dict]) -> None:
    if errors:
        raise ValidationFailed(errors=errors)


# --- Departments (課) ------------------------------------------------------------------------------


def _department_errors(*, name: str | Unset, short_name: str | Unset) -> list[dict]:
    errors = []
    if name is not UNSET and not name.strip():
        errors.append(CoreError.REQUIRED.field("name", _("名称を入力してください。")))
    if short_name is not UNSET and not short_name.strip():
        errors.append(CoreError.REQUIRED.field("short_name", _("文書番号略称を入力してください。")))
    return errors


@transaction.atomic
def department_create(
    *,
    code: str,
    name: str,
    short_name: str,
    sort_order: int = 0,
    overtime_exempt: bool = False,
) -> Department:
    """課を作る. `code` is permanent (URLs use it); `short_name` prefixes document numbers."""
    errors = _department_errors(name=name, short_name=short_name)
    if Department.objects.filter(code=code).exists():
        errors.append(CoreError.UNIQUE.field("code", _("このコードの課は既に存在します。"), code=code))
    _raise_invalid(errors)
    return Department.objects.create(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        sort_order=sort_order,
        overtime_exempt=overtime_exempt,
    )


@transaction.atomic
def department_update(
    *,
    department: Department,
    name: str | Unset = UNSET,
    short_name: str | Unset = UNSET,
    sort_order: int | Unset = UNSET,
    overtime_exempt: bool | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> Department:
    """課を変更する. A department with active staff cannot be closed (is_active=False)."""
    department = lock_objects.department_lock(department)
    _raise_invalid(_department_errors(name=name, short_name=short_name))
    if is_active is False and department.employees.filter(is_active=True).exists():
        raise OrgError.DEPARTMENT_HAS_EMPLOYEES.error(department=department.code)
    changes = {
        "name": name.strip() if isinstance(name, str) else name,
        "short_name": short_name.strip() if isinstance(short_name, str) else short_name,
        "sort_order": sort_order,
        "overtime_exempt": overtime_exempt,
        "is_active": is_active,
    }
    _apply(department, changes)
    return department


def _apply(instance, changes: dict[str, Any]) -> list[str]:
    """Set the given (not UNSET) values and save only the fields that really changed."""
    changed = []
    for field, value in changes.items():
        if value is not UNSET and getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    if changed:
        instance.save(update_fields=changed)
    return changed


# --- Employees (職員) ------------------------------------------------------------------------------


def _role_codes(*, requested: set[str], position: str) -> set[str]:
    """The stored roles: the requested ones, `staff` always, `manager` exactly for 係長 and above."""
    codes = {*requested, RoleCode.STAFF}
    if position in MANAGER_POSITIONS:
        codes.add(RoleCode.MANAGER)
    else:
        codes.discard(RoleCode.MANAGER)
    return {str(code) for code in codes}


def _employee_errors(
    *,
    employee: Employee | None,
    username: str | Unset,
    password: str | Unset | None,
    name: str | Unset,
    position: str | Unset,
    employment_type: str | Unset,
    roles: set[str] | Unset,
    deputy: Employee | Unset | None,
    effective_position: str,
) -> list[dict]:
    errors = []
    if username is not UNSET:
        taken = Employee.objects.filter(username=username)
        if employee is not None:
            taken = taken.exclude(pk=employee.pk)
        if not username.strip():
            errors.append(CoreError.REQUIRED.field("username", _("ユーザー名を入力してください。")))
        elif taken.exists():
            errors.append(CoreError.UNIQUE.field("username", _("このユーザー名は既に使われています。")))
    if name is not UNSET and not name.strip():
        errors.append(CoreError.REQUIRED.field("name", _("氏名を入力してください。")))
    if position is not UNSET and position not in Position.values:
        errors.append(
            CoreError.INVALID_CHOICE.field("position", _("職位が正しくありません。"), value=position)
        )
    if employment_type is not UNSET and employment_type not in EmploymentType.values:
        errors.append(
            CoreError.INVALID_CHOICE.field(
                "employment_type", _("任用形態が正しくありません。"), value=employment_type
            )
        )
    if roles is not UNSET:
        unknown = sorted(set(roles) - set(RoleCode.values))
        if unknown:
            errors.append(
                CoreError.INVALID_CHOICE.field("roles", _("役割が正しくありません。"), value=unknown)
            )
        if RoleCode.MANAGER in roles and effective_position not in MANAGER_POSITIONS:
            errors.append(OrgError.MANAGER_REQUIRES_POSITION.field("roles", position=effective_position))
    if isinstance(deputy, Employee):
        if employee is not None and deputy.pk == employee.pk:
            errors.append(OrgError.DEPUTY_SELF.field("deputy"))
        elif not deputy.is_active:
            errors.append(OrgError.DEPUTY_INACTIVE.field("deputy"))
    if password not in (UNSET, None):
        try:
            validate_password(password, user=employee)
        except DjangoValidationError as exc:
            errors += [
                field_error(
                    "password",
                    error.code or CoreError.INVALID,
                    " ".join(error.messages),
                    **(error.params or {}),
                )
                for error in exc.error_list
            ]
    return errors


def _guard_admin_changes(
    *, actor: Employee | None, employee: Employee | None, roles: set[str] | Unset
) -> None:
    """Only an admin grants or removes `admin` or touches an admin's record (no escalation through HR)."""
    if actor is None or actor.has_role(RoleCode.ADMIN):
        return
    if not actor.has_role(RoleCode.HR):
        raise PermissionDenied()
    if employee is not None and employee.has_role(RoleCode.ADMIN):
        raise OrgError.ADMIN_ONLY.error(_("システム管理者の情報はシステム管理者のみ変更できます。"))
    if roles is not UNSET and RoleCode.ADMIN in roles:
        raise OrgError.ADMIN_ONLY.error(_("システム管理者の役割はシステム管理者のみ付与できます。"))


def _set_roles(employee: Employee, codes: set[str]) -> None:
    """Stores the roles; holders of an admin-site role (hr, secretariat, admin) get `is_staff`."""
    employee.roles.set(Role.objects.filter(code__in=codes))
    is_staff = employee.is_superuser or bool(codes & ADMIN_SITE_ROLES)
    if employee.is_staff != is_staff:
        employee.is_staff = is_staff
        employee.save(update_fields=["is_staff"])


@transaction.atomic
def employee_create(
    *,
    actor: Employee | None,
    username: str,
    name: str,
    password: str | None = None,
    email: str = "",
    department: Department | None = None,
    position: str = Position.STAFF,
    employment_type: str = EmploymentType.REGULAR,
    hired_on: date | None = None,
    roles: set[str] | frozenset[str] | list[str] = (),
    deputy: Employee | None = None,
    security_training_fy: int | None = None,
    security_pledge_signed: bool = False,
) -> Employee:
    """職員を登録する. `password=None` leaves the account without a usable password (set it later)."""
    requested = {str(code) for code in roles}
    _guard_admin_changes(actor=actor, employee=None, roles=requested)
    if deputy is not None:
        (deputy,) = lock_objects.employees_lock(deputy)
    _raise_invalid(
        _employee_errors(
            employee=None,
            username=username,
            password=password,
            name=name,
            position=position,
            employment_type=employment_type,
            roles=requested,
            deputy=deputy,
            effective_position=position,
        )
    )
    employee = Employee(
        username=username.strip(),
        name=name.strip(),
        email=email,
        department=department,
        position=position,
        employment_type=employment_type,
        hired_on=hired_on,
        deputy=deputy,
        security_training_fy=security_training_fy,
        security_pledge_signed=security_pledge_signed,
    )
    if password is None:
        employee.set_unusable_password()
    else:
        employee.set_password(password)
    employee.save()
    _set_roles(employee, _role_codes(requested=requested, position=position))
    return employee


@transaction.atomic
def employee_update(
    *,
    actor: Employee | None,
    employee: Employee,
    username: str | Unset = UNSET,
    name: str | Unset = UNSET,
    password: str | Unset | None = UNSET,
    email: str | Unset = UNSET,
    department: Department | Unset | None = UNSET,
    position: str | Unset = UNSET,
    employment_type: str | Unset = UNSET,
    hired_on: date | Unset | None = UNSET,
    roles: set[str] | frozenset[str] | list[str] | Unset = UNSET,
    deputy: Employee | Unset | None = UNSET,
    security_training_fy: int | Unset | None = UNSET,
    security_pledge_signed: bool | Unset = UNSET,
) -> Employee:
    """職員の情報を変更する. Only the given fields change; roles are recomputed when position or roles change."""
    if isinstance(deputy, Employee):
        employee, deputy = lock_objects.employees_lock(employee, deputy)
    else:
        (employee,) = lock_objects.employees_lock(employee)
    requested = UNSET if roles is UNSET else {str(code) for code in roles}
    _guard_admin_changes(actor=actor, employee=employee, roles=requested)
    effective_position = employee.position if position is UNSET else position
    _raise_invalid(
        _employee_errors(
            employee=employee,
            username=username,
            password=password,
            name=name,
            position=position,
            employment_type=employment_type,
            roles=requested,
            deputy=deputy,
            effective_position=effective_position,
        )
    )
    changed = _apply(
        employee,
        {
            "username": username.strip() if isinstance(username, str) else username,
            "name": name.strip() if isinstance(name, str) else name,
            "email": email,
            "department": department,
            "position": position,
            "employment_type": employment_type,
            "hired_on": hired_on,
            "deputy": deputy,
            "security_training_fy": security_training_fy,
            "security_pledge_signed": security_pledge_signed,
        },
    )
    if password is not UNSET:
        if password is None:
            employee.set_unusable_password()
        else:
            employee.set_password(password)
        employee.save(update_fields=["password"])
        changed.append("password")
    if requested is not UNSET or position is not UNSET:
        current = {role.code for role in employee.roles.all()}
        wanted = _role_codes(
            requested=current if requested is UNSET else requested, position=effective_position
        )
        _set_roles(employee, wanted)
    return employee


@transaction.atomic
def employee_roles_normalize(*, employee: Employee) -> set[str]:
    """Re-applies the role rule (`staff` always, `manager` by position) after roles were edited directly,
    as the Django admin does; returns the role codes now held."""
    (employee,) = lock_objects.employees_lock(employee)
    current = {role.code for role in employee.roles.all()}
    wanted = _role_codes(requested=current, position=employee.position)
    _set_roles(employee, wanted)
    return wanted


@transaction.atomic
def employee_deactivate(*, actor: Employee | None, employee: Employee) -> Employee:
    """退職・異動で無効にする. Whoever had them as deputy (代決者) is left without one, to be set anew."""
    (employee,) = lock_objects.employees_lock(employee)
    _guard_admin_changes(actor=actor, employee=employee, roles=UNSET)
    if actor is not None and actor.pk == employee.pk:
        raise OrgError.CANNOT_DEACTIVATE_SELF.error()
    if not employee.is_active:
        raise OrgError.ALREADY_INACTIVE.error()
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    Employee.objects.filter(deputy=employee).update(deputy=None)
    return employee


# --- Absences (不在) -------------------------------------------------------------------------------


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
