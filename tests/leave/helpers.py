"""Helpers of the leave tests: apply through the service, decide through the approvals core."""

from datetime import date, time

from approvals import services as approvals_services
from approvals.models import Document, StepStatus
from leave import services
from leave.models import LeaveType


def leave_type(code: str) -> LeaveType:
    return LeaveType.objects.get(code=code)


def apply(
    employee, code="annual", start=None, end=None, unit="day", start_time=None, end_time=None, reason=""
):
    return services.leave_request_create(
        employee=employee,
        leave_type=leave_type(code),
        start_date=start,
        end_date=end or start,
        unit=unit,
        start_time=start_time,
        end_time=end_time,
        reason=reason,
    )


def waiting_approvers(document: Document) -> list:
    document.refresh_from_db()
    steps = document.steps.filter(status=StepStatus.WAITING).prefetch_related("approvers__approver")
    return [row.approver for step in steps for row in step.approvers.all() if row.decision == "pending"]


def approve_all(document: Document) -> Document:
    """Every waiting step is approved by its first approver until the document is decided."""
    for _ in range(6):
        document.refresh_from_db()
        if document.status != "in_review":
            return document
        approver = waiting_approvers(document)[0]
        approvals_services.document_approve(document=document, actor=approver)
    document.refresh_from_db()
    return document


def hours(start: int, end: int) -> tuple[time, time]:
    return time(start, 0), time(end, 0)


__all__ = ["apply", "approve_all", "date", "hours", "leave_type", "waiting_approvers"]
