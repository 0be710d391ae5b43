"""Overtime orders and day swaps `/attendance/orders/`: the 事前申請 of my overtime, the director's 時間外勤務命令 for
a member of their department, or of one whose vacant 課長 post they hold (decided at once by the service), the request of a 週休日の振替, my orders and swaps
with their documents and cancel, and for a director the department's orders of this month.

The same services and selectors as `/api/v1/attendance/overtime-orders/` and `/day-swaps/`: every refusal next
to its field with what was typed kept; a cancel of anything the person may not see is a 404."""

from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import selectors_orders, services
from attendance.models import ORDER_ACTIVE, DaySwap, OvertimeOrder
from attendance.services.overtime_orders import directed_department_ids, may_cancel
from core.errors import PermissionDenied
from org.models import Employee
from org.selectors import active_employees
from portal.attendance.forms_orders import DaySwapForm, OvertimeApplicationForm, OvertimeOrderForm
from portal.decorators import page
from portal.forms import run_action, run_lookup, run_service

MY_ROWS = 20
DEPARTMENT_ROWS = 100
PAGE = "portal:attendance-orders"


class CancelRights:
    """`may_cancel` of each listed order or swap, asked once per (drafted by the viewer, status, the employee's
    department): all it reads of a row, the department standing for its director. A list of any length costs
    the same queries."""

    def __init__(self, actor: Employee) -> None:
        self.actor = actor
        self.known: dict[tuple, bool] = {}

    def __call__(self, *, drafter_id: int, employee: Employee, status: str) -> bool:
        if status not in ORDER_ACTIVE:
            return False
        key = (drafter_id == self.actor.pk, status, employee.department_id)
        if key not in self.known:
            self.known[key] = may_cancel(
                actor=self.actor, drafter_id=drafter_id, employee=employee, status=status
            )
        return self.known[key]


def _orders(rows, rights: CancelRights) -> list[OvertimeOrder]:
    rows = list(rows)
    for order in rows:
        order.cancellable = rights(
            drafter_id=order.ordered_by_id, employee=order.employee, status=order.status
        )
    return rows


def _swaps(rows, rights: CancelRights) -> list[DaySwap]:
    rows = list(rows)
    for swap in rows:
        swap.cancellable = rights(drafter_id=swap.employee_id, employee=swap.employee, status=swap.status)
    return rows


def _staff(employee: Employee, departments: set[int]) -> QuerySet[Employee]:
    """Whom the order form offers: the active staff of the departments the person directs, but themself."""
    return (
        active_employees()
        .filter(department_id__in=departments)
        .exclude(pk=employee.pk)
        .select_related("department")
        .order_by("department__sort_order", "department__code", "id")
    )


def _order_form(employee: Employee, departments: set[int], data=None) -> OvertimeOrderForm:
    """The 時間外勤務命令 form; with more than one department directed (an acting 課長's), each name says whose."""
    return OvertimeOrderForm(
        data, prefix="order", staff=_staff(employee, departments), name_departments=len(departments) > 1
    )


def _department_orders(
    employee: Employee, departments: set[int], rights: CancelRights
) -> list[OvertimeOrder] | None:
    """The orders of the departments the director directs from this month on, the earliest first (None when
    the selector refuses them the list): what they ordered for next month stays in reach of its cancel."""
    try:
        rows = selectors_orders.overtime_orders_of_departments(viewer=employee, department_ids=departments)
    except PermissionDenied:
        return None
    return _orders(rows.filter(date__gte=timezone.localdate().replace(day=1))[:DEPARTMENT_ROWS], rights)


def _page(
    request,
    *,
    apply_form: OvertimeApplicationForm | None = None,
    order_form: OvertimeOrderForm | None = None,
    swap_form: DaySwapForm | None = None,
    status: int = 200,
):
    employee = request.user
    rights = CancelRights(employee)
    directed = directed_department_ids(employee)
    mine = selectors_orders.overtime_orders(viewer=employee).order_by("-date", "-start", "-id")[:MY_ROWS]
    swaps = selectors_orders.day_swaps(viewer=employee).order_by("-work_date", "-id")[:MY_ROWS]
    context = {
        "director": bool(directed),
        "apply_form": apply_form or OvertimeApplicationForm(prefix="apply"),
        "order_form": (order_form or _order_form(employee, directed)) if directed else None,
        "swap_form": swap_form or DaySwapForm(prefix="swap"),
        "orders": _orders(mine, rights),
        "swaps": _swaps(swaps, rights),
        "department_orders": _department_orders(employee, directed, rights) if directed else None,
        "month": timezone.localdate(),
    }
    return render(request, "portal/attendance/orders.html", context, status=status)


@page
def home(request):
    return _page(request)


def _create(form, employee_id: int | None, actor: Employee) -> OvertimeOrder | None:
    data = form.cleaned_data
    return run_service(
        form,
        services.overtime_order_create,
        actor=actor,
        employee_id=employee_id,
        day=data["date"],
        start=data["start"],
        end=data["end"],
        reason=data["reason"],
        telework=data["telework"],
    )


@page
@require_POST
def apply(request):
    """事前申請 of my overtime, routed to my director; every refusal next to its field with what was typed kept."""
    form = OvertimeApplicationForm(request.POST, prefix="apply")
    if form.is_valid() and _create(form, None, request.user) is not None:
        messages.success(request, _("時間外勤務を事前申請しました。課長が決裁するとお知らせします。"))
        return redirect(PAGE)
    return _page(request, apply_form=form, status=form.error_status)


@page
@require_POST
def order(request):
    """時間外勤務命令 for a member of a department I direct (mine, or one whose vacant 課長 post I hold), decided at
    once. The service refuses anyone but the department's director (403); the form offers only those
    departments' active staff."""
    # the choices take the person's own department too, so that the service refuses a colleague (404, 403 as
    # the API) rather than the form
    departments = directed_department_ids(request.user) | {request.user.department_id}
    form = _order_form(request.user, departments, request.POST)
    if form.is_valid():
        ordered = _create(form, form.cleaned_data["employee"].pk, request.user)
        if ordered is not None:
            messages.success(
                request,
                _("%(name)sさんに時間外勤務を命令しました(%(status)s)。")
                % {"name": ordered.employee.name, "status": ordered.get_status_display()},
            )
            return redirect(PAGE)
    return _page(request, order_form=form, status=form.error_status)


@page
@require_POST
def swap(request):
    """週休日の振替の申請, routed to my director; the window and the days' kinds are the service's rules."""
    form = DaySwapForm(request.POST, prefix="swap")
    if form.is_valid():
        requested = run_service(form, services.day_swap_request, employee=request.user, **form.cleaned_data)
        if requested is not None:
            messages.success(request, _("週休日の振替を申請しました。課長が決裁するとお知らせします。"))
            return redirect(PAGE)
    return _page(request, swap_form=form, status=form.error_status)


@page
@require_POST
def order_cancel(request, order_id: int):
    """取消 of an overtime order (the API's service): 404 for one the person may not see."""
    found = run_lookup(selectors_orders.overtime_order_for_viewer, viewer=request.user, order_id=order_id)
    if run_action(request, services.overtime_order_cancel, actor=request.user, order=found):
        messages.success(request, _("時間外勤務命令を取り消しました。"))
    return redirect(PAGE)


@page
@require_POST
def swap_cancel(request, swap_id: int):
    """取消 of a day swap (the API's service): 404 for one the person may not see."""
    found = run_lookup(selectors_orders.day_swap_for_viewer, viewer=request.user, swap_id=swap_id)
    if run_action(request, services.day_swap_cancel, actor=request.user, swap=found):
        messages.success(request, _("週休日の振替を取り消しました。"))
    return redirect(PAGE)
