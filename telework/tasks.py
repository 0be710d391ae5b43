"""Periodic telework jobs (see CELERY_BEAT_SCHEDULE); safe to run twice: a reminded day is marked."""

from celery import shared_task

from telework import services


@shared_task(name="telework.tasks.remind_missing_day_reports", ignore_result=True)
def remind_missing_day_reports() -> int:
    """業務報告の督促: approved telework days that are over without a report, where the policy asks for one."""
    return services.day_report_reminders_send()
