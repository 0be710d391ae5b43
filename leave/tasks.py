"""Periodic leave jobs (see CELERY_BEAT_SCHEDULE); safe to run twice: each (employee, year) is granted once."""

from celery import shared_task

from leave import services


@shared_task(name="leave.tasks.grant_annual_leave", ignore_result=True)
def grant_annual_leave() -> int:
    """年次休暇の付与: this year's grant for everyone employed by today who has none yet (new hires included)."""
    return services.annual_grants_run()
