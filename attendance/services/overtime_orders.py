"""時間外勤務命令: an overtime order is an `overtime` document; its approval puts its minutes into the day.

The director (課長, or whoever holds the post for the time being) of the employee's department orders it, in that
department's name (its document is filed there, whatever department the acting holder belongs to), and the
order is decided at once: the route rule's 決裁 by the drafter's director is skipped for its drafter under the
category `ORDER_CATEGORY`, so submitting approves it in the same transaction (audited as the decision). The
employee may ask for it themself (事前申請, `APPLICATION_CATEGORY`): the director decides it. Each approved or
cancelled order recomputes its day, which compares the overtime worked with the minutes ordered
(`overtime_without_order`).
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import lock_objects as approval_locks
from approvals import routing
from approvals import services as approvals
from approvals.audit import audit_batch
from approvals.posts import acting_departments, post_holders
from attendance import lock_objects, selectors
from attendance.codes import AttendanceError
from attendance.models import ORDER_ACTIVE, ORDER_TRANSITIONS, OrderStatus, OvertimeOrder
from attendance.services.days import ensure_month_editable, recompute
from core.errors import CoreError, DomainError
from org.models import Employee, Position

KIND_OVERTIME = "overtime"
# The document's category tells the route rule who files it (approvals/…/route rule of `overtime`).
ORDER_CATEGORY = "時間外勤務命令"
APPLICATION_CATEGORY = "時間外勤務事前申請"


def department_directors(employee: Employee) -> tuple[int, ...]:
    """Who holds the 課長 post of the employee's department today (its acting holder when vacant)."""
    if employee.department_id is None:
        return ()
    return post_holders(post=routing.Post(Position.DIRECTOR, employee.department_id), on=timezone.localdate())


def directed_department_ids(actor: Employee) -> set[int]:
    """The departments whose staff `actor` orders overtime for today: those whose 課長 post they hold, as its
    holder (their own department) or as the acting holder of a vacant one (職務代理者)."""
    own = {actor.department_id} if actor.department_id and actor.pk in department_directors(actor) else set()
    return own | acting_departments(employee=actor, on=timezone.localdate())


def state_refusal(item) -> DomainError:
    """409 `invalid_state` for an overtime order or a day swap whose status does not allow the action."""
    return CoreError.INVALID_STATE.error(
        _("現在の状態(%(status)s)ではこの操作はできません。") % {"status": item.get_status_display()}
    )


def set_status(item, status: str) -> None:
    """Move an overtime order or a day swap to `status` along ORDER_TRANSITIONS (409 otherwise)."""
    if status not in ORDER_TRANSITIONS[item.status]:
        raise state_refusal(item)
    item.status = status
    now = timezone.now()
    if status == OrderStatus.CANCELLED:
        item.cancelled_at = now
    else:
        item.decided_at = now
    item.save(update_fields=["status", "decided_at", "cancelled_at"])


def _order_rules(*, employee: Employee, day: date, start: time, end: time) -> list[dict]:
    """Every rule an order breaks: a day further back than ATTENDANCE_OVERTIME_ORDER_PAST_DAYS
    (`overtime_past_date`), a time overlapping another active order of the day (`overlapping_order`)."""
    errors = []
    days = settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS
    earliest = timezone.localdate() - timedelta(days=days)
    if day < earliest:
        errors.append(
            AttendanceError.OVERTIME_PAST_DATE.field("date", days=days, earliest=earliest.isoformat())
        )
    overlapping = (
        OvertimeOrder.objects.filter(employee=employee, date=day, status__in=ORDER_ACTIVE)
        .filter(start__lt=end, end__gt=start)
        .order_by("start")
    )
    errors += [
        AttendanceError.OVERLAPPING_ORDER.field(
            "start", start=f"{other.start:%H:%M}", end=f"{other.end:%H:%M}", order=other.pk
        )
        for other in overlapping
    ]
    return errors


def overtime_order_create(
    *,
    actor: Employee,
    employee_id: int | None,
    day: date,
    start: time,
    end: time,
    reason: str,
    telework: bool = False,
) -> OvertimeOrder:
    """時間外勤務命令 (the director, for their department's staff: decided at once) or 事前申請 (the employee,
    for themself, `employee_id` None or their own: routed to the director). `telework`: the overtime is worked
    on a telework day.

    404 `employee_not_found` for someone the actor may not see, 403 `not_orderer` for anyone else but the
    department's director; 400 `end_before_start`; 409 `month_closed` / `timesheet_submitted`; 422 with every
    violation (`overtime_past_date`, `overlapping_order`)."""
    employee = selectors.attendance_subject(viewer=actor, employee_id=employee_id)
    ordering = actor.pk != employee.pk
    if ordering and actor.pk not in department_directors(employee):
        raise AttendanceError.NOT_ORDERER.error()
    if end <= start:
        message = _("終了時刻は開始時刻より後にしてください。")
        raise CoreError.INVALID.error(errors=[CoreError.END_BEFORE_START.field("end", message)])
    with transaction.atomic(), audit_batch():
        lock_objects.employee_lock(employee)
        ensure_month_editable(employee_id=employee.pk, day=day)
        if errors := _order_rules(employee=employee, day=day, start=start, end=end):
            raise CoreError.RULE_VIOLATION.error(errors=errors)
        order = OvertimeOrder.objects.create(
            employee=employee,
            date=day,
            start=start,
            end=end,
            telework=telework,
            reason=reason,
            ordered_by=actor,
        )
        label = ORDER_CATEGORY if ordering else APPLICATION_CATEGORY
        document = approvals.document_create(
            kind=KIND_OVERTIME,
            drafter=actor,
            title=f"{label} {employee.name} {day.isoformat()} {start:%H:%M}–{end:%H:%M}",
            body=reason,
            category=label,
            department=employee.department,
            payload={
                "overtime_order": order.pk,
                "employee": employee.pk,
                "date": day.isoformat(),
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
                "telework": telework,
            },
        )
        order.document = document
        order.save(update_fields=["document"])
        approvals.document_submit(document=document, actor=actor)
    order.refresh_from_db()
    return order


def _order_starts(order: OvertimeOrder) -> datetime:
    return timezone.make_aware(datetime.combine(order.date, order.start))


def may_cancel(*, actor: Employee, drafter_id: int, employee: Employee, status: str) -> bool:
    """Its drafter cancels (withdraws) what is still submitted; once approved, the drafter or the employee's
    director."""
    if actor.pk == drafter_id:
        return True
    return status == OrderStatus.APPROVED and actor.pk in department_directors(employee)


def overtime_order_cancel(*, actor: Employee, order: OvertimeOrder) -> OvertimeOrder:
    """取消 before the ordered time begins: a submitted order's document is withdrawn; an approved order is
    cancelled (recorded on its document as a comment, in the audit chain) and its day recomputed.

    403 for anyone but its drafter (and, once approved, the employee's director); 409 `order_started` from the
    order's start, `invalid_state` once it is decided otherwise, `month_closed` / `timesheet_submitted`."""
    if not may_cancel(
        actor=actor, drafter_id=order.ordered_by_id, employee=order.employee, status=order.status
    ):
        raise CoreError.PERMISSION_DENIED.error()
    with transaction.atomic(), audit_batch():
        document = approval_locks.document_for_update(pk=order.document_id)
        order = lock_objects.overtime_order_of_document_lock(document)
        if order.status not in ORDER_ACTIVE:
            raise state_refusal(order)
        if timezone.now() >= _order_starts(order):
            raise AttendanceError.ORDER_STARTED.error()
        if order.status == OrderStatus.SUBMITTED:
            approvals.document_withdraw(
                document=document, actor=actor, comment=str(_("時間外勤務命令の取消"))
            )
            order.refresh_from_db()
            return order
        lock_objects.employee_lock(order.employee)
        ensure_month_editable(employee_id=order.employee_id, day=order.date)
        set_status(order, OrderStatus.CANCELLED)
        approvals.document_comment(document=document, actor=actor, comment=str(_("時間外勤務命令の取消")))
        recompute(employee=order.employee, day=order.date)
    return order


def on_overtime_approved(document) -> None:
    """決裁: the order stands and its day is recomputed; a closed month, or one whose timesheet is submitted or
    approved, refuses (the approval rolls back)."""
    order = lock_objects.overtime_order_of_document_lock(document)
    if order.status != OrderStatus.SUBMITTED:
        return
    lock_objects.employee_lock(order.employee)
    ensure_month_editable(employee_id=order.employee_id, day=order.date)
    set_status(order, OrderStatus.APPROVED)
    recompute(employee=order.employee, day=order.date)


def _order_ends(document, status: str) -> None:
    order = lock_objects.overtime_order_of_document_lock(document)
    if order.status == OrderStatus.SUBMITTED:
        set_status(order, status)


def on_overtime_rejected(document) -> None:
    """否決: nothing was ordered."""
    _order_ends(document, OrderStatus.REJECTED)


def on_overtime_withdrawn(document) -> None:
    """引上げ: nothing was ordered."""
    _order_ends(document, OrderStatus.WITHDRAWN)
