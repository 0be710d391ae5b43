"""Shapes of the approvals API: documents with their steps, inbox items, 後閲 items, delegations."""

from collections.abc import Mapping
from datetime import tzinfo
from functools import cache
from operator import attrgetter

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.core import serializers
from approvals.codes import ApprovalsError
from approvals.models import (
    RETENTION_YEARS,
    ActedAs,
    Decision,
    Delegation,
    Document,
    DocumentKind,
    DocumentStatus,
    Step,
    StepApprover,
)
from org.models import Department, Employee


class DocumentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.GENERAL)

    def validate_kind(self, value: str) -> str:
        """Only 起案文書 are drafted here; the other kinds come from their own applications."""
        if value != DocumentKind.GENERAL:
            raise serializers.ValidationError(
                _("この種別はここでは起案できません。"), code=ApprovalsError.INVALID_KIND.value
            )
        return value

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    amount = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    retention_years = serializers.ChoiceField(
        choices=RETENTION_YEARS,
        required=False,
        allow_null=True,
        help_text="保存年限: 1, 3, 5, 10 or 30 years, null = 永年 (permanent, stated explicitly). Left out, the "
        "category's retention applies; without one the draft is refused (400 `retention_required`).",
    )
    consult_departments = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
    )
    corrects = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class DocumentUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    category = serializers.CharField(max_length=50, required=False, allow_blank=True)
    amount = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    retention_years = serializers.ChoiceField(choices=RETENTION_YEARS, required=False, allow_null=True)
    consult_departments = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.filter(is_active=True), many=True, required=False
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActingCommentSerializer(CommentSerializer):
    on_behalf_of = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True, default=None
    )


class ApproveSerializer(ActingCommentSerializer):
    acknowledge_warnings = serializers.BooleanField(required=False, default=False)


class ReturnSerializer(ActingCommentSerializer):
    to_step = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class RemarkSerializer(serializers.Serializer):
    comment = serializers.CharField()


class DecisionSerializer(serializers.ModelSerializer):
    """A row of a step: who must decide, who did and in which capacity, and the post it was routed to
    (`post_position` in `post_department`, empty for a person or a role named by the rule)."""

    class Meta:
        model = StepApprover
        fields = [
            "approver",
            "decision",
            "decided_by",
            "decided_at",
            "on_behalf_of",
            "acted_as",
            "comment",
            "post_position",
            "post_department",
        ]


class StepSerializer(serializers.ModelSerializer):
    """{order, kind, status, approvers: [ids], decided_by, decided_at, on_behalf_of, comment} plus each decision."""

    approvers = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(read_only=True)
    on_behalf_of = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    post_review_of = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = [
            "order",
            "kind",
            "mode",
            "required_count",
            "status",
            "skip_reason",
            "approvers",
            "decided_by",
            "decided_at",
            "on_behalf_of",
            "comment",
            "opened_at",
            "post_review_of",
            "decisions",
        ]

    def _rows(self, step) -> list[StepApprover]:
        return list(step.approvers.all())

    def _decisive(self, step) -> StepApprover | None:
        """The latest row that was decided (the decision that closed the step, for a single approver)."""
        decided = [row for row in self._rows(step) if row.decided_at and row.decision != Decision.NOT_NEEDED]
        return max(decided, key=lambda row: row.decided_at) if decided else None

    def get_approvers(self, step) -> list[int]:
        return [row.approver_id for row in self._rows(step)]

    def get_decided_by(self, step) -> int | None:
        row = self._decisive(step)
        return row.decided_by_id if row else None

    def get_on_behalf_of(self, step) -> int | None:
        row = self._decisive(step)
        return row.on_behalf_of_id if row else None

    def get_comment(self, step) -> str:
        row = self._decisive(step)
        return row.comment if row else ""

    def get_post_review_of(self, step) -> int | None:
        return step.post_review_of.order if step.post_review_of_id else None

    def get_decisions(self, step) -> list[dict]:
        return DecisionSerializer(self._rows(step), many=True).data


# 文書の概要 (a list's document): each key of the representation and the column it reads, as a path from the document
_SUMMARY = (
    *(("id", "id"), ("kind", "kind"), ("title", "title"), ("status", "status"), ("drafter", "drafter_id")),
    *(("drafter_name", "drafter__name"), ("department", "department__code")),
    *(("department_name", "department__name"), ("category", "category"), ("amount", "amount")),
    *(("number", "number"), ("current_step", "current_step_order"), ("created_at", "created_at")),
    *(("submitted_at", "submitted_at"), ("decided_at", "decided_at")),
)
_MOMENTS = frozenset({"created_at", "submitted_at", "decided_at"})
_SUMMARY_ATTRIBUTES = tuple(
    (key, attrgetter(path.replace("__", ".")), key in _MOMENTS) for key, path in _SUMMARY
)


@cache
def _summary_columns(path: str) -> tuple[tuple[str, str, bool], ...]:
    """(key, column, is a moment) of the summary, each column reached from `path`."""
    return tuple((key, f"{path}{column}", key in _MOMENTS) for key, column in _SUMMARY)


class DocumentSummarySerializer(serializers.ModelSerializer):
    drafter_name = serializers.CharField(source="drafter.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    current_step = serializers.IntegerField(source="current_step_order", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "drafter",
            "drafter_name",
            "department",
            "department_name",
            "category",
            "amount",
            "number",
            "current_step",
            "created_at",
            "submitted_at",
            "decided_at",
        ]

    @staticmethod
    def columns(path: str = "") -> list[str]:
        """What it reads, for `QuerySet.only` or `QuerySet.values` (with `path`, the way to the document): a list
        page loads no other column (the bodies, the audit fields), nor anything of the drafter but the name."""
        return [column for _key, column, _moment in _summary_columns(path)]

    def to_representation(self, document):
        """What the declared fields give, written out: DRF's walk over sixteen fields was the largest cost of a
        list page of fifty (bench/README.md). The fields stay declared for the schema; `DocumentSerializer`,
        which adds its own, takes DRF's walk."""
        tz = timezone.get_current_timezone()
        return {
            key: serializers.moment(read(document), tz) if is_moment else read(document)
            for key, read, is_moment in _SUMMARY_ATTRIBUTES
        }

    @staticmethod
    def row_representation(row: Mapping, path: str = "", tz: tzinfo | None = None) -> dict:
        """The same from a row of `QuerySet.values(*columns(path))`, which builds no model instance."""
        tz = tz or timezone.get_current_timezone()
        return {
            key: serializers.moment(row[column], tz) if is_moment else row[column]
            for key, column, is_moment in _summary_columns(path)
        }


class DocumentSerializer(DocumentSummarySerializer):
    to_representation = serializers.ModelSerializer.to_representation

    steps = serializers.SerializerMethodField()
    consult_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    register = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text="the register the number was taken from (none: no number)",
    )

    class Meta(DocumentSummarySerializer.Meta):
        fields = [
            *DocumentSummarySerializer.Meta.fields,
            "body",
            "register",
            "retention_years",
            "consult_departments",
            "payload",
            "corrects",
            "number_seq",
            "fiscal_year",
            "disposal_date",
            "round",
            "route_rule_version",
            "updated_at",
            "steps",
        ]

    def get_steps(self, document) -> list[dict]:
        steps = [step for step in document.steps.all() if step.round == document.round]
        return StepSerializer(steps, many=True).data


class InboxItemSerializer(serializers.ModelSerializer):
    """受信箱の項目: the document, the open step, and in which capacity the caller decides it."""

    document = DocumentSummarySerializer(source="step.document", read_only=True)
    step = serializers.IntegerField(source="step.order", read_only=True)
    step_kind = serializers.CharField(source="step.kind", read_only=True)
    opened_at = serializers.DateTimeField(source="step.opened_at", read_only=True)
    acting_as = serializers.CharField(read_only=True)
    on_behalf_of = serializers.SerializerMethodField()

    class Meta:
        model = StepApprover
        fields = ["id", "document", "step", "step_kind", "opened_at", "approver", "acting_as", "on_behalf_of"]

    def get_on_behalf_of(self, row) -> int | None:
        return None if row["acting_as"] == ActedAs.SELF else row["approver"]

    def to_representation(self, row):
        """What the declared fields give, written out, from a row of `QuerySet.values(*columns())`: a page of
        fifty items built 300 model instances (the item, its approver, step, document, drafter and department),
        which cost more than the query did (bench/README.md)."""
        tz = timezone.get_current_timezone()
        return {
            "id": row["id"],
            "document": DocumentSummarySerializer.row_representation(row, "step__document__", tz),
            "step": row["step__order"],
            "step_kind": row["step__kind"],
            "opened_at": serializers.moment(row["step__opened_at"], tz),
            "approver": row["approver"],
            "acting_as": row["acting_as"],
            "on_behalf_of": self.get_on_behalf_of(row),
        }

    @staticmethod
    def columns() -> list[str]:
        """What a page reads, for `QuerySet.values` (`approver` is its id)."""
        steps = ["step__order", "step__kind", "step__opened_at"]
        return ["id", "approver", "acting_as", *steps, *DocumentSummarySerializer.columns("step__document__")]


class PostReviewItemSerializer(serializers.ModelSerializer):
    """後閲待ち: a decision a deputy took for the caller."""

    document = DocumentSummarySerializer(source="step.document", read_only=True)
    step = serializers.IntegerField(source="step.order", read_only=True)
    decided_step = serializers.IntegerField(source="step.post_review_of.order", read_only=True)
    opened_at = serializers.DateTimeField(source="step.opened_at", read_only=True)

    class Meta:
        model = StepApprover
        fields = ["id", "document", "step", "decided_step", "opened_at"]


class DelegationSerializer(serializers.ModelSerializer):
    delegator_name = serializers.CharField(source="delegator.name", read_only=True)
    delegate_name = serializers.CharField(source="delegate.name", read_only=True)

    class Meta:
        model = Delegation
        fields = [
            "id",
            "delegator",
            "delegator_name",
            "delegate",
            "delegate_name",
            "start",
            "end",
            "kinds",
            "created_at",
            "revoked_at",
        ]


class DelegationCreateSerializer(serializers.Serializer):
    delegator = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True, default=None
    )
    delegate = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False, default=list
    )


class DocumentListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DocumentStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    mine = serializers.BooleanField(required=False, default=False)


class ReassignSerializer(serializers.Serializer):
    """処理者の変更: the step (its order in the current round), the new approver, why; `approver` names the row
    to move when the step has several undecided ones."""

    step = serializers.IntegerField(min_value=1)
    to = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    reason = serializers.CharField(max_length=500)
    approver = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True, default=None
    )


class BulkApproveSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=100
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BulkFailureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class BulkApprovalSerializer(serializers.Serializer):
    """`approved`: the ids decided, in the order given; `failed`: each refused one with its error code."""

    approved = serializers.ListField(child=serializers.IntegerField())
    failed = BulkFailureSerializer(many=True)

    def to_representation(self, instance):
        return {
            "approved": list(instance.approved),
            "failed": [{"id": document_id, "code": code} for document_id, code in instance.failed],
        }
