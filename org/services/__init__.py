"""Writes of the organisation: departments (課), sections (係), employees (職員), assignments (人事異動), absences (不在).

Every service is keyword-only and atomic and raises `core.errors` on bad input or state. Arguments of the
`*_update` services default to `UNSET`, meaning "leave as it is" (so `deputy=None` clears the deputy).

Roles: `staff` is always held. `manager` (管理職) follows the position: it is granted to 係長 and above
(MANAGER_POSITIONS) and taken away when the position drops below 係長; asking for it on a lower position is
refused. Only an admin may grant or take away `admin` or Django's privileges (superuser, groups, model
permissions), and only an admin may change an admin's record (`employee_change_guard`, the one guard that the API
and the Django admin share). Passwords: `password_change` (one's own) and `password_reset` (HR for non-admins,
an admin for anyone), audited in the security event log and ending the account's tokens (`org.services.accounts`).
Holders of hr, secretariat or admin get `is_staff`: they use the Django admin with the permissions that
`org.backends` derives from their roles.
`actor=None` is a trusted caller (a management command, the demo loader), not a request.
"""

from org.services._common import UNSET, Unset
from org.services.absences import absence_create, absence_delete, can_record_absence
from org.services.accounts import password_change, password_reset, password_reset_guard
from org.services.assignments import employee_transfer, transfers_apply_due
from org.services.departments import department_create, department_update
from org.services.employees import (
    employee_change_guard,
    employee_create,
    employee_deactivate,
    employee_update,
)
from org.services.sections import section_create, section_update

__all__ = [
    "UNSET",
    "Unset",
    "absence_create",
    "absence_delete",
    "can_record_absence",
    "department_create",
    "department_update",
    "employee_change_guard",
    "employee_create",
    "employee_deactivate",
    "employee_transfer",
    "employee_update",
    "password_change",
    "password_reset",
    "password_reset_guard",
    "section_create",
    "section_update",
    "transfers_apply_due",
]
