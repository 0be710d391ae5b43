"""Sections (係): the units of a department whose chiefs (係長) head their members' routes."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import CoreError, PermissionDenied
from org import lock_objects
from org.codes import OrgError
from org.models import Department, Employee, RoleCode, Section
from org.services._common import UNSET, Unset, _apply, _raise_invalid

SECTION_EDITORS = (RoleCode.HR, RoleCode.ADMIN)


def _ensure_editor(actor: Employee | None) -> None:
    if actor is not None and not actor.has_role(*SECTION_EDITORS):
        raise PermissionDenied(_("係の設定は人事・総務係のみが行えます。"))


def _section_errors(
    *, department: Department, name: str | Unset, chief: Employee | Unset | None
) -> list[dict]:
    errors = []
    if name is not UNSET and not name.strip():
        errors.append(CoreError.REQUIRED.field("name", _("名称を入力してください。")))
    if isinstance(chief, Employee):
        if not chief.is_active:
            errors.append(OrgError.EMPLOYEE_INACTIVE.field("chief"))
        elif chief.department_id != department.pk:
            errors.append(OrgError.CHIEF_NOT_IN_DEPARTMENT.field("chief"))
    return errors


@transaction.atomic
def section_create(
    *,
    actor: Employee | None,
    department: Department,
    code: str,
    name: str,
    chief: Employee | None = None,
    sort_order: int = 0,
) -> Section:
    """係を作る. `code` is unique within the department; the chief must belong to it."""
    _ensure_editor(actor)
    department = lock_objects.department_lock(department)
    errors = _section_errors(department=department, name=name, chief=chief)
    if not code.strip():
        errors.append(CoreError.REQUIRED.field("code", _("コードを入力してください。")))
    elif Section.objects.filter(department=department, code=code.strip()).exists():
        errors.append(CoreError.UNIQUE.field("code", _("このコードの係は既に存在します。"), code=code))
    _raise_invalid(errors)
    return Section.objects.create(
        department=department, code=code.strip(), name=name.strip(), chief=chief, sort_order=sort_order
    )


@transaction.atomic
def section_update(
    *,
    actor: Employee | None,
    section: Section,
    name: str | Unset = UNSET,
    chief: Employee | Unset | None = UNSET,
    sort_order: int | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> Section:
    """係を変更する. A section with active members cannot be closed (is_active=False)."""
    _ensure_editor(actor)
    section = lock_objects.section_lock(section)
    _raise_invalid(_section_errors(department=section.department, name=name, chief=chief))
    if is_active is False and section.members.filter(is_active=True).exists():
        raise OrgError.SECTION_HAS_MEMBERS.error(section=section.code)
    _apply(
        section,
        {
            "name": name.strip() if isinstance(name, str) else name,
            "chief": chief,
            "sort_order": sort_order,
            "is_active": is_active,
        },
    )
    return section
