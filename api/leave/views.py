"""Leave endpoints: the types, the annual balance, requests (apply, list, read, cancel)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.idempotency import idempotent
from api.core.permissions import RolesPrefetchedMixin
from api.core.schema import error_codes
from api.leave.serializers import (
    BalanceQuerySerializer,
    BalanceSerializer,
    LeaveRequestCreateSerializer,
    LeaveRequestSerializer,
    LeaveTypeSerializer,
    RequestListQuerySerializer,
)
from approvals.codes import ApprovalsError
from attendance.codes import AttendanceError
from core.errors import CoreError
from leave import selectors, services
from leave.codes import LeaveError
from leave.models import LeaveRequest

RULE_CODES = (
    LeaveError.UNIT_NOT_ALLOWED,
    LeaveError.INSUFFICIENT_BALANCE,
    LeaveError.HOURLY_LIMIT,
    LeaveError.OVERLAPPING_LEAVE,
    LeaveError.OUTSIDE_WINDOW,
    LeaveError.SPANS_LEAVE_YEARS,
    CoreError.NOT_WORKING_DAY,
    CoreError.PAST_DATE,
)
# approved leave changes attendance days: never in a month closed, or whose timesheet is submitted or approved
MONTH_CODES = (AttendanceError.MONTH_CLOSED, AttendanceError.TIMESHEET_SUBMITTED)


class TypeListView(APIView):
    """休暇の種類: every active type with its units and limits; everyone logged in reads them."""

    @extend_schema(responses=LeaveTypeSerializer(many=True))
    @error_codes()
    def get(self, request):
        return Response(LeaveTypeSerializer(selectors.type_list(), many=True).data)


class BalanceView(RolesPrefetchedMixin, APIView):
    """年次休暇の残: the caller's, or `?employee=` for their managers and HR (404 for anyone else)."""

    @extend_schema(parameters=[BalanceQuerySerializer], responses=BalanceSerializer)
    @error_codes()
    def get(self, request):
        query = BalanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        employee = selectors.leave_subject(
            viewer=request.user, employee_id=query.validated_data.get("employee")
        )
        return Response(
            BalanceSerializer(
                selectors.balance(employee=employee, year=query.validated_data.get("year"))
            ).data
        )


class RequestListView(RolesPrefetchedMixin, generics.ListAPIView):
    """休暇の申請: the caller's own (`?mine=true`, the default) or a department's (`?department=`, its managers
    and HR); POST applies."""

    serializer_class = LeaveRequestSerializer
    queryset = LeaveRequest.objects.none()  # for the schema; get_queryset decides

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
        request=LeaveRequestCreateSerializer,
        responses={201: LeaveRequestSerializer, 422: OpenApiResponse(description="Every rule violation")},
    )
    @error_codes(
        ApprovalsError.NO_DEPARTMENT,
        ApprovalsError.NO_ROUTE_RULE,
        ApprovalsError.NO_FINAL_APPROVER,
        *MONTH_CODES,
        fields=RULE_CODES,
    )
    @idempotent
    @error_codes(
        fields=(
            CoreError.REQUIRED,
            CoreError.INVALID_CHOICE,
            CoreError.END_BEFORE_START,
            LeaveError.ONE_DAY_REQUIRED,
            LeaveError.WHOLE_HOURS,
        )
    )
    def post(self, request):
        body = LeaveRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        created = services.leave_request_create(employee=request.user, leave_type=data.pop("type"), **data)
        created = selectors.request_for_viewer(viewer=request.user, request_id=created.pk)
        return Response(LeaveRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class RequestDetailView(RolesPrefetchedMixin, APIView):
    @extend_schema(responses=LeaveRequestSerializer)
    @error_codes()
    def get(self, request, pk: int):
        """One request: the applicant, their managers and HR, and anyone on its document's route."""
        found = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        return Response(LeaveRequestSerializer(found).data)


class RequestCancelView(RolesPrefetchedMixin, APIView):
    @extend_schema(request=None, responses=LeaveRequestSerializer)
    @error_codes(LeaveError.LEAVE_STARTED, CoreError.INVALID_STATE, *MONTH_CODES)
    def post(self, request, pk: int):
        """取消: by the applicant before the first day (a pending request's document is withdrawn), by HR also
        after it; the balance is restored and an approved leave's absence removed."""
        found = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        services.leave_request_cancel(request=found, actor=request.user)
        return Response(
            LeaveRequestSerializer(selectors.request_for_viewer(viewer=request.user, request_id=pk)).data
        )
