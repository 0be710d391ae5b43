"""Telework endpoints: the policy, requests and day reports, the department calendar and its iCalendar feed,
continuity periods and blackout dates."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.idempotency import idempotent
from api.core.permissions import RolesPrefetchedMixin, has_role
from api.core.renderers import ICalendarRenderer
from api.core.schema import error_codes
from api.telework.serializers import (
    BlackoutDateCreateSerializer,
    BlackoutDateSerializer,
    CalendarQuerySerializer,
    CalendarSerializer,
    CalendarTokenSerializer,
    ContinuityPeriodCreateSerializer,
    ContinuityPeriodSerializer,
    DayReportCreateSerializer,
    DayReportSerializer,
    FeedQuerySerializer,
    PolicySerializer,
    PolicyUpdateSerializer,
    RequestListQuerySerializer,
    TeleworkRequestCancelSerializer,
    TeleworkRequestCreateSerializer,
    TeleworkRequestDetailSerializer,
    TeleworkRequestSerializer,
)
from approvals.codes import ApprovalsError
from core.errors import CoreError, NotFound
from org.models import Department
from telework import rules, selectors, services
from telework.codes import TeleworkError
from telework.models import RequestStatus, TeleworkRequest

POLICY_EDITORS = has_role(*selectors.POLICY_EDITORS)
POLICY_FIELD_CODES = (
    CoreError.INVALID_CHOICE,
    CoreError.REQUIRED,
    CoreError.UNIQUE,
)


def _editor_or_reader(view) -> list:
    return (
        [POLICY_EDITORS()] if view.request.method not in ("GET", "HEAD", "OPTIONS") else [IsAuthenticated()]
    )


# --- policy -----------------------------------------------------------------------------------------


def _policy_changes(request) -> dict:
    """The PATCH body as `policy_update`'s arguments: the fields, and the blackout dates as (date, reason)."""
    serializer = PolicyUpdateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    changes = dict(serializer.validated_data)
    if "blackout_dates" in changes:
        changes["blackout_dates"] = [(item["date"], item["reason"]) for item in changes["blackout_dates"]]
    return changes


class DefaultPolicyView(RolesPrefetchedMixin, APIView):
    """テレワーク実施要綱 (全庁): everyone reads; the secretariat changes it."""

    def get_permissions(self):
        return _editor_or_reader(self)

    @extend_schema(responses=PolicySerializer)
    @error_codes()
    def get(self, request):
        return Response(PolicySerializer(selectors.policy_detail()).data)

    @extend_schema(request=PolicyUpdateSerializer, responses=PolicySerializer)
    @error_codes(fields=POLICY_FIELD_CODES)
    def patch(self, request):
        services.policy_update(actor=request.user, **_policy_changes(request))
        return Response(PolicySerializer(selectors.policy_detail()).data)


class DepartmentPolicyView(RolesPrefetchedMixin, APIView):
    """A department's effective policy (its override merged over the default); the secretariat changes the override."""

    def get_permissions(self):
        return _editor_or_reader(self)

    @extend_schema(responses=PolicySerializer)
    @error_codes()
    def get(self, request, code: str):
        department = get_object_or_404(Department, code=code)
        return Response(PolicySerializer(selectors.policy_detail(department=department)).data)

    @extend_schema(request=PolicyUpdateSerializer, responses=PolicySerializer)
    @error_codes(fields=POLICY_FIELD_CODES)
    def patch(self, request, code: str):
        department = get_object_or_404(Department, code=code)
        services.policy_update(actor=request.user, department=department, **_policy_changes(request))
        return Response(PolicySerializer(selectors.policy_detail(department=department)).data)


# --- requests ---------------------------------------------------------------------------------------


def _issues(violations: list[rules.Violation]) -> list[dict]:
    return [services.violation_error(violation) for violation in violations]


class RequestListView(RolesPrefetchedMixin, generics.ListAPIView):
    """テレワーク申請: the caller's own (`?mine=true`, the default) or a department's (`?department=`, its
    managers only); POST applies."""

    serializer_class = TeleworkRequestSerializer
    queryset = TeleworkRequest.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        query = RequestListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        department = query.validated_data.get("department")
        if department is not None and not query.validated_data["mine"]:
            return selectors.requests_of_department(viewer=self.request.user, department=department)
        return selectors.requests_of(employee=self.request.user)

    @extend_schema(parameters=[RequestListQuerySerializer])
    @error_codes()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=TeleworkRequestCreateSerializer,
        responses={201: TeleworkRequestSerializer, 422: OpenApiResponse(description="Every rule violation")},
    )
    @error_codes(
        ApprovalsError.NO_DEPARTMENT,
        ApprovalsError.NO_ROUTE_RULE,
        ApprovalsError.NO_FINAL_APPROVER,
        fields=rules.RULE_CODES,
    )
    @idempotent
    @error_codes(
        fields=(
            CoreError.REQUIRED,
            CoreError.INVALID_CHOICE,
            TeleworkError.TOO_MANY_DATES,
        )
    )
    def post(self, request):
        serializer = TeleworkRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.telework_request_create(employee=request.user, **serializer.validated_data)
        created = selectors.request_for_viewer(viewer=request.user, request_id=created.pk)
        return Response(TeleworkRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class RequestDetailView(RolesPrefetchedMixin, APIView):
    @extend_schema(responses=TeleworkRequestDetailSerializer)
    @error_codes()
    def get(self, request, pk: int):
        """One request; approvers (anyone but the applicant) of a submitted one also get the rule check now."""
        telework_request = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        check = None
        if (
            telework_request.employee_id != request.user.pk
            and telework_request.status == RequestStatus.SUBMITTED
        ):
            violations = selectors.request_check(telework_request)
            check = {
                "checked_at": timezone.now(),
                "policy_version": selectors.checked_versions(telework_request),
                "ok": not rules.hard(violations),
                "violations": _issues(rules.hard(violations)),
                "warnings": _issues(rules.soft(violations)),
            }
        return Response(TeleworkRequestDetailSerializer(telework_request, context={"check": check}).data)


class RequestCancelView(APIView):
    @extend_schema(request=TeleworkRequestCancelSerializer, responses=TeleworkRequestSerializer)
    @error_codes(
        TeleworkError.ALREADY_STARTED,
        CoreError.INVALID_STATE,
        fields=(TeleworkError.NOT_A_TELEWORK_DAY,),
    )
    def post(self, request, pk: int):
        """取消: by the applicant, of days not yet begun: `{dates: [...]}` cancels those days only (一部取消),
        an empty body every day."""
        telework_request = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        body = TeleworkRequestCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.telework_request_cancel(
            request=telework_request, actor=request.user, dates=body.validated_data.get("dates")
        )
        telework_request = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        return Response(TeleworkRequestSerializer(telework_request).data)


class RequestReportView(APIView):
    @extend_schema(request=DayReportCreateSerializer, responses={201: DayReportSerializer})
    @error_codes(
        TeleworkError.NOT_APPROVED,
        TeleworkError.DAY_NOT_REACHED,
        TeleworkError.ALREADY_REPORTED,
        fields=(TeleworkError.NOT_A_TELEWORK_DAY,),
    )
    @idempotent
    @error_codes(fields=(CoreError.REQUIRED,))
    def post(self, request, pk: int):
        """業務報告 of one day of an approved request, by the applicant."""
        telework_request = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        serializer = DayReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.day_report_submit(
            request=telework_request, actor=request.user, **serializer.validated_data
        )
        return Response(DayReportSerializer(report).data, status=status.HTTP_201_CREATED)


# --- calendar ---------------------------------------------------------------------------------------


class CalendarView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("department", str, description="Department code (default: the caller's)"),
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
        ],
        responses=CalendarSerializer,
    )
    @error_codes()
    def get(self, request):
        """課のカレンダー: who is in the office, who teleworks where, who is away; the caller's department only."""
        query = CalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        department = selectors.calendar_department_for(
            viewer=request.user, department=query.validated_data.get("department")
        )
        days = selectors.department_calendar(
            department=department, start=query.validated_data["from"], end=query.validated_data["to"]
        )
        return Response(CalendarSerializer({"department": department.code, "days": days}).data)


class CalendarFeedView(APIView):
    """iCalendar feed of the token holder's approved telework days: no login, the token is the credential."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [ICalendarRenderer]

    @extend_schema(
        parameters=[FeedQuerySerializer],
        responses={(200, "text/calendar"): OpenApiTypes.STR},
        auth=[],
    )
    @error_codes(CoreError.NOT_FOUND)
    def get(self, request):
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = selectors.calendar_feed(token=query.validated_data["token"])
        if text is None:
            raise NotFound()
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response


class CalendarTokenView(APIView):
    @extend_schema(request=None, responses={201: CalendarTokenSerializer})
    @error_codes()
    @idempotent
    def post(self, request):
        """Issue (or rotate) the caller's feed token; the previous URL stops working. Shown once."""
        token = services.calendar_token_rotate(employee=request.user)
        url = request.build_absolute_uri(f"/api/v1/telework/calendar.ics?token={token}")
        return Response({"token": token, "url": url}, status=status.HTTP_201_CREATED)


# --- continuity and blackout dates ------------------------------------------------------------------


@error_codes()
class ContinuityView(RolesPrefetchedMixin, generics.ListAPIView):
    """業務継続期間: everyone reads; the secretariat declares one."""

    serializer_class = ContinuityPeriodSerializer

    def get_permissions(self):
        return _editor_or_reader(self)

    def get_queryset(self):
        return selectors.continuity_period_list()

    @extend_schema(request=ContinuityPeriodCreateSerializer, responses={201: ContinuityPeriodSerializer})
    @error_codes(fields=(CoreError.END_BEFORE_START,))
    @idempotent
    @error_codes(fields=(CoreError.REQUIRED,))
    def post(self, request):
        serializer = ContinuityPeriodCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = services.continuity_period_create(actor=request.user, **serializer.validated_data)
        return Response(ContinuityPeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class BlackoutDateView(RolesPrefetchedMixin, generics.ListAPIView):
    """実施不可日: everyone reads (`?department=` for the ones that apply to it); the secretariat adds."""

    serializer_class = BlackoutDateSerializer

    def get_permissions(self):
        return _editor_or_reader(self)

    def get_queryset(self):
        code = self.request.query_params.get("department")
        department = get_object_or_404(Department, code=code) if code else None
        return selectors.blackout_date_search(department=department)

    @extend_schema(
        parameters=[OpenApiParameter("department", str, description="Department code")],
    )
    @error_codes()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=BlackoutDateCreateSerializer, responses={201: BlackoutDateSerializer})
    @error_codes()
    @idempotent
    @error_codes(fields=(CoreError.REQUIRED,))
    def post(self, request):
        serializer = BlackoutDateCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        blackout = services.blackout_date_create(actor=request.user, **serializer.validated_data)
        return Response(BlackoutDateSerializer(blackout).data, status=status.HTTP_201_CREATED)
