"""Periodic attendance jobs (see CELERY_BEAT_SCHEDULE); each is safe to run twice: an alert row fires once."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from attendance import services


@shared_task
def remind_missing_clock_out() -> int:
    """退勤打刻忘れのリマインド: staff still clocked in at the set time today."""
    return services.clock_out_reminders_send(day=timezone.localdate())


@shared_task
def notify_directors_of_anomalies() -> int:
    """勤怠異常の日次通知 to each director, about yesterday."""
    return services.anomaly_digests_send(day=timezone.localdate() - timedelta(days=1))


@shared_task
def check_overtime_limits() -> int:
    """時間外勤務の上限チェック: 80 % and 100 % of each limit for this month and fiscal year."""
    return services.overtime_alerts_check(today=timezone.localdate())


@shared_task
def close_open_shifts() -> int:
    """未退勤の勤務の締め: shifts left open past their deadline become `missing_clock_out`; the employee and the
    director are told once."""
    return services.open_shifts_close()
