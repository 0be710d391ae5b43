"""ログイン: a username and password checked under a lockout after repeated wrong passwords.

`login_attempt` is the one check that every login goes through: the token endpoint (`token_obtain`) and the
site's login page (`api.auth.pages`), so a streak of failures on one locks the other too.

The failure count lives in `api.LoginFailure` (one row per username, known or not, so the answer never
tells whether an account exists), read and written under a row lock: attempts for one username run one
after the other, in any number of gunicorn workers. A streak of failures is forgotten after
LOGIN_LOCKOUT_SECONDS without a failure; LOGIN_FAILURE_LIMIT failures in a streak lock the username for
LOGIN_LOCKOUT_SECONDS, during which even the right password is refused (the lock is not extended by
attempts made during it). A success deletes the row. Rows for unknown usernames are bounded by the
`login` throttle and removed by `purge_stale_login_failures` once stale.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import update_last_login
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from api.models import LoginFailure

USERNAME_MAX_LENGTH = 150


class InvalidCredentials(exceptions.APIException):
    status_code = 400
    default_code = "invalid_credentials"
    default_detail = _("ユーザー名またはパスワードが正しくありません。")


class AccountLocked(exceptions.APIException):
    status_code = 429
    default_code = "account_locked"
    default_detail = _(
        "ログインの失敗が続いたため、アカウントを一時的にロックしています。しばらくしてから再度お試しください。"
    )

    def __init__(self, *, retry_after: int) -> None:
        super().__init__()
        self.wait = retry_after


@dataclass(frozen=True)
class _Outcome:
    user: AbstractBaseUser | None = None
    locked_for: int | None = None


def _lockout_window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def _locked_row(username: str) -> LoginFailure:
    """The username's failure row, created if missing, locked FOR UPDATE until the transaction ends."""
    for _attempt in range(3):
        try:
            failure, _created = LoginFailure.objects.select_for_update().get_or_create(username=username)
            return failure
        except IntegrityError:  # created and deleted by a concurrent login meanwhile
            continue
    raise AccountLocked(retry_after=1)


def login_attempt(*, request, username: str, password: str) -> AbstractBaseUser:
    """The active user with these credentials; raises InvalidCredentials or AccountLocked.

    Each wrong password counts toward the username's lock, whichever way the login came in.
    """
    username = username[:USERNAME_MAX_LENGTH]
    with transaction.atomic():
        failure = _locked_row(username)
        outcome = _attempt(request=request, failure=failure, username=username, password=password)
    if outcome.locked_for is not None:
        raise AccountLocked(retry_after=outcome.locked_for)
    if outcome.user is None:
        raise InvalidCredentials()
    return outcome.user


def token_obtain(*, request, username: str, password: str) -> str:
    """The user's API token (created on first login); raises InvalidCredentials or AccountLocked."""
    user = login_attempt(request=request, username=username, password=password)
    token, _created = Token.objects.get_or_create(user=user)
    update_last_login(None, user)
    return token.key


def _attempt(*, request, failure: LoginFailure, username: str, password: str) -> _Outcome:
    """Runs under the row lock of `failure`; must not raise, so that the failure count is committed."""
    now = timezone.now()
    if failure.locked_until and failure.locked_until > now:
        return _Outcome(locked_for=math.ceil((failure.locked_until - now).total_seconds()))
    user = authenticate(request, username=username, password=password)
    if user is not None:
        failure.delete()
        return _Outcome(user=user)
    if failure.last_failed_at is None or failure.last_failed_at <= now - _lockout_window():
        failure.failures = 0
    failure.failures += 1
    failure.last_failed_at = now
    locked_for = None
    if failure.failures >= settings.LOGIN_FAILURE_LIMIT:
        failure.failures = 0
        failure.locked_until = now + _lockout_window()
        locked_for = settings.LOGIN_LOCKOUT_SECONDS
    failure.save()
    return _Outcome(locked_for=locked_for)


def token_revoke(*, user) -> int:
    """ログアウト: deletes the user's API token; returns how many were deleted (0 or 1)."""
    deleted, _by_model = Token.objects.filter(user=user).delete()
    return deleted


def purge_stale_login_failures(*, now: datetime | None = None) -> int:
    """Deletes failure rows whose streak is forgotten and whose lock (if any) is over; returns how many."""
    now = now or timezone.now()
    stale = LoginFailure.objects.filter(
        Q(last_failed_at__isnull=True) | Q(last_failed_at__lte=now - _lockout_window()),
        Q(locked_until__isnull=True) | Q(locked_until__lte=now),
    )
    deleted, _by_model = stale.delete()
    return deleted
