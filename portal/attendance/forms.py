"""Forms of my attendance: the month shown, and the correction request of one day (打刻修正申請)."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import ClockKind, Location
from portal.forms import PortalForm

REASON_MAX_LENGTH = 2000

# The correction's times, in the order of a day; each becomes an event of its kind.
EVENT_FIELDS = (
    ("clock_in", ClockKind.IN),
    ("break_start", ClockKind.BREAK_START),
    ("break_end", ClockKind.BREAK_END),
    ("clock_out", ClockKind.OUT),
)


class MonthForm(forms.Form):
    month = forms.DateField(input_formats=["%Y-%m"], required=False)


class DayForm(forms.Form):
    date = forms.DateField(required=False)


def _time_field(label, *, required: bool = False) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=required, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class CorrectionForm(PortalForm):
    """The times the day should have had; a clock-out before the clock-in is the next morning (a night shift)."""

    date = forms.DateField(label=_("対象日"), widget=forms.DateInput(attrs={"type": "date"}))
    clock_in = _time_field(_("出勤時刻"), required=True)
    break_start = _time_field(_("休憩開始"))
    break_end = _time_field(_("休憩終了"))
    clock_out = _time_field(_("退勤時刻"))
    location = forms.ChoiceField(label=_("勤務場所"), choices=Location.choices, initial=Location.OFFICE)
    reason = forms.CharField(
        label=_("修正の理由"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 打刻を忘れたため。"),
    )

    def events(self) -> tuple[list[dict], dict[str, str]]:
        """The events to ask for, and each one's field for the service's errors (`events[i].at`)."""
        day: date = self.cleaned_data["date"]
        start: time = self.cleaned_data["clock_in"]
        events, fields = [], {}
        for name, kind in EVENT_FIELDS:
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            on = day + timedelta(days=1) if value < start else day
            fields[f"events[{len(events)}].at"] = name
            events.append(
                {
                    "kind": kind,
                    "at": timezone.make_aware(datetime.combine(on, value)),
                    "location": self.cleaned_data["location"],
                }
            )
        return events, fields
