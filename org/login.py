"""ログイン: a username and password checked under a lockout after repeated wrong passwords.

`login_attempt` is the one check that every login goes through: the token endpoint (`token_obtain`), the
site's login page and the admin site's login form (`api.auth.pages`), so a streak of failures on one locks the
others too. The HTTP layer only parses and answers; the rule lives here, beside the accounts it protects.

The failure count lives in `org.LoginFailure` (one row per username, known or not, so the answer never
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
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.errors import TooManyRequests
from org import lock_objects
from org.codes import OrgError
from org.models import LoginFailure

USERNAME_MAX_LENGTH = 150


def _locked_out(retry_after: int) -> TooManyRequests:
    """429 `account_locked`, with the seconds until the lock ends (the API's Retry-After)."""
    locked = OrgError.ACCOUNT_LOCKED
    return TooManyRequests(locked.message, code=locked, retry_after=retry_after)


@dataclass(frozen=True)
class _Outcome:
    user: AbstractBaseUser | None = None
    locked_for: int | None = None


def _lockout_window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def login_attempt(*, request, username: str, password: str) -> AbstractBaseUser:
    """The active user with these credentials; raises 400 `invalid_credentials` or 429 `account_locked`.

    Each wrong password counts toward the username's lock, whichever way the login came in.
    """
    username = username[:USERNAME_MAX_LENGTH]
    with transaction.atomic():
        failure = lock_objects.login_failure_lock(username)
        if failure is None:  # created and deleted by concurrent logins three times over
            raise _locked_out(1)
        outcome = _attempt(request=request, failure=failure, username=username, password=password)
    if outcome.locked_for is not None:
        raise _locked_out(outcome.locked_for)
    if outcome.user is None:
        raise OrgError.INVALID_CREDENTIALS.error()
    return outcome.user


def token_obtain(*, request, username: str, password: str) -> str:
    """The user's API token (created on first login); raises as `login_attempt` does."""
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
