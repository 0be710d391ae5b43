"""テレワーク: the policy (実施要綱) as data, blackout dates, continuity periods, requests and their days,
day reports, calendar feed tokens, and each department's current rollout phase (the gate of requests; its
history, plans and adoption figures are the rollout app's)."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """導入段階 of a department."""

    NOT_STARTED = "not_started", _("未着手")
    PREPARING = "preparing", _("準備中")
    TRIAL = "trial", _("トライアル")
    PARTIAL = "partial", _("一部運用")
    FORMAL = "formal", _("正式運用")


class Location(models.TextChoices):
    HOME = "home", _("在宅")
    SATELLITE = "satellite", _("サテライトオフィス")
    MOBILE = "mobile", _("モバイル(外勤)")


class DayUnit(models.TextChoices):
    """実施単位: a whole day, or half a day (午前・午後) where the policy allows it."""

    DAY = "day", _("終日")
    AM = "am", _("午前")
    PM = "pm", _("午後")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("申請中")
    APPROVED = "approved", _("承認")
    REJECTED = "rejected", _("否決")
    WITHDRAWN = "withdrawn", _("引上げ")
    CANCELLED = "cancelled", _("取消")


ACTIVE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.APPROVED)

# The state machine of a request: status → statuses it may move to (only services change it).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RequestStatus.SUBMITTED: (
        RequestStatus.APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
        RequestStatus.CANCELLED,
    ),
    RequestStatus.APPROVED: (RequestStatus.CANCELLED,),
    RequestStatus.REJECTED: (),
    RequestStatus.WITHDRAWN: (),
    RequestStatus.CANCELLED: (),
}


class DepartmentPhase(models.Model):
    """導入段階: where a department stands in the rollout; the phase gate of requests reads it."""

    department = models.OneToOneField(
        "org.Department", verbose_name=_("課"), on_delete=models.CASCADE, related_name="telework_phase"
    )
    phase = models.CharField(_("段階"), max_length=20, choices=Phase.choices, default=Phase.NOT_STARTED)
    since = models.DateField(_("開始日"), default=timezone.localdate)

    class Meta:
        verbose_name = _("テレワーク導入段階")
        verbose_name_plural = _("テレワーク導入段階")

    def __str__(self) -> str:
        return f"{self.department} {self.get_phase_display()}"


class TeleworkPolicy(models.Model):
    """テレワーク実施要綱: the town default (department empty) or a department's override, where an empty
    field inherits the default. Every change increments `version` and writes a PolicyVersion snapshot."""

    department = models.OneToOneField(
        "org.Department",
        verbose_name=_("課"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="telework_policy",
        help_text=_("空欄は全庁共通の既定"),
    )
    allowed_locations = models.JSONField(_("実施場所"), null=True, blank=True)
    max_days_per_week = models.PositiveSmallIntegerField(_("週の上限日数"), null=True, blank=True)
    max_days_per_month = models.PositiveSmallIntegerField(_("月の上限日数"), null=True, blank=True)
    max_consecutive_days = models.PositiveSmallIntegerField(_("連続上限日数"), null=True, blank=True)
    advance_notice_business_days = models.PositiveSmallIntegerField(
        _("事前申請(開庁日前)"), null=True, blank=True
    )
    min_office_staff = models.PositiveSmallIntegerField(_("庁内最少人数"), null=True, blank=True)
    eligible_employment_types = models.JSONField(_("対象任用形態"), null=True, blank=True)
    min_months_since_hire = models.PositiveSmallIntegerField(_("採用後の月数"), null=True, blank=True)
    require_security_training = models.BooleanField(_("情報セキュリティ研修の受講"), null=True, blank=True)
    require_security_pledge = models.BooleanField(_("誓約書の提出"), null=True, blank=True)
    require_day_report = models.BooleanField(_("業務報告"), null=True, blank=True)
    allow_half_days = models.BooleanField(_("半日単位の実施"), null=True, blank=True)
    after_the_fact_business_days = models.PositiveSmallIntegerField(
        _("事後申請の期限(開庁日)"),
        null=True,
        blank=True,
        help_text=_("空欄は事後申請を認めない。N: 実施日からN開庁日以内の事後申請を認める"),
    )
    require_start_end_report = models.BooleanField(
        _("始業・終業報告"),
        null=True,
        blank=True,
        help_text=_("在宅・サテライトでの出退勤の打刻を所属長にチャットで通知する"),
    )
    severities = models.JSONField(
        _("規則の扱い"), null=True, blank=True, help_text=_("規則コード → hard(不可) / soft(警告)")
    )
    version = models.PositiveIntegerField(_("版"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        verbose_name = _("テレワーク実施要綱")
        verbose_name_plural = _("テレワーク実施要綱")
        constraints = [
            # One town default: the department id with NULL folded to 0 is unique.
            models.UniqueConstraint(Coalesce("department", Value(0)), name="telework_policy_one_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.department or _('全庁')} v{self.version}"


class PolicyVersion(models.Model):
    """要綱の版: a snapshot of one policy row as it was at a version; a request records the versions it met."""

    policy = models.ForeignKey(TeleworkPolicy, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版"))
    values = models.JSONField(_("内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        verbose_name = _("要綱の版")
        verbose_name_plural = _("要綱の版")
        ordering = ["policy", "-version"]
        constraints = [models.UniqueConstraint(fields=["policy", "version"], name="policy_version_unique")]

    def __str__(self) -> str:
        return f"{self.policy_id} v{self.version}"


class BlackoutDate(models.Model):
    """実施不可日: no telework that day, town-wide (department empty) or in one department."""

    date = models.DateField(_("日付"))
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("課"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("理由"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("実施不可日")
        verbose_name_plural = _("実施不可日")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class ContinuityPeriod(models.Model):
    """業務継続期間 (災害・感染症): caps and the notice rule are lifted for its departments (empty = all)."""

    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"))
    departments = models.ManyToManyField(
        "org.Department", verbose_name=_("対象課"), blank=True, related_name="+"
    )
    reason = models.CharField(_("理由"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        verbose_name = _("業務継続期間")
        verbose_name_plural = _("業務継続期間")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="continuity_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.reason}"


class TeleworkRequest(models.Model):
    """テレワーク申請: one or more days at one location, approved through its `telework` document."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請者"),
        on_delete=models.PROTECT,
        related_name="telework_requests",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("課"), on_delete=models.PROTECT, related_name="telework_requests"
    )
    location = models.CharField(_("実施場所"), max_length=20, choices=Location.choices)
    unit = models.CharField(_("実施単位"), max_length=3, choices=DayUnit.choices, default=DayUnit.DAY)
    work_plan = models.TextField(_("業務計画"))
    status = models.CharField(
        _("状態"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    document = models.OneToOneField(
        "approvals.Document",
        verbose_name=_("決裁文書"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="telework_request",
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("全庁要綱の版"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department_policy_version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("課の要綱の版"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    warnings = models.JSONField(_("警告"), default=list, blank=True)
    after_the_fact = models.BooleanField(
        _("事後申請"), default=False, help_text=_("申請日より前の実施日を含む")
    )
    approved_after_the_day = models.BooleanField(
        _("実施日後の承認"), default=False, help_text=_("実施日が過ぎてから承認された")
    )
    created_at = models.DateTimeField(_("申請日時"), default=timezone.now)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("テレワーク申請")
        verbose_name_plural = _("テレワーク申請")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["employee", "status"]), models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_location_display()} ({self.get_status_display()})"


class TeleworkDay(models.Model):
    """テレワーク日: one day of a request; its status mirrors the request's. One active day per employee."""

    request = models.ForeignKey(TeleworkRequest, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日付"))
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="telework_days"
    )
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("実施場所"), max_length=20, choices=Location.choices)
    unit = models.CharField(_("実施単位"), max_length=3, choices=DayUnit.choices, default=DayUnit.DAY)
    status = models.CharField(
        _("状態"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    report_reminded_at = models.DateTimeField(_("業務報告の督促日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("テレワーク日")
        verbose_name_plural = _("テレワーク日")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date"],
                condition=Q(status__in=["submitted", "approved"]),
                name="telework_day_one_active_per_employee",
            )
        ]
        indexes = [
            models.Index(fields=["department", "date", "status"]),
            models.Index(fields=["date", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.status}"


class DepartmentDay(models.Model):
    """課の日: a row locked (SELECT FOR UPDATE) while approving telework on that day, so two approvals
    cannot together leave fewer staff in the office than the policy's minimum."""

    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日付"))

    class Meta:
        verbose_name = _("課の日(排他制御)")
        verbose_name_plural = _("課の日(排他制御)")
        constraints = [models.UniqueConstraint(fields=["department", "date"], name="department_day_unique")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.date}"


class DayReport(models.Model):
    """業務報告: what was done on a telework day."""

    day = models.OneToOneField(TeleworkDay, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(_("業務内容"))
    submitted_at = models.DateTimeField(_("提出日時"), default=timezone.now)

    class Meta:
        verbose_name = _("業務報告")
        verbose_name_plural = _("業務報告")

    def __str__(self) -> str:
        return f"{self.day} {self.summary[:20]}"


class CalendarFeedToken(models.Model):
    """iCalendar 配信用トークン: the secret in the feed URL, stored as its SHA-256 only; rotating it
    invalidates the old URL."""

    employee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telework_feed_token"
    )
    token_hash = models.CharField(_("トークンのハッシュ"), max_length=64, unique=True)
    rotated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        verbose_name = _("カレンダー配信トークン")
        verbose_name_plural = _("カレンダー配信トークン")

    def __str__(self) -> str:
        return f"{self.employee_id}"
