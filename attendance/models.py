"""勤怠: clock events (append-only), PC log records, work schedules, the day snapshots, month closing, alerts,
overtime orders (時間外勤務命令) and day swaps (週休日の振替)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance import worktime
from core.querysets import AppendOnlyModel


class ClockKind(models.TextChoices):
    IN = worktime.IN, _("出勤")
    OUT = worktime.OUT, _("退勤")
    BREAK_START = worktime.BREAK_START, _("休憩開始")
    BREAK_END = worktime.BREAK_END, _("休憩終了")


class Location(models.TextChoices):
    OFFICE = "office", _("庁舎")
    HOME = "home", _("在宅")
    SATELLITE = "satellite", _("サテライトオフィス")
    MOBILE = "mobile", _("モバイル・外勤")


class DayLocation(models.TextChoices):
    OFFICE = "office", _("庁舎")
    HOME = "home", _("在宅")
    SATELLITE = "satellite", _("サテライトオフィス")
    MOBILE = "mobile", _("モバイル・外勤")
    MIXED = worktime.MIXED, _("複数")


class ClockSource(models.TextChoices):
    WEB = "web", _("Web")
    MOBILE = "mobile", _("モバイルアプリ")
    CORRECTION = "correction", _("打刻修正")
    INTEGRATION = "integration", _("システム連携")


class PcLogKind(models.TextChoices):
    LOGON = worktime.LOGON, _("ログオン")
    LOGOFF = worktime.LOGOFF, _("ログオフ")


class ClockEvent(AppendOnlyModel):
    """打刻: a fact, never edited. A correction adds events whose `corrects` names the event they replace.

    `at` is the moment worked (server time when clocking; the corrected time for a corrective event; the time the
    button was pressed for an offline replay, `offline_replay`); `recorded_at` is always the server time the row
    was written. `work_date` is the day the shift started.
    """

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.PROTECT,
        related_name="clock_events",
    )
    kind = models.CharField(_("種別"), max_length=12, choices=ClockKind.choices)
    at = models.DateTimeField(_("時刻"))
    work_date = models.DateField(_("勤務日"))
    location = models.CharField(_("勤務場所"), max_length=12, choices=Location.choices)
    source = models.CharField(_("打刻元"), max_length=12, choices=ClockSource.choices)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("修正対象の打刻"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    correction = models.ForeignKey(
        "attendance.CorrectionRequest",
        verbose_name=_("打刻修正申請"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_events",
    )
    offline_replay = models.BooleanField(
        _("オフライン打刻"),
        default=False,
        db_default=False,
        help_text=_("端末がオフラインの間に押され、後で送信された打刻"),
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("打刻")
        verbose_name_plural = _("打刻")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["employee", "work_date"], name="clock_employee_day"),
            models.Index(fields=["employee", "-at"], name="clock_employee_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class PcLogEvent(AppendOnlyModel):
    """PCログ: a log-on/log-off reported by a system integration, kept beside the clock events (勤怠差異の確認).

    One row per (system, employee, kind, at): an integration that sends a log again records nothing new. The
    `work_date` is the work day of the shift the log falls in or is nearest to (`worktime_pc_logs.pc_log_work_date`)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("職員"), on_delete=models.PROTECT, related_name="pc_logs"
    )
    kind = models.CharField(_("種別"), max_length=8, choices=PcLogKind.choices)
    at = models.DateTimeField(_("時刻"))
    work_date = models.DateField(_("勤務日"))
    system = models.CharField(_("連携元システム"), max_length=50)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登録者"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("PCログ")
        verbose_name_plural = _("PCログ")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["employee", "work_date"], name="pclog_employee_day")]
        constraints = [
            models.UniqueConstraint(fields=["system", "employee", "kind", "at"], name="pclog_once_per_system")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def default_rest_weekdays() -> list[int]:
    return sorted(worktime.SATURDAY_AND_SUNDAY)


class WorkSchedule(models.Model):
    """勤務時間割: the default day is 8:30–17:15 with 12:00–13:00 off; short-hours (会計年度任用職員), 時差出勤 and
    shift schedules too (an end at or before the start is the next morning). Maintained by HR through
    `attendance.services.schedule_create` / `schedule_update`."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    start = models.TimeField(_("始業"))
    end = models.TimeField(_("終業"), help_text=_("始業以前の時刻は翌日(夜勤)"))
    break_start = models.TimeField(_("休憩開始"), null=True, blank=True)
    break_end = models.TimeField(_("休憩終了"), null=True, blank=True)
    rest_weekdays = models.JSONField(
        _("週休日"), default=default_rest_weekdays, blank=True, help_text=_("曜日の番号(0=月曜 … 6=日曜)")
    )

    class Meta:
        verbose_name = _("勤務時間割")
        verbose_name_plural = _("勤務時間割")
        ordering = ["start", "name"]

    def __str__(self) -> str:
        return self.name

    def as_value(self) -> worktime.Schedule:
        return worktime.Schedule(
            start=self.start,
            end=self.end,
            break_start=self.break_start,
            break_end=self.break_end,
            rest_weekdays=frozenset(self.rest_weekdays or ()),
        )

    @property
    def minutes(self) -> int:
        return self.as_value().minutes


class ScheduleAssignment(models.Model):
    """勤務時間割の割当: an employee works a schedule from `start` until `end` (open-ended when empty)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="schedule_assignments",
    )
    schedule = models.ForeignKey(
        WorkSchedule, verbose_name=_("勤務時間割"), on_delete=models.PROTECT, related_name="assignments"
    )
    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("勤務時間割の割当")
        verbose_name_plural = _("勤務時間割の割当")
        ordering = ["employee", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="schedule_assignment_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["employee", "start"], name="schedule_assignment_from")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.schedule} {self.start}–{self.end or ''}"


class DayKind(models.TextChoices):
    WORKDAY = worktime.WORKDAY, _("勤務日")
    WEEKLY_REST = worktime.WEEKLY_REST, _("週休日")
    HOLIDAY = worktime.HOLIDAY, _("休日")


class DaySummary(models.Model):
    """日次勤務実績: the snapshot of one employee's day, recomputed by `attendance.services` after each change."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="day_summaries",
    )
    date = models.DateField(_("勤務日"))
    first_in = models.DateTimeField(_("出勤時刻"), null=True, blank=True)
    last_out = models.DateTimeField(_("退勤時刻"), null=True, blank=True)
    span_minutes = models.PositiveIntegerField(_("拘束時間(分)"), default=0)
    worked_minutes = models.PositiveIntegerField(_("勤務時間(分)"), default=0)
    break_minutes = models.PositiveIntegerField(_("休憩時間(分)"), default=0)
    overtime_minutes = models.PositiveIntegerField(_("時間外勤務(分)"), default=0)
    ordered_overtime_minutes = models.PositiveIntegerField(
        _("命令された時間外勤務(分)"),
        default=0,
        db_default=0,
        help_text=_("その日の承認済みの時間外勤務命令の合計"),
    )
    late_night_minutes = models.PositiveIntegerField(_("深夜勤務(分)"), default=0)
    holiday_work_minutes = models.PositiveIntegerField(_("休日勤務(分)"), default=0)
    scheduled_minutes = models.PositiveIntegerField(_("所定勤務時間(分)"), default=0)
    late_minutes = models.PositiveIntegerField(_("遅刻(分)"), default=0)
    early_leave_minutes = models.PositiveIntegerField(_("早退(分)"), default=0)
    day_kind = models.CharField(_("区分"), max_length=12, choices=DayKind.choices, default=DayKind.WORKDAY)
    is_holiday = models.BooleanField(
        _("休日"), default=False, help_text=_("勤務日でない日(週休日または休日)")
    )
    location = models.CharField(_("勤務場所"), max_length=12, choices=DayLocation.choices, blank=True)
    anomalies = models.JSONField(_("異常"), default=list, blank=True)
    open_shift = models.BooleanField(_("勤務中"), default=False, help_text=_("出勤後まだ退勤していない"))
    complete = models.BooleanField(
        _("確定"), default=False, help_text=_("計算時に勤務日が終わっていたか(未退勤を異常とするか)")
    )
    computed_at = models.DateTimeField(_("計算日時"), default=timezone.now)

    class Meta:
        verbose_name = _("日次勤務実績")
        verbose_name_plural = _("日次勤務実績")
        ordering = ["date", "employee_id"]
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="day_summary_unique")]
        indexes = [models.Index(fields=["date", "complete"], name="day_summary_date")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"


class MonthStatus(models.TextChoices):
    OPEN = "open", _("未提出")
    SUBMITTED = "submitted", _("提出済み")
    APPROVED = "approved", _("承認済み")
    CLOSED = "closed", _("締め済み")


# 月次勤務表の状態遷移: status → statuses it may move to (services only). An approved or closed month goes back
# to open only by HR's reopening (`timesheet_reopen`, audited).
MONTH_TRANSITIONS = {
    MonthStatus.OPEN: {MonthStatus.SUBMITTED},
    MonthStatus.SUBMITTED: {MonthStatus.APPROVED, MonthStatus.OPEN},
    MonthStatus.APPROVED: {MonthStatus.CLOSED, MonthStatus.OPEN},
    MonthStatus.CLOSED: {MonthStatus.OPEN},
}
# While a timesheet is submitted or approved, the month's days do not change (the approver signs these totals).
MONTH_FROZEN = frozenset({MonthStatus.SUBMITTED, MonthStatus.APPROVED})


class MonthClosing(models.Model):
    """月次勤務表: the employee submits, the director approves, HR closes; a submitted or approved month's days do
    not change, a closed month cannot change at all until HR reopens it."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="month_closings",
    )
    month = models.DateField(_("対象月"), help_text=_("月の初日"))
    status = models.CharField(_("状態"), max_length=12, choices=MonthStatus.choices, default=MonthStatus.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("締め担当者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("締め日時"), null=True, blank=True)
    document = models.ForeignKey(
        "approvals.Document",
        verbose_name=_("文書"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("月次勤務表")
        verbose_name_plural = _("月次勤務表")
        ordering = ["-month", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="month_closing_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="month_closing_first_day"),
        ]
        indexes = [models.Index(fields=["month", "status"], name="month_closing_status")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month:%Y-%m} {self.status}"


class CorrectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("申請中")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("否決")
    WITHDRAWN = "withdrawn", _("取下げ")


class CorrectionRequest(models.Model):
    """打刻修正申請: the events the employee asks to have recorded for a day, decided through its document."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("職員"), on_delete=models.PROTECT, related_name="corrections"
    )
    date = models.DateField(_("勤務日"))
    events = models.JSONField(_("修正後の打刻"), default=list, help_text=_("[{kind, at, location}]"))
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状態"), max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.SUBMITTED
    )
    document = models.ForeignKey(
        "approvals.Document",
        verbose_name=_("文書"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("打刻修正申請")
        verbose_name_plural = _("打刻修正申請")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["employee", "date"], name="correction_employee_day")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.status}"


class AlertKind(models.TextChoices):
    MISSING_CLOCK_OUT = "missing_clock_out", _("退勤打刻忘れ")
    ANOMALY_DIGEST = "anomaly_digest", _("勤怠異常の日次通知")
    MONTHLY_LIMIT = "monthly_limit", _("月の時間外勤務上限")
    YEARLY_LIMIT = "yearly_limit", _("年の時間外勤務上限")
    MULTI_MONTH_AVERAGE = "multi_month_average", _("複数月平均の時間外勤務上限")
    MONTHS_OVER_45H = "months_over_45h", _("月45時間を超える月数")
    INTERVIEW_GUIDANCE = "interview_guidance", _("面接指導(月100時間以上)")
    TELEWORK_WITHOUT_APPROVAL = worktime.TELEWORK_WITHOUT_APPROVAL, _("承認のないテレワーク")
    OPEN_SHIFT_CLOSED = "open_shift_closed", _("退勤打刻のない勤務の締め")


class AttendanceAlert(models.Model):
    """勤怠アラート: one row per alert sent, unique so that a periodic job run twice notifies once.

    `period` names what the alert is about (`2026-06`, `FY2026`, `2026-06-10`); `threshold` is the percentage of
    the limit reached (80 or 100), 0 for reminders.
    """

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="attendance_alerts",
    )
    kind = models.CharField(_("種別"), max_length=32, choices=AlertKind.choices)
    period = models.CharField(_("対象期間"), max_length=20)
    threshold = models.PositiveSmallIntegerField(_("閾値(%)"), default=0)
    value_minutes = models.PositiveIntegerField(_("時間(分)"), default=0)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        verbose_name = _("勤怠アラート")
        verbose_name_plural = _("勤怠アラート")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind", "period", "threshold"], name="attendance_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.period} {self.threshold}%"


class LogGapReason(models.Model):
    """勤怠差異の理由: why a day's clock and its PC log differ, recorded by the employee or a manager who may see
    the day (the 2017 guideline asks that the gap be looked into and its reason kept)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="log_gap_reasons",
    )
    date = models.DateField(_("勤務日"))
    reason = models.TextField(_("理由"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("記録者"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("勤怠差異の理由")
        verbose_name_plural = _("勤怠差異の理由")
        ordering = ["-date", "employee_id"]
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="log_gap_reason_once_a_day")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"


class OrderStatus(models.TextChoices):
    """The status of an overtime order or a day swap: decided through its document; an approved one may still be
    cancelled (取消) before it takes effect."""

    SUBMITTED = "submitted", _("申請中")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("否決")
    WITHDRAWN = "withdrawn", _("取下げ")
    CANCELLED = "cancelled", _("取消")


# status → the statuses an order or a swap may move to (services only).
ORDER_TRANSITIONS = {
    OrderStatus.SUBMITTED: {OrderStatus.APPROVED, OrderStatus.REJECTED, OrderStatus.WITHDRAWN},
    OrderStatus.APPROVED: {OrderStatus.CANCELLED},
    OrderStatus.REJECTED: set(),
    OrderStatus.WITHDRAWN: set(),
    OrderStatus.CANCELLED: set(),
}
# The statuses that hold their days (an overlapping order or swap is refused while one of these stands).
ORDER_ACTIVE = frozenset({OrderStatus.SUBMITTED, OrderStatus.APPROVED})


class DecidedByDocument(models.Model):
    """What an order or a swap has in common: its state, and the document (決裁) that decides it."""

    status = models.CharField(
        _("状態"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED
    )
    document = models.ForeignKey(
        "approvals.Document",
        verbose_name=_("文書"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        abstract = True


class OvertimeOrder(DecidedByDocument):
    """時間外勤務命令: overtime of one day ordered by the employee's director (decided at once), or asked for by
    the employee (事前申請) and decided by the director, through its `overtime` document. `telework`: the order
    covers overtime worked on a telework day."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.PROTECT,
        related_name="overtime_orders",
    )
    date = models.DateField(_("勤務日"))
    start = models.TimeField(_("開始時刻"))
    end = models.TimeField(_("終了時刻"))
    telework = models.BooleanField(_("テレワーク中の時間外勤務"), default=False)
    reason = models.TextField(_("理由・業務内容"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起案者"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("時間外勤務命令")
        verbose_name_plural = _("時間外勤務命令")
        ordering = ["-date", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="overtime_order_end_after_start")
        ]
        indexes = [models.Index(fields=["employee", "date"], name="overtime_order_employee_day")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.start:%H:%M}–{self.end:%H:%M} {self.status}"

    @property
    def minutes(self) -> int:
        return worktime.clock_minutes(self.start, self.end)


class DaySwap(DecidedByDocument):
    """週休日の振替: the employee works `work_date`, a 週休日, and takes `off_date`, a working day, off instead,
    once the director approves its `day_swap` document (人事院規則15-14 第8条 and the towns' 条例 after it)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("職員"), on_delete=models.PROTECT, related_name="day_swaps"
    )
    work_date = models.DateField(_("勤務する週休日"))
    off_date = models.DateField(_("振り替える勤務日"))
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("週休日の振替")
        verbose_name_plural = _("週休日の振替")
        ordering = ["-work_date", "id"]
        indexes = [
            models.Index(fields=["employee", "work_date"], name="day_swap_employee_work"),
            models.Index(fields=["employee", "off_date"], name="day_swap_employee_off"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.work_date}⇄{self.off_date} {self.status}"
