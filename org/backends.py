"""Django admin access by role: HR and the secretariat use the admin without per-user permission rows.

`ROLE_PERMISSIONS` maps a role to the actions (view, add, change, delete) it holds on an app's models
(`"org"`) or on one model (`"org.absence"`, which wins over the app entry for that model). Only model-level
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
    # 人事・総務係: the organisation (no deleting employees: deactivate them), attendance read-only.
    # Login failures (the lockout) are no part of the organisation chart: only an administrator reads them.
    RoleCode.HR: {
        "org": WRITE,
        "org.absence": ALL,
        "org.closedday": ALL,
        "org.loginfailure": NONE,
        "attendance": READ,
        # attendance: the work schedules and their assignments (saved through attendance's services)
        "attendance.workschedule": WRITE,
        "attendance.scheduleassignment": frozenset({"view", "add"}),
    },
    # デジタル推進係: the telework rules and rollout, the organisation read-only.
    RoleCode.SECRETARIAT: {"telework": WRITE, "org": READ, "org.loginfailure": NONE},
    # システム管理者 without superuser: the organisation, and every other app read-only.
    RoleCode.ADMIN: {
        "org": WRITE,
        "org.absence": ALL,
        "org.closedday": ALL,
        "org.loginfailure": READ,
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
