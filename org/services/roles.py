"""The role rule: `staff` always; `manager` (管理職) exactly for 係長 and above; hr, secretariat and admin
holders use the Django admin (`is_staff`) with the permissions that `org.backends` derives from their roles."""

from org.backends import ADMIN_SITE_ROLES
from org.models import MANAGER_POSITIONS, Employee, Role, RoleCode


def role_codes_for(*, requested: set[str], position: str) -> set[str]:
    """The stored roles: the requested ones, `staff` always, `manager` exactly for 係長 and above."""
    codes = {*requested, RoleCode.STAFF}
    if position in MANAGER_POSITIONS:
        codes.add(RoleCode.MANAGER)
    else:
        codes.discard(RoleCode.MANAGER)
    return {str(code) for code in codes}


def roles_store(employee: Employee, codes: set[str]) -> None:
    """Stores the roles; holders of an admin-site role (hr, secretariat, admin) get `is_staff`."""
    employee.roles.set(Role.objects.filter(code__in=codes))
    is_staff = employee.is_superuser or bool(codes & ADMIN_SITE_ROLES)
    if employee.is_staff != is_staff:
        employee.is_staff = is_staff
        employee.save(update_fields=["is_staff"])


def apply_role_rule(employee: Employee) -> set[str]:
    """Re-applies the rule to the roles the employee holds (after a change of position); returns them."""
    wanted = role_codes_for(
        requested={role.code for role in employee.roles.all()}, position=employee.position
    )
    roles_store(employee, wanted)
    return wanted
