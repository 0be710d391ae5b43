"""Periodic jobs of the organisation (beat entries `org-login-failures-purge`, `org-tokens-purge`,
`org-transfers-apply`); each is safe to run twice."""

from celery import shared_task

from org.login import purge_expired_tokens, purge_stale_login_failures
from org.services import transfers_apply_due


@shared_task(ignore_result=True)
def purge_login_failures() -> int:
    """Deletes the login-failure rows whose streak is forgotten and whose lock is over; returns how many."""
    return purge_stale_login_failures()


@shared_task(ignore_result=True)
def purge_tokens() -> int:
    """Deletes the API tokens past their expiry; returns how many."""
    return purge_expired_tokens()


@shared_task(ignore_result=True)
def apply_due_transfers() -> int:
    """Applies the 人事異動 whose effective day has come; returns how many took effect."""
    return transfers_apply_due()
