"""The notification outbox: a notification per recipient and one delivery per channel (see services.py)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("アプリ内")
    EMAIL = "email", _("メール")
    CHAT = "chat", _("チャット")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("送信待ち")
    SENDING = "sending", _("送信中")
    SENT = "sent", _("送信済み")
    FAILED = "failed", _("送信失敗")


class Notification(models.Model):
    """通知: what one employee is told; `kind` is a stable snake_case code (e.g. `document_submitted`)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("宛先"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("種別"), max_length=64)
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"), blank=True)
    link = models.CharField(_("リンク"), max_length=500, blank=True)
    data = models.JSONField(_("データ"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_newest"),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """配信: one channel of one notification, sent by a Celery task and retried with backoff by the sweep.

    `claimed_until` is the lease of the worker that is sending it; `attempts` counts claims and is the
    fencing token a worker checks when it records the outcome.
    """

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("経路"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状態"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("試行回数"), default=0)
    next_attempt_at = models.DateTimeField(_("次回試行日時"), default=timezone.now)
    claimed_until = models.DateTimeField(_("処理期限"), null=True, blank=True)
    last_error = models.TextField(_("直近のエラー"), blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("配信")
        verbose_name_plural = _("配信")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_one_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_status_due")]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}: {self.status}"
