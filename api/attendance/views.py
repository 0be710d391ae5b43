"""Attendance endpoints: clocking (offline replays too), PC logs, days, timesheets, month closing and reopening,
schedules and their assignments, and the payroll CSV."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response
from rest_framework.views import APIView

from api.attendance.serializers import (
    PC_LOG_BULK_MAX,
    ClockEventSerializer,
    ClockSerializer,
    ClosedMonthSerializer,
    CloseSerializer,
    CorrectionCreateSerializer,
    CorrectionSerializer,
    DayLogsQuerySerializer,
    DayLogsSerializer,
    DaySerializer,
    DaysQuerySerializer,
    EventsQuerySerializer,
    ExportQuerySerializer,
    LogGapReasonSerializer,
    LogGapReasonWriteSerializer,
    MonthCloseResultSerializer,
    MonthField,
    PcLogBulkItemSerializer,
    PcLogBulkResultSerializer,
    PcLogOutSerializer,
    PcLogSerializer,
    ReopenSerializer,
    ScheduleAssignmentSerializer,
    ScheduleAssignmentsQuerySerializer,
    ScheduleSerializer,
    TimesheetQuerySerializer,
    TimesheetSerializer,
    TimesheetSubmittedSerializer,
)
from api.core.idempotency import IDEMPOTENCY_HEADER, idempotent
from api.core.permissions import RolesPrefetchedMixin, has_role
from api.core.renderers import CsvRenderer
from api.core.schema import error_codes
from approvals.codes import ApprovalsError
from attendance import exports, selectors, selectors_pc_logs, services
from attendance.codes import AttendanceError
from attendance.models import WorkSchedule
from core.errors import CoreError, ValidationFailed
from leave import selectors as leave_selectors
from org.models import RoleCode

# Filing an application routes its document (approvals.services.document_create and document_submit).
ROUTED = (ApprovalsError.NO_DEPARTMENT, ApprovalsError.NO_ROUTE_RULE, ApprovalsError.NO_FINAL_APPROVER)
HR_OR_ADMIN = has_role(RoleCode.HR, RoleCode.ADMIN)


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
    """打刻: records an event for the caller at server time, or at `occurred_at` for a replay of the device's
    offline queue (with its Idempotency-Key). No role check, so the roles are not loaded."""

    @extend_schema(request=ClockSerializer, responses={201: ClockEventSerializer})
    @error_codes(
        AttendanceError.NOT_CLOCKED_IN,
        AttendanceError.ALREADY_CLOCKED_IN,
        AttendanceError.BREAK_NOT_STARTED,
        AttendanceError.BREAK_ALREADY_STARTED,
        AttendanceError.ON_BREAK,
        AttendanceError.MONTH_CLOSED,
        AttendanceError.TIMESHEET_SUBMITTED,
        AttendanceError.REPLAY_KEY_REQUIRED,
        AttendanceError.REPLAY_TOO_OLD,
        AttendanceError.REPLAY_IN_FUTURE,
        AttendanceError.REPLAY_OUT_OF_ORDER,
    )
    @idempotent
    def post(self, request):
        serializer = ClockSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "occurred_at" in data and not request.headers.get(IDEMPOTENCY_HEADER):
            raise AttendanceError.REPLAY_KEY_REQUIRED.error()
        event = services.clock_event_record(employee=request.user, **data)
        return Response(ClockEventSerializer(event).data, status=status.HTTP_201_CREATED)


class EventListView(RolesPrefetchedMixin, GenericAPIView):
    """The day's clock events (today by default), corrected ones marked `replaced`."""

    serializer_class = ClockEventSerializer

    @extend_schema(parameters=[EventsQuerySerializer], responses=ClockEventSerializer(many=True))
    @error_codes(AttendanceError.EMPLOYEE_NOT_FOUND)
    def get(self, request):
        params = _query(EventsQuerySerializer, request)
        employee = selectors.attendance_subject(viewer=request.user, employee_id=params.get("employee"))
        events = selectors.events_of_day(employee=employee, day=params.get("date") or timezone.localdate())
        page = self.paginate_queryset(events)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _leave_of(employee, start: date, end: date) -> dict:
    """The employee's approved leave per day, for `DaySerializer.leave` (one query)."""
    return leave_selectors.approved_leave_days(employee_ids=[employee.pk], start=start, end=end).get(
        employee.pk, {}
    )


class DayListView(RolesPrefetchedMixin, GenericAPIView):
    """日次勤務実績: own days; a manager's department's; HR everyone's (`?employee=`)."""

    serializer_class = DaySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("employee", OpenApiTypes.INT),
        ],
        responses=DaySerializer(many=True),
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
        leave = _leave_of(employee, params["from"], params["to"])
        return self.get_paginated_response(
            self.get_serializer(page, many=True, context={"leave": leave}).data
        )


class PcLogView(RolesPrefetchedMixin, APIView):
    """PCログ: GET a day's logs beside its clock, with the gap's reason (own; the department's managers; HR);
    POST one log, for an integration account (`attendance.add_pclogevent`) or an admin."""

    @extend_schema(parameters=[DayLogsQuerySerializer], responses={200: DayLogsSerializer})
    @error_codes(AttendanceError.EMPLOYEE_NOT_FOUND)
    def get(self, request):
        params = _query(DayLogsQuerySerializer, request)
        employee = selectors.attendance_subject(viewer=request.user, employee_id=params.get("employee"))
        return Response(
            DayLogsSerializer(selectors_pc_logs.day_logs(employee=employee, day=params["date"])).data
        )

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


class PcLogBulkView(RolesPrefetchedMixin, APIView):
    """PCログの一括連携 (integration account or admin): `[{employee (username or external id), kind, at,
    system}]`, up to 1,000 a request; idempotent by (system, employee, kind, at). Items that cannot be recorded are
    listed in `failed` with their index and code; the others are recorded."""

    @extend_schema(request=PcLogBulkItemSerializer(many=True), responses={200: PcLogBulkResultSerializer})
    @error_codes(AttendanceError.INTEGRATION_ONLY)
    def post(self, request):
        serializer = PcLogBulkItemSerializer(data=request.data, many=True, max_length=PC_LOG_BULK_MAX)
        serializer.is_valid(raise_exception=True)
        result = services.pc_logs_bulk_record(actor=request.user, items=serializer.validated_data)
        return Response(PcLogBulkResultSerializer(result).data)


class LogGapReasonView(RolesPrefetchedMixin, APIView):
    """勤怠差異の理由: the reason of a day's gap between the clock and the PC log (own; the department's managers;
    HR). A later reason replaces the earlier."""

    @extend_schema(request=LogGapReasonWriteSerializer, responses={200: LogGapReasonSerializer})
    @error_codes(AttendanceError.EMPLOYEE_NOT_FOUND, AttendanceError.MONTH_CLOSED)
    def post(self, request):
        serializer = LogGapReasonWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recorded = services.log_gap_reason_record(
            actor=request.user,
            employee=data.get("employee") or request.user,
            day=data["date"],
            reason=data["reason"],
        )
        return Response(LogGapReasonSerializer(recorded).data)


class TimesheetView(RolesPrefetchedMixin, APIView):
    """月次勤務表: the caller's month, or `?employee=` for the department's managers and HR."""

    @extend_schema(parameters=[TimesheetQuerySerializer], responses={200: TimesheetSerializer})
    @error_codes(AttendanceError.EMPLOYEE_NOT_FOUND, AttendanceError.INVALID_MONTH)
    def get(self, request, month: str):
        params = _query(TimesheetQuerySerializer, request)
        employee = selectors.attendance_subject(viewer=request.user, employee_id=params.get("employee"))
        sheet = selectors.timesheet(employee=employee, month=_month(month))
        leave = _leave_of(sheet.employee, sheet.month, selectors.month_end(sheet.month))
        return Response(TimesheetSerializer(sheet, context={"leave": leave}).data)


class TimesheetSubmitView(RolesPrefetchedMixin, APIView):
    """月次勤務表の提出: the caller's month, as a `timesheet` document routed to their director."""

    @extend_schema(request=None, responses={201: TimesheetSubmittedSerializer})
    @error_codes(
        AttendanceError.INVALID_MONTH,
        AttendanceError.FUTURE_MONTH,
        AttendanceError.MONTH_NOT_OVER,
        AttendanceError.UNRESOLVED_DAYS,
        AttendanceError.PENDING_REQUESTS,
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
        AttendanceError.MONTH_CLOSED,
        AttendanceError.TIMESHEET_SUBMITTED,
        *ROUTED,
        fields=(CoreError.REQUIRED, AttendanceError.OUTSIDE_DAY),
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

    permission_classes = [HR_OR_ADMIN]

    @extend_schema(request=CloseSerializer, responses={200: MonthCloseResultSerializer})
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


class TimesheetReopenView(RolesPrefetchedMixin, APIView):
    """勤務表の再開 (HR): `{employee, reason}` opens an approved or closed month again, audited in the approvals
    chain; the employee and their director are told."""

    permission_classes = [HR_OR_ADMIN]

    @extend_schema(request=ReopenSerializer, responses={200: TimesheetSubmittedSerializer})
    @error_codes(AttendanceError.INVALID_MONTH, AttendanceError.HR_ONLY, AttendanceError.MONTH_NOT_REOPENABLE)
    def post(self, request, month: str):
        first = _month(month)
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        closing = services.timesheet_reopen(actor=request.user, month=first, **serializer.validated_data)
        return Response(TimesheetSubmittedSerializer(closing).data)


# --- schedules (勤務時間割, HR) ----------------------------------------------------------------------------


class ScheduleListView(RolesPrefetchedMixin, ListModelMixin, GenericAPIView):
    """勤務時間割 (HR): the list, and a new schedule (short hours, 時差出勤, a night shift)."""

    permission_classes = [HR_OR_ADMIN]
    serializer_class = ScheduleSerializer

    def get_queryset(self):
        return selectors.schedule_list()

    @error_codes()
    def get(self, request):
        return self.list(request)

    @error_codes(AttendanceError.HR_ONLY, fields=(AttendanceError.INVALID_SCHEDULE, CoreError.UNIQUE))
    @idempotent
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule = services.schedule_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(schedule).data, status=status.HTTP_201_CREATED)


class ScheduleDetailView(RolesPrefetchedMixin, GenericAPIView):
    """勤務時間割 (HR): one schedule; PATCH changes it (its times only while no submitted, approved or closed
    month uses it: `schedule_in_use`)."""

    permission_classes = [HR_OR_ADMIN]
    serializer_class = ScheduleSerializer

    def get_queryset(self):
        return selectors.schedule_list()

    @error_codes()
    def get(self, request, schedule_id: int):
        return Response(self.get_serializer(get_object_or_404(WorkSchedule, pk=schedule_id)).data)

    @error_codes(
        AttendanceError.HR_ONLY,
        AttendanceError.SCHEDULE_IN_USE,
        fields=(AttendanceError.INVALID_SCHEDULE, CoreError.UNIQUE),
    )
    def patch(self, request, schedule_id: int):
        schedule = get_object_or_404(WorkSchedule, pk=schedule_id)
        serializer = self.get_serializer(schedule, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        schedule = services.schedule_update(
            actor=request.user, schedule=schedule, **serializer.validated_data
        )
        return Response(self.get_serializer(schedule).data)


class ScheduleAssignmentView(RolesPrefetchedMixin, ListModelMixin, GenericAPIView):
    """勤務時間割の割当 (HR): the assignments (`?employee=`), and a new one `{employee, schedule, start, end}`; on any
    day the assignment that starts latest applies."""

    permission_classes = [HR_OR_ADMIN]
    serializer_class = ScheduleAssignmentSerializer

    def get_queryset(self):
        params = _query(ScheduleAssignmentsQuerySerializer, self.request)
        return selectors.schedule_assignments(employee_id=params.get("employee"))

    @extend_schema(parameters=[ScheduleAssignmentsQuerySerializer])
    @error_codes()
    def get(self, request):
        return self.list(request)

    @error_codes(
        AttendanceError.HR_ONLY,
        AttendanceError.MONTH_CLOSED,
        AttendanceError.TIMESHEET_SUBMITTED,
        AttendanceError.ASSIGNMENT_OVERLAP,
        fields=(CoreError.END_BEFORE_START,),
    )
    @idempotent
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.schedule_assignment_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)


# --- the payroll CSV -------------------------------------------------------------------------------------


class ExportView(RolesPrefetchedMixin, APIView):
    """給与連携CSV (HR): one row per employee per day, or `kind=summary` for the monthly summary."""

    permission_classes = [HR_OR_ADMIN]
    renderer_classes = [CsvRenderer]
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
        return Response(
            exports.to_csv(rows),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
