"""導入推進の記録: each department's phase history, the planned dates per phase, the monthly adoption snapshots
and the monthly reports sent to the secretariat.

The tables were created by the telework app and keep their names (`telework_*`): the models moved in the
migrations' state only (telework 0003, rollout 0001), so an existing database kept its rows as they were.
The department's current phase, which gates telework requests, stays in `telework.models.DepartmentPhase`."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from telework.models import Phase


class PhaseEvent(models.Model):
    """導入段階の履歴: one move of a department from one phase to another, on a date, by the secretariat."""

    department = models.ForeignKey(
        "org.Department", verbose_name=_("課"), on_delete=models.CASCADE, related_name="telework_phase_events"
    )
    phase = models.CharField(_("段階"), max_length=20, choices=Phase.choices)
    previous_phase = models.CharField(_("前の段階"), max_length=20, choices=Phase.choices)
    date = models.DateField(_("移行日"))
    note = models.TextField(_("備考"), blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        db_table = "telework_phaseevent"
        verbose_name = _("導入段階の履歴")
        verbose_name_plural = _("導入段階の履歴")
        ordering = ["department_id", "date", "id"]
        indexes = [models.Index(fields=["department", "date"], name="phase_event_department_date")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.date} {self.previous_phase}→{self.phase}"


class PhasePlan(models.Model):
    """導入計画: the planned date of a phase, town-wide (department empty) or for one department."""

    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("課"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="telework_phase_plans",
        help_text=_("空欄は全庁の計画"),
    )
    phase = models.CharField(_("段階"), max_length=20, choices=Phase.choices)
    planned_on = models.DateField(_("予定日"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        db_table = "telework_phaseplan"
        verbose_name = _("導入計画")
        verbose_name_plural = _("導入計画")
        ordering = ["department_id", "planned_on"]
        constraints = [
            # One date per phase and scope: the department id with NULL (town-wide) folded to 0 is unique.
            models.UniqueConstraint(
                Coalesce("department", Value(0)), "phase", name="telework_phase_plan_one_per_scope"
            ),
            models.CheckConstraint(condition=~Q(phase="not_started"), name="telework_phase_plan_not_initial"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id or '-'} {self.phase} {self.planned_on}"


class PlanRevision(models.Model):
    """導入計画の改定履歴: a planned date of a phase as set on a day (`planned_on` empty: the date was removed).

    `PhasePlan` holds the plan as it is; these rows let a past fiscal year be judged against the plan as it
    stood at its end. Before the first revision of a phase the first one known applies."""

    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("課"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空欄は全庁の計画"),
    )
    phase = models.CharField(_("段階"), max_length=20, choices=Phase.choices)
    planned_on = models.DateField(_("予定日"), null=True, blank=True)
    revised_on = models.DateField(_("改定日"), default=timezone.localdate)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("導入計画の改定")
        verbose_name_plural = _("導入計画の改定履歴")
        ordering = ["revised_on", "id"]
        indexes = [models.Index(fields=["department", "phase", "revised_on"], name="plan_revision_scope")]

    def __str__(self) -> str:
        return f"{self.department_id or '-'} {self.phase} {self.planned_on} ({self.revised_on})"


class AdoptionSnapshot(models.Model):
    """導入状況のスナップショット: one department's adoption in one month, written by the nightly job.

    `teleworker_ids` and `staff_ids` let a fiscal year and the whole town count distinct people across months
    and departments (a person transferred counts once); they never leave the server (the API serves aggregates
    only). `days_by_location` counts telework days per form. Each person is counted in the department of their
    assignment (配属) on the day concerned, so a rebuild of a past month gives the same figures.
    """

    department = models.ForeignKey(
        "org.Department", verbose_name=_("課"), on_delete=models.CASCADE, related_name="telework_adoption"
    )
    month = models.DateField(_("対象月"), help_text=_("月の初日"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    headcount = models.PositiveIntegerField(_("職員数"), default=0)
    teleworkers = models.PositiveIntegerField(_("実施者数"), default=0)
    telework_days = models.PositiveIntegerField(_("実施日数"), default=0)
    days_by_location = models.JSONField(_("形態別日数"), default=dict, blank=True)
    teleworker_ids = models.JSONField(_("実施者(集計用)"), default=list, blank=True)
    staff_ids = models.JSONField(_("職員(集計用)"), default=list, blank=True)
    computed_at = models.DateTimeField(_("集計日時"), default=timezone.now)

    class Meta:
        db_table = "telework_adoptionsnapshot"
        verbose_name = _("導入状況(月次)")
        verbose_name_plural = _("導入状況(月次)")
        ordering = ["month", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "month"], name="adoption_snapshot_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="adoption_snapshot_first_day"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "department"], name="adoption_snapshot_fy")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m}"


class RolloutReport(models.Model):
    """月次報告: the rollout summary sent to the secretariat for a month; the row makes the job run once."""

    month = models.DateField(_("対象月"), unique=True, help_text=_("月の初日"))
    summary = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        db_table = "telework_rolloutreport"
        verbose_name = _("導入推進の月次報告")
        verbose_name_plural = _("導入推進の月次報告")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
