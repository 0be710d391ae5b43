"""Who is on the payroll CSV of a month (給与連携): each person with their assignments (配属) of the month."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from attendance.selectors import month_end, month_start
from org.models import Assignment, Employee


@dataclass(frozen=True)
class RosterEntry:
    """One person of the payroll CSV: the employee and their assignments (配属) overlapping the month."""

    employee: Employee
    assignments: list[Assignment]

    def department_on(self, day: date):
        """The department of the day (None on a day not employed or not assigned)."""
        employee = self.employee
        if (employee.hired_on and day < employee.hired_on) or (
            employee.retired_on and day > employee.retired_on
        ):
            return None
        return next((a.department for a in reversed(self.assignments) if a.covers(day)), None)


def payroll_roster(*, month: date, department_code: str | None = None) -> list[RosterEntry]:
    """Everyone on the payroll at any time in the month, in one query: an assignment to a department overlapping
    the month while employed (retired staff included; system accounts, in no department, left out). With a
    department, those assigned to it at some time in the month. By department order, then id."""
    first, last = month_start(month), month_end(month)
    rows = (
        Assignment.objects.filter(department__isnull=False, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .filter(Q(employee__hired_on__isnull=True) | Q(employee__hired_on__lte=last))
        .filter(Q(employee__retired_on__isnull=True) | Q(employee__retired_on__gte=first))
        .select_related("employee", "department")
        .order_by("start", "id")
    )
    by_employee: dict[int, list[Assignment]] = defaultdict(list)
    for row in rows:
        by_employee[row.employee_id].append(row)
    entries = [
        RosterEntry(employee=assignments[0].employee, assignments=assignments)
        for assignments in by_employee.values()
        if department_code is None or any(a.department.code == department_code for a in assignments)
    ]
    return sorted(
        entries,
        key=lambda e: (
            e.assignments[-1].department.sort_order,
            e.assignments[-1].department.code,
            e.employee.pk,
        ),
    )
