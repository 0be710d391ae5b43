"""Departments (課): create, rename, close."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import CoreError
from org import lock_objects
from org.codes import OrgError
from org.models import (
    Department,
)
from org.services._common import UNSET, Unset, _apply, _raise_invalid


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
