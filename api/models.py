"""HTTP-level state of the API: idempotency records (the login lockout is the domain's: `org.LoginFailure`).

They live in the database, not in a process, so several gunicorn workers share them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """冪等キー: the first outcome of a POST sent with an `Idempotency-Key`, replayed for the same key."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("処理中")
        COMPLETED = "completed", _("完了")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("冪等キー"), max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    fingerprint = models.CharField(max_length=64, help_text=_("メソッド・パス・本文の SHA-256"))
    state = models.CharField(max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text=_("最初の応答の JSON"))
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("作成日時"))
    locked_at = models.DateTimeField(_("処理開始日時"))

    class Meta:
        verbose_name = _("冪等キー")
        verbose_name_plural = _("冪等キー")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
