"""Admin of leave for HR: the leave types and the pro-rating table are data HR keeps; grants and requests are
read-only here (requests change only through their documents and the cancel service)."""

from django.contrib import admin

from leave.models import AnnualGrant, LeaveRequest, LeaveType, ProrationRow


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # requests and grants refer to them


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LeaveType)
class LeaveTypeAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "paid", "balance", "max_days_per_year", "max_days_per_event", "active"]
    list_filter = ["active", "paid", "balance"]


@admin.register(ProrationRow)
class ProrationRowAdmin(NoDeleteAdmin):
    list_display = ["month", "days"]


@admin.register(AnnualGrant)
class AnnualGrantAdmin(ReadOnlyAdmin):
    list_display = ["employee", "year", "granted_minutes", "carried_minutes", "day_minutes", "granted_on"]
    list_filter = ["year"]
    list_select_related = ["employee"]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = ["employee", "leave_type", "start_date", "end_date", "unit", "days", "status"]
    list_filter = ["status", "leave_type"]
    list_select_related = ["employee", "leave_type"]
    exclude = ["reason"]  # 事由 stays with the applicant and their approvers
