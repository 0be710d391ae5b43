"""Django admin for HR and the secretariat: departments, employees, absences, closure days; login failures.

An administrator unlocks an account by deleting its login-failure row (`org.login`).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from org import services
from org.models import Absence, ClosedDay, Department, Employee, LoginFailure


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "sort_order", "overtime_exempt", "is_active")
    list_editable = ("sort_order",)
    list_filter = ("is_active", "overtime_exempt")
    search_fields = ("code", "name", "short_name")


class EmployeeCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = Employee
        fields = ("username", "name", "department", "position")


class EmployeeChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = Employee


@admin.register(Employee)
class EmployeeAdmin(UserAdmin):
    """職員. Roles follow the same rule as the API: `staff` always, `manager` exactly for 係長 and above."""

    form = EmployeeChangeForm
    add_form = EmployeeCreationForm
    list_display = ("username", "name", "department", "position", "employment_type", "is_active")
    list_filter = ("department", "position", "employment_type", "roles", "is_active", "is_staff")
    list_select_related = ("department",)
    search_fields = ("username", "name", "email")
    ordering = ("department__sort_order", "id")
    autocomplete_fields = ("deputy",)
    filter_horizontal = ("roles", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("職員情報"),
            {"fields": ("name", "email", "department", "position", "employment_type", "hired_on", "deputy")},
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.employee_roles_normalize(employee=form.instance)


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ("employee", "start", "end", "reason", "created_by")
    list_select_related = ("employee", "created_by")
    list_filter = ("employee__department",)
    search_fields = ("employee__name", "employee__username", "reason")
    date_hierarchy = "start"
    autocomplete_fields = ("employee",)
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "last_failed_at", "locked_until"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "last_failed_at", "locked_until"]

    def has_add_permission(self, request) -> bool:
        return False
