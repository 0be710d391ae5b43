"""The forms of /manage/: the week of the department's calendar, HR's month and closing, the secretariat's phase
move and town policy. Shape only: the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Department
from portal.forms import PortalForm
from telework.models import Location, Phase


class MonthField(forms.DateField):
    """A month as YYYY-MM (an <input type="month">), cleaned to its first day."""

    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class WeekForm(PortalForm):
    """The department page's week (from its first day) and the day of the anomalies (today by default)."""

    start = forms.DateField(
        label=_("週の初日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day = forms.DateField(
        label=_("異常を見る日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MonthForm(PortalForm):
    month = MonthField(label=_("対象月"))


class CloseForm(MonthForm):
    """月次締め of a department's approved months."""

    department = forms.ModelChoiceField(
        label=_("課"), queryset=Department.objects.filter(is_active=True), to_field_name="code"
    )


class ExportForm(MonthForm):
    department = forms.ModelChoiceField(
        label=_("課"),
        queryset=Department.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("種類"), choices=[("days", _("日別")), ("summary", _("月集計"))], required=False
    )


class PhaseForm(PortalForm):
    """段階の移行 of one department."""

    department = forms.ModelChoiceField(
        label=_("課"),
        queryset=Department.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.HiddenInput,
    )
    phase = forms.ChoiceField(label=_("新しい段階"), choices=Phase.choices)
    date = forms.DateField(label=_("移行日"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("備考"), required=False, max_length=500)


class PolicyForm(PortalForm):
    """全庁のテレワーク実施要綱: the limits a secretariat changes most (empty = no limit)."""

    allowed_locations = forms.MultipleChoiceField(
        label=_("実施場所"), choices=Location.choices, widget=forms.CheckboxSelectMultiple
    )
    max_days_per_week = forms.IntegerField(label=_("週の上限日数"), required=False, min_value=0)
    max_days_per_month = forms.IntegerField(label=_("月の上限日数"), required=False, min_value=0)
    max_consecutive_days = forms.IntegerField(label=_("連続実施の上限日数"), required=False, min_value=0)
    advance_notice_business_days = forms.IntegerField(
        label=_("事前申請(開庁日前)"), required=False, min_value=0
    )
    min_office_staff = forms.IntegerField(label=_("庁舎に残る最少人数(窓口)"), required=False, min_value=0)

    FIELDS = (
        "allowed_locations",
        "max_days_per_week",
        "max_days_per_month",
        "max_consecutive_days",
        "advance_notice_business_days",
        "min_office_staff",
    )
