"""記録: the append-only audit chain (監査証跡), its head, and document attachments (添付ファイル).

Imported at the end of `approvals.models`; Document is referenced lazily as "approvals.Document".
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.querysets import AppendOnlyModel, AppendOnlyViolation

__all__ = ["Attachment", "AttachmentPurpose", "AuditChainHead", "AuditEvent"]

GENESIS_HASH = "0" * 64


class AuditEvent(AppendOnlyModel):
    """監査イベント: one action in the global hash chain. Written only by `approvals.audit.audit_append`.

    hash = HMAC-SHA256(AUDIT_HMAC_KEY, prev_hash + canonical encoding of the event).
    """

    seq = models.PositiveBigIntegerField(_("連番"), unique=True)
    document = models.ForeignKey(
        "approvals.Document",
        verbose_name=_("文書"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    action = models.CharField(_("操作"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代決の対象者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("コメント"), blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    at = models.DateTimeField(_("日時"))
    prev_hash = models.CharField(_("直前のハッシュ"), max_length=64)
    hash = models.CharField(_("ハッシュ"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("監査イベント")
        verbose_name_plural = _("監査イベント")
        ordering = ["seq"]
        indexes = [models.Index(fields=["document", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditChainHeadQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnlyViolation("the audit chain head is never deleted")

    def _raw_delete(self, using):
        raise AppendOnlyViolation("the audit chain head is never deleted")


class AuditChainHead(models.Model):
    """監査チェーンの先頭: the single row holding the last seq and hash, locked while appending.

    Because the head is kept apart from the events, deleting the last events is detected as well. The row is
    never deleted (the ORM refuses here, a trigger on PostgreSQL).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_seq = models.PositiveBigIntegerField(_("最終連番"), default=0)
    last_hash = models.CharField(_("最終ハッシュ"), max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    objects = AuditChainHeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査チェーンの先頭")
        verbose_name_plural = _("監査チェーンの先頭")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyViolation("the audit chain head is never deleted")


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """A random storage name: the original name is kept only in the row."""
    return f"approvals/attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class AttachmentPurpose(models.TextChoices):
    DOCUMENT = "document", _("起案の添付")
    REFERENCE = "reference", _("参考資料")


class Attachment(models.Model):
    """添付ファイル of a document: the drafter's (part of what approvers decide; frozen from submission until a
    return to the drafter) or an approver's reference (参考資料, which only they remove, before their decision)."""

    document = models.ForeignKey(
        "approvals.Document",
        verbose_name=_("文書"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("ファイル"), upload_to=attachment_upload_to, max_length=200)
    name = models.CharField(_("ファイル名"), max_length=255)
    size = models.PositiveBigIntegerField(_("サイズ"))
    content_type = models.CharField(_("種類"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    purpose = models.CharField(
        _("用途"), max_length=20, choices=AttachmentPurpose.choices, default=AttachmentPurpose.DOCUMENT
    )

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
