"""Forms of the settings page: the password change (the policy's rules are org's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm

PASSWORD_MAX_LENGTH = 1024


def _password(label, autocomplete: str, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class PasswordChangeForm(PortalForm):
    current_password = _password(_("現在のパスワード"), "current-password")
    new_password = _password(
        _("新しいパスワード"), "new-password", _("12文字以上。氏名やユーザー名、数字だけのものは使えません。")
    )
