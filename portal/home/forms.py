"""The clock form of the home page: the action, the place, and the key that makes a retry or a replay count once."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import ClockKind, Location
from portal.forms import PortalForm


class ClockForm(PortalForm):
    kind = forms.ChoiceField(label=_("打刻"), choices=ClockKind.choices, widget=forms.HiddenInput)
    location = forms.ChoiceField(label=_("勤務場所"), choices=Location.choices, widget=forms.RadioSelect)
    key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
