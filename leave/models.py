"""休暇: leave types as data (勤務時間条例の休暇), the table that pro-rates the annual grant of staff hired during
the year, annual grants and carry-over (年次休暇の付与・繰越), leave requests and their days."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TypeUnit(models.TextChoices):
    """The units a leave type may be taken in."""

    DAY = "day", _("1日")
    HALF_DAY = "half_day", _("半日")
    HOUR = "hour", _("時間")


class RequestUnit(models.TextChoices):
    """The unit of one request: whole days, the morning, the afternoon, or hours of one day."""

    DAY = "day", _("1日")
    AM = "am", _("午前")
    PM = "pm", _("午後")
    HOURS = "hours", _("時間")


# The type unit each request unit needs.
UNIT_NEEDS = {
    RequestUnit.DAY: TypeUnit.DAY,
    RequestUnit.AM: TypeUnit.HALF_DAY,
    RequestUnit.PM: TypeUnit.HALF_DAY,
    RequestUnit.HOURS: TypeUnit.HOUR,
}


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


# The code of annual leave (年次休暇), the type with a balance that the demo and the seed data name.
ANNUAL = "annual"


class LeaveType(models.Model):
    """休暇の種類: its units, whether it is paid, whether it draws on the annual balance, its yearly or per-event
    limit, its window in the year (MM-DD to MM-DD) and the length beyond which a 診断書 is needed."""

    code = models.SlugField(_("コード"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    units = models.JSONField(_("取得単位"), default=list, help_text=_("day / half_day / hour"))
    paid = models.BooleanField(_("有給"), default=True)
    balance = models.BooleanField(_("年次休暇の残日数を使う"), default=False)
    max_days_per_year = models.DecimalField(
        _("年間の上限日数"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    max_days_per_event = models.DecimalField(
        _("1回(事由ごと)の上限日数"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    window_start = models.CharField(_("取得期間の始め(MM-DD)"), max_length=5, blank=True)
    window_end = models.CharField(_("取得期間の終わり(MM-DD)"), max_length=5, blank=True)
    needs_attachment_after_days = models.PositiveSmallIntegerField(
        _("診断書等が必要となる日数"),
        null=True,
        blank=True,
        help_text=_("この日数を超える申請は、決裁までに添付ファイル(診断書等)が必要"),
    )
    long_after_days = models.PositiveSmallIntegerField(
        _("長期の日数"),
        null=True,
        blank=True,
        help_text=_("この日数を超える申請の文書分類は「<コード>_long」(決裁ルートの category_in で使う)"),
    )
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("休暇の種類")
        verbose_name_plural = _("休暇の種類")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def window(self) -> dict | None:
        return {"start": self.window_start, "end": self.window_end} if self.window_start else None


class ProrationRow(models.Model):
    """年の中途採用者の年次休暇: the days granted to someone hired in the n-th month of the leave year."""

    month = models.PositiveSmallIntegerField(_("採用月(年度の何か月目)"), unique=True)
    days = models.DecimalField(_("付与日数"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("中途採用者の付与日数")
        verbose_name_plural = _("中途採用者の付与日数")
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="proration_month")
        ]

    def __str__(self) -> str:
        return f"{self.month}: {self.days}"


class AnnualGrant(models.Model):
    """年次休暇の付与: one employee's grant for one leave year and the carry-over from the year before, in minutes
    at `day_minutes` a day (the scheduled day's length when it was granted)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="leave_grants",
    )
    year = models.PositiveSmallIntegerField(_("年"))
    granted_minutes = models.DecimalField(_("付与(分)"), max_digits=8, decimal_places=1)
    carried_minutes = models.DecimalField(_("繰越(分)"), max_digits=8, decimal_places=1, default=Decimal(0))
    day_minutes = models.PositiveSmallIntegerField(_("1日の時間(分)"))
    granted_on = models.DateField(_("付与日"))
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("年次休暇の付与")
        verbose_name_plural = _("年次休暇の付与")
        ordering = ["-year", "employee_id"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="annual_grant_unique")]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}"


class LeaveRequest(models.Model):
    """休暇の申請: a type, a span of days (or half a day, or hours of one day), approved through its `leave`
    document. `minutes` is what it charges (at the grant's day length), `from_carried` the part of it drawn on the
    carry-over (oldest days first)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請者"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("課"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    leave_type = models.ForeignKey(
        LeaveType, verbose_name=_("種類"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("開始日"))
    end_date = models.DateField(_("終了日"))
    unit = models.CharField(_("単位"), max_length=5, choices=RequestUnit.choices)
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    year = models.PositiveSmallIntegerField(_("年"))
    days = models.DecimalField(_("日数"), max_digits=5, decimal_places=1, default=Decimal(0))
    minutes = models.DecimalField(_("時間(分)"), max_digits=8, decimal_places=1, default=Decimal(0))
    from_carried = models.DecimalField(
        _("うち繰越分(分)"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    document = models.OneToOneField(
        "approvals.Document",
        verbose_name=_("決裁文書"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leave_request",
    )
    absence = models.OneToOneField(
        "org.Absence",
        verbose_name=_("不在"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leave_request",
    )
    warnings = models.JSONField(_("警告"), default=list, blank=True)
    created_at = models.DateTimeField(_("申請日時"), default=timezone.now)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("休暇の申請")
        verbose_name_plural = _("休暇の申請")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="leave_end_after_start")
        ]
        indexes = [models.Index(fields=["employee", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.leave_type} {self.start_date}"

    @property
    def hours(self) -> Decimal:
        return (self.minutes / 60).quantize(Decimal("0.01")) if self.unit == RequestUnit.HOURS else Decimal(0)


class LeaveDay(models.Model):
    """One working day of a request (holidays and closure days inside its span are not days of it)."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="leave_days")
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日付"))
    unit = models.CharField(_("単位"), max_length=5, choices=RequestUnit.choices)
    minutes = models.DecimalField(_("時間(分)"), max_digits=6, decimal_places=1)
    status = models.CharField(_("状態"), max_length=20, choices=RequestStatus.choices)

    class Meta:
        verbose_name = _("休暇の日")
        verbose_name_plural = _("休暇の日")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["employee", "date", "status"]),
            models.Index(fields=["date", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.unit}"
