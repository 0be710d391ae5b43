"""月次勤務表: the employee submits the month (a `timesheet` document), the director approves, HR closes it.

A month's status changes only in `_month_move`, and only to a status that `MONTH_TRANSITIONS` allows from
the one it has; a closed month cannot change.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import services as approvals
from approvals.audit import audit_batch
from attendance import lock_objects, selectors
from attendance.codes import AttendanceError
from attendance.models import MONTH_TRANSITIONS, MonthClosing, MonthStatus
from core.errors import CoreError
from org.models import Department, Employee

KIND_TIMESHEET = "timesheet"


def _allows(closing: MonthClosing | None, to: str) -> bool:
    return to in MONTH_TRANSITIONS[closing.status if closing else MonthStatus.OPEN]


def _month_move(closing: MonthClosing, *, to: str, **changes) -> MonthClosing:
    """Moves the month to `to` (with the other fields given), refused unless MONTH_TRANSITIONS allows it."""
    if not _allows(closing, to):
        raise CoreError.CONFLICT.error(status=closing.status)
    closing.status = to
    for name, value in changes.items():
        setattr(closing, name, value)
    closing.save(update_fields=["status", *changes, "updated_at"])
    return closing


def _close(*, closing: MonthClosing, actor: Employee) -> MonthClosing:
    return _month_move(closing, to=MonthStatus.CLOSED, closed_by=actor, closed_at=timezone.now())


def month_close(
    *,
    actor: Employee,
    month: date,
    employee: Employee | None = None,
    department: Department | None = None,
) -> list[MonthClosing]:
    """月次締め (HR): close one employee's approved month, or every approved month of a department.

    One employee: 409 `month_not_approved` unless the month is approved, `month_closed` when already closed.
    A department: closes the approved months and leaves the others; returns the months it closed.
    """
    selectors.ensure_hr(actor)
    if (employee is None) == (department is None):
        raise AttendanceError.EMPLOYEE_OR_DEPARTMENT.error()
    first = selectors.month_start(month)
    with transaction.atomic():
        if employee is not None:
            lock_objects.employee_lock(employee)
            closing = lock_objects.month_lock(employee=employee, month=first)
            status = closing.status if closing else MonthStatus.OPEN
            if status == MonthStatus.CLOSED:
                raise AttendanceError.MONTH_CLOSED.error(_("すでに締め済みです。"), month=f"{first:%Y-%m}")
            if not _allows(closing, MonthStatus.CLOSED):
                raise AttendanceError.MONTH_NOT_APPROVED.error(status=status)
            return [_close(closing=closing, actor=actor)]
        lock_objects.department_employees_lock(department)
        closings = lock_objects.approved_months_lock(department=department, month=first)
        return [
            _close(closing=closing, actor=actor)
            for closing in closings
            if _allows(closing, MonthStatus.CLOSED)
        ]


def timesheet_submit(*, employee: Employee, month: date) -> MonthClosing:
    """月次勤務表の提出: a `timesheet` document routed to the director; 409 unless the month is open."""
    first = selectors.month_start(month)
    if first > timezone.localdate():
        raise AttendanceError.FUTURE_MONTH.error()
    with transaction.atomic(), audit_batch():
        lock_objects.employee_lock(employee)
        closing = lock_objects.month_lock_or_create(employee=employee, month=first)
        if not _allows(closing, MonthStatus.SUBMITTED):
            refusal = (
                AttendanceError.MONTH_CLOSED
                if closing.status == MonthStatus.CLOSED
                else AttendanceError.ALREADY_SUBMITTED
            )
            raise refusal.error(AttendanceError.ALREADY_SUBMITTED.message, status=closing.status)
        sheet = selectors.timesheet(employee=employee, month=first)
        document = approvals.document_create(
            kind=KIND_TIMESHEET,
            drafter=employee,
            title=str(_("月次勤務表 %(month)s") % {"month": f"{first:%Y-%m}"}),
            payload={"month": f"{first:%Y-%m}", "totals": sheet.totals},
        )
        _month_move(closing, to=MonthStatus.SUBMITTED, document=document)
        approvals.document_submit(document=document, actor=employee)
    closing.refresh_from_db()
    return closing


def _timesheet_move(document, *, to: str) -> None:
    """A decision's handler: the submitted month moves on; a month in any other status is left as it is."""
    closing = lock_objects.month_of_document_lock(document)
    if _allows(closing, to):
        _month_move(closing, to=to)


def on_timesheet_approved(document) -> None:
    """承認: the month waits for HR's closing."""
    _timesheet_move(document, to=MonthStatus.APPROVED)


def on_timesheet_ended(document) -> None:
    """否決 or 引上げ: the month is open again, to be corrected and submitted anew."""
    _timesheet_move(document, to=MonthStatus.OPEN)
