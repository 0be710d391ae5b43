"""ログイン画面: the site's server-rendered login and logout (sessions, for the pages such as the dashboard).

The password is checked by `org.login.login_attempt`, the same check as the token endpoint's, so both share one
lockout; the page also shares the token endpoint's `login` throttle (per client address). Any active
employee may log in; each page decides who may open it. The admin site's login form goes through the
same check (`AdminLoginForm`, set in `api.admin`), so no login page escapes the lockout.
"""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import SimpleRateThrottle

from core.errors import CoreError, DomainError, TooManyRequests
from org.login import USERNAME_MAX_LENGTH, client_address, login_attempt


class LoginThrottle(SimpleRateThrottle):
    """The `login` rate of the token endpoint, counted in the same cache entries (per client address)."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LockoutLoginMixin:
    """clean() of an AuthenticationForm through the `login` throttle and `login_attempt` (the lockout).

    `retry_after` is set (seconds) when the address is throttled or the username locked.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after: int | None = None

    def clean(self):
        throttle = LoginThrottle()
        if not throttle.allow_request(self.request, None):
            self.retry_after = math.ceil(throttle.wait() or 1)
            raise ValidationError(
                _("ログインの試行が多すぎます。しばらくしてから再度お試しください。"),
                code=CoreError.THROTTLED,
            )
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = login_attempt(
                    request=self.request,
                    username=username,
                    password=password,
                    address=client_address(self.request),
                )
            except TooManyRequests as exc:  # account_locked
                self.retry_after = exc.retry_after
                raise ValidationError(str(exc.detail), code=exc.code) from exc
            except DomainError as exc:  # invalid_credentials
                raise ValidationError(str(exc.detail), code=exc.code) from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class LoginForm(LockoutLoginMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=USERNAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("パスワード"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AdminLoginForm(LockoutLoginMixin, AdminAuthenticationForm):
    """The admin site's login (staff accounts only) under the same throttle and lockout."""


class SiteLoginView(LoginView):
    """GET/POST /accounts/login/?next=...: `next` is followed only when it stays on this site.

    A wrong password re-renders the form (200); a locked username or a throttled address gets 429 with
    Retry-After.
    """

    form_class = LoginForm
    template_name = "auth/login.html"

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response
