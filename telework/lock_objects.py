"""Row locks of telework (SELECT ... FOR UPDATE), one small function each; call them inside a transaction.

The fixed order, shared with the approvals core, in which a transaction takes them (never the other way round,
so two transactions cannot wait for each other):
  1. the applicant's employee row (`applicant_lock`, FOR NO KEY UPDATE: rows that only reference the employee
     do not wait for it),
  2. the request's approval document (`document_lock`; a decision's handler runs with the approvals core
     already holding it),
  3. the telework request (`request_lock`, its own row only),
  4. the department's days of the request, in date order (`department_days_lock`: two approvals of the same
     day serialise here, so together they cannot break the counter minimum),
  5. the approvals audit chain head, last: the services that call approvals open an `audit_batch` around their
     whole transaction, which appends every event at its end.
A policy row (`policy_lock`), a department's phase (`department_phase_lock`) and the days due for a report
reminder (`unreminded_days_lock`) are each the only telework lock of their transaction.
"""

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction

from approvals.models import Document
from org.models import Department, Employee
from telework.models import (
    DepartmentDay,
    DepartmentPhase,
    Phase,
    TeleworkDay,
    TeleworkPolicy,
    TeleworkRequest,
)
from telework.selectors import missing_day_reports


def applicant_lock(employee: Employee) -> Employee:
    """The applicant's row (with its department read, not locked): their filings serialise."""
    return (
        Employee.objects.select_for_update(of=("self",), no_key=True)
        .select_related("department")
        .get(pk=employee.pk)
    )


def document_lock(document_id: int) -> Document:
    return Document.objects.select_for_update().get(pk=document_id)


def request_lock(request_id: int) -> TeleworkRequest:
    """The request's row only (`of=self`): its employee and department are read, not locked, so a decision does
    not hold the department's row that every document of the department references."""
    return (
        TeleworkRequest.objects.select_for_update(of=("self",))
        .select_related("employee", "department")
        .get(pk=request_id)
    )


def department_days_lock(*, department_id: int, dates: Iterable[date]) -> list[DepartmentDay]:
    """The department's day rows of `dates` (they must exist), locked in date order."""
    return list(
        DepartmentDay.objects.select_for_update()
        .filter(department_id=department_id, date__in=list(dates))
        .order_by("date")
    )


def policy_lock(department: Department | None) -> TeleworkPolicy:
    """The policy row of the scope (None = the town default), created at version 0 when missing."""
    policy = TeleworkPolicy.objects.select_for_update().filter(department=department).first()
    if policy is None:
        try:
            with transaction.atomic():
                TeleworkPolicy.objects.create(department=department)
        except IntegrityError:
            pass  # created meanwhile by someone else
        policy = TeleworkPolicy.objects.select_for_update().get(department=department)
    return policy


def department_phase_lock(*, department: Department, since: date) -> DepartmentPhase:
    """The department's phase row, created as `not_started` from `since` when the department has none."""
    row, _created = DepartmentPhase.objects.select_for_update().get_or_create(
        department=department, defaults={"phase": Phase.NOT_STARTED, "since": since}
    )
    return row


def unreminded_days_lock(*, before: date) -> list[TeleworkDay]:
    """Approved days before `before` still without a report nor a reminder; rows another run holds are
    skipped (that run reminds them), so two reminder jobs never send the same reminder."""
    return list(
        missing_day_reports(before=before)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("employee", "department")
    )
