"""Admin of telework for the secretariat: the policy (saved through `policy_update`, so every change is a
version), blackout dates and continuity periods; requests, days and reports are read-only here."""

from django.contrib import admin

from telework import services
from telework.models import (
    BlackoutDate,
    ContinuityPeriod,
    DayReport,
    PolicyVersion,
    TeleworkDay,
    TeleworkPolicy,
    TeleworkRequest,
)
from telework.policy import POLICY_FIELDS


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PolicyVersionInline(admin.TabularInline):
    model = PolicyVersion
    fields = ["version", "values", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TeleworkPolicy)
class TeleworkPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "version", "updated_by", "updated_at"]
    fields = ["department", *POLICY_FIELDS, "version", "updated_by", "updated_at"]
    readonly_fields = ["version", "updated_by", "updated_at"]
    inlines = [PolicyVersionInline]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "department"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Through the service: the secretariat check, a new version and its snapshot."""
        fields = {name: form.cleaned_data.get(name) for name in POLICY_FIELDS if name in form.cleaned_data}
        saved = services.policy_update(actor=request.user, department=obj.department, **fields)
        obj.pk = saved.pk
        obj.version = saved.version

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # versions in use by requests must stay


@admin.register(BlackoutDate)
class BlackoutDateAdmin(admin.ModelAdmin):
    list_display = ["date", "department", "reason"]
    list_filter = ["department"]
    date_hierarchy = "date"
    fields = ["date", "department", "reason"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.blackout_date_create(
            actor=request.user, date=obj.date, reason=obj.reason, department=obj.department
        )
        obj.pk = created.pk


@admin.register(ContinuityPeriod)
class ContinuityPeriodAdmin(ReadOnlyAdmin):
    list_display = ["start", "end", "reason", "created_by", "created_at"]


class TeleworkDayInline(admin.TabularInline):
    model = TeleworkDay
    fields = ["date", "location", "status", "report_reminded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TeleworkRequest)
class TeleworkRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "employee", "department", "location", "status", "created_at"]
    list_filter = ["status", "location", "department"]
    list_select_related = ["employee", "department"]
    inlines = [TeleworkDayInline]
    search_fields = ["employee__name", "employee__username"]


@admin.register(DayReport)
class DayReportAdmin(ReadOnlyAdmin):
    list_display = ["day", "submitted_at"]
    list_select_related = ["day"]
