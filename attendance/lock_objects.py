"""Attendance's row locks, in the order a transaction takes them (town-wide order: core/locking.py).

Within attendance: a correction, a month, an overtime order or a day swap (the kind's rows of a decision, or of
a cancellation, which takes the document first as a decision does), then the employee row(s) FOR NO KEY UPDATE,
by id, then a work schedule (HR's change of a schedule locks its assignees first). A filing (a clock event, a PC log, a correction request, a timesheet) takes its employee's
row first of all (core/locking.py step 1), then the month, then whatever the approvals core locks.

The employee row is attendance's lock of that employee's records: every write for an employee holds it, so two
racing requests of one person serialise (two `in` cannot both pass the state check, and a recomputation never
reads half a change). FOR NO KEY UPDATE: rows of other transactions that only reference the employee (their
foreign keys are checked at commit, under FOR KEY SHARE) do not wait for it, so a transaction holding the audit
head never waits here.
"""

from datetime import date

from django.db import connection

from attendance.models import (
    CorrectionRequest,
    DaySwap,
    MonthClosing,
    MonthStatus,
    OvertimeOrder,
    ScheduleAssignment,
    WorkSchedule,
)
from core.locking import rows_locked
from org.models import Department, Employee


def employee_lock(employee: Employee) -> Employee:
    """Must be called inside a transaction: holds the employee's row (FOR NO KEY UPDATE) until it ends."""
    return Employee.objects.select_for_update(no_key=True).only("id").get(pk=employee.pk)


def employee_lock_statement(employee_id: int) -> tuple[str, list] | None:
    """`employee_lock`'s statement, to send ahead of the reads it guards in one round trip (core/batch.py): it
    returns the employee's id, no row when there is no such employee. None where the database has no row locks
    (SQLite, whose IMMEDIATE transactions serialise every writer from their BEGIN)."""
    if not connection.features.has_select_for_update:
        return None
    quote = connection.ops.quote_name
    return (
        f"SELECT {quote(Employee._meta.pk.column)} FROM {quote(Employee._meta.db_table)} "
        f"WHERE {quote(Employee._meta.pk.column)} = %s FOR NO KEY UPDATE",
        [employee_id],
    )


def department_employees_lock(department: Department) -> list[Employee]:
    """Every employee row of the department, FOR NO KEY UPDATE, by id (a department's month closing)."""
    return rows_locked(Employee.objects.filter(department=department), no_key=True)


def month_lock(*, employee: Employee, month: date) -> MonthClosing | None:
    """The employee's month row (first day of the month), FOR UPDATE; None when the month was never recorded."""
    return MonthClosing.objects.select_for_update().filter(employee=employee, month=month).first()


def month_lock_or_create(*, employee: Employee, month: date) -> MonthClosing:
    """The employee's month row, created open when missing, FOR UPDATE."""
    closing, _created = MonthClosing.objects.select_for_update().get_or_create(employee=employee, month=month)
    return closing


def approved_months_lock(*, department: Department, month: date) -> list[MonthClosing]:
    """The department's approved month rows, FOR UPDATE, by employee."""
    return list(
        MonthClosing.objects.select_for_update()
        .filter(employee__department=department, month=month, status=MonthStatus.APPROVED)
        .order_by("employee_id")
    )


def month_of_document_lock(document) -> MonthClosing:
    """The month row of a timesheet document, FOR UPDATE (a decision's handler)."""
    return MonthClosing.objects.select_for_update().get(document=document)


def correction_of_document_lock(document) -> CorrectionRequest:
    """The correction row of its document, FOR UPDATE of that row only (`of=self`): the employee's row is taken
    by `employee_lock` (FOR NO KEY UPDATE) when the correction is applied."""
    return (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(document=document)
    )


def schedule_assignees_lock(schedule) -> list[Employee]:
    """The employee rows of everyone ever assigned the schedule, FOR NO KEY UPDATE, by id (a schedule's change
    recomputes their days)."""
    assignees = ScheduleAssignment.objects.filter(schedule=schedule).values("employee_id")
    return rows_locked(Employee.objects.filter(pk__in=assignees), no_key=True)


def schedule_lock(schedule) -> WorkSchedule:
    """The schedule's row, FOR UPDATE (after its assignees' employee rows)."""
    return WorkSchedule.objects.select_for_update().get(pk=schedule.pk)


def overtime_order_of_document_lock(document) -> OvertimeOrder:
    """The overtime order of its document, FOR UPDATE of that row only (its employee is locked after it)."""
    return (
        OvertimeOrder.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(document=document)
    )


def day_swap_of_document_lock(document) -> DaySwap:
    """The day swap of its document, FOR UPDATE of that row only (its employee is locked after it)."""
    return DaySwap.objects.select_for_update(of=("self",)).select_related("employee").get(document=document)
