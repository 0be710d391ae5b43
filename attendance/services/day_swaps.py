"""週休日の振替: the employee works a 週休日 and takes a working day off instead, through a `day_swap` document
decided by their director. Once approved, the days are recomputed: the 週休日 as a working day, the working day
as a 週休日 (`worktime.calendar_day_kind` reads the swap from the day's facts).

The working day taken off lies within the window the rules set around the 週休日 (人事院規則15-14 第8条 and the
towns' 条例: from 4 weeks before it to 8 weeks after it; ATTENDANCE_DAY_SWAP_WEEKS_BEFORE / _AFTER).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import lock_objects as approval_locks
from approvals import services as approvals
from approvals.audit import audit_batch
from attendance import lock_objects, selectors_orders, worktime
from attendance.codes import AttendanceError
from attendance.models import ORDER_ACTIVE, DaySwap, OrderStatus
from attendance.services.days import ensure_month_editable, recompute
from attendance.services.overtime_orders import may_cancel, set_status, state_refusal
from core.errors import CoreError
from org.models import Employee

KIND_DAY_SWAP = "day_swap"


def swap_window(work_date: date) -> tuple[date, date]:
    """The first and last day a 週休日's working day off may fall on."""
    return (
        work_date - timedelta(weeks=settings.ATTENDANCE_DAY_SWAP_WEEKS_BEFORE),
        work_date + timedelta(weeks=settings.ATTENDANCE_DAY_SWAP_WEEKS_AFTER),
    )


def _swap_rules(*, employee: Employee, work_date: date, off_date: date) -> list[dict]:
    """Every rule a swap breaks: `work_date` not a 週休日 of the employee's schedule (`swap_not_rest_day`),
    `off_date` not a working day (`swap_not_working_day`), outside the window (`swap_outside_window`), a day
    already in another active swap (`overlapping_swap`)."""
    errors = []
    if selectors_orders.calendar_kind(employee_id=employee.pk, day=work_date) != worktime.WEEKLY_REST:
        errors.append(AttendanceError.SWAP_NOT_REST_DAY.field("work_date", date=work_date.isoformat()))
    if selectors_orders.calendar_kind(employee_id=employee.pk, day=off_date) != worktime.WORKDAY:
        errors.append(AttendanceError.SWAP_NOT_WORKING_DAY.field("off_date", date=off_date.isoformat()))
    earliest, latest = swap_window(work_date)
    if not earliest <= off_date <= latest:
        errors.append(
            AttendanceError.SWAP_OUTSIDE_WINDOW.field(
                "off_date", earliest=earliest.isoformat(), latest=latest.isoformat()
            )
        )
    days = {work_date, off_date}
    taken = set()
    for other in DaySwap.objects.filter(employee=employee, status__in=ORDER_ACTIVE).filter(
        Q(work_date__in=days) | Q(off_date__in=days)
    ):
        taken |= {other.work_date, other.off_date} & days
    for name, day in (("work_date", work_date), ("off_date", off_date)):
        if day in taken:
            errors.append(AttendanceError.OVERLAPPING_SWAP.field(name, date=day.isoformat()))
    return errors


def day_swap_request(*, employee: Employee, work_date: date, off_date: date, reason: str = "") -> DaySwap:
    """週休日の振替の申請: a `day_swap` document, submitted at once to the employee's director.

    409 `month_closed` / `timesheet_submitted` for a month of either day that may not change; 422 with every
    violation (see `_swap_rules`)."""
    with transaction.atomic(), audit_batch():
        lock_objects.employee_lock(employee)
        for day in sorted({work_date, off_date}):
            ensure_month_editable(employee_id=employee.pk, day=day)
        if errors := _swap_rules(employee=employee, work_date=work_date, off_date=off_date):
            raise CoreError.RULE_VIOLATION.error(errors=errors)
        swap = DaySwap.objects.create(
            employee=employee, work_date=work_date, off_date=off_date, reason=reason
        )
        document = approvals.document_create(
            kind=KIND_DAY_SWAP,
            drafter=employee,
            title=str(
                _("週休日の振替 %(work)s(勤務)→ %(off)s(週休日)")
                % {"work": work_date.isoformat(), "off": off_date.isoformat()}
            ),
            body=reason,
            payload={
                "day_swap": swap.pk,
                "work_date": work_date.isoformat(),
                "off_date": off_date.isoformat(),
            },
        )
        swap.document = document
        swap.save(update_fields=["document"])
        approvals.document_submit(document=document, actor=employee)
    swap.refresh_from_db()
    return swap


def _recompute_days(swap: DaySwap) -> None:
    """Call with the employee's row locked: both days checked editable, then recomputed."""
    days = sorted({swap.work_date, swap.off_date})
    for day in days:
        ensure_month_editable(employee_id=swap.employee_id, day=day)
    for day in days:
        recompute(employee=swap.employee, day=day)


def day_swap_cancel(*, actor: Employee, swap: DaySwap) -> DaySwap:
    """取消 before the earlier of its two days: a submitted swap's document is withdrawn (by the employee); an
    approved one is cancelled by the employee or their director (recorded on the document, audited) and both
    days are recomputed as the calendar has them. 403 for anyone else; 409 `swap_started` on or after the earlier
    day, `invalid_state` once decided otherwise."""
    if not may_cancel(actor=actor, drafter_id=swap.employee_id, employee=swap.employee, status=swap.status):
        raise CoreError.PERMISSION_DENIED.error()
    with transaction.atomic(), audit_batch():
        document = approval_locks.document_for_update(pk=swap.document_id)
        swap = lock_objects.day_swap_of_document_lock(document)
        if swap.status not in ORDER_ACTIVE:
            raise state_refusal(swap)
        if timezone.localdate() >= min(swap.work_date, swap.off_date):
            raise AttendanceError.SWAP_STARTED.error()
        if swap.status == OrderStatus.SUBMITTED:
            approvals.document_withdraw(document=document, actor=actor, comment=str(_("週休日の振替の取消")))
            swap.refresh_from_db()
            return swap
        lock_objects.employee_lock(swap.employee)
        set_status(swap, OrderStatus.CANCELLED)
        approvals.document_comment(document=document, actor=actor, comment=str(_("週休日の振替の取消")))
        _recompute_days(swap)
    return swap


def on_day_swap_approved(document) -> None:
    """決裁: the 週休日 becomes a working day and the working day a 週休日; both days recomputed (a month that
    may not change refuses, and the approval rolls back)."""
    swap = lock_objects.day_swap_of_document_lock(document)
    if swap.status != OrderStatus.SUBMITTED:
        return
    lock_objects.employee_lock(swap.employee)
    set_status(swap, OrderStatus.APPROVED)
    _recompute_days(swap)


def _swap_ends(document, status: str) -> None:
    swap = lock_objects.day_swap_of_document_lock(document)
    if swap.status == OrderStatus.SUBMITTED:
        set_status(swap, status)


def on_day_swap_rejected(document) -> None:
    """否決: the days stay as the calendar has them."""
    _swap_ends(document, OrderStatus.REJECTED)


def on_day_swap_withdrawn(document) -> None:
    """引上げ: the days stay as the calendar has them."""
    _swap_ends(document, OrderStatus.WITHDRAWN)
