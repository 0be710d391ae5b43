"""Accounts: passwords (a person's own change, HR's or an administrator's reset) and who may grant privileges.

A password that changes ends the account's other ways in: every API token (but the one the person changed it
with) is deleted, and every session stops working at its next request (Django checks each session against the
password's hash). Each change is a security event (who, whom, when, from where), and the account's owner is
told (notifications listens to `org.registry`), so a reset they did not ask for does not go unnoticed.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from core.errors import CoreError, PermissionDenied, field_error
from org import lock_objects
from org.codes import OrgError
from org.login import tokens_revoke
from org.models import AccessToken, Employee, RoleCode, SecurityAction
from org.security import security_event_record
from org.services._common import _raise_invalid

# Who resets another person's password: an administrator anyone's, HR a non-administrator's.
PASSWORD_RESETTERS = (RoleCode.HR, RoleCode.ADMIN)


def password_errors(*, password: str, employee: Employee | None, field: str = "password") -> list[dict]:
    """The town's password policy (AUTH_PASSWORD_VALIDATORS) as field errors with the validators' codes."""
    try:
        validate_password(password, user=employee)
    except DjangoValidationError as exc:
        return [
            field_error(
                field, error.code or CoreError.INVALID, " ".join(error.messages), **(error.params or {})
            )
            for error in exc.error_list
        ]
    return []


def password_reset_guard(*, actor: Employee | None, employee: Employee) -> None:
    """Only HR (for a non-administrator) and an administrator (for anyone) set another person's password."""
    if actor is None or actor.has_role(RoleCode.ADMIN):
        return
    if not actor.has_role(*PASSWORD_RESETTERS):
        raise PermissionDenied()
    if employee.has_role(RoleCode.ADMIN):
        raise OrgError.ADMIN_ONLY.error()


def password_store(
    *,
    actor: Employee | None,
    employee: Employee,
    password: str | None,
    action: str,
    keep: AccessToken | None = None,
    address: str = "",
) -> None:
    """Sets the password (None: no usable password), ends the other tokens, records the event; call it with the
    employee's row locked, after the guard and the validation."""
    if password is None:
        employee.set_unusable_password()
    else:
        employee.set_password(password)
    employee.save(update_fields=["password"])
    revoked = tokens_revoke(user=employee, keep=keep)
    security_event_record(
        action=action,
        actor=actor,
        subject=employee,
        address=address,
        data={"tokens_revoked": revoked, "usable": password is not None},
    )


@transaction.atomic
def password_reset(
    *, actor: Employee | None, employee: Employee, password: str | None, address: str = ""
) -> Employee:
    """パスワード再設定: `actor` sets `employee`'s password (None disables password login). HR may do it for
    non-administrators, an administrator for anyone (403 `admin_only` / `permission_denied` otherwise); the
    policy's validators apply (400). Every token of the account ends, and the owner is told."""
    (employee,) = lock_objects.employees_lock(employee)
    password_reset_guard(actor=actor, employee=employee)
    if password is not None:
        _raise_invalid(password_errors(password=password, employee=employee))
    password_store(
        actor=actor,
        employee=employee,
        password=password,
        action=SecurityAction.PASSWORD_RESET,
        address=address,
    )
    return employee


@transaction.atomic
def password_change(
    *,
    employee: Employee,
    current_password: str,
    new_password: str,
    keep: AccessToken | None = None,
    address: str = "",
) -> Employee:
    """本人のパスワード変更: the current password is checked (400 `current_password_incorrect`), the new one by the
    policy (400); every other token of the person ends (`keep`, the one they use now, stays)."""
    (employee,) = lock_objects.employees_lock(employee)
    if not employee.check_password(current_password):
        _raise_invalid([OrgError.CURRENT_PASSWORD_INCORRECT.field("current_password")])
    _raise_invalid(password_errors(password=new_password, employee=employee, field="new_password"))
    password_store(
        actor=employee,
        employee=employee,
        password=new_password,
        action=SecurityAction.PASSWORD_CHANGED,
        keep=keep,
        address=address,
    )
    return employee
