"""Periodic jobs of the organisation (beat entry `org-login-failures-purge`); each is safe to run twice."""

from celery import shared_task

from org.login import purge_stale_login_failures


@shared_task(ignore_result=True)
def purge_login_failures() -> int:
    """Deletes the login-failure rows whose streak is forgotten and whose lock is over; returns how many."""
    return purge_stale_login_failures()
