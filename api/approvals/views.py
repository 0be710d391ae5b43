"""Approvals endpoints: documents and their actions, the inbox, pending 後閲, delegations."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.approvals.serializers import (
    ActingCommentSerializer,
    ApproveSerializer,
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
    RemarkSerializer,
    ReturnSerializer,
)
from api.core.idempotency import idempotent
from api.core.schema import error_codes
from approvals import selectors, services
from approvals.codes import ApprovalsError
from approvals.models import Delegation, Document, StepApprover
from attendance.codes import AttendanceError
from core.errors import CoreError
from telework.codes import TeleworkError
from telework.rules import RULE_CODES

# The codes of the actions on a document (approvals.services._action.document_action): a document the caller
# may not see (HIDDEN), a status that refuses the action (`already_decided` once decided, `invalid_state`
# otherwise), and for a decision no row of the caller's to decide now (in person, as a delegate or a deputy).
HIDDEN = ApprovalsError.DOCUMENT_NOT_FOUND
STATE_CODES = (ApprovalsError.ALREADY_DECIDED, CoreError.INVALID_STATE)
TURN_CODES = (ApprovalsError.NOT_AN_APPROVER, ApprovalsError.NOT_YOUR_TURN, ApprovalsError.ALREADY_DECIDED)
# Building the route on (re)submission: the kind's route rule and its final approver.
ROUTE_CODES = (ApprovalsError.NO_ROUTE_RULE, ApprovalsError.NO_FINAL_APPROVER)
# The kinds' `on_approved` handlers (approvals.registry) when an action approves a document: telework checks its
# rules again (422 listing every violation, RULE_CODES) and its request's state, a correction refuses a closed
# month.
ON_APPROVED_CODES = (CoreError.RULE_VIOLATION, CoreError.INVALID_STATE, AttendanceError.MONTH_CLOSED)


def _detail(document_id: int, user) -> dict:
    document = selectors.document_for_user(
        document_id=document_id, user=user, queryset=selectors.document_detail_queryset()
    )
    return DocumentSerializer(document).data


class DocumentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """文書: drafts, routing and decisions. Documents the caller may not see answer 404."""

    serializer_class = DocumentSerializer
    queryset = Document.objects.none()
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
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DocumentSummarySerializer(page, many=True).data)

    @extend_schema(request=DocumentCreateSerializer, responses={201: DocumentSerializer})
    @error_codes(
        HIDDEN,
        ApprovalsError.NOT_DECIDED,
        ApprovalsError.NO_DEPARTMENT,
        fields=(ApprovalsError.INVALID_KIND,),
    )
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
    @error_codes(HIDDEN)
    def retrieve(self, request, pk=None):
        return Response(_detail(pk, request.user))

    @extend_schema(request=DocumentUpdateSerializer, responses={200: DocumentSerializer})
    @error_codes(HIDDEN, ApprovalsError.NOT_DRAFTER, *STATE_CODES)
    def partial_update(self, request, pk=None):
        document = self._document(pk)
        serializer = DocumentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        document = services.document_update(
            document=document, actor=request.user, **serializer.validated_data
        )
        return self._respond(document)

    @extend_schema(request=CommentSerializer, responses={200: DocumentSerializer})
    @error_codes(HIDDEN, ApprovalsError.NOT_DRAFTER, *STATE_CODES, *ROUTE_CODES)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(pk, CommentSerializer, services.document_submit)

    @extend_schema(request=CommentSerializer, responses={200: DocumentSerializer})
    @error_codes(
        HIDDEN, ApprovalsError.NOT_DRAFTER, *STATE_CODES, *ROUTE_CODES, *ON_APPROVED_CODES, fields=RULE_CODES
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._act(pk, CommentSerializer, services.document_resubmit)

    @extend_schema(request=ApproveSerializer, responses={200: DocumentSerializer})
    @error_codes(
        HIDDEN,
        *STATE_CODES,
        *TURN_CODES,
        TeleworkError.WARNINGS_NOT_ACKNOWLEDGED,
        *ON_APPROVED_CODES,
        fields=RULE_CODES,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(pk, ApproveSerializer, services.document_approve)

    @extend_schema(request=ActingCommentSerializer, responses={200: DocumentSerializer})
    @error_codes(HIDDEN, *STATE_CODES, *TURN_CODES)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(pk, ActingCommentSerializer, services.document_reject)

    @extend_schema(request=ReturnSerializer, responses={200: DocumentSerializer})
    @error_codes(HIDDEN, *STATE_CODES, *TURN_CODES, ApprovalsError.INVALID_TO_STEP)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(pk, ReturnSerializer, services.document_return)

    @extend_schema(request=CommentSerializer, responses={200: DocumentSerializer})
    @error_codes(HIDDEN, ApprovalsError.NOT_DRAFTER, ApprovalsError.ALREADY_DECIDED)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(pk, CommentSerializer, services.document_withdraw)

    @extend_schema(request=ActingCommentSerializer, responses={200: DocumentSerializer})
    @error_codes(HIDDEN, *STATE_CODES, *TURN_CODES, *ON_APPROVED_CODES, fields=RULE_CODES)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._act(pk, ActingCommentSerializer, services.document_acknowledge)

    @extend_schema(request=RemarkSerializer, responses={201: DocumentSerializer})
    @error_codes(HIDDEN, ApprovalsError.ALREADY_DECIDED)
    @action(detail=True, methods=["post"])
    @idempotent
    def comment(self, request, pk=None):
        serializer = RemarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = self._document(pk)
        services.document_comment(document=document, actor=request.user, **serializer.validated_data)
        return self._respond(document, status.HTTP_201_CREATED)


@error_codes()
class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """受信箱: what waits for the caller's decision now, every kind, delegations and 代決 included."""

    serializer_class = InboxItemSerializer
    queryset = StepApprover.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.inbox_for(user=self.request.user)


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
        ApprovalsError.NOT_DELEGATOR,
        fields=(ApprovalsError.SELF_DELEGATION, ApprovalsError.INACTIVE),
        rule_fields=(CoreError.END_BEFORE_START,),
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
    @error_codes(ApprovalsError.DELEGATION_NOT_FOUND, ApprovalsError.DELEGATION_ENDED)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """委任の取消 by the delegator (or an admin): a running delegation ends today (200 with it), one not yet
        started is deleted (204). Anyone else: 404."""
        delegation = services.delegation_revoke(
            delegation=selectors.delegation_get(delegation_id=int(pk)), actor=request.user
        )
        if delegation is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(DelegationSerializer(delegation).data)
