"""Employees (職員): accounts, positions and roles, deputies, deactivation."""

from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import CoreError, PermissionDenied
from org import lock_objects
from org.backends import ADMIN_SITE_ROLES
from org.codes import OrgError
from org.models import (
    MANAGER_POSITIONS,
    Department,
    Employee,
    EmploymentType,
    Position,
    RoleCode,
    Section,
    SecurityAction,
)
from org.security import security_event_record
from org.services._common import UNSET, Unset, _apply, _raise_invalid
from org.services.accounts import password_errors, password_store
from org.services.assignments import (
    assignment_errors,
    assignment_open,
    assignment_take_effect,
    assignments_end,
)
from org.services.roles import role_codes_for, roles_store


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
    department: Department | None,
    section: Section | None,
    employee_number: str | Unset | None,
    external_id: str | Unset | None,
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
        errors += password_errors(password=password, employee=employee)
    errors += assignment_errors(department=department, section=section, position=effective_position)
    errors += _identifier_errors(employee=employee, employee_number=employee_number, external_id=external_id)
    return errors


def _identifier_errors(
    *, employee: Employee | None, employee_number: str | Unset | None, external_id: str | Unset | None
) -> list[dict]:
    """職員番号 and the integrations' external id are unique when given."""
    errors = []
    others = Employee.objects.exclude(pk=employee.pk) if employee is not None else Employee.objects.all()
    if (
        isinstance(employee_number, str)
        and employee_number
        and others.filter(employee_number=employee_number).exists()
    ):
        errors.append(CoreError.UNIQUE.field("employee_number", _("この職員番号は既に使われています。")))
    if isinstance(external_id, str) and external_id and others.filter(external_id=external_id).exists():
        errors.append(CoreError.UNIQUE.field("external_id", _("この外部IDは既に使われています。")))
    return errors


def employee_change_guard(
    *,
    actor: Employee | None,
    employee: Employee | None,
    roles: set[str] | Unset = UNSET,
    privileges: bool = False,
) -> None:
    """The one guard of every change of an employee, from the API, the admin or a command: only an admin grants
    or removes `admin` or Django's privileges (superuser, groups, model permissions), or touches an admin's
    record (password included); HR changes everyone else; nobody else changes anyone (no escalation through HR).
    `employee` None is a new one; `privileges` says whether a privilege field changes."""
    if actor is None or actor.has_role(RoleCode.ADMIN):
        return
    if not actor.has_role(RoleCode.HR):
        raise PermissionDenied()
    if employee is not None and employee.has_role(RoleCode.ADMIN):
        raise OrgError.ADMIN_ONLY.error(_("システム管理者の情報はシステム管理者のみ変更できます。"))
    if roles is not UNSET and RoleCode.ADMIN in roles:
        raise OrgError.ADMIN_ONLY.error(_("システム管理者の役割はシステム管理者のみ付与できます。"))
    if privileges:
        raise OrgError.ADMIN_ONLY.error(_("特権や権限はシステム管理者のみ付与できます。"))


def _privileges(employee: Employee) -> dict:
    """What the employee may do beyond their own records: roles and Django's privileges, for the audit."""
    return {
        "roles": sorted(employee.roles.values_list("code", flat=True)),
        "is_superuser": employee.is_superuser,
        "is_staff": employee.is_staff,
        "groups": sorted(employee.groups.values_list("name", flat=True)),
        "user_permissions": sorted(
            f"{app}.{codename}"
            for app, codename in employee.user_permissions.values_list("content_type__app_label", "codename")
        ),
    }


def _record_privileges(*, actor: Employee | None, employee: Employee, before: dict) -> None:
    after = _privileges(employee)
    if after != before:
        security_event_record(
            action=SecurityAction.PRIVILEGES_CHANGED,
            actor=actor,
            subject=employee,
            data={"before": before, "after": after},
        )


@transaction.atomic
def employee_create(
    *,
    actor: Employee | None,
    username: str,
    name: str,
    password: str | None = None,
    email: str = "",
    department: Department | None = None,
    section: Section | None = None,
    position: str = Position.STAFF,
    employment_type: str = EmploymentType.REGULAR,
    hired_on: date | None = None,
    employee_number: str | None = None,
    external_id: str | None = None,
    roles: set[str] | frozenset[str] | list[str] = (),
    deputy: Employee | None = None,
    security_training_fy: int | None = None,
    security_pledge_signed: bool = False,
) -> Employee:
    """職員を登録する. `password=None` leaves the account without a usable password (set it later)."""
    requested = {str(code) for code in roles}
    employee_change_guard(actor=actor, employee=None, roles=requested)

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
            department=department,
            section=section,
            employee_number=employee_number,
            external_id=external_id,
        )
    )
    employee = Employee(
        username=username.strip(),
        name=name.strip(),
        email=email,
        department=department,
        section=section,
        position=position,
        employment_type=employment_type,
        hired_on=hired_on,
        employee_number=employee_number or None,
        external_id=external_id or None,
        deputy=deputy,
        security_training_fy=security_training_fy,
        security_pledge_signed=security_pledge_signed,
    )
    if password is None:
        employee.set_unusable_password()
    else:
        employee.set_password(password)
    employee.save()
    stored = role_codes_for(requested=requested, position=position)
    roles_store(employee, stored)
    if stored & ADMIN_SITE_ROLES:
        security_event_record(
            action=SecurityAction.PRIVILEGES_CHANGED,
            actor=actor,
            subject=employee,
            data={"before": None, "after": _privileges(employee)},
        )
    assignment_open(
        employee=employee,
        start=hired_on or timezone.localdate(),
        department=department,
        section=section,
        position=position,
        reason=_("採用"),
        actor=actor,
    )
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
    section: Section | Unset | None = UNSET,
    position: str | Unset = UNSET,
    employment_type: str | Unset = UNSET,
    hired_on: date | Unset | None = UNSET,
    employee_number: str | Unset | None = UNSET,
    external_id: str | Unset | None = UNSET,
    roles: set[str] | frozenset[str] | list[str] | Unset = UNSET,
    deputy: Employee | Unset | None = UNSET,
    security_training_fy: int | Unset | None = UNSET,
    security_pledge_signed: bool | Unset = UNSET,
    is_superuser: bool | Unset = UNSET,
    groups: list[Group] | Unset = UNSET,
    user_permissions: list[Permission] | Unset = UNSET,
) -> Employee:
    """職員の情報を変更する. Only the given fields change; roles are recomputed when position or roles change.

    The guard is `employee_change_guard`: `is_superuser`, `groups` and `user_permissions` (Django's privileges)
    and the `admin` role are an administrator's to change. A new password is a reset (`password_store`: the
    account's tokens end, the owner is told). A change of roles or privileges is a security event.

    A change of department, section or position is a transfer effective today: it is recorded in the
    assignment history (use `employee_transfer` for one dated otherwise). Moving to another department without
    naming a section leaves the employee without one."""
    if isinstance(deputy, Employee):
        employee, deputy = lock_objects.employees_lock(employee, deputy)
    else:
        (employee,) = lock_objects.employees_lock(employee)
    requested = UNSET if roles is UNSET else {str(code) for code in roles}
    privileges = {
        name: value
        for name, value in (
            ("is_superuser", is_superuser),
            ("groups", groups),
            ("user_permissions", user_permissions),
        )
        if value is not UNSET
    }
    employee_change_guard(
        actor=actor, employee=employee, roles=requested, privileges=_privileges_change(employee, privileges)
    )
    before = _privileges(employee)
    effective_position = employee.position if position is UNSET else position
    new_department = employee.department if department is UNSET else department
    if section is UNSET:
        section = employee.section if new_department == employee.department else None
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
            department=new_department,
            section=section,
            employee_number=employee_number,
            external_id=external_id,
        )
    )
    moved = (new_department, section, effective_position) != (
        employee.department,
        employee.section,
        employee.position,
    )
    changed = _apply(
        employee,
        {
            "username": username.strip() if isinstance(username, str) else username,
            "name": name.strip() if isinstance(name, str) else name,
            "email": email,
            "employment_type": employment_type,
            "hired_on": hired_on,
            "employee_number": employee_number or None if employee_number is not UNSET else UNSET,
            "external_id": external_id or None if external_id is not UNSET else UNSET,
            "deputy": deputy,
            "security_training_fy": security_training_fy,
            "security_pledge_signed": security_pledge_signed,
        },
    )
    if password is not UNSET:
        password_store(
            actor=actor, employee=employee, password=password, action=SecurityAction.PASSWORD_RESET
        )
        changed.append("password")
    if "is_superuser" in privileges and employee.is_superuser != privileges["is_superuser"]:
        employee.is_superuser = privileges["is_superuser"]
        employee.save(update_fields=["is_superuser"])
        changed.append("is_superuser")
    if "groups" in privileges:
        employee.groups.set(privileges["groups"])
    if "user_permissions" in privileges:
        employee.user_permissions.set(privileges["user_permissions"])
    if moved:
        assignment = assignment_open(
            employee=employee,
            start=timezone.localdate(),
            department=new_department,
            section=section,
            position=effective_position,
            reason=_("職員情報の変更"),
            actor=actor,
        )
        assignment_take_effect(employee=employee, assignment=assignment)
    if requested is not UNSET or position is not UNSET:
        current = {role.code for role in employee.roles.all()}
        wanted = role_codes_for(
            requested=current if requested is UNSET else requested, position=effective_position
        )
        roles_store(employee, wanted)
    elif "is_superuser" in changed:
        roles_store(employee, {role.code for role in employee.roles.all()})
    _record_privileges(actor=actor, employee=employee, before=before)
    return employee


def _privileges_change(employee: Employee, privileges: dict) -> bool:
    """Whether the given privilege values differ from what the employee holds (an unchanged value is no grant)."""
    if "is_superuser" in privileges and privileges["is_superuser"] != employee.is_superuser:
        return True
    if "groups" in privileges and {g.pk for g in privileges["groups"]} != set(
        employee.groups.values_list("pk", flat=True)
    ):
        return True
    return "user_permissions" in privileges and {p.pk for p in privileges["user_permissions"]} != set(
        employee.user_permissions.values_list("pk", flat=True)
    )


@transaction.atomic
def employee_deactivate(*, actor: Employee | None, employee: Employee) -> Employee:
    """退職・異動で無効にする. Whoever had them as deputy (代決者) is left without one, to be set anew."""
    (employee,) = lock_objects.employees_lock(employee)
    employee_change_guard(actor=actor, employee=employee, roles=UNSET)
    if actor is not None and actor.pk == employee.pk:
        raise OrgError.CANNOT_DEACTIVATE_SELF.error()
    if not employee.is_active:
        raise OrgError.ALREADY_INACTIVE.error()
    today = timezone.localdate()
    employee.is_active = False
    employee.retired_on = employee.retired_on or today
    employee.save(update_fields=["is_active", "retired_on"])
    Employee.objects.filter(deputy=employee).update(deputy=None)
    assignments_end(employee=employee, last_day=employee.retired_on)
    return employee
