"""Periodic approval jobs (see CELERY_BEAT_SCHEDULE): reminders and escalation, 後閲 reminders; safe to run twice."""

from celery import shared_task

from approvals import services


@shared_task
def send_approval_reminders() -> int:
    """督促・エスカレーション of decisions waiting too long."""
    return services.approval_reminders_send()


@shared_task
def send_post_review_reminders() -> int:
    """後閲の督促 to approvers back from an absence."""
    return services.post_review_reminders_send()
