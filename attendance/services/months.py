"""月次勤務表: the employee submits the month (a `timesheet` document), the director approves, HR closes it, and
HR may reopen an approved or closed month (audited in the approvals chain, the employee and director told).

A month's status changes only in `_month_move`, and only to a status that `MONTH_TRANSITIONS` allows from
the one it has; a closed month cannot change until it is reopened.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import services as approvals
from approvals.audit import audit_append, audit_batch
from attendance import lock_objects, selectors, selectors_orders
from attendance.codes import AttendanceError
from attendance.models import MONTH_TRANSITIONS, MonthClosing, MonthStatus
from attendance.services.days import recompute
from core.errors import CoreError
from notifications.services import notify
from org.models import Department, Employee
from org.selectors import business_calendar, department_director

KIND_TIMESHEET = "timesheet"
# The audit action of HR's reopening, in the approvals chain (on the month's timesheet document when it has one).
AUDIT_TIMESHEET_REOPEN = "timesheet_reopen"


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


def first_submission_day(month: date) -> date:
    """The first day a month's timesheet may be submitted: the day after its last working day (開庁日), or that
    day itself with ATTENDANCE_TIMESHEET_ON_LAST_WORKING_DAY."""
    calendar = business_calendar()
    day = selectors.month_end(month)
    while day > month and not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day if settings.ATTENDANCE_TIMESHEET_ON_LAST_WORKING_DAY else day + timedelta(days=1)


def timesheet_submit(*, employee: Employee, month: date) -> MonthClosing:
    """月次勤務表の提出: a `timesheet` document routed to the director.

    422 `future_month` for a month not begun, `month_not_over` before `first_submission_day`, `unresolved_days`
    (with `params.days`) while a day of the month has a shift open or closed as `missing_clock_out` (a correction
    fixes it), `pending_requests` (with `params.requests`) while a request that would change a day of the month is
    still in review; 409 unless the month is open. The month's days still being computed as open are settled first, so
    the totals the approver signs are final."""
    first = selectors.month_start(month)
    today = timezone.localdate()
    if first > today:
        raise AttendanceError.FUTURE_MONTH.error()
    if today < (earliest := first_submission_day(first)):
        raise AttendanceError.MONTH_NOT_OVER.error(month=f"{first:%Y-%m}", date=earliest.isoformat())
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
        for day in selectors.incomplete_days(employee_id=employee.pk, month=first):
            recompute(employee=employee, day=day)
        if unresolved := selectors.unresolved_days(employee_id=employee.pk, month=first):
            days = [day.isoformat() for day in unresolved]
            raise AttendanceError.UNRESOLVED_DAYS.error(
                str(AttendanceError.UNRESOLVED_DAYS.message) % {"days": "、".join(days)}, days=days
            )
        if pending := selectors_orders.pending_requests_of_month(employee_id=employee.pk, month=first):
            raise _pending_refusal(pending)
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


REQUEST_LABELS = {
    "correction": _("打刻修正"),
    "day_swap": _("週休日の振替"),
    "overtime": _("時間外勤務命令"),
    "leave": _("休暇"),
}


def _pending_refusal(pending: list[dict]):
    """422 `pending_requests`, naming each request by its day and kind ("6/10 打刻修正")."""
    named = "、".join(
        f"{date.fromisoformat(item['date']):%-m/%-d} {REQUEST_LABELS[item['kind']]}" for item in pending
    )
    message = str(AttendanceError.PENDING_REQUESTS.message) % {"requests": named}
    return AttendanceError.PENDING_REQUESTS.error(message, requests=pending)


def timesheet_reopen(*, actor: Employee, employee: Employee, month: date, reason: str) -> MonthClosing:
    """勤務表の再開 (HR): an approved or closed month is open again, so that corrections can be filed and the
    timesheet submitted anew. 409 `month_not_reopenable` otherwise (an open month; a submitted one is withdrawn
    or returned through its document). The reopening is an event of the approvals audit chain, on the month's
    timesheet document (its number and decision stay as they were), with the reason; the employee and their
    director are told."""
    selectors.ensure_hr(actor)
    first = selectors.month_start(month)
    label = f"{first:%Y-%m}"
    with transaction.atomic(), audit_batch():
        lock_objects.employee_lock(employee)
        closing = lock_objects.month_lock(employee=employee, month=first)
        status = closing.status if closing else MonthStatus.OPEN
        if status not in (MonthStatus.APPROVED, MonthStatus.CLOSED):
            raise AttendanceError.MONTH_NOT_REOPENABLE.error(status=status)
        document = closing.document  # kept until the next submission replaces it
        _month_move(closing, to=MonthStatus.OPEN, closed_by=None, closed_at=None)
        audit_append(
            document=document,
            action=AUDIT_TIMESHEET_REOPEN,
            actor=actor,
            comment=reason,
            data={"employee": employee.pk, "month": label, "from": status},
        )
        director = department_director(department=employee.department) if employee.department_id else None
        notify(
            recipients=[employee, *([director] if director else [])],
            kind="attendance_timesheet_reopened",
            title=str(
                _("%(name)s さんの %(month)s の勤務表が再開されました")
                % {"name": employee.name, "month": label}
            ),
            body=str(_("人事担当が勤務表を再開しました。理由: %(reason)s") % {"reason": reason}),
            link=f"/attendance/timesheets/{label}",
            data={
                "employee": employee.pk,
                "month": label,
                "from": status,
                "document": getattr(document, "pk", None),
            },
        )
    return closing


def _timesheet_move(document, *, to: str) -> None:
    """A decision's handler: the submitted month moves on; a month in any other status is left as it is."""
    closing = lock_objects.month_of_document_lock(document)
    if closing.status == MonthStatus.SUBMITTED and _allows(closing, to):
        _month_move(closing, to=to)


def on_timesheet_approved(document) -> None:
    """承認: the month waits for HR's closing."""
    _timesheet_move(document, to=MonthStatus.APPROVED)


def on_timesheet_ended(document) -> None:
    """否決 or 引上げ: the month is open again, to be corrected and submitted anew."""
    _timesheet_move(document, to=MonthStatus.OPEN)
