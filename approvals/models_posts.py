"""職務代理者: who holds a vacant post (the approval models' part about posts; approvals.models imports it)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Position

__all__ = ["ActingAppointment"]


class ActingAppointment(models.Model):
    """職務代理者の指定 (事務取扱): who holds a post while it is vacant, from `start` to `end` (open while empty).

    A route step that names the post goes to the acting holder; a 人事異動 that fills the post moves the waiting
    steps to the new holder."""

    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("課"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空欄は町全体の職(町長・副町長)"),
    )
    section = models.ForeignKey(
        "org.Section",
        verbose_name=_("係"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("係長の職のとき"),
    )
    position = models.CharField(_("職"), max_length=20, choices=Position.choices, default=Position.DIRECTOR)
    acting = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("代理者"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        verbose_name = _("職務代理者")
        verbose_name_plural = _("職務代理者")
        ordering = ["department", "position", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="acting_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department or ''} {self.get_position_display()}: {self.acting}"

    def clean(self) -> None:
        if self.section_id is not None and (
            self.position != Position.CHIEF or self.section.department_id != self.department_id
        ):
            raise ValidationError({"section": _("係は、その課の係長の職にのみ指定できます。")})
        if self.start is not None and self.overlapping().exists():
            raise ValidationError(
                {
                    "start": _(
                        "この職には同じ期間に別の職務代理者が指定されています。終了日を入れてから指定してください。"
                    )
                }
            )

    def overlapping(self) -> models.QuerySet:
        """Other designations of the same post whose period meets this one's: a post has one acting holder a
        day (the routes and the department's rights would otherwise follow the earliest silently)."""
        meets = Q(end__isnull=True) | Q(end__gte=self.start)
        if self.end is not None:
            meets &= Q(start__lte=self.end)
        return ActingAppointment.objects.filter(
            meets,
            department_id=self.department_id,
            section_id=self.section_id,
            position=self.position,
        ).exclude(pk=self.pk)
