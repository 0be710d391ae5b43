"""The day-report reminder task and its beat entry."""

from datetime import date

from django.conf import settings

from approvals import services as approvals
from notifications.models import Notification
from telework import services, tasks

TUE, THU = date(2026, 11, 17), date(2026, 11, 19)


def test_beat_runs_the_reminder_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["telework-day-report-reminder"]
    assert entry["task"] == "telework.tasks.remind_missing_day_reports"


def test_reminder_task_reminds_once_per_missing_report(town, clock):
    request = services.telework_request_create(
        employee=town.staff[0], dates=[TUE], location="home", work_plan="x"
    )
    for approver in (town.chief, town.director):
        approvals.document_approve(document=request.document, actor=approver)
    clock.set(THU)

    assert tasks.remind_missing_day_reports.delay().get() == 1
    assert tasks.remind_missing_day_reports() == 0
    assert (
        Notification.objects.filter(recipient=town.staff[0], kind="telework_day_report_missing").count() == 1
    )
