"""休暇の照会: leave types, the year's annual account (付与・繰越・使用・残), the facts of a request's rules, who may
see whose leave, request lists, and the approved leave days that attendance, telework and the payroll CSV read."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import CoreError
from leave import rules
from leave.models import (
    ACTIVE_STATUSES,
    AnnualGrant,
    LeaveDay,
    LeaveRequest,
    LeaveType,
    ProrationRow,
    RequestStatus,
    RequestUnit,
)
from org import selectors as org_selectors
from org.models import Department, Employee, RoleCode

ZERO = Decimal(0)


# --- the leave year ------------------------------------------------------------------------------------


def year_of(day: date) -> int:
    return rules.leave_year(day, settings.LEAVE_YEAR_START)


def year_bounds(year: int) -> tuple[date, date]:
    return rules.year_start(year, settings.LEAVE_YEAR_START), rules.year_end(year, settings.LEAVE_YEAR_START)


def grant_date_of(year: int) -> date:
    return rules.grant_date(year, start=settings.LEAVE_YEAR_START, grant=settings.LEAVE_GRANT_DATE)


# --- types ---------------------------------------------------------------------------------------------


def type_list() -> QuerySet[LeaveType]:
    return LeaveType.objects.filter(active=True).order_by("sort_order", "code")


def type_facts(leave_type: LeaveType) -> rules.TypeFacts:
    return rules.TypeFacts(
        code=leave_type.code,
        units=tuple(leave_type.units),
        balance=leave_type.balance,
        max_days_per_year=leave_type.max_days_per_year,
        max_days_per_event=leave_type.max_days_per_event,
        window_start=leave_type.window_start,
        window_end=leave_type.window_end,
        needs_attachment_after_days=leave_type.needs_attachment_after_days,
    )


def proration_table() -> dict[int, Decimal]:
    return dict(ProrationRow.objects.values_list("month", "days"))


# --- the annual account --------------------------------------------------------------------------------


def _balance_requests(employee_id: int, year: int) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(
        employee_id=employee_id, year=year, status__in=ACTIVE_STATUSES, leave_type__balance=True
    )


def usage_of(grant: AnnualGrant) -> rules.Usage:
    """The grant's account: granted and carried, and what active (submitted or approved) requests use."""
    sums = _balance_requests(grant.employee_id, grant.year).aggregate(
        minutes=Sum("minutes"), carried=Sum("from_carried")
    )
    minutes, carried = sums["minutes"] or ZERO, sums["carried"] or ZERO
    return rules.Usage(
        granted=grant.granted_minutes,
        carried=grant.carried_minutes,
        used_granted=minutes - carried,
        used_carried=carried,
    )


def grant_of(*, employee: Employee, year: int) -> AnnualGrant | None:
    return AnnualGrant.objects.filter(employee=employee, year=year).first()


def hourly_used(*, employee_id: int, year: int) -> Decimal:
    """Minutes of annual leave taken (or asked for) by the hour in the year."""
    total = (
        _balance_requests(employee_id, year).filter(unit=RequestUnit.HOURS).aggregate(m=Sum("minutes"))["m"]
    )
    return total or ZERO


def balance(*, employee: Employee, year: int | None = None) -> dict:
    """年次休暇の残: `{year, granted, carried_over, used, remaining, hourly}` each in days and hours (and minutes),
    at the grant's day length; a year not granted yet is all zeros."""
    year = year or year_of(timezone.localdate())
    grant = grant_of(employee=employee, year=year)
    day_minutes = grant.day_minutes if grant else settings.LEAVE_DAY_MINUTES
    usage = usage_of(grant) if grant else rules.Usage(granted=ZERO, carried=ZERO)
    limit = Decimal(settings.LEAVE_HOURLY_MAX_DAYS * day_minutes)
    used_by_hour = hourly_used(employee_id=employee.pk, year=year)
    return {
        "year": year,
        "employee": employee.pk,
        "day_minutes": day_minutes,
        "granted": rules.days_and_hours(usage.granted, day_minutes),
        "carried_over": rules.days_and_hours(usage.carried, day_minutes),
        "used": rules.days_and_hours(usage.used, day_minutes),
        "remaining": rules.days_and_hours(usage.remaining, day_minutes),
        "hourly": {
            "used": rules.days_and_hours(used_by_hour, day_minutes),
            "limit": rules.days_and_hours(limit, day_minutes),
        },
    }


def used_days_of_type(*, employee_id: int, leave_type: LeaveType, year: int) -> Decimal:
    total = LeaveRequest.objects.filter(
        employee_id=employee_id, leave_type=leave_type, year=year, status__in=ACTIVE_STATUSES
    ).aggregate(days=Sum("days"))["days"]
    return total or ZERO


def taken_on(*, employee_id: int, dates: Iterable[date]) -> dict[date, list[tuple]]:
    """The employee's active leave days among `dates`: date → [(unit, start_time, end_time)]."""
    taken: dict[date, list[tuple]] = defaultdict(list)
    rows = LeaveDay.objects.filter(
        employee_id=employee_id, date__in=list(dates), status__in=ACTIVE_STATUSES
    ).values_list("date", "unit", "request__start_time", "request__end_time")
    for day, unit, start, end in rows:
        taken[day].append((unit, start, end))
    return taken


# --- who sees whose leave ------------------------------------------------------------------------------


def leave_subject(*, viewer: Employee, employee_id: int | None) -> Employee:
    """The employee whose leave is asked for (the viewer when None); 404 for one the viewer may not see."""
    if employee_id is None or employee_id == viewer.pk:
        return viewer
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None or not org_selectors.can_view_work_records_of(viewer=viewer, employee=employee):
        raise CoreError.NOT_FOUND.error(_("職員が見つかりません。"))
    return employee


def request_queryset() -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.select_related("employee", "department", "leave_type", "document")


def requests_of(*, employee: Employee) -> QuerySet[LeaveRequest]:
    """休暇の申請 (本人): the employee's own, latest first."""
    return request_queryset().filter(employee=employee)


def requests_of_department(*, viewer: Employee, department: Department) -> QuerySet[LeaveRequest]:
    """休暇の申請 (課): the department's managers (its acting 課長 included) and HR only; anyone else gets 403."""
    manager = org_selectors.manages_department(viewer=viewer, department_id=department.pk)
    if not (manager or viewer.has_role(RoleCode.HR, RoleCode.ADMIN)):
        raise CoreError.PERMISSION_DENIED.error(_("所属課の管理職と人事担当のみが課の休暇を閲覧できます。"))
    return request_queryset().filter(department=department)


def can_view_request(*, viewer: Employee, request: LeaveRequest) -> bool:
    """The applicant, their managers and HR, and anyone on its document's route."""
    if org_selectors.can_view_work_records_of(viewer=viewer, employee=request.employee):
        return True
    if request.document_id is None:
        return False
    from approvals.selectors import can_view

    return can_view(user=viewer, document=request.document)


def request_for_viewer(*, viewer: Employee, request_id: int) -> LeaveRequest:
    request = request_queryset().filter(pk=request_id).first()
    if request is None or not can_view_request(viewer=viewer, request=request):
        raise CoreError.NOT_FOUND.error(_("休暇の申請が見つかりません。"))
    return request


# --- approved leave, as the other apps read it ---------------------------------------------------------


def approved_leave_days(
    *, employee_ids: Iterable[int], start: date, end: date
) -> dict[int, dict[date, dict]]:
    """Approved leave of each employee per day (one query): `{type, type_name, unit, hours, minutes}`; a day
    with two half days (or hours) adds them up, and a whole day or both halves count as a whole day."""
    found: dict[int, dict[date, dict]] = defaultdict(dict)
    rows = (
        LeaveDay.objects.filter(
            employee_id__in=list(employee_ids), date__gte=start, date__lte=end, status=RequestStatus.APPROVED
        )
        .order_by("date", "id")
        .values_list(
            "employee_id", "date", "unit", "minutes", "request__leave_type__code", "request__leave_type__name"
        )
    )
    for employee_id, day, unit, minutes, code, name in rows:
        entry = found[employee_id].get(day)
        if entry is None:
            found[employee_id][day] = {
                "type": code,
                "type_name": name,
                "unit": unit,
                "minutes": float(minutes),
                "hours": float((minutes / 60).quantize(Decimal("0.01"))),
            }
            continue
        entry["minutes"] += float(minutes)
        entry["hours"] = round(entry["minutes"] / 60, 2)
        units = {entry["unit"], unit}
        entry["unit"] = (
            RequestUnit.DAY
            if units == {RequestUnit.AM, RequestUnit.PM} or RequestUnit.DAY in units
            else entry["unit"]
        )
    return found


def leave_on(*, employee_id: int, day: date) -> dict | None:
    """The employee's approved leave on `day`, or None."""
    return approved_leave_days(employee_ids=[employee_id], start=day, end=day).get(employee_id, {}).get(day)


def is_whole_day(leave: dict | None) -> bool:
    return bool(leave) and leave["unit"] == RequestUnit.DAY


def department_leave(*, department: Department, start: date, end: date) -> dict[date, dict[int, str]]:
    """Who of the department is on approved leave each day and for which part (day, am, pm, hours); never the
    type nor the reason (the department calendar shows it to everyone of the department)."""
    found: dict[date, dict[int, str]] = defaultdict(dict)
    rows = LeaveDay.objects.filter(
        Q(employee__department=department),
        employee__is_active=True,
        date__gte=start,
        date__lte=end,
        status=RequestStatus.APPROVED,
    ).values_list("date", "employee_id", "unit")
    for day, employee_id, unit in rows:
        previous = found[day].get(employee_id)
        found[day][employee_id] = RequestUnit.DAY if previous and previous != unit else unit
    return found


def employees_without_grant(*, year: int, on: date) -> QuerySet[Employee]:
    """Active employees employed on `on` (hired by then) without a grant for the year."""
    return (
        org_selectors.active_employees()
        .filter(department__isnull=False)
        .filter(Q(hired_on__isnull=True) | Q(hired_on__lte=on))
        .exclude(leave_grants__year=year)
        .order_by("pk")
    )
