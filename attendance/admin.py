"""Admin of attendance for HR: work schedules (勤務時間割) and their assignments, saved through the services (the
same checks as the API: a schedule's times stay as they are while a month that is no longer open uses them, an
assignment never reaches such a month); overtime orders (時間外勤務命令) and day swaps (週休日の振替) read-only (they
are filed and decided through their documents); everything else is read in the API."""

from django import forms
from django.contrib import admin

from attendance import services
from attendance.models import DaySwap, OvertimeOrder, ScheduleAssignment, WorkSchedule
from core.errors import DomainError

WEEKDAYS = [(n, label) for n, label in enumerate("月火水木金土日")]


def _form_error(form: forms.Form, error: DomainError) -> None:
    for item in error.errors or [{"field": None, "message": str(error.detail)}]:
        field = item["field"] if item["field"] in form.fields else None
        form.add_error(field, item["message"])


class WorkScheduleForm(forms.ModelForm):
    rest_weekdays = forms.TypedMultipleChoiceField(
        label=WorkSchedule._meta.get_field("rest_weekdays").verbose_name,
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WorkSchedule
        fields = ["name", "start", "end", "break_start", "break_end", "rest_weekdays"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        changes = {name: data.get(name) for name in self.Meta.fields}
        if self.instance.pk:
            error = services.schedule_change_error(schedule=self.instance, changes=changes)
        else:
            error = services.schedule_value_error(changes)
        if error is not None:
            _form_error(self, error)
        return data


@admin.register(WorkSchedule)
class WorkScheduleAdmin(admin.ModelAdmin):
    form = WorkScheduleForm
    list_display = ["name", "start", "end", "break_start", "break_end", "minutes"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        """Through the service: HR's check, and the assignees' computed days recomputed."""
        fields = {name: form.cleaned_data.get(name) for name in WorkScheduleForm.Meta.fields}
        if change:
            saved = services.schedule_update(
                actor=request.user, schedule=WorkSchedule.objects.get(pk=obj.pk), **fields
            )
        else:
            saved = services.schedule_create(actor=request.user, **fields)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the days computed with it name it


class ScheduleAssignmentForm(forms.ModelForm):
    class Meta:
        model = ScheduleAssignment
        fields = ["employee", "schedule", "start", "end"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            error = services.schedule_assignment_error(
                employee=data["employee"], start=data["start"], end=data.get("end")
            )
            if error is not None:
                _form_error(self, error)
        return data


@admin.register(ScheduleAssignment)
class ScheduleAssignmentAdmin(admin.ModelAdmin):
    form = ScheduleAssignmentForm
    list_display = ["employee", "schedule", "start", "end"]
    list_select_related = ["employee", "schedule"]
    list_filter = ["schedule"]
    search_fields = ["employee__name", "employee__username"]
    autocomplete_fields = ["employee"]
    date_hierarchy = "start"

    def save_model(self, request, obj, form, change):
        """Through the service (new assignments only: a past period is never edited)."""
        saved = services.schedule_assignment_create(actor=request.user, **form.cleaned_data)
        obj.pk = saved.pk

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Rows filed and decided through their documents: the admin only reads them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OvertimeOrder)
class OvertimeOrderAdmin(_ReadOnlyAdmin):
    list_display = [
        "employee",
        "date",
        "start",
        "end",
        "minutes",
        "telework",
        "status",
        "ordered_by",
        "document",
    ]
    list_select_related = ["employee", "ordered_by", "document"]
    list_filter = ["status", "telework"]
    search_fields = ["employee__name", "employee__username"]
    date_hierarchy = "date"


@admin.register(DaySwap)
class DaySwapAdmin(_ReadOnlyAdmin):
    list_display = ["employee", "work_date", "off_date", "status", "document"]
    list_select_related = ["employee", "document"]
    list_filter = ["status"]
    search_fields = ["employee__name", "employee__username"]
    date_hierarchy = "work_date"
