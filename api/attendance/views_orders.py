"""Overtime orders (時間外勤務命令) and day swaps (週休日の振替): file, list, read, cancel. Deciding goes through the
order's or the swap's document (the approvals endpoints)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.attendance.serializers_orders import (
    DaySwapCreateSerializer,
    DaySwapSerializer,
    OrderListQuerySerializer,
    OvertimeOrderCreateSerializer,
    OvertimeOrderSerializer,
)
from api.attendance.views import ROUTED, _query
from api.core.idempotency import idempotent
from api.core.permissions import RolesPrefetchedMixin
from api.core.schema import error_codes
from attendance import selectors_orders, services
from attendance.codes import AttendanceError
from attendance.models import DaySwap, OvertimeOrder
from core.errors import CoreError

MONTH_GUARDS = (AttendanceError.MONTH_CLOSED, AttendanceError.TIMESHEET_SUBMITTED)


class OvertimeOrderListView(RolesPrefetchedMixin, GenericAPIView):
    """時間外勤務命令: the caller's own, or `?department=` (its managers, HR), of `?month=`; POST orders overtime
    (the department's director, decided at once) or asks for it (事前申請, the caller's own)."""

    serializer_class = OvertimeOrderSerializer
    queryset = OvertimeOrder.objects.none()  # for the schema; the selector decides

    @extend_schema(parameters=[OrderListQuerySerializer], responses=OvertimeOrderSerializer(many=True))
    @error_codes(CoreError.PERMISSION_DENIED, AttendanceError.INVALID_MONTH)
    def get(self, request):
        params = _query(OrderListQuerySerializer, request)
        rows = selectors_orders.overtime_orders(
            viewer=request.user, department=params.get("department"), month=params.get("month")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=OvertimeOrderCreateSerializer, responses={201: OvertimeOrderSerializer})
    @error_codes(
        AttendanceError.EMPLOYEE_NOT_FOUND,
        AttendanceError.NOT_ORDERER,
        *MONTH_GUARDS,
        *ROUTED,
        fields=(
            CoreError.END_BEFORE_START,
            AttendanceError.OVERTIME_PAST_DATE,
            AttendanceError.OVERLAPPING_ORDER,
        ),
    )
    @idempotent
    def post(self, request):
        serializer = OvertimeOrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = services.overtime_order_create(
            actor=request.user,
            employee_id=data.get("employee"),
            day=data["date"],
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
            telework=data["telework"],
        )
        order = selectors_orders.overtime_order_for_viewer(viewer=request.user, order_id=order.pk)
        return Response(OvertimeOrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OvertimeOrderDetailView(RolesPrefetchedMixin, APIView):
    """One overtime order: its employee, its drafter, and whoever may see the employee's attendance."""

    @extend_schema(responses=OvertimeOrderSerializer)
    @error_codes(CoreError.NOT_FOUND)
    def get(self, request, pk: int):
        order = selectors_orders.overtime_order_for_viewer(viewer=request.user, order_id=pk)
        return Response(OvertimeOrderSerializer(order).data)


class OvertimeOrderCancelView(RolesPrefetchedMixin, APIView):
    """取消 before the ordered time: a submitted order withdrawn by its drafter; an approved one cancelled by its
    drafter or the employee's director, and the day recomputed."""

    @extend_schema(request=None, responses=OvertimeOrderSerializer)
    @error_codes(
        CoreError.NOT_FOUND,
        CoreError.PERMISSION_DENIED,
        CoreError.INVALID_STATE,
        AttendanceError.ORDER_STARTED,
        *MONTH_GUARDS,
    )
    def post(self, request, pk: int):
        order = selectors_orders.overtime_order_for_viewer(viewer=request.user, order_id=pk)
        services.overtime_order_cancel(actor=request.user, order=order)
        order = selectors_orders.overtime_order_for_viewer(viewer=request.user, order_id=pk)
        return Response(OvertimeOrderSerializer(order).data)


class DaySwapListView(RolesPrefetchedMixin, GenericAPIView):
    """週休日の振替: the caller's own, or `?department=` (its managers, HR), of `?month=`; POST asks for one, routed
    to the caller's director."""

    serializer_class = DaySwapSerializer
    queryset = DaySwap.objects.none()  # for the schema; the selector decides

    @extend_schema(parameters=[OrderListQuerySerializer], responses=DaySwapSerializer(many=True))
    @error_codes(CoreError.PERMISSION_DENIED, AttendanceError.INVALID_MONTH)
    def get(self, request):
        params = _query(OrderListQuerySerializer, request)
        rows = selectors_orders.day_swaps(
            viewer=request.user, department=params.get("department"), month=params.get("month")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=DaySwapCreateSerializer, responses={201: DaySwapSerializer})
    @error_codes(
        *MONTH_GUARDS,
        *ROUTED,
        fields=(
            AttendanceError.SWAP_NOT_REST_DAY,
            AttendanceError.SWAP_NOT_WORKING_DAY,
            AttendanceError.SWAP_OUTSIDE_WINDOW,
            AttendanceError.OVERLAPPING_SWAP,
        ),
    )
    @idempotent
    def post(self, request):
        serializer = DaySwapCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        swap = services.day_swap_request(employee=request.user, **serializer.validated_data)
        swap = selectors_orders.day_swap_for_viewer(viewer=request.user, swap_id=swap.pk)
        return Response(DaySwapSerializer(swap).data, status=status.HTTP_201_CREATED)


class DaySwapDetailView(RolesPrefetchedMixin, APIView):
    """One day swap: its employee and whoever may see their attendance."""

    @extend_schema(responses=DaySwapSerializer)
    @error_codes(CoreError.NOT_FOUND)
    def get(self, request, pk: int):
        swap = selectors_orders.day_swap_for_viewer(viewer=request.user, swap_id=pk)
        return Response(DaySwapSerializer(swap).data)


class DaySwapCancelView(RolesPrefetchedMixin, APIView):
    """取消 before the earlier of its days: a submitted swap withdrawn by the employee; an approved one cancelled
    by the employee or their director, both days recomputed."""

    @extend_schema(request=None, responses=DaySwapSerializer)
    @error_codes(
        CoreError.NOT_FOUND,
        CoreError.PERMISSION_DENIED,
        CoreError.INVALID_STATE,
        AttendanceError.SWAP_STARTED,
        *MONTH_GUARDS,
    )
    def post(self, request, pk: int):
        swap = selectors_orders.day_swap_for_viewer(viewer=request.user, swap_id=pk)
        services.day_swap_cancel(actor=request.user, swap=swap)
        swap = selectors_orders.day_swap_for_viewer(viewer=request.user, swap_id=pk)
        return Response(DaySwapSerializer(swap).data)
