"""Attendance endpoints: clocking, PC logs, days, timesheets, month closing and the payroll CSV."""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.attendance.serializers import (
    ClockEventSerializer,
    ClockSerializer,
    ClosedMonthSerializer,
    CloseSerializer,
    CorrectionCreateSerializer,
    CorrectionSerializer,
    DaySerializer,
    DaysQuerySerializer,
    EventsQuerySerializer,
    ExportQuerySerializer,
    MonthField,
    PcLogOutSerializer,
    PcLogSerializer,
    TimesheetQuerySerializer,
    TimesheetSerializer,
    TimesheetSubmittedSerializer,
)
from api.core.idempotency import idempotent
from api.core.permissions import RolesPrefetchedMixin, has_role
from api.core.schema import error_codes
from approvals.codes import ApprovalsError
from attendance import exports, selectors, services
from attendance.codes import AttendanceError
from core.errors import CoreError, ValidationFailed
from org.models import RoleCode

# Filing an application routes its document (approvals.services.document_create and document_submit).
ROUTED = (ApprovalsError.NO_DEPARTMENT, ApprovalsError.NO_ROUTE_RULE, ApprovalsError.NO_FINAL_APPROVER)


def _query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _month(value: str) -> date:
    try:
        return MonthField().to_internal_value(value)
    except Exception as error:
        raise AttendanceError.INVALID_MONTH.error(ValidationFailed.default_detail, month=value) from error


class ClockView(APIView):
    """打刻: records an event for the caller at server time (no role check, so the roles are not loaded)."""

    @extend_schema(request=ClockSerializer, responses={201: ClockEventSerializer})
    @error_codes(
        AttendanceError.NOT_CLOCKED_IN,
        AttendanceError.ALREADY_CLOCKED_IN,
        AttendanceError.BREAK_NOT_STARTED,
        AttendanceError.BREAK_ALREADY_STARTED,
        AttendanceError.ON_BREAK,
        AttendanceError.MONTH_CLOSED,
    )
    @idempotent
    def post(self, request):
        serializer = ClockSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.clock_event_record(employee=request.user, **serializer.validated_data)
        return Response(ClockEventSerializer(event).data, status=status.HTTP_201_CREATED)


class EventListView(RolesPrefetchedMixin, GenericAPIView):
    """The day's clock events (today by default), corrected ones marked `replaced`."""

    serializer_class = ClockEventSerializer

    @extend_schema(parameters=[EventsQuerySerializer])
    @error_codes(AttendanceError.EMPLOYEE_NOT_FOUND)
    def get(self, request):
        params = _query(EventsQuerySerializer, request)
        employee = selectors.attendance_subject(viewer=request.user, employee_id=params.get("employee"))
        events = selectors.events_of_day(employee=employee, day=params.get("date") or timezone.localdate())
        page = self.paginate_queryset(events)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DayListView(RolesPrefetchedMixin, GenericAPIView):
    """日次勤務実績: own days; a manager's department's; HR everyone's (`?employee=`)."""

    serializer_class = DaySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("employee", OpenApiTypes.INT),
        ]
    )
    @error_codes(
        AttendanceError.EMPLOYEE_NOT_FOUND,
        fields=(CoreError.REQUIRED, AttendanceError.BEFORE_START, AttendanceError.RANGE_TOO_LONG),
    )
    def get(self, request):
        params = _query(DaysQuerySerializer, request)
        employee = selectors.attendance_subject(viewer=request.user, employee_id=params.get("employee"))
        days = selectors.day_summaries(employee=employee, start=params["from"], end=params["to"])
        page = self.paginate_queryset(days)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PcLogView(RolesPrefetchedMixin, APIView):
    """PCログ連携: for an integration account (`attendance.add_pclogevent`) or an admin."""

    @extend_schema(request=PcLogSerializer, responses={201: PcLogOutSerializer})
    @error_codes(
        AttendanceError.INTEGRATION_ONLY, AttendanceError.MONTH_CLOSED, fields=(AttendanceError.IN_FUTURE,)
    )
    @idempotent
    def post(self, request):
        serializer = PcLogSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log = services.pc_log_record(actor=request.user, **serializer.validated_data)
        return Response(PcLogOutSerializer(log).data, status=status.HTTP_201_CREATED)


class TimesheetView(RolesPrefetchedMixin, APIView):
    """月次勤務表: the caller's month, or `?employee=` for the department's managers and HR."""

    @extend_schema(parameters=[TimesheetQuerySerializer], responses={200: TimesheetSerializer})
    @error_codes(AttendanceError.EMPLOYEE_NOT_FOUND, AttendanceError.INVALID_MONTH)
    def get(self, request, month: str):
        params = _query(TimesheetQuerySerializer, request)
        employee = selectors.attendance_subject(viewer=request.user, employee_id=params.get("employee"))
        sheet = selectors.timesheet(employee=employee, month=_month(month))
        return Response(TimesheetSerializer(sheet).data)


class TimesheetSubmitView(RolesPrefetchedMixin, APIView):
    """月次勤務表の提出: the caller's month, as a `timesheet` document routed to their director."""

    @extend_schema(request=None, responses={201: TimesheetSubmittedSerializer})
    @error_codes(
        AttendanceError.INVALID_MONTH,
        AttendanceError.FUTURE_MONTH,
        AttendanceError.MONTH_CLOSED,
        AttendanceError.ALREADY_SUBMITTED,
        *ROUTED,
    )
    @idempotent
    def post(self, request, month: str):
        closing = services.timesheet_submit(employee=request.user, month=_month(month))
        return Response(TimesheetSubmittedSerializer(closing).data, status=status.HTTP_201_CREATED)


class CorrectionView(RolesPrefetchedMixin, APIView):
    """打刻修正申請: an `attendance_correction` document, submitted and routed for approval."""

    @extend_schema(request=CorrectionCreateSerializer, responses={201: CorrectionSerializer})
    @error_codes(
        AttendanceError.MONTH_CLOSED, *ROUTED, fields=(CoreError.REQUIRED, AttendanceError.OUTSIDE_DAY)
    )
    @idempotent
    def post(self, request):
        serializer = CorrectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        correction = services.correction_request(
            employee=request.user, day=data["date"], events=data["events"], reason=data["reason"]
        )
        return Response(CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)


class TimesheetCloseView(RolesPrefetchedMixin, APIView):
    """月次締め (HR): `{employee}` closes one approved month, `{department}` every approved month there."""

    permission_classes = [has_role(RoleCode.HR, RoleCode.ADMIN)]

    @extend_schema(request=CloseSerializer, responses={200: ClosedMonthSerializer(many=True)})
    @error_codes(
        AttendanceError.INVALID_MONTH,
        AttendanceError.MONTH_CLOSED,
        AttendanceError.MONTH_NOT_APPROVED,
        fields=(AttendanceError.EMPLOYEE_OR_DEPARTMENT,),
    )
    def post(self, request, month: str):
        first = _month(month)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        closed = services.month_close(actor=request.user, month=first, **serializer.validated_data)
        return Response({"month": f"{first:%Y-%m}", "closed": ClosedMonthSerializer(closed, many=True).data})


class ExportView(RolesPrefetchedMixin, APIView):
    """給与連携CSV (HR): one row per employee per day, or `kind=summary` for the monthly summary."""

    permission_classes = [has_role(RoleCode.HR, RoleCode.ADMIN)]
    kind = "days"

    @extend_schema(parameters=[ExportQuerySerializer], responses={(200, "text/csv"): OpenApiTypes.STR})
    @error_codes()
    def get(self, request):
        params = _query(ExportQuerySerializer, request)
        kind = self.kind if "kind" not in request.query_params else params["kind"]
        rows = (exports.summary_rows if kind == "summary" else exports.day_rows)(
            month=params["month"], department_code=params.get("department")
        )
        name = f"attendance-{'summary-' if kind == 'summary' else ''}{params['month']:%Y-%m}.csv"
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
