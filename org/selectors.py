"""Reads of the organisation shared by the API and the other apps: the reporting line, absences, calendar, and
where each person stood on a given day (the assignment history of 人事異動)."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.errors import CoreError
from org import registry
from org.calendar import BusinessCalendar
from org.models import (
    MANAGER_POSITIONS,
    Absence,
    Assignment,
    ClosedDay,
    Department,
    Employee,
    Position,
    RoleCode,
    Section,
)

# Who reads the whole staff directory (名簿); everyone else reads their own department's.
DIRECTORY_READERS = (RoleCode.MANAGER, RoleCode.SECRETARIAT, RoleCode.HR, RoleCode.ADMIN)
# Who reads every employee's record beyond the directory (hire date, roles, security training...).
RECORD_READERS = (RoleCode.HR, RoleCode.ADMIN)


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


# The executives: superiors of everyone below them, in every department.
TOWN_WIDE_SUPERIORS = (Position.MAYOR, Position.DEPUTY_MAYOR)


def is_superior_in_line(*, superior: Employee, employee: Employee) -> bool:
    """上司: `superior` stands above `employee` in their reporting line. The mayor and the deputy mayor are above
    everyone of a lower position; a 課長 or 課長補佐 above the lower positions of their department; a 係長 above
    the lower positions of their department, within their own section when both belong to one. Nobody is their
    own superior, and a post of the same or a lower position never is."""
    if superior.pk == employee.pk or not superior.is_active:
        return False
    if superior.position not in MANAGER_POSITIONS or superior.position_rank <= employee.position_rank:
        return False
    if superior.position in TOWN_WIDE_SUPERIORS:
        return True
    if superior.department_id is None or superior.department_id != employee.department_id:
        return False
    if superior.position == Position.CHIEF and superior.section_id and employee.section_id:
        return superior.section_id == employee.section_id
    return True


def absent_employee_ids(*, on: date, employee_ids=None) -> set[int]:
    qs = Absence.objects.filter(start__lte=on, end__gte=on)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=employee_ids)
    return set(qs.values_list("employee_id", flat=True))


def department_list() -> QuerySet[Department]:
    """Every department, active ones and closed ones, in display order."""
    return Department.objects.all()


def employees_visible_to(*, viewer: Employee) -> QuerySet[Employee]:
    """The staff directory the viewer may read: all of it for managers, the secretariat, hr and admin;
    their own department (and themselves) for everyone else. Roles and department are prefetched."""
    qs = Employee.objects.select_related("department").prefetch_related("roles")
    if viewer.has_role(*DIRECTORY_READERS):
        return qs
    if viewer.department_id is None:
        return qs.filter(pk=viewer.pk)
    return qs.filter(Q(department_id=viewer.department_id) | Q(pk=viewer.pk))


def can_read_employee_record(*, viewer: Employee, employee: Employee) -> bool:
    """Fields beyond the directory (name, position, department) are for the employee, hr and admin."""
    return viewer.pk == employee.pk or viewer.has_role(*RECORD_READERS)


def managed_department_ids(*, viewer: Employee) -> set[int]:
    """The departments the viewer manages today: their own for a manager (課長・係長), and every department
    whose vacant 課長 post they hold for the time being (職務代理者, whatever their own role)."""
    own = (
        {viewer.department_id}
        if viewer.department_id is not None and viewer.has_role(RoleCode.MANAGER)
        else set()
    )
    return own | registry.acting_departments(employee=viewer, on=timezone.localdate())


def manages_department(*, viewer: Employee, department_id: int | None) -> bool:
    """The viewer manages that department today (see `managed_department_ids`)."""
    if department_id is None:
        return False
    if viewer.department_id == department_id and viewer.has_role(RoleCode.MANAGER):
        return True
    return department_id in registry.acting_departments(employee=viewer, on=timezone.localdate())


def can_view_work_records_of(*, viewer: Employee, employee: Employee) -> bool:
    """Whose attendance and leave the viewer may read (勤怠・休暇の記録): their own; a manager their department's
    (the acting holder of a vacant 課長 post, that department's); HR and admin everyone's."""
    if viewer.pk == employee.pk or viewer.has_role(RoleCode.HR, RoleCode.ADMIN):
        return True
    return manages_department(viewer=viewer, department_id=employee.department_id)


def absences_visible_to(*, viewer: Employee) -> QuerySet[Absence]:
    """Absences the viewer may read: their own, those of whom they are the deputy (代決者), those of the
    departments they manage, everyone's for hr and admin."""
    qs = Absence.objects.select_related("employee", "employee__department")
    if viewer.has_role(RoleCode.HR, RoleCode.ADMIN):
        return qs
    visible = Q(employee_id=viewer.pk) | Q(employee__deputy_id=viewer.pk)
    if managed := managed_department_ids(viewer=viewer):
        visible |= Q(employee__department_id__in=managed)
    return qs.filter(visible)


def own_absences(*, employee: Employee, since: date) -> QuerySet[Absence]:
    """The employee's absences (不在) that end on `since` or later, the earliest first."""
    return Absence.objects.filter(employee=employee, end__gte=since).order_by("start", "id")


def own_absence(*, viewer: Employee, absence_id: int, on: date) -> Absence:
    """One absence the viewer recorded for themself and that has not ended before `on` (what the portal's 不在
    page cancels: one of approved leave goes with the leave, a past one stays the record behind the decisions
    their deputy took), else NotFound."""
    absence = Absence.objects.filter(pk=absence_id, employee=viewer, created_by=viewer, end__gte=on).first()
    if absence is None:
        raise CoreError.NOT_FOUND.error()
    return absence


# --- Where each person stood on a day (配属履歴) -------------------------------------------------------


def employed_on(on: date, *, prefix: str = "") -> Q:
    """Employees on the payroll that day: hired by then (or hire date unknown) and not retired before it.
    `prefix` reaches the employee from another model (`"employee__"`)."""
    return (Q(**{f"{prefix}hired_on__isnull": True}) | Q(**{f"{prefix}hired_on__lte": on})) & (
        Q(**{f"{prefix}retired_on__isnull": True}) | Q(**{f"{prefix}retired_on__gte": on})
    )


def assignments_on(*, on: date) -> QuerySet[Assignment]:
    """Each employed person's assignment of that day: the department, section and position they held then.
    A query (it joins and aggregates in SQL: `assignments_on(on=d).values("department").annotate(...)`)."""
    return Assignment.objects.filter(
        Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on)) & employed_on(on, prefix="employee__")
    )


def department_ids_on(*, on: date, employee_ids: Iterable[int] | None = None) -> dict[int, int | None]:
    """employee id → the id of the department they belonged to that day (None: no department, e.g. the
    system administrator). Employees not employed that day are absent from the answer."""
    rows = assignments_on(on=on)
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    return dict(rows.values_list("employee_id", "department_id"))


def assignment_history(*, employee: Employee) -> QuerySet[Assignment]:
    """The employee's assignments, oldest first, with their department and section."""
    return employee.assignments.select_related("department", "section").order_by("start")


def sections_of(*, department: Department | None = None) -> QuerySet[Section]:
    """Sections (係) in display order, of one department or of all, with their department and chief."""
    qs = Section.objects.select_related("department", "chief")
    return qs.filter(department=department) if department is not None else qs
