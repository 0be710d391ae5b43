"""Row locks of leave (SELECT ... FOR UPDATE), one small function each; call them inside a transaction.

The order a transaction takes them in (core/locking.py gives the town-wide order):
  1. the applicant's employee row (`applicant_lock`, FOR NO KEY UPDATE) when they file: their filings, and so
     their balance, serialise,
  2. the request's approval document (`document_lock`; a decision's handler runs with the approvals core
     already holding it),
  3. the leave request (`request_lock`, its own row only),
  4. the employee's annual grants (`grant_lock`), then whatever attendance locks when told of changed days
     (its employee row FOR NO KEY UPDATE, which a filer may hold but never waits for this document),
  5. the approvals audit chain head, last (`audit_batch` around the whole transaction).
"""

from approvals.models import Document
from leave.models import AnnualGrant, LeaveRequest
from org.models import Employee


def applicant_lock(employee: Employee) -> Employee:
    return (
        Employee.objects.select_for_update(of=("self",), no_key=True)
        .select_related("department")
        .get(pk=employee.pk)
    )


def document_lock(document_id: int) -> Document:
    return Document.objects.select_for_update().get(pk=document_id)


def request_lock(request_id: int) -> LeaveRequest:
    return (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("employee", "department", "leave_type")
        .get(pk=request_id)
    )


def grant_lock(*, employee_id: int, year: int) -> AnnualGrant | None:
    return AnnualGrant.objects.select_for_update().filter(employee_id=employee_id, year=year).first()
