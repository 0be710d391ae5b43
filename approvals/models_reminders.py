"""督促の記録: the reminders and escalations sent for a waiting step (approvals.models imports it)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import reminders

__all__ = ["ApprovalReminder", "ReminderLevel"]


class ReminderLevel(models.TextChoices):
    REMINDER = reminders.REMINDER, _("督促")
    ESCALATION = reminders.ESCALATION, _("エスカレーション")
    POST_REVIEW = reminders.POST_REVIEW, _("後閲の督促")


class ApprovalReminder(models.Model):
    """督促の記録: each (step approver, level) is notified at most once; the row is written with the notification."""

    step_approver = models.ForeignKey(
        "approvals.StepApprover",
        verbose_name=_("ステップの処理者"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    level = models.CharField(_("段階"), max_length=20, choices=ReminderLevel.choices)
    sent_at = models.DateTimeField(_("送信日時"), default=timezone.now)

    class Meta:
        verbose_name = _("督促")
        verbose_name_plural = _("督促")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step_approver", "level"], name="approval_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.step_approver_id} {self.level}"
