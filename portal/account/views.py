"""Settings `/settings/`: the password change (org's account service, as the API's: audited, other devices
logged out), my devices and their tokens (end one, e.g. a lost phone), the language, the calendar feed URL."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api.auth.pages import LoginThrottle
from core.errors import CoreError
from org import services
from org.login import client_address, token_delete, tokens_of
from portal.account.forms import PasswordChangeForm
from portal.decorators import page
from portal.forms import run_action, run_service


def _page(request, form: PasswordChangeForm | None = None, status: int = 200):
    context = {
        "form": form or PasswordChangeForm(),
        "tokens": list(tokens_of(user=request.user)),
    }
    return render(request, "portal/account/settings.html", context, status=status)


@page
def settings_page(request):
    return _page(request)


@page
@require_POST
def password(request):
    """パスワード変更 under the login throttle (the current password could otherwise be guessed here); this session
    stays logged in, every token of the person ends."""
    form = PasswordChangeForm(request.POST)
    if not LoginThrottle().allow_request(request, None):
        form.add_error(None, ValidationError(CoreError.THROTTLED.message, code=CoreError.THROTTLED))
        form.error_status = 429
    elif form.is_valid():
        employee = run_service(
            form,
            services.password_change,
            employee=request.user,
            address=client_address(request),
            **form.cleaned_data,
        )
        if employee is not None:
            update_session_auth_hash(request, employee)
            messages.success(
                request, _("パスワードを変更しました。ほかの端末ではもう一度ログインしてください。")
            )
            return redirect("portal:settings")
    return _page(request, form, status=form.error_status)


@page
@require_POST
def token_revoke(request, token_id: int):
    """An API token of mine ends (that device must log in again)."""
    if run_action(request, token_delete, actor=request.user, token_id=token_id):
        messages.success(request, _("端末のログインを終了しました。"))
    return redirect("portal:settings")
