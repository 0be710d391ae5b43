"""The leave application form: the same fields as `POST /api/v1/leave/requests/`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leave import selectors
from leave.models import RequestUnit
from portal.forms import PortalForm

REASON_MAX_LENGTH = 2000


class LeaveApplicationForm(PortalForm):
    """休暇申請. The shape is checked here; the rules (balance, working days, overlaps...) by the service."""

    type = forms.ModelChoiceField(
        label=_("休暇の種類"), queryset=None, to_field_name="code", empty_label=None
    )
    start_date = forms.DateField(label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("終了日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("1日だけのときは空欄で構いません。"),
    )
    unit = forms.ChoiceField(label=_("単位"), choices=RequestUnit.choices, initial=RequestUnit.DAY)
    start_time = forms.TimeField(
        label=_("開始時刻"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("時間単位のときのみ"),
    )
    end_time = forms.TimeField(
        label=_("終了時刻"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("時間単位のときのみ"),
    )
    reason = forms.CharField(
        label=_("事由"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = selectors.type_list()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and not data.get("end_date"):
            data["end_date"] = data["start_date"]
        return data
