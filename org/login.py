"""ログイン: a username and password checked under a lockout that an attacker cannot turn against the account.

`login_attempt` is the one check that every login goes through: the token endpoint (`token_obtain`), the
site's login page and the admin site's login form, each passing the client address (`client_address(request)`
when it is not given). The HTTP layer only parses and answers; the rule lives here, beside the accounts.

Failures are counted in `org.LoginFailure` rows, never in a process:
- per (username, client address): LOGIN_FAILURE_LIMIT wrong passwords in a streak lock that username *from that
  address* for LOGIN_LOCKOUT_SECONDS. The same account still logs in from an address that has not failed, so
  five wrong passwords from anywhere can no longer lock the mayor out (a denial of service anyone could cause).
- per address (the row with an empty username): LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords for any usernames
  lock every login from that address, which stops one machine from guessing across many accounts.
A streak is forgotten after LOGIN_LOCKOUT_SECONDS without a failure; during a lock even the right password is
refused and attempts do not extend it; a success deletes the (username, address) row only. Rows exist for
unknown usernames too, so the answer never tells whether an account exists. Each lock that starts is a
security event; an administrator lifts a lock with `login_unlock` (audited). Unknown-username rows are bounded
by the `login` throttle and removed by `purge_stale_login_failures` once stale.

Locks: the (username, address) row is held FOR UPDATE for the whole attempt (attempts for one username from
one address run one after the other); the address row is only read until a failure, then locked briefly, so
logins of many people behind one address do not queue behind each other's password hashing.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import get_token_model
from rest_framework.throttling import BaseThrottle

from core.errors import TooManyRequests
from org import lock_objects
from org.codes import OrgError
from org.models import AccessToken, Employee, LoginFailure, RoleCode, SecurityAction
from org.security import security_event_record

USERNAME_MAX_LENGTH = 150
ADDRESS_MAX_LENGTH = 45
TOKEN_NAME_MAX_LENGTH = 100


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or with DJANGO_NUM_PROXIES > 0 the address that many proxies back in
    X-Forwarded-For (what the throttles count by)."""
    if request is None:
        return ""
    return (BaseThrottle().get_ident(request) or "")[:ADDRESS_MAX_LENGTH]


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


def login_attempt(
    *, request=None, username: str, password: str, address: str | None = None
) -> AbstractBaseUser:
    """The active user with these credentials; raises 400 `invalid_credentials` or 429 `account_locked`.

    `address` is the client's (defaults to `client_address(request)`). Each wrong password counts toward the
    (username, address) lock and the address's lock, whichever way the login came in.
    """
    username = username[:USERNAME_MAX_LENGTH]
    address = (client_address(request) if address is None else address)[:ADDRESS_MAX_LENGTH]
    with transaction.atomic():
        failure = lock_objects.login_failure_lock(username=username, address=address)
        if failure is None:  # created and deleted by concurrent logins three times over
            raise _locked_out(1)
        outcome = _attempt(request=request, failure=failure, password=password)
    if outcome.locked_for is not None:
        raise _locked_out(outcome.locked_for)
    if outcome.user is None:
        raise OrgError.INVALID_CREDENTIALS.error()
    return outcome.user


def _remaining(locked_until: datetime | None, now: datetime) -> int | None:
    if locked_until and locked_until > now:
        return math.ceil((locked_until - now).total_seconds())
    return None


def _count_failure(failure: LoginFailure, *, now: datetime, limit: int) -> bool:
    """One more failure in the row's streak; True when it reaches the limit (the lock starts now)."""
    if failure.last_failed_at is None or failure.last_failed_at <= now - _lockout_window():
        failure.failures = 0
    failure.failures += 1
    failure.last_failed_at = now
    locked = failure.failures >= limit
    if locked:
        failure.failures = 0
        failure.locked_until = now + _lockout_window()
    failure.save()
    return locked


def _record_lock(failure: LoginFailure, *, scope: str) -> None:
    subject = Employee.objects.filter(username=failure.username).first() if failure.username else None
    security_event_record(
        action=SecurityAction.ACCOUNT_LOCKED,
        actor=None,
        subject=subject,
        subject_username=failure.username,
        address=failure.address,
        data={"scope": scope, "seconds": settings.LOGIN_LOCKOUT_SECONDS},
    )


def _attempt(*, request, failure: LoginFailure, password: str) -> _Outcome:
    """Runs under the row lock of `failure`; must not raise, so that the failure counts are committed."""
    now = timezone.now()
    locked_for = _remaining(failure.locked_until, now)
    if locked_for is not None:
        return _Outcome(locked_for=locked_for)
    by_address = LoginFailure.objects.filter(username="", address=failure.address).first()
    locked_for = _remaining(by_address.locked_until if by_address else None, now)
    if locked_for is not None:
        return _Outcome(locked_for=locked_for)
    user = authenticate(request, username=failure.username, password=password)
    if user is not None:
        failure.delete()
        return _Outcome(user=user)
    if _count_failure(failure, now=now, limit=settings.LOGIN_FAILURE_LIMIT):
        _record_lock(failure, scope="username")
        locked_for = settings.LOGIN_LOCKOUT_SECONDS
    address_row = lock_objects.login_failure_lock(username="", address=failure.address)
    if address_row is not None and _count_failure(
        address_row, now=now, limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT
    ):
        _record_lock(address_row, scope="address")
        locked_for = settings.LOGIN_LOCKOUT_SECONDS
    return _Outcome(locked_for=locked_for)


@transaction.atomic
def login_unlock(*, actor: Employee | None, username: str = "", address: str = "") -> int:
    """ロック解除 (admin): a username's rows from every address, or, without a username, the address's own row.
    Audited; returns how many rows were deleted. Refuses anyone but an administrator (403 `admin_only`)."""
    if actor is not None and not actor.has_role(RoleCode.ADMIN):
        raise OrgError.ADMIN_ONLY.error()
    if username:
        rows = LoginFailure.objects.filter(username=username)
    else:
        rows = LoginFailure.objects.filter(username="", address=address)
    deleted, _by_model = rows.delete()
    security_event_record(
        action=SecurityAction.ACCOUNT_UNLOCKED,
        actor=actor,
        subject=Employee.objects.filter(username=username).first() if username else None,
        subject_username=username,
        address=address,
        data={"rows": deleted},
    )
    return deleted


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: `key` is the token itself, shown once; `token` is its stored row (digest only)."""

    key: str
    token: AccessToken


def token_obtain(
    *, request=None, username: str, password: str, name: str = "", address: str | None = None
) -> IssuedToken:
    """ログイン: a new API token for this login (device), named `name`, expiring REST_KNOX["TOKEN_TTL"] from now;
    raises as `login_attempt` does."""
    user = login_attempt(request=request, username=username, password=password, address=address)
    token, key = get_token_model().objects.create(user=user, name=name.strip()[:TOKEN_NAME_MAX_LENGTH])
    update_last_login(None, user)
    return IssuedToken(key=key, token=token)


def token_revoke(*, user, token: AccessToken | None) -> int:
    """ログアウト: deletes the token the caller used (none when they came with a session); returns how many."""
    if token is None or token.user_id != user.pk:
        return 0
    deleted, _by_model = AccessToken.objects.filter(pk=token.pk).delete()
    return deleted


def tokens_of(*, user) -> QuerySet[AccessToken]:
    """The user's API tokens that have not expired, newest first."""
    return AccessToken.objects.filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user
    ).order_by("-created", "-id")


@transaction.atomic
def token_delete(*, actor: Employee, token_id: int, current: AccessToken | None = None) -> None:
    """Ends one of the actor's own tokens (a lost phone); another's token is not found (404)."""
    token = AccessToken.objects.filter(pk=token_id, user=actor).first()
    if token is None:
        raise OrgError.TOKEN_NOT_FOUND.error()
    token.delete()
    security_event_record(
        action=SecurityAction.TOKEN_REVOKED,
        actor=actor,
        subject=actor,
        data={"tokens": 1, "name": token.name, "current": current is not None and current.pk == token_id},
    )


def tokens_revoke(*, user: Employee, keep: AccessToken | None = None) -> int:
    """Deletes the user's tokens but `keep`; call it inside the transaction of the change that requires it."""
    tokens = AccessToken.objects.filter(user=user)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    deleted, _by_model = tokens.delete()
    return deleted


def purge_expired_tokens(*, now: datetime | None = None) -> int:
    """Deletes the tokens past their expiry; returns how many."""
    deleted, _by_model = AccessToken.objects.filter(expiry__lte=now or timezone.now()).delete()
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
