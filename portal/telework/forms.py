"""Forms of the telework page: the application (dates picked on a calendar of the coming weeks), the day report."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm
from telework.models import DayUnit, Location

# How far ahead the date picker reaches: six weeks from today.
PICKER_DAYS = 42
WORK_PLAN_MAX_LENGTH = 2000
SUMMARY_MAX_LENGTH = 2000


def picker_dates(today: date) -> list[date]:
    return [today + timedelta(days=offset) for offset in range(PICKER_DAYS)]


class ApplicationForm(PortalForm):
    """テレワーク申請. The dates offered are the picker's; the rules are the service's (checked as one picks)."""

    dates = forms.TypedMultipleChoiceField(
        label=_("実施日"), coerce=date.fromisoformat, widget=forms.CheckboxSelectMultiple
    )
    location = forms.ChoiceField(label=_("実施場所"), choices=Location.choices)
    unit = forms.ChoiceField(label=_("実施単位"), choices=DayUnit.choices, initial=DayUnit.DAY)
    work_plan = forms.CharField(
        label=_("業務計画"),
        max_length=WORK_PLAN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("その日に行う業務を具体的に書いてください。"),
    )

    def __init__(self, *args, today: date, allowed_locations=None, allow_half_days: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dates"].choices = [(day.isoformat(), day.isoformat()) for day in picker_dates(today)]
        if allowed_locations:
            self.fields["location"].choices = [c for c in Location.choices if c[0] in allowed_locations]
        if not allow_half_days:
            self.fields["unit"].choices = [(DayUnit.DAY, DayUnit.DAY.label)]


class CheckForm(ApplicationForm):
    """What the live check reads: the application without its work plan."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_plan"].required = False


class DayReportForm(PortalForm):
    date = forms.DateField(label=_("実施日"))
    summary = forms.CharField(
        label=_("業務報告"), max_length=SUMMARY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
