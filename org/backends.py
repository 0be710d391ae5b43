"""Django admin access by role: HR and the secretariat use the admin without per-user permission rows.

`ROLE_PERMISSIONS` maps a role to the actions (view, add, change, delete) it holds on one model
(`"org.absence"`), on an app's models (`"attendance"`) or on every model (`"*"`); the most specific entry wins.
What a role is not granted it does not have: a model added to the admin is nobody's until it is listed here. Only model-level
permissions are granted; object permissions stay with guardian. Employees holding one of these roles get
`is_staff` (see `org.services`), so they can log in to the admin.
"""

from django.contrib.auth.backends import BaseBackend

from org.models import RoleCode

NONE: frozenset[str] = frozenset()
READ = frozenset({"view"})
WRITE = frozenset({"view", "add", "change"})
ALL = frozenset({"view", "add", "change", "delete"})

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    # 人事・総務係: the organisation's people and sections (no deleting employees: they are deactivated), absences
    # and closure days, the departments and attendance read-only (departments are the administrator's, as in the
    # API). Never the telework requests with their work plans and reports, the approvals, the outbox, the login
    # lockout or the security event log.
    RoleCode.HR: {
        "org.department": READ,
        "org.section": WRITE,
        "org.employee": WRITE,
        "org.assignment": READ,
        "org.absence": ALL,
        "org.closedday": ALL,
        "attendance": READ,
        # attendance: the work schedules and their assignments (saved through attendance's services)
        "attendance.workschedule": WRITE,
        "attendance.scheduleassignment": frozenset({"view", "add"}),
        # leave: the types and the pro-rating table are HR's data; grants and requests read-only
        "leave.leavetype": WRITE,
        "leave.prorationrow": WRITE,
        "leave.annualgrant": READ,
        "leave.leaverequest": READ,
    },
    # デジタル推進係: the telework rules (policy, blackout dates, continuity periods) and the rollout (each
    # department's phase, the phase plans and events), nothing of individuals: no request, day report, absence
    # or employee record (their aggregates are on the dashboard, suppressed below a few people).
    RoleCode.SECRETARIAT: {
        "telework.teleworkpolicy": WRITE,
        "telework.policyversion": READ,
        "telework.blackoutdate": WRITE,
        "telework.continuityperiod": WRITE,
        "telework.departmentphase": WRITE,
        "rollout.phaseevent": WRITE,
        "rollout.phaseplan": WRITE,
    },
    # システム管理者 without superuser: the organisation, the lockout (unlocking deletes a row), the security
    # event log, and every other app read-only.
    RoleCode.ADMIN: {
        "org.department": WRITE,
        "org.section": WRITE,
        "org.employee": WRITE,
        "org.assignment": READ,
        "org.absence": ALL,
        "org.closedday": ALL,
        "org.loginfailure": frozenset({"view", "delete"}),
        "org.securityevent": READ,
        "*": READ,
    },
}
ADMIN_SITE_ROLES = frozenset(ROLE_PERMISSIONS)

STANDARD_ACTIONS = ("view", "add", "change", "delete")


def role_allows(roles: set[str], app_label: str, model: str, action: str) -> bool:
    for role in roles:
        grants = ROLE_PERMISSIONS.get(role, {})
        allowed = grants.get(f"{app_label}.{model}", grants.get(app_label, grants.get("*", frozenset())))
        if action in allowed:
            return True
    return False


def _roles(user_obj) -> set[str]:
    """The user's role codes, read once per user object (the admin asks for permissions many times a page)."""
    if not user_obj.is_active or not hasattr(user_obj, "role_codes"):
        return set()
    if not hasattr(user_obj, "_role_perm_cache"):
        user_obj._role_perm_cache = set(user_obj.role_codes)
    return user_obj._role_perm_cache


class RolePermissionBackend(BaseBackend):
    """Answers `has_perm("org.change_employee")` from the user's roles; authenticates nobody itself."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if obj is not None:
            return False
        app_label, _, codename = perm.partition(".")
        action, _, model = codename.partition("_")
        if action not in STANDARD_ACTIONS or not model:
            return False
        return role_allows(_roles(user_obj), app_label, model, action)

    def has_module_perms(self, user_obj, app_label) -> bool:
        for role in _roles(user_obj):
            grants = ROLE_PERMISSIONS.get(role, {})
            if "*" in grants or any(key.partition(".")[0] == app_label for key in grants):
                return True
        return False
