"""Django admin for HR and the administrator: departments, employees, absences, closure days; the login lockout
and the security event log (administrator only).

The admin obeys the API's rules because it calls the same services: an employee is created and changed through
`employee_create` / `employee_update` (the one guard, `employee_change_guard`), a password is set through
`password_reset`, absences through `absence_create` / `absence_delete`, an unlock through `org.login.login_unlock`.
A refusal of a service is shown as a message and nothing is saved. Which models a role opens at all is
`org.backends`.
"""

from contextvars import ContextVar

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from org import services
from org.login import login_unlock
from org.models import Absence, ClosedDay, Department, Employee, LoginFailure, Role, RoleCode, SecurityEvent


def refusal_text(error: DomainError) -> str:
    """A service's refusal as one line: its detail and each field's message."""
    parts = [str(error.detail)]
    parts += [f"{item['field'] or ''}: {item['message']}".lstrip(": ") for item in error.errors]
    return " ".join(parts)


class ServiceAdminMixin:
    """The add and change views run a service in `save_model`; a `DomainError` it raises rolls the whole view
    back (the admin's own transaction) and comes back as an error message on the same page."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, refusal_text(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Department)
class DepartmentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "sort_order", "overtime_exempt", "is_active")
    list_filter = ("is_active", "overtime_exempt")
    search_fields = ("code", "name", "short_name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changed = {name: data[name] for name in form.changed_data if name != "code"}
            services.department_update(department=obj, **changed)
            return
        created = services.department_create(
            code=data["code"],
            name=data["name"],
            short_name=data["short_name"],
            sort_order=data.get("sort_order") or 0,
            overtime_exempt=data.get("overtime_exempt", False),
        )
        obj.pk, obj._state.adding = created.pk, False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a department is closed (is_active off), never deleted: documents are numbered by it


class EmployeeCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = Employee
        fields = ("username", "name", "department", "position")


class EmployeeChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = Employee


# The actor of the password view, for the form's save (the admin instantiates the form itself).
_PASSWORD_ACTOR: ContextVar[Employee | None] = ContextVar("password_actor", default=None)


class EmployeePasswordForm(AdminPasswordChangeForm):
    """The admin's password page, saved through `password_reset` (guard, policy, tokens ended, audit, notice)."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password") else None
        self.user = services.password_reset(
            actor=_PASSWORD_ACTOR.get(), employee=self.user, password=password or None
        )
        return self.user


# Fields the admin's change form hands to `employee_update` (the others are read-only there).
UPDATE_FIELDS = (
    "username",
    "name",
    "email",
    "department",
    "section",
    "position",
    "employment_type",
    "hired_on",
    "employee_number",
    "external_id",
    "deputy",
    "security_training_fy",
    "security_pledge_signed",
    "roles",
    "is_superuser",
    "groups",
    "user_permissions",
)
# Read-only for everyone: derived (is_staff follows the roles), or changed by their own action (deactivation).
DERIVED_FIELDS = ("is_active", "is_staff", "retired_on", "last_login", "date_joined")
# Django's privileges: an administrator's to grant, read-only for everyone else.
PRIVILEGE_FIELDS = ("is_superuser", "groups", "user_permissions")


def _is_admin(request) -> bool:
    return request.user.has_role(RoleCode.ADMIN)


@admin.register(Employee)
class EmployeeAdmin(ServiceAdminMixin, UserAdmin):
    """職員. Roles follow the same rule as the API: `staff` always, `manager` exactly for 係長 and above; only an
    administrator grants `admin`, superuser, groups or permissions, or changes an administrator's record."""

    form = EmployeeChangeForm
    add_form = EmployeeCreationForm
    change_password_form = EmployeePasswordForm
    list_display = ("username", "name", "department", "position", "employment_type", "is_active")
    list_filter = ("department", "position", "employment_type", "roles", "is_active", "is_staff")
    list_select_related = ("department",)
    search_fields = ("username", "name", "email")
    ordering = ("department__sort_order", "id")
    autocomplete_fields = ("deputy",)
    filter_horizontal = ("roles", "groups", "user_permissions")
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("職員情報"),
            {
                "fields": (
                    "name",
                    "email",
                    "department",
                    "section",
                    "position",
                    "employment_type",
                    "hired_on",
                    "retired_on",
                    "employee_number",
                    "external_id",
                    "deputy",
                )
            },
        ),
        (_("情報セキュリティ"), {"fields": ("security_training_fy", "security_pledge_signed")}),
        (
            _("役割と権限"),
            {"fields": ("roles", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("日時"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "name",
                    "department",
                    "position",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return DERIVED_FIELDS if _is_admin(request) else (*DERIVED_FIELDS, *PRIVILEGE_FIELDS)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "roles" and not _is_admin(request):
            kwargs["queryset"] = Role.objects.exclude(code=RoleCode.ADMIN)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        """An administrator's record is read-only to everyone but an administrator."""
        if obj is not None and obj.has_role(RoleCode.ADMIN) and not _is_admin(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # 退職・異動: deactivated (the action), never deleted; their records stay theirs

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in UPDATE_FIELDS}
            if "roles" in changes:
                changes["roles"] = [role.code for role in changes["roles"]]
            for name in ("groups", "user_permissions"):
                if name in changes:
                    changes[name] = list(changes[name])
            services.employee_update(actor=request.user, employee=obj, **changes)
            return
        usable = data.get("set_usable_password", True)
        created = services.employee_create(
            actor=request.user,
            username=data["username"],
            name=data["name"],
            department=data.get("department"),
            position=data["position"],
            password=data.get("password1") or None if usable else None,
        )
        obj.pk, obj._state.adding = created.pk, False

    def save_related(self, request, form, formsets, change):
        """The roles, groups and permissions were stored by the service (`save_model`), not by the form."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request, id, form_url=""):
        """The password page: refused (403) unless `password_reset_guard` lets the caller set this password."""
        employee = self.get_object(request, unquote(id))
        if employee is None:
            raise Http404
        try:
            services.password_reset_guard(actor=request.user, employee=employee)
        except DomainError as error:
            raise DjangoPermissionDenied(str(error.detail)) from error
        token = _PASSWORD_ACTOR.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        except DomainError as error:
            self.message_user(request, refusal_text(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        finally:
            _PASSWORD_ACTOR.reset(token)

    @admin.action(description=_("選択した職員を無効にする(退職・異動)"), permissions=["change"])
    def deactivate(self, request, queryset):
        done = 0
        for employee in queryset:
            try:
                services.employee_deactivate(actor=request.user, employee=employee)
            except DomainError as error:
                self.message_user(request, f"{employee}: {refusal_text(error)}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)s人を無効にしました。") % {"count": done})


@admin.register(Absence)
class AbsenceAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """不在: recorded and taken back through the services (who may, and the security event log); never edited."""

    list_display = ("employee", "start", "end", "reason", "created_by")
    list_select_related = ("employee", "created_by")
    list_filter = ("employee__department",)
    search_fields = ("employee__name", "employee__username", "reason")
    date_hierarchy = "start"
    autocomplete_fields = ("employee",)
    exclude = ("created_by",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # take it back and record it anew: the log keeps both

    def save_model(self, request, obj, form, change):
        created = services.absence_create(
            actor=request.user, employee=obj.employee, start=obj.start, end=obj.end, reason=obj.reason
        )
        obj.pk, obj._state.adding, obj.created_by = created.pk, False, request.user

    def delete_model(self, request, obj):
        services.absence_delete(actor=request.user, absence=obj)

    def delete_queryset(self, request, queryset):
        for absence in queryset:
            services.absence_delete(actor=request.user, absence=absence)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            self.message_user(request, refusal_text(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """ログインのロック: an administrator unlocks by deleting a row (`login_unlock`: a username's rows from
    every address, or an address's own row), audited."""

    list_display = ["username", "address", "failures", "last_failed_at", "locked_until"]
    search_fields = ["username", "address"]
    readonly_fields = ["username", "address", "failures", "last_failed_at", "locked_until"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj):
        login_unlock(actor=request.user, username=obj.username, address=obj.address)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            login_unlock(actor=request.user, username=row.username, address=row.address)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """セキュリティ監査ログ: read-only, for the administrator."""

    list_display = ["at", "action", "actor_username", "subject_username", "address"]
    list_filter = ["action"]
    search_fields = ["subject_username", "actor_username", "address"]
    list_select_related = ["actor", "subject"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in SecurityEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
