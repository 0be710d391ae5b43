"""Reads of the organisation shared by the API and the other apps: the reporting line, absences, calendar."""

from datetime import date

from django.db.models import QuerySet

from org.calendar import BusinessCalendar
from org.models import Absence, ClosedDay, Department, Employee, Position


def business_calendar() -> BusinessCalendar:
    """The business calendar with the town's extra closed days from the database."""
    return BusinessCalendar(closed_days=frozenset(ClosedDay.objects.values_list("date", flat=True)))


def active_employees() -> QuerySet[Employee]:
    return Employee.objects.filter(is_active=True)


def department_head(*, department: Department, position: str) -> Employee | None:
    """The active holder of a position in a department (the first by id if there are several)."""
    return (
        active_employees().filter(department=department, position=position).order_by("id").first()
        if department
        else None
    )


def department_director(*, department: Department) -> Employee | None:
    """課長 of the department."""
    return department_head(department=department, position=Position.DIRECTOR)


def department_chief(*, department: Department) -> Employee | None:
    """係長 of the department."""
    return department_head(department=department, position=Position.CHIEF)


def deputy_mayor() -> Employee | None:
    """副町長."""
    return active_employees().filter(position=Position.DEPUTY_MAYOR).order_by("id").first()


def mayor() -> Employee | None:
    """町長."""
    return active_employees().filter(position=Position.MAYOR).order_by("id").first()


def is_absent(*, employee: Employee, on: date) -> bool:
    """Whether an absence (不在) covers the day, so the employee's deputy may decide for them."""
    return Absence.objects.filter(employee=employee, start__lte=on, end__gte=on).exists()


def absent_employee_ids(*, on: date, employee_ids=None) -> set[int]:
    qs = Absence.objects.filter(start__lte=on, end__gte=on)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=employee_ids)
    return set(qs.values_list("employee_id", flat=True))
