"""Departments (課), employees (職員) with their position and roles, absences, town closure days, login failures,
the security event log and the API tokens."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from core.querysets import AppendOnlyModel


class Position(models.TextChoices):
    """職位, lowest first. `rank` orders them for the reporting line and route rules."""

    STAFF = "staff", _("主事")
    SENIOR = "senior", _("主任")
    CHIEF = "chief", _("係長")
    ASSISTANT_DIRECTOR = "assistant_director", _("課長補佐")
    DIRECTOR = "director", _("課長")
    DEPUTY_MAYOR = "deputy_mayor", _("副町長")
    MAYOR = "mayor", _("町長")

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("正規職員")
    FIXED_TERM = "fixed_term", _("会計年度任用職員")


class RoleCode(models.TextChoices):
    STAFF = "staff", _("職員")
    MANAGER = "manager", _("管理職")
    SECRETARIAT = "secretariat", _("デジタル推進係")
    HR = "hr", _("人事・総務係")
    ADMIN = "admin", _("システム管理者")
    DOCUMENT_OFFICER = "document_officer", _("文書主任")


MANAGER_POSITIONS = frozenset(
    {Position.CHIEF, Position.ASSISTANT_DIRECTOR, Position.DIRECTOR, Position.DEPUTY_MAYOR, Position.MAYOR}
)


class Department(models.Model):
    """課. `short_name` is the prefix of document numbers (南富総第12号)."""

    code = models.SlugField(_("コード"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("文書番号略称"), max_length=20)
    sort_order = models.PositiveIntegerField(_("表示順"), default=0)
    overtime_exempt = models.BooleanField(
        _("他律的業務"), default=False, help_text=_("時間外勤務の上限が月100時間・複数月平均80時間になる部署")
    )
    is_active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("課")
        verbose_name_plural = _("課")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """役割: what an employee may do beyond their own records."""

    code = models.CharField(_("コード"), max_length=20, primary_key=True, choices=RoleCode.choices)

    class Meta:
        verbose_name = _("役割")
        verbose_name_plural = _("役割")

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class Section(models.Model):
    """係: a section of a department (総務係, デジタル推進係). Its chief (係長) heads the routes of its members."""

    department = models.ForeignKey(
        Department, verbose_name=_("課"), on_delete=models.PROTECT, related_name="sections"
    )
    code = models.SlugField(_("コード"), max_length=32)
    name = models.CharField(_("名称"), max_length=100)
    chief = models.ForeignKey(
        "org.Employee",
        verbose_name=_("係長"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections_led",
    )
    sort_order = models.PositiveIntegerField(_("表示順"), default=0)
    is_active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("係")
        verbose_name_plural = _("係")
        ordering = ["department__sort_order", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="section_code_unique_in_department")
        ]

    def __str__(self) -> str:
        return f"{self.department.name} {self.name}" if self.department_id else self.name


class EmployeeManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("name", username)
        user = super().create_superuser(username, email, password, **extra_fields)
        user.roles.add(*Role.objects.filter(code__in=[RoleCode.ADMIN, RoleCode.STAFF]))
        return user


class Employee(AbstractUser):
    """職員: the login account and the person on the organisation chart."""

    name = models.CharField(_("氏名"), max_length=100)
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属"),
        on_delete=models.PROTECT,
        related_name="employees",
        null=True,
        blank=True,
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("係"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    position = models.CharField(_("職位"), max_length=20, choices=Position.choices, default=Position.STAFF)
    employee_number = models.CharField(
        _("職員番号"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("給与システムの職員番号"),
    )
    external_id = models.CharField(
        _("外部ID"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("PCログ等の連携システムが職員を識別するID"),
    )
    employment_type = models.CharField(
        _("任用形態"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.REGULAR
    )
    hired_on = models.DateField(_("採用日"), null=True, blank=True)
    retired_on = models.DateField(_("退職日"), null=True, blank=True)
    deputy = models.ForeignKey(
        "self",
        verbose_name=_("代決者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_for",
    )
    security_training_fy = models.PositiveIntegerField(
        _("情報セキュリティ研修受講年度"), null=True, blank=True
    )
    security_pledge_signed = models.BooleanField(_("情報セキュリティ誓約書"), default=False)
    roles = models.ManyToManyField(Role, verbose_name=_("役割"), blank=True, related_name="employees")

    objects = EmployeeManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")
        ordering = ["department__sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deputy=F("id")),
                name="employee_not_own_deputy",
                violation_error_message=_("本人を代決者にはできません。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def role_codes(self) -> set[str]:
        """Role codes; a superuser always has `admin`. Uses prefetched roles when present."""
        codes = {role.code for role in self.roles.all()}
        if self.is_superuser:
            codes.add(RoleCode.ADMIN)
        return codes

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes & set(codes))

    @property
    def position_rank(self) -> int:
        return Position.rank(self.position)


class Assignment(models.Model):
    """配属: where an employee stood from `start` to `end` (both inclusive; `end` empty while it lasts).

    The history of 人事異動: a transfer closes the open row the day before its effective day and opens a new
    one. Statistics of a past day read the row of that day, never the employee's current department.
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("職員"), on_delete=models.CASCADE, related_name="assignments"
    )
    start = models.DateField(_("発令日"))
    end = models.DateField(_("終了日"), null=True, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("係"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.CharField(_("職位"), max_length=20, choices=Position.choices)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        Employee, verbose_name=_("登録者"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("配属")
        verbose_name_plural = _("配属履歴")
        ordering = ["employee", "start"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "start"], name="assignment_one_per_start"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="assignment_end_after_start",
                violation_error_message=_("終了日は発令日以降にしてください。"),
            ),
        ]
        indexes = [models.Index(fields=["department", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.start}– {self.department or '-'} {self.get_position_display()}"

    def covers(self, day) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class Absence(models.Model):
    """不在: an approver away (leave, business trip), so their deputy may decide for them (代決)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("職員"), on_delete=models.CASCADE, related_name="absences"
    )
    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"))
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        Employee, verbose_name=_("登録者"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("不在")
        verbose_name_plural = _("不在")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="absence_end_after_start",
                violation_error_message=_("終了日は開始日以降にしてください。"),
            )
        ]
        indexes = [models.Index(fields=["employee", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.start}–{self.end}"


class ClosedDay(models.Model):
    """閉庁日 beyond weekends, national holidays and 12/29–1/3 (e.g. a town anniversary)."""

    date = models.DateField(_("日付"), unique=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("閉庁日")
        verbose_name_plural = _("閉庁日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class LoginFailure(models.Model):
    """ログイン失敗: consecutive wrong passwords for one username (known or not) from one client address, or, with
    an empty username, from one address for any username; and the lock they caused (`org.login`)."""

    username = models.CharField(_("ユーザー名"), max_length=150, blank=True)
    address = models.CharField(_("接続元アドレス"), max_length=45, blank=True)
    failures = models.PositiveIntegerField(_("連続失敗回数"), default=0)
    last_failed_at = models.DateTimeField(_("最終失敗日時"), null=True, blank=True)
    locked_until = models.DateTimeField(_("ロック期限"), null=True, blank=True)

    class Meta:
        db_table = (
            "api_loginfailure"  # the table it had in `api`, whose state moved here (migration org 0004)
        )
        verbose_name = _("ログイン失敗")
        verbose_name_plural = _("ログイン失敗")
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="login_failure_one_per_address")
        ]
        indexes = [models.Index(fields=["last_failed_at"])]

    def __str__(self) -> str:
        return f"{self.username or '*'}@{self.address or '-'} ×{self.failures}"


class SecurityAction(models.TextChoices):
    """What a security event records."""

    PASSWORD_RESET = "password_reset", _("パスワード再設定(他者)")
    PASSWORD_CHANGED = "password_changed", _("パスワード変更(本人)")
    PRIVILEGES_CHANGED = "privileges_changed", _("特権・権限の変更")
    ACCOUNT_LOCKED = "account_locked", _("ログインのロック")
    ACCOUNT_UNLOCKED = "account_unlocked", _("ログインのロック解除")
    TOKEN_REVOKED = "token_revoked", _("APIトークンの失効")
    ABSENCE_RECORDED = "absence_recorded", _("不在の登録")
    ABSENCE_DELETED = "absence_deleted", _("不在の取消")


class SecurityEvent(AppendOnlyModel):
    """セキュリティ監査ログ: who did what to whose account, when, from where; written once, never changed.

    `actor` empty is a trusted caller (a management command, the system); `subject` is the account concerned.
    Both names are kept beside the references (`subject_username` also for a username that has no account, as a
    lockout's), and the references have no database constraint: the log outlives any account it names."""

    at = models.DateTimeField(_("発生日時"), default=timezone.now, db_index=True)
    action = models.CharField(_("操作"), max_length=30, choices=SecurityAction.choices)
    actor = models.ForeignKey(
        "org.Employee",
        verbose_name=_("操作者"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("操作者ユーザー名"), max_length=150, blank=True)
    subject = models.ForeignKey(
        "org.Employee",
        verbose_name=_("対象者"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="security_events",
    )
    subject_username = models.CharField(_("対象ユーザー名"), max_length=150, blank=True)
    address = models.CharField(_("接続元アドレス"), max_length=45, blank=True)
    data = models.JSONField(_("詳細"), default=dict, blank=True)

    class Meta:
        verbose_name = _("セキュリティ監査ログ")
        verbose_name_plural = _("セキュリティ監査ログ")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject_username}"


class AccessToken(AbstractAuthToken):
    """APIトークン: one per login (device), named by the client, kept only as a SHA-512 digest (the token itself
    is shown once, at login), with an absolute expiry (REST_KNOX["TOKEN_TTL"])."""

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(_("端末名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} {self.name or self.token_key}"
