"""導入推進の定期処理: the nightly adoption snapshot and the monthly report to the secretariat (beat entries
`rollout-snapshot` and `rollout-report`). Both are safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from rollout.services import adoption_snapshot, rollout_report_send


def previous_month(day: date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


@shared_task(name="rollout.tasks.snapshot_adoption_nightly", ignore_result=True)
def snapshot_adoption_nightly() -> int:
    """Recomputes the previous and the current month (late corrections and approvals land in both)."""
    today = timezone.localdate()
    return sum(
        adoption_snapshot(year=year, month=month)
        for year, month in (previous_month(today), (today.year, today.month))
    )


@shared_task(name="rollout.tasks.rollout_monthly_report", ignore_result=True)
def rollout_monthly_report() -> bool:
    """Sends the report for the month that just ended; a second run that month sends nothing."""
    year, month = previous_month(timezone.localdate())
    return rollout_report_send(year=year, month=month) is not None


# The names of both jobs while they lived in telework/, so that messages queued before the move still run.
# Nothing queues under these names any more; drop them once no worker can hold such a message.
@shared_task(name="telework.rollout_tasks.snapshot_adoption_nightly", ignore_result=True)
def snapshot_adoption_nightly_by_its_former_name() -> int:
    return snapshot_adoption_nightly()


@shared_task(name="telework.rollout_tasks.rollout_monthly_report", ignore_result=True)
def rollout_monthly_report_by_its_former_name() -> bool:
    return rollout_monthly_report()
