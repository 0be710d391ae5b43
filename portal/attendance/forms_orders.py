"""Forms of `/attendance/orders/`: the same fields as `POST /api/v1/attendance/overtime-orders/` (事前申請, and the
director's 時間外勤務命令 with whose overtime it is) and `POST /api/v1/attendance/day-swaps/` (週休日の振替).

The shape is checked here; the rules (a past day, overlapping orders, the swap's window, a closed month...) by the
services, whose errors name the same fields (`date`, `start`, `end`, `work_date`, `off_date`)."""

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from org.models import Employee
from portal.forms import PortalForm

REASON_MAX_LENGTH = 2000


def _time_field(label) -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class EmployeeChoiceField(forms.ModelChoiceField):
    """An employee by name; with `name_departments`, 「氏名(課)」 (the staff of several departments offered)."""

    name_departments = False

    def label_from_instance(self, obj: Employee) -> str:
        name = obj.name or obj.username
        if self.name_departments and obj.department_id:
            return f"{name}({obj.department.name})"
        return name


class OvertimeApplicationForm(PortalForm):
    """時間外勤務の事前申請: the overtime I ask to work, decided by my director."""

    date = forms.DateField(label=_("勤務日"), widget=forms.DateInput(attrs={"type": "date"}))
    start = _time_field(_("開始時刻"))
    end = _time_field(_("終了時刻"))
    reason = forms.CharField(
        label=_("理由・業務内容"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例: 議会資料の作成"),
    )
    telework = forms.BooleanField(
        label=_("テレワークの日の時間外勤務"),
        required=False,
        help_text=_("承認されたテレワークの日に、在宅などで行うときはチェックしてください。"),
    )


class OvertimeOrderForm(OvertimeApplicationForm):
    """時間外勤務命令: the director orders overtime for a member of their department (decided at once).
    `staff` is the choice offered (the active staff of the departments the director directs, named with their
    department when there are several); the service decides who may be ordered."""

    field_order = ["employee", "date", "start", "end", "reason", "telework"]

    employee = EmployeeChoiceField(label=_("職員"), queryset=Employee.objects.none(), empty_label=None)

    def __init__(self, *args, staff: QuerySet[Employee], name_departments: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = staff
        self.fields["employee"].name_departments = name_departments


class DaySwapForm(PortalForm):
    """週休日の振替: the 週休日 I work and the working day I take off instead, decided by my director."""

    work_date = forms.DateField(
        label=_("勤務する週休日"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    off_date = forms.DateField(
        label=_("振り替える勤務日"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["off_date"].help_text = _(
            "勤務する週休日の%(before)s週間前から%(after)s週間後までの勤務日にしてください。"
        ) % {
            "before": settings.ATTENDANCE_DAY_SWAP_WEEKS_BEFORE,
            "after": settings.ATTENDANCE_DAY_SWAP_WEEKS_AFTER,
        }
