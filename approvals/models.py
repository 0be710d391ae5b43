"""電子決裁の文書: documents of every kind, their route (steps and approvers), route rules, delegations, numbering."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

RETENTION_YEARS = (1, 3, 5, 10, 30)  # 保存年限; null = 永年


class DocumentKind(models.TextChoices):
    GENERAL = "general", _("起案文書")
    TELEWORK = "telework", _("テレワーク申請")
    ATTENDANCE_CORRECTION = "attendance_correction", _("打刻修正申請")
    TIMESHEET = "timesheet", _("月次勤務表")
    OVERTIME = "overtime", _("時間外勤務命令")
    LEAVE = "leave", _("休暇申請")
    DAY_SWAP = "day_swap", _("週休日の振替")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("起案中")
    IN_REVIEW = "in_review", _("回議中")
    RETURNED = "returned", _("差戻し")
    APPROVED = "approved", _("決裁済")
    REJECTED = "rejected", _("否決")
    WITHDRAWN = "withdrawn", _("引上げ")


class Action(models.TextChoices):
    """Actions on a document; also the `action` of its audit events."""

    CREATE = "create", _("起案")
    UPDATE = "update", _("修正")
    SUBMIT = "submit", _("回議")
    APPROVE = "approve", _("承認")
    REJECT = "reject", _("否決")
    RETURN = "return", _("差戻し")
    WITHDRAW = "withdraw", _("引上げ")
    RESUBMIT = "resubmit", _("再回議")
    ACKNOWLEDGE = "acknowledge", _("確認")
    COMMENT = "comment", _("意見")
    DECIDE = "decide", _("決裁")
    REASSIGN = "reassign", _("処理者の変更")


# The state machine: for each status, the actions allowed and the statuses they may lead to.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    DocumentStatus.DRAFT: {
        Action.UPDATE: (DocumentStatus.DRAFT,),
        Action.SUBMIT: (DocumentStatus.IN_REVIEW, DocumentStatus.APPROVED),
        Action.WITHDRAW: (DocumentStatus.WITHDRAWN,),
        Action.COMMENT: (DocumentStatus.DRAFT,),
    },
    DocumentStatus.IN_REVIEW: {
        Action.APPROVE: (DocumentStatus.IN_REVIEW, DocumentStatus.APPROVED),
        Action.REJECT: (DocumentStatus.IN_REVIEW, DocumentStatus.REJECTED),
        Action.RETURN: (DocumentStatus.IN_REVIEW, DocumentStatus.RETURNED),
        Action.ACKNOWLEDGE: (DocumentStatus.IN_REVIEW, DocumentStatus.APPROVED),
        Action.WITHDRAW: (DocumentStatus.WITHDRAWN,),
        Action.COMMENT: (DocumentStatus.IN_REVIEW,),
        Action.REASSIGN: (DocumentStatus.IN_REVIEW,),
    },
    DocumentStatus.RETURNED: {
        Action.UPDATE: (DocumentStatus.RETURNED,),
        Action.RESUBMIT: (DocumentStatus.IN_REVIEW, DocumentStatus.APPROVED),
        Action.WITHDRAW: (DocumentStatus.WITHDRAWN,),
        Action.ACKNOWLEDGE: (DocumentStatus.RETURNED,),
        Action.COMMENT: (DocumentStatus.RETURNED,),
    },
    # Decided documents are immutable; only 後閲/供覧 acknowledgements and comments are still recorded.
    DocumentStatus.APPROVED: {
        Action.ACKNOWLEDGE: (DocumentStatus.APPROVED,),
        Action.COMMENT: (DocumentStatus.APPROVED,),
    },
    DocumentStatus.REJECTED: {
        Action.ACKNOWLEDGE: (DocumentStatus.REJECTED,),
        Action.COMMENT: (DocumentStatus.REJECTED,),
    },
    DocumentStatus.WITHDRAWN: {},
}

DECIDED_STATUSES = frozenset({DocumentStatus.APPROVED, DocumentStatus.REJECTED, DocumentStatus.WITHDRAWN})


def allowed(status: str, action: str) -> bool:
    return action in TRANSITIONS.get(status, {})


class StepKind(models.TextChoices):
    REVIEW = "review", _("回議")
    CONSULT = "consult", _("合議")
    FINAL = "final", _("決裁")
    CIRCULATE = "circulate", _("供覧")
    POST_REVIEW = "post_review", _("後閲")


class StepMode(models.TextChoices):
    ALL = "all", _("全員")
    ANY = "any", _("いずれか")
    N_OF_M = "n_of_m", _("M人中N人")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("未到達")
    WAITING = "waiting", _("処理待ち")
    APPROVED = "approved", _("承認")
    REJECTED = "rejected", _("否決")
    RETURNED = "returned", _("差戻し")
    SKIPPED = "skipped", _("省略")
    ACKNOWLEDGED = "acknowledged", _("確認済")


class Decision(models.TextChoices):
    PENDING = "pending", _("未処理")
    APPROVED = "approved", _("承認")
    REJECTED = "rejected", _("否決")
    RETURNED = "returned", _("差戻し")
    ACKNOWLEDGED = "acknowledged", _("確認")
    NOT_NEEDED = "not_needed", _("不要")


class ActedAs(models.TextChoices):
    SELF = "self", _("本人")
    DELEGATE = "delegate", _("委任")
    PROXY = "proxy", _("代決")


class RouteRule(models.Model):
    """決裁ルート規則: the step template of a kind, versioned. A version in use is never edited; publish a new one."""

    kind = models.CharField(_("種別"), max_length=32, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("版"))
    active = models.BooleanField(_("有効"), default=True)
    steps = models.JSONField(_("ステップ定義"), default=list)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        verbose_name = _("決裁ルート規則")
        verbose_name_plural = _("決裁ルート規則")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="route_rule_kind_version"),
            models.UniqueConstraint(fields=["kind"], condition=Q(active=True), name="route_rule_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Register(models.Model):
    """文書番号簿 (登録簿): where decided documents take their numbers, gapless per fiscal year.

    `number_format` makes the number from `{n}` (the sequence) and, for a register kept per department,
    `{short_name}` (the department's prefix): `{short_name}第{n}号` (文書番号), `テ受第{n}号` (a receipt register).
    """

    code = models.SlugField(_("コード"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    number_format = models.CharField(_("番号の書式"), max_length=60)
    per_department = models.BooleanField(
        _("課ごとに採番"),
        default=False,
        help_text=_("課ごとに番号を振る(文書番号簿)。しない場合は町全体で1つ"),
    )

    class Meta:
        verbose_name = _("文書番号簿")
        verbose_name_plural = _("文書番号簿")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if "{n}" not in self.number_format:
            raise ValidationError({"number_format": _("番号の書式には {n} を含めてください。")})
        if "{short_name}" in self.number_format and not self.per_department:
            raise ValidationError(
                {"number_format": _("{short_name} は課ごとに採番する番号簿でのみ使えます。")}
            )

    def format_number(self, *, n: int, short_name: str) -> str:
        return self.number_format.replace("{short_name}", short_name).replace("{n}", str(n))


class KindPolicy(models.Model):
    """種別の文書規程: the register a kind's documents are numbered in (none: no number), how long they are kept
    and the roles that handle them (see them, and change their attachments with the drafter: HR for the
    attendance kinds). One row per kind, seeded by the migrations.

    Retention: `retention_years`, or `retention_permanent` (永年); neither means the kind leaves it to each
    document (起案文書: the drafter or the category gives it, never permanent by omission)."""

    kind = models.CharField(_("種別"), max_length=32, choices=DocumentKind.choices, unique=True)
    register = models.ForeignKey(
        Register,
        verbose_name=_("文書番号簿"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("空欄は番号を付けない"),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("保存年限"), null=True, blank=True, choices=[(y, y) for y in RETENTION_YEARS]
    )
    retention_permanent = models.BooleanField(_("永年保存"), default=False)
    handling_roles = models.JSONField(
        _("取り扱う役割"),
        default=list,
        blank=True,
        help_text=_("この種別の文書を閲覧し、起案者とともに添付ファイルを変更できる役割(例: hr)"),
    )

    class Meta:
        verbose_name = _("種別の文書規程")
        verbose_name_plural = _("種別の文書規程")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_years__isnull=True) | Q(retention_permanent=False),
                name="kind_policy_one_retention",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def gives_retention(self) -> bool:
        return self.retention_permanent or self.retention_years is not None

    def clean(self) -> None:
        roles = self.handling_roles
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise ValidationError(
                {"handling_roles": _("役割コードの一覧(JSON の文字列の配列)にしてください。")}
            )
        if self.retention_permanent and self.retention_years is not None:
            raise ValidationError({"retention_years": _("永年保存と保存年限は同時に指定できません。")})


class DocumentCategory(models.Model):
    """文書分類 (文書分類表): a category name and the retention its documents get unless the drafter gives one."""

    name = models.CharField(_("分類"), max_length=50, unique=True)
    retention_years = models.PositiveSmallIntegerField(
        _("保存年限"), null=True, blank=True, choices=[(y, y) for y in RETENTION_YEARS]
    )
    retention_permanent = models.BooleanField(_("永年保存"), default=False)

    class Meta:
        verbose_name = _("文書分類")
        verbose_name_plural = _("文書分類")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_years__isnull=True) | Q(retention_permanent=False),
                name="document_category_one_retention",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def gives_retention(self) -> bool:
        return self.retention_permanent or self.retention_years is not None


class Document(models.Model):
    """文書: anything that is routed for approval (起案文書, テレワーク申請, 打刻修正申請, 月次勤務表, 時間外勤務命令)."""

    kind = models.CharField(
        _("種別"), max_length=32, choices=DocumentKind.choices, default=DocumentKind.GENERAL
    )
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"), blank=True)
    category = models.CharField(_("分類"), max_length=50, blank=True)
    amount = models.PositiveBigIntegerField(_("金額(円)"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("保存年限"), null=True, blank=True, help_text=_("空欄は永年保存")
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起案者"),
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("起案課"), on_delete=models.PROTECT, related_name="documents"
    )
    consult_departments = models.ManyToManyField(
        "org.Department", verbose_name=_("合議先"), blank=True, related_name="consulted_documents"
    )
    register = models.ForeignKey(
        Register, verbose_name=_("文書番号簿"), on_delete=models.PROTECT, null=True, blank=True
    )
    number = models.CharField(_("文書番号"), max_length=40, blank=True)
    number_seq = models.PositiveIntegerField(_("番号"), null=True, blank=True)
    fiscal_year = models.PositiveIntegerField(_("決裁年度"), null=True, blank=True)
    decided_at = models.DateTimeField(_("決裁日時"), null=True, blank=True)
    disposal_date = models.DateField(_("廃棄予定日"), null=True, blank=True)
    payload = models.JSONField(_("種別ごとのデータ"), default=dict, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("修正元文書"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    route_rule = models.ForeignKey(
        RouteRule, verbose_name=_("決裁ルート規則"), on_delete=models.PROTECT, null=True, blank=True
    )
    route_rule_version = models.PositiveIntegerField(_("ルート規則の版"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("回付回数"), default=0)
    current_step_order = models.PositiveSmallIntegerField(_("現在のステップ"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("回議日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("文書")
        verbose_name_plural = _("文書")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "fiscal_year", "number"],
                condition=~Q(number=""),
                name="document_number_unique_in_register",
            ),
        ]
        indexes = [models.Index(fields=["drafter", "status"]), models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES


class DocumentUserObjectPermission(UserObjectPermissionBase):
    """guardian's direct-foreign-key user permission on a document (`view_document`)."""

    content_object = models.ForeignKey(Document, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("文書の閲覧権限")
        verbose_name_plural = _("文書の閲覧権限")


class DocumentGroupObjectPermission(GroupObjectPermissionBase):
    """guardian's direct-foreign-key group permission on a document."""

    content_object = models.ForeignKey(Document, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("文書の閲覧権限(グループ)")
        verbose_name_plural = _("文書の閲覧権限(グループ)")


class Step(models.Model):
    """ステップ: one stage of a document's route in one round of circulation (回付)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(_("回付回数"), default=1)
    order = models.PositiveSmallIntegerField(_("順序"))
    kind = models.CharField(_("種類"), max_length=20, choices=StepKind.choices)
    mode = models.CharField(_("方式"), max_length=10, choices=StepMode.choices, default=StepMode.ALL)
    required_count = models.PositiveSmallIntegerField(_("必要承認数"), default=1)
    status = models.CharField(
        _("状態"), max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    skip_reason = models.CharField(_("省略理由"), max_length=40, blank=True)
    post_review_of = models.ForeignKey(
        "self",
        verbose_name=_("代決されたステップ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="post_reviews",
    )
    opened_at = models.DateTimeField(_("到達日時"), null=True, blank=True)
    decided_at = models.DateTimeField(_("処理日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("ステップ")
        verbose_name_plural = _("ステップ")
        ordering = ["document", "round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "round", "order"], name="step_document_round_order"),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.document_id}-{self.round}-{self.order} {self.get_kind_display()}"


class StepApprover(models.Model):
    """ステップの処理者: who must decide a step, and who did (self, a delegate or a deputy) and when."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="approvers")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("処理者"),
        on_delete=models.PROTECT,
        related_name="step_assignments",
    )
    decision = models.CharField(_("判断"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実際の処理者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代理元"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acted_as = models.CharField(_("処理の資格"), max_length=10, choices=ActedAs.choices, blank=True)
    decided_at = models.DateTimeField(_("処理日時"), null=True, blank=True)
    comment = models.TextField(_("コメント"), blank=True)
    # The post the row was routed to (a position in a department or section, or a town-wide one); empty for a
    # person or a role named by the rule. A 人事異動 moves the row to the post's new holder.
    post_position = models.CharField(_("職"), max_length=20, blank=True)
    post_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("職の課"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    post_section = models.ForeignKey(
        "org.Section",
        verbose_name=_("職の係"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ステップの処理者")
        verbose_name_plural = _("ステップの処理者")
        ordering = ["step", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "approver"], name="step_approver_unique")]
        indexes = [models.Index(fields=["approver", "decision"])]

    def __str__(self) -> str:
        return f"{self.step} {self.approver_id} {self.decision}"


class Comment(models.Model):
    """意見: a remark on a document that is not a decision."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("本文"))
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        verbose_name = _("意見")
        verbose_name_plural = _("意見")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class Delegation(models.Model):
    """委任: for a period the delegate decides the delegator's items as themselves (`on_behalf_of` recorded)."""

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委任者"),
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受任者"),
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"))
    kinds = models.JSONField(_("対象種別"), default=list, blank=True, help_text=_("空はすべての種別"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    revoked_at = models.DateTimeField(
        _("取消日時"), null=True, blank=True, help_text=_("取り消された時点から委任は効力を失う")
    )

    class Meta:
        verbose_name = _("委任")
        verbose_name_plural = _("委任")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="delegation_end_after_start"
            ),
            models.CheckConstraint(condition=~Q(delegate=models.F("delegator")), name="delegation_not_self"),
        ]
        indexes = [models.Index(fields=["delegate", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.start}–{self.end})"

    def covers(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def phase_on(self, day) -> str:
        """Where the delegation stands on the day: `revoked` (取消), `ended` (終了), `upcoming` (予定) or
        `running` (委任中)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.end < day:
            return "ended"
        return "upcoming" if self.start > day else "running"


class DocumentNumberCounter(models.Model):
    """採番: the last number of a register per fiscal year (and department, for a register kept per department),
    locked while numbering (gapless)."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="counters")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fiscal_year = models.PositiveIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("最終番号"), default=0)

    class Meta:
        verbose_name = _("文書番号カウンタ")
        verbose_name_plural = _("文書番号カウンタ")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "department", "fiscal_year"],
                condition=Q(department__isnull=False),
                name="number_counter_unique_per_department",
            ),
            models.UniqueConstraint(
                fields=["register", "fiscal_year"],
                condition=Q(department__isnull=True),
                name="number_counter_unique_town_wide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.department or ''} {self.fiscal_year}: {self.last}"


from approvals.models_posts import *  # noqa: E402, F403
from approvals.models_record import *  # noqa: E402, F403
from approvals.models_reminders import *  # noqa: E402, F403
