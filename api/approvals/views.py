"""Approvals endpoints: documents and their actions, the inbox, pending 後閲, delegations, 一括承認."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.approvals.serializers import (
    ActingCommentSerializer,
    ApproveSerializer,
    BulkApprovalSerializer,
    BulkApproveSerializer,
    CommentSerializer,
    DelegationCreateSerializer,
    DelegationSerializer,
    DocumentCreateSerializer,
    DocumentListQuerySerializer,
    DocumentSerializer,
    DocumentSummarySerializer,
    DocumentUpdateSerializer,
    InboxItemSerializer,
    PostReviewItemSerializer,
    ReassignSerializer,
    RemarkSerializer,
    ReturnSerializer,
)
from api.core.idempotency import idempotent
from api.core.pagination import CountedPagination
from api.core.schema import error_codes
from approvals import selectors, services
from approvals.codes import ApprovalsError as E
from approvals.models import Delegation, Document, StepApprover
from attendance.codes import AttendanceError
from core.errors import CoreError
from telework.codes import TeleworkError
from telework.rules import RULE_CODES

# The codes each kind of action can answer (besides the generic ones of its statuses).
SEEN = (E.DOCUMENT_NOT_FOUND,)
DRAFTER_ACTION = (*SEEN, E.NOT_DRAFTER, E.ALREADY_DECIDED, CoreError.INVALID_STATE)
DECISION = (
    *SEEN,
    E.NOT_AN_APPROVER,
    E.DRAFTER_CANNOT_DECIDE,
    E.CONSULT_OTHER_DEPARTMENT,
    E.ALREADY_DECIDED,
    E.NOT_YOUR_TURN,
    E.ONE_ROW_PER_STEP,
    CoreError.INVALID_STATE,
)
ROUTING = (E.NO_ROUTE_RULE, E.NO_FINAL_APPROVER, E.VACANT_POST)
# The kinds' `on_approved` handlers (approvals.registry) when an action approves a document: telework checks its
# rules again (422 listing every violation, RULE_CODES) and its request's state, a correction and a leave refuse
# a month closed or signed.
ON_APPROVED_CODES = (
    CoreError.RULE_VIOLATION,
    CoreError.INVALID_STATE,
    AttendanceError.MONTH_CLOSED,
    AttendanceError.TIMESHEET_SUBMITTED,
)
DRAFT_FIELDS = (
    CoreError.REQUIRED,
    E.INVALID_RETENTION,
    E.INVALID_AMOUNT,
    E.RETENTION_REQUIRED,
    E.CONSULT_OWN_DEPARTMENT,
)


def _detail(document_id: int, user) -> dict:
    document = selectors.document_for_user(
        document_id=document_id, user=user, queryset=selectors.document_detail_queryset()
    )
    return DocumentSerializer(document).data


class DocumentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """文書: drafts, routing and decisions. Documents the caller may not see answer 404."""

    serializer_class = DocumentSerializer
    queryset = Document.objects.none()
    pagination_class = CountedPagination
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        query = DocumentListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.documents_visible_to(user=self.request.user, **query.validated_data)

    def _document(self, pk):
        return selectors.document_for_user(document_id=pk, user=self.request.user)

    def _respond(self, document, code=status.HTTP_200_OK):
        return Response(_detail(document.pk, self.request.user), status=code)

    def _act(self, pk, serializer_class, service):
        """An action on the document: the body's shape first (400), then the document the caller may see (404),
        then the service; the answer is the document as it is now."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        document = service(document=self._document(pk), actor=self.request.user, **serializer.validated_data)
        return self._respond(document)

    @extend_schema(
        parameters=[DocumentListQuerySerializer], responses={200: DocumentSummarySerializer(many=True)}
    )
    @error_codes()
    def list(self, request, *args, **kwargs):
        # a page read as rows (QuerySet.values), as the inbox's: no model instance for a document, its drafter, its
        # department
        page = self.paginate_queryset(self.get_queryset().values(*DocumentSummarySerializer.columns()))
        tz = timezone.get_current_timezone()
        return self.get_paginated_response(
            [DocumentSummarySerializer.row_representation(row, tz=tz) for row in page]
        )

    @extend_schema(request=DocumentCreateSerializer, responses={201: DocumentSerializer})
    @error_codes(E.NO_DEPARTMENT, E.DOCUMENT_NOT_FOUND, E.NOT_DECIDED, fields=(E.INVALID_KIND, *DRAFT_FIELDS))
    @idempotent
    def create(self, request):
        serializer = DocumentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        corrects = data.pop("corrects")
        if corrects is not None:
            corrects = selectors.document_for_user(document_id=corrects, user=request.user)
        document = services.document_create(drafter=request.user, corrects=corrects, **data)
        return self._respond(document, status.HTTP_201_CREATED)

    @extend_schema(responses={200: DocumentSerializer})
    @error_codes(*SEEN)
    def retrieve(self, request, pk=None):
        return Response(_detail(pk, request.user))

    @extend_schema(
        request=DocumentUpdateSerializer,
        responses={200: DocumentSerializer},
        description="修正 of a draft or returned 起案文書 by its drafter. Other kinds change through their own "
        "application (409 `kind_not_editable`).",
    )
    @error_codes(*DRAFTER_ACTION, E.KIND_NOT_EDITABLE, fields=(*DRAFT_FIELDS, CoreError.READ_ONLY))
    def partial_update(self, request, pk=None):
        document = self._document(pk)
        serializer = DocumentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        document = services.document_update(
            document=document, actor=request.user, **serializer.validated_data
        )
        return self._respond(document)

    @extend_schema(
        request=CommentSerializer,
        responses={200: DocumentSerializer},
        description="回議: the route is built from the kind's rule. A post nobody holds (nor its acting holder) "
        "refuses it: 422 `vacant_post` (`no_final_approver` for the 決裁) with each vacancy in `errors` "
        "(`params`: step, kind, department, position).",
    )
    @error_codes(*DRAFTER_ACTION, *ROUTING, fields=(E.VACANT_POST,))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(pk, CommentSerializer, services.document_submit)

    @extend_schema(request=CommentSerializer, responses={200: DocumentSerializer})
    @error_codes(*DRAFTER_ACTION, *ROUTING, *ON_APPROVED_CODES, fields=(E.VACANT_POST, *RULE_CODES))
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._act(pk, CommentSerializer, services.document_resubmit)

    @extend_schema(
        request=ApproveSerializer,
        responses={200: DocumentSerializer},
        description="承認/決裁 as the approver, their delegate (委任) or deputy (代決). Never by the drafter "
        "(403 `drafter_cannot_decide`), never a second row of one step (409 `one_row_per_step`), another "
        "department's 合議 never as its delegate or deputy (403 `consult_other_department`).",
    )
    @error_codes(*DECISION, TeleworkError.WARNINGS_NOT_ACKNOWLEDGED, *ON_APPROVED_CODES, fields=RULE_CODES)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(pk, ApproveSerializer, services.document_approve)

    @extend_schema(request=ActingCommentSerializer, responses={200: DocumentSerializer})
    @error_codes(*DECISION)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(pk, ActingCommentSerializer, services.document_reject)

    @extend_schema(request=ReturnSerializer, responses={200: DocumentSerializer})
    @error_codes(*DECISION, E.INVALID_TO_STEP, fields=(E.INVALID_TO_STEP,))
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(pk, ReturnSerializer, services.document_return)

    @extend_schema(request=CommentSerializer, responses={200: DocumentSerializer})
    @error_codes(*DRAFTER_ACTION)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(pk, CommentSerializer, services.document_withdraw)

    @extend_schema(request=ActingCommentSerializer, responses={200: DocumentSerializer})
    @error_codes(
        *SEEN,
        E.NOT_AN_APPROVER,
        E.ALREADY_DECIDED,
        E.NOT_YOUR_TURN,
        CoreError.INVALID_STATE,
        *ON_APPROVED_CODES,
        fields=RULE_CODES,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._act(pk, ActingCommentSerializer, services.document_acknowledge)

    @extend_schema(request=RemarkSerializer, responses={201: DocumentSerializer})
    @error_codes(*SEEN, CoreError.INVALID_STATE, fields=(CoreError.REQUIRED,))
    @action(detail=True, methods=["post"])
    @idempotent
    def comment(self, request, pk=None):
        serializer = RemarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = self._document(pk)
        services.document_comment(document=document, actor=request.user, **serializer.validated_data)
        return self._respond(document, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReassignSerializer,
        responses={200: DocumentSerializer},
        description="処理者の変更 (an admin, or a 文書主任 of the document's department, who need not be on the "
        "route): the undecided row of `step` (of the current round) goes to `to`, audited with `reason`. "
        "`approver` names the row when the step has several.",
    )
    @error_codes(
        *SEEN,
        E.NOT_DOCUMENT_OFFICER,
        E.ALREADY_DECIDED,
        CoreError.INVALID_STATE,
        E.STEP_NOT_OPEN,
        E.UNKNOWN_STEP,
        fields=(
            CoreError.REQUIRED,
            E.APPROVER_REQUIRED,
            E.UNKNOWN_STEP,
            E.INACTIVE,
            E.REASSIGN_TO_DRAFTER,
            E.REASSIGN_TARGET_ON_STEP,
        ),
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        serializer = ReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.step_reassign(
            document=selectors.document_get(document_id=pk), actor=request.user, **serializer.validated_data
        )
        # the officer acted on the document: they get it back, on the route or not
        return Response(DocumentSerializer(selectors.document_detail_queryset().get(pk=document.pk)).data)


@error_codes()
class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """受信箱: what waits for the caller's decision now, every kind, delegations and 代決 included."""

    serializer_class = InboxItemSerializer
    queryset = StepApprover.objects.none()
    pagination_class = CountedPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.inbox_for(user=self.request.user).values(*InboxItemSerializer.columns())


@error_codes()
class PostReviewViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """後閲待ち: the caller's decisions taken by a deputy, to acknowledge (POST …/documents/{id}/acknowledge/)."""

    serializer_class = PostReviewItemSerializer
    queryset = StepApprover.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.post_reviews_for(user=self.request.user)


@error_codes()
class DelegationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """委任: the caller's delegations given and received; POST gives one (the caller is the delegator, or an
    admin names the delegator)."""

    serializer_class = DelegationSerializer
    queryset = Delegation.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.delegations_of(user=self.request.user)

    @extend_schema(request=DelegationCreateSerializer, responses={201: DelegationSerializer})
    @error_codes(
        E.NOT_DELEGATOR,
        fields=(E.SELF_DELEGATION, E.INACTIVE),
        rule_fields=(CoreError.END_BEFORE_START, E.INVALID_KIND),
    )
    @idempotent
    def create(self, request):
        serializer = DelegationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["delegator"] = data["delegator"] or request.user
        delegation = services.delegation_create(actor=request.user, **data)
        return Response(DelegationSerializer(delegation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DelegationSerializer, 204: None})
    @error_codes(E.DELEGATION_NOT_FOUND, E.DELEGATION_ENDED)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """委任の取消 by the delegator (or an admin): a running delegation stops at once (`revoked_at`; 200 with
        it), one not yet started is deleted (204). Anyone else: 404."""
        delegation = services.delegation_revoke(
            delegation=selectors.delegation_get(delegation_id=int(pk)), actor=request.user
        )
        if delegation is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(DelegationSerializer(delegation).data)


class BulkApproveView(APIView):
    """一括承認: the caller approves several documents at once, each in its own transaction (one refusal leaves
    the others decided), for the kinds that allow it (timesheets, telework requests)."""

    @extend_schema(
        request=BulkApproveSerializer,
        responses={200: BulkApprovalSerializer},
        description="`failed` lists each document not approved with its code: `document_not_found`, "
        "`bulk_not_allowed` (the kind needs a decision of its own), or the refusal of the approval "
        "(`not_your_turn`, `already_decided`, `drafter_cannot_decide`, `one_row_per_step`, `rule_violation` "
        "for warnings to acknowledge one by one...).",
    )
    @error_codes()
    @idempotent
    def post(self, request):
        serializer = BulkApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.documents_bulk_approve(
            actor=request.user,
            document_ids=serializer.validated_data["documents"],
            comment=serializer.validated_data["comment"],
        )
        return Response(BulkApprovalSerializer(result).data)
