"""勤怠の参照 of overtime orders (時間外勤務命令) and day swaps (週休日の振替): the lists, one item for a viewer,
the calendar kind a swap is checked against; and every request of a month still in review (the timesheet waits
for them)."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from attendance import worktime
from attendance.models import CorrectionRequest, CorrectionStatus, DaySwap, OrderStatus, OvertimeOrder
from attendance.selectors import month_end, month_start, schedule_on
from core.errors import CoreError
from leave.models import LeaveDay
from leave.models import RequestStatus as LeaveStatus
from org import selectors as org_selectors
from org.models import ClosedDay, Department, Employee, RoleCode


def calendar_kind(*, employee_id: int, day: date) -> str:
    """The kind of the day by the employee's schedule and the business calendar alone (no day swap)."""
    return worktime.calendar_day_kind(
        day,
        schedule=schedule_on(employee_id=employee_id, day=day),
        town_closed=ClosedDay.objects.filter(date=day).exists(),
    )


def _in_scope(rows: QuerySet, *, viewer: Employee, department: Department | None) -> QuerySet:
    """A department's rows for HR and that department's managers (its acting 課長 included; 403 for anyone else),
    else the viewer's own."""
    if department is None:
        return rows.filter(employee=viewer)
    if not viewer.has_role(RoleCode.HR, RoleCode.ADMIN) and not org_selectors.manages_department(
        viewer=viewer, department_id=department.pk
    ):
        raise CoreError.PERMISSION_DENIED.error()
    return rows.filter(employee__department=department)


def overtime_orders(
    *, viewer: Employee, department: Department | None = None, month: date | None = None
) -> QuerySet[OvertimeOrder]:
    """時間外勤務命令の一覧: the viewer's own, or a department's (its managers, HR), of a month if given; by
    date and start."""
    rows = OvertimeOrder.objects.select_related("employee", "ordered_by").order_by("date", "start", "id")
    if month is not None:
        rows = rows.filter(date__gte=month_start(month), date__lte=month_end(month))
    return _in_scope(rows, viewer=viewer, department=department)


def overtime_orders_of_departments(
    *, viewer: Employee, department_ids: Iterable[int]
) -> QuerySet[OvertimeOrder]:
    """時間外勤務命令の一覧 of several departments at once (one query): each must be one the viewer manages, else
    403; by date and start."""
    department_ids = set(department_ids)
    if not viewer.has_role(
        RoleCode.HR, RoleCode.ADMIN
    ) and not department_ids <= org_selectors.managed_department_ids(viewer=viewer):
        raise CoreError.PERMISSION_DENIED.error()
    return (
        OvertimeOrder.objects.select_related("employee", "ordered_by")
        .filter(employee__department_id__in=department_ids)
        .order_by("date", "start", "id")
    )


def overtime_order_for_viewer(*, viewer: Employee, order_id: int) -> OvertimeOrder:
    """One order its employee, its drafter, or whoever may see the employee's attendance may read; else 404."""
    order = OvertimeOrder.objects.select_related("employee", "ordered_by").filter(pk=order_id).first()
    if order is None or not (
        viewer.pk == order.ordered_by_id
        or org_selectors.can_view_work_records_of(viewer=viewer, employee=order.employee)
    ):
        raise CoreError.NOT_FOUND.error()
    return order


def day_swaps(
    *, viewer: Employee, department: Department | None = None, month: date | None = None
) -> QuerySet[DaySwap]:
    """週休日の振替の一覧: the viewer's own, or a department's (its managers, HR); with a month, the swaps either
    of whose days falls in it."""
    rows = DaySwap.objects.select_related("employee").order_by("work_date", "id")
    if month is not None:
        first, last = month_start(month), month_end(month)
        rows = rows.filter(Q(work_date__range=(first, last)) | Q(off_date__range=(first, last)))
    return _in_scope(rows, viewer=viewer, department=department)


def day_swap_for_viewer(*, viewer: Employee, swap_id: int) -> DaySwap:
    """One swap its employee or whoever may see their attendance may read; else 404."""
    swap = DaySwap.objects.select_related("employee").filter(pk=swap_id).first()
    if swap is None or not org_selectors.can_view_work_records_of(viewer=viewer, employee=swap.employee):
        raise CoreError.NOT_FOUND.error()
    return swap


def pending_requests_of_month(*, employee_id: int, month: date) -> list[dict]:
    """The employee's requests still in review that would change a day of the month once decided: 勤務日の振替
    (either of its days), 時間外勤務命令, 休暇 and 打刻修正, by date; `{kind, id, date}` each, the date the first of
    the month's days it names. Four small queries."""
    first, last = month_start(month), month_end(month)
    in_month = {"date__gte": first, "date__lte": last}
    found = []
    swaps = DaySwap.objects.filter(employee_id=employee_id, status=OrderStatus.SUBMITTED).filter(
        Q(work_date__gte=first, work_date__lte=last) | Q(off_date__gte=first, off_date__lte=last)
    )
    for swap_id, work_date, off_date in swaps.values_list("id", "work_date", "off_date"):
        day = min(d for d in (work_date, off_date) if first <= d <= last)
        found.append(("day_swap", day, swap_id))
    orders = OvertimeOrder.objects.filter(employee_id=employee_id, status=OrderStatus.SUBMITTED, **in_month)
    found += [("overtime", day, pk) for pk, day in orders.values_list("id", "date")]
    leave = LeaveDay.objects.filter(employee_id=employee_id, status=LeaveStatus.SUBMITTED, **in_month)
    first_days: dict[int, date] = {}
    for request_id, day in leave.values_list("request_id", "date"):
        first_days[request_id] = min(day, first_days.get(request_id, day))
    found += [("leave", day, pk) for pk, day in first_days.items()]
    corrections = CorrectionRequest.objects.filter(
        employee_id=employee_id, status=CorrectionStatus.SUBMITTED, **in_month
    )
    found += [("correction", day, pk) for pk, day in corrections.values_list("id", "date")]
    found.sort(key=lambda item: (item[1], item[0], item[2]))
    return [{"kind": kind, "id": pk, "date": day.isoformat()} for kind, day, pk in found]
