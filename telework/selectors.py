"""Reads of telework shared by the API, the services, the tasks and the apps above it (rollout); attendance
reads the approved telework day through its registry (`attendance.registry`), which telework fills."""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import DaySummary
from core.errors import CoreError
from leave import selectors as leave_selectors
from org import selectors as org_selectors
from org.models import Absence, Department, Employee, RoleCode
from telework import ical, rules
from telework.models import (
    ACTIVE_STATUSES,
    BlackoutDate,
    ContinuityPeriod,
    DepartmentPhase,
    Location,
    Phase,
    PolicyVersion,
    RequestStatus,
    TeleworkDay,
    TeleworkPolicy,
    TeleworkRequest,
)
from telework.policy import POLICY_FIELDS, merge_policy, policy_values
from telework.rules import Applicant, DayStaffing, RuleContext

OFFICE_LOCATION = "office"
# Who may change the policy, blackout dates and continuity periods, and read the aggregates.
POLICY_EDITORS = (RoleCode.SECRETARIAT, RoleCode.ADMIN)


def department_phase(department: Department | None) -> str:
    """導入段階 of a department; `not_started` when none was ever set."""
    if department is None:
        return Phase.NOT_STARTED
    phase = DepartmentPhase.objects.filter(department=department).values_list("phase", flat=True).first()
    return phase or Phase.NOT_STARTED


def policy_row_values(policy: TeleworkPolicy | None) -> dict:
    """A policy row's own fields (None = not set here)."""
    return {name: getattr(policy, name) for name in POLICY_FIELDS} if policy else {}


@dataclass(frozen=True)
class EffectivePolicy:
    """The merged policy of a scope and the rows (with versions) it came from."""

    values: dict
    default: TeleworkPolicy | None
    override: TeleworkPolicy | None


def effective_policy(department: Department | None = None) -> EffectivePolicy:
    """要綱: the town default overlaid with the department's override (one query)."""
    scope = Q(department__isnull=True)
    if department is not None:
        scope |= Q(department=department)
    rows = list(TeleworkPolicy.objects.filter(scope))
    default = next((row for row in rows if row.department_id is None), None)
    override = next((row for row in rows if row.department_id is not None), None)
    return EffectivePolicy(
        values=merge_policy(policy_row_values(default), policy_row_values(override)),
        default=default,
        override=override,
    )


def policy_versions(policy: EffectivePolicy) -> tuple[PolicyVersion | None, PolicyVersion | None]:
    """The PolicyVersion rows of the default and of the override at their current versions."""
    wanted = [row for row in (policy.default, policy.override) if row is not None]
    scope = Q(pk__in=[])
    for row in wanted:
        scope |= Q(policy_id=row.pk, version=row.version)
    found = {(v.policy_id, v.version): v for v in PolicyVersion.objects.filter(scope)} if wanted else {}

    def version_of(row: TeleworkPolicy | None) -> PolicyVersion | None:
        return found.get((row.pk, row.version)) if row is not None else None

    return version_of(policy.default), version_of(policy.override)


def blackout_dates_for(department: Department | None, *, start: date, end: date) -> dict[date, str]:
    """実施不可日 of the department's days: town-wide and the department's own (reasons joined)."""
    scope = Q(department__isnull=True)
    if department is not None:
        scope |= Q(department=department)
    result: dict[date, str] = {}
    for day, reason in BlackoutDate.objects.filter(scope, date__gte=start, date__lte=end).values_list(
        "date", "reason"
    ):
        result[day] = f"{result[day]} / {reason}" if day in result else reason
    return result


def blackout_date_list(*, department: Department | None = None, start: date | None = None) -> QuerySet:
    """Blackout dates of a department's days (town-wide and its own), or the town-wide ones only."""
    qs = BlackoutDate.objects.select_related("department")
    scope = Q(department__isnull=True)
    if department is not None:
        scope |= Q(department=department)
    qs = qs.filter(scope)
    if start is not None:
        qs = qs.filter(date__gte=start)
    return qs


def blackout_date_search(*, department: Department | None = None, start: date | None = None) -> QuerySet:
    """Every blackout date (from `start`), or those that apply to one department."""
    if department is not None:
        return blackout_date_list(department=department, start=start)
    qs = BlackoutDate.objects.select_related("department")
    return qs.filter(date__gte=start) if start is not None else qs


def continuity_dates_for(department: Department, dates: Iterable[date]) -> frozenset[date]:
    """Days among `dates` inside a business-continuity period covering the department (no departments = all)."""
    dates = list(dates)
    if not dates:
        return frozenset()
    periods = ContinuityPeriod.objects.filter(start__lte=max(dates), end__gte=min(dates)).filter(
        Q(departments__isnull=True) | Q(departments=department)
    )
    spans = set(periods.values_list("start", "end"))
    return frozenset(day for day in dates if any(start <= day <= end for start, end in spans))


def continuity_period_list() -> QuerySet[ContinuityPeriod]:
    return ContinuityPeriod.objects.prefetch_related("departments")


def department_staffing(
    department: Department, dates: list[date], *, exclude_employee: Employee | None = None
) -> dict[date, DayStaffing]:
    """窓口体制: per day, active staff of the department, how many of the others telework (approved: the whole
    day, the morning, the afternoon) or are away."""
    if not dates:
        return {}
    headcount = org_selectors.active_employees().filter(department=department).count()
    others = Q()
    if exclude_employee is not None:
        others = ~Q(employee_id=exclude_employee.pk)
    away: dict[date, set[int]] = defaultdict(set)
    teleworking: dict[date, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for employee_id, day, unit in TeleworkDay.objects.filter(
        others, department=department, date__in=dates, status=RequestStatus.APPROVED
    ).values_list("employee_id", "date", "unit"):
        teleworking[day][unit].add(employee_id)
    absences = Absence.objects.filter(
        others,
        employee__department=department,
        employee__is_active=True,
        start__lte=max(dates),
        end__gte=min(dates),
    ).values_list("employee_id", "start", "end")
    for employee_id, start, end in absences:
        for day in dates:
            if start <= day <= end:
                away[day].add(employee_id)
    result = {}
    for day in dates:
        units = teleworking[day]
        remote = set().union(*units.values()) if units else set()
        result[day] = DayStaffing(
            headcount=headcount,
            teleworking=len(units[rules.FULL_DAY]),
            teleworking_am=len(units[rules.MORNING]),
            teleworking_pm=len(units[rules.AFTERNOON]),
            absent=len(away[day] - remote),
        )
    return result


def active_dates_of(employee: Employee, *, exclude_request: TeleworkRequest | None = None) -> dict[date, str]:
    """The employee's submitted or approved telework days (another request's, when one is excluded), each with
    its unit (day, am, pm)."""
    qs = TeleworkDay.objects.filter(employee=employee, status__in=ACTIVE_STATUSES)
    if exclude_request is not None:
        qs = qs.exclude(request=exclude_request)
    return dict(qs.values_list("date", "unit"))


def absent_dates_of(employee: Employee, dates: list[date]) -> frozenset[date]:
    """Days among `dates` the employee is on leave or away (`org.Absence`; leave will record one when approved)."""
    if not dates:
        return frozenset()
    spans = Absence.objects.filter(employee=employee, start__lte=max(dates), end__gte=min(dates)).values_list(
        "start", "end"
    )
    spans = list(spans)
    return frozenset(day for day in dates if any(start <= day <= end for start, end in spans))


def applicant_facts(employee: Employee) -> Applicant:
    return Applicant(
        employment_type=employee.employment_type,
        hired_on=employee.hired_on,
        security_training_fy=employee.security_training_fy,
        security_pledge_signed=employee.security_pledge_signed,
    )


@dataclass(frozen=True)
class Check:
    """The facts a request was checked against and the policy rows (versions) they came from."""

    context: RuleContext
    policy: EffectivePolicy


def rule_facts(
    *,
    employee: Employee,
    department: Department | None,
    dates: list[date],
    location: str,
    unit: str,
    policy: dict,
    today: date,
    applied_on: date,
    exclude_request: TeleworkRequest | None = None,
) -> RuleContext:
    """Every fact the rules need, the policy's values given: the blackout dates, the phase, the applicant, their
    other days, absences, the department's staffing and the continuity periods, all as they are now."""
    requested = sorted(set(dates))
    blackout = blackout_dates_for(department, start=requested[0], end=requested[-1]) if requested else {}
    existing = active_dates_of(employee, exclude_request=exclude_request)
    return RuleContext(
        dates=tuple(requested),
        location=location,
        unit=unit,
        applicant=applicant_facts(employee),
        policy=policy_values(policy, blackout_dates=blackout),
        phase=department_phase(department),
        calendar=org_selectors.business_calendar(),
        today=today,
        applied_on=applied_on,
        existing_dates=frozenset(existing),
        existing_half_days=frozenset(day for day, day_unit in existing.items() if day_unit != rules.FULL_DAY),
        staffing=department_staffing(department, requested, exclude_employee=employee) if department else {},
        continuity_dates=(
            continuity_dates_for(department, {*requested, *existing}) if department else frozenset()
        ),
        absent_dates=absent_dates_of(employee, requested),
    )


def rule_context(
    *,
    employee: Employee,
    dates: list[date],
    location: str,
    unit: str = rules.FULL_DAY,
    exclude_request: TeleworkRequest | None = None,
) -> Check:
    """The check of a new application today, against the policy in force (its versions are the request's);
    `exclude_request` leaves a request's own days out (a returned request being revised)."""
    policy = effective_policy(employee.department)
    today = timezone.localdate()
    ctx = rule_facts(
        employee=employee,
        department=employee.department,
        dates=dates,
        location=location,
        unit=unit,
        policy=policy.values,
        today=today,
        applied_on=today,
        exclude_request=exclude_request,
    )
    return Check(context=ctx, policy=policy)


def checked_policy(request: TeleworkRequest) -> dict:
    """The effective policy the request was checked against when it was applied for: its stored versions of
    the town default and of the department's override merged again (an empty version = none existed then)."""
    default = request.policy_version.values if request.policy_version_id else {}
    override = request.department_policy_version.values if request.department_policy_version_id else {}
    return merge_policy(default, override)


def checked_versions(request: TeleworkRequest) -> dict[str, int | None]:
    """The versions of the town default and the department's override the request was checked against."""
    return {
        "default": request.policy_version.version if request.policy_version_id else None,
        "department": request.department_policy_version.version
        if request.department_policy_version_id
        else None,
    }


def request_check(request: TeleworkRequest) -> list[rules.Violation]:
    """The request checked again as of now against the policy VERSIONS it was checked against when applied for
    (a later change of the 要綱 binds later applications, not this one), with what can change since taken as it
    is now: staffing, the applicant's other requests and absences, the department's phase, the applicant's
    eligibility, blackout dates and continuity periods. The advance notice is judged on the day of the
    application; a day that has passed since is `past_date` unless the version admits 事後申請.
    `checked_versions(request)` names the versions the check used."""
    dates = [day.date for day in request.days.all() if day.status in ACTIVE_STATUSES]
    ctx = rule_facts(
        employee=request.employee,
        department=request.department,
        dates=dates,
        location=request.location,
        unit=request.unit,
        policy=checked_policy(request),
        today=timezone.localdate(),
        applied_on=timezone.localdate(request.created_at),
        exclude_request=request,
    )
    return rules.check_all(ctx)


# --- requests ---------------------------------------------------------------------------------------


def request_queryset() -> QuerySet[TeleworkRequest]:
    return TeleworkRequest.objects.select_related(
        "employee", "department", "policy_version", "department_policy_version"
    ).prefetch_related(
        Prefetch("days", queryset=TeleworkDay.objects.select_related("report").order_by("date"))
    )


def is_department_manager(viewer: Employee, department_id: int | None) -> bool:
    """A manager of the department (its acting 課長 included: org's `manages_department`)."""
    return org_selectors.manages_department(viewer=viewer, department_id=department_id)


def requests_of(*, employee: Employee) -> QuerySet[TeleworkRequest]:
    """申請一覧 (本人): the employee's own requests, newest first."""
    return request_queryset().filter(employee=employee)


def requests_of_department(*, viewer: Employee, department: Department) -> QuerySet[TeleworkRequest]:
    """申請一覧 (課): managers of the department only; everyone else, the secretariat included, gets 403."""
    if not is_department_manager(viewer, department.pk):
        raise CoreError.PERMISSION_DENIED.error(_("所属課の管理職のみが課の申請を閲覧できます。"))
    return request_queryset().filter(department=department)


def can_view_request(*, viewer: Employee, request: TeleworkRequest) -> bool:
    """The applicant, managers of the request's department, and anyone on its document's route."""
    if viewer.pk == request.employee_id or is_department_manager(viewer, request.department_id):
        return True
    if request.document_id is None:
        return False
    from approvals.selectors import can_view

    return can_view(user=viewer, document=request.document)


def request_for_viewer(*, viewer: Employee, request_id: int) -> TeleworkRequest:
    """One request the viewer may see, or 404 (as if it did not exist)."""
    request = request_queryset().select_related("document").filter(pk=request_id).first()
    if request is None or not can_view_request(viewer=viewer, request=request):
        raise CoreError.NOT_FOUND.error(_("テレワーク申請が見つかりません。"))
    return request


def calendar_department_for(*, viewer: Employee, department: Department | None) -> Department:
    """The department whose calendar the viewer may read: their own (default), nobody else's."""
    department = department or viewer.department
    if department is None or department.pk != viewer.department_id:
        raise CoreError.PERMISSION_DENIED.error(_("所属課のカレンダーのみ閲覧できます。"))
    return department


# --- the day itself ---------------------------------------------------------------------------------


def approved_telework_location(*, employee: Employee, on: date) -> str | None:
    """Where the employee is approved to telework that day (home, satellite, mobile), or None.

    Registered with `attendance.registry`: attendance asks it when someone clocks in away from the office, and
    None there means `telework_without_approval` for the director."""
    return (
        TeleworkDay.objects.filter(employee=employee, date=on, status=RequestStatus.APPROVED)
        .values_list("location", flat=True)
        .first()
    )


def worked_at_the_office(*, employee_ref: str = "employee_id", date_ref: str = "date") -> Exists:
    """The day's attendance says it was worked entirely at the office (the day snapshot's location `office`):
    an approved telework day spent at the office counts as an office day everywhere."""
    return Exists(
        DaySummary.objects.filter(
            employee_id=OuterRef(employee_ref), date=OuterRef(date_ref), location=OFFICE_LOCATION
        )
    )


def missing_day_reports(*, before: date) -> QuerySet[TeleworkDay]:
    """Approved telework days before `before` without a report and not yet reminded; a day worked at the
    office needs no report."""
    return TeleworkDay.objects.filter(
        status=RequestStatus.APPROVED, date__lt=before, report__isnull=True, report_reminded_at__isnull=True
    ).exclude(worked_at_the_office())


# --- calendar ---------------------------------------------------------------------------------------


def department_calendar(*, department: Department, start: date, end: date) -> list[dict]:
    """Each day from start to end: who is in the office, who teleworks where and for which part of the day
    (approved; submitted ones apart), who is away, who is on approved leave and for which part of the day (never
    its type or reason), and whether the counter minimum (窓口) holds on working days
    (in both halves of the day). Someone approved to telework whose attendance that day was all at the office
    is in the office."""
    calendar = org_selectors.business_calendar()
    staff = list(
        org_selectors.active_employees()
        .filter(department=department)
        .order_by("id")
        .values("id", "name", "username")
    )
    people = {person["id"]: person for person in staff}
    days = (
        TeleworkDay.objects.filter(
            department=department, date__gte=start, date__lte=end, status__in=ACTIVE_STATUSES
        )
        .annotate(at_the_office=worked_at_the_office())
        .values_list("date", "employee_id", "location", "unit", "status", "at_the_office")
    )
    approved: dict[date, dict[int, tuple[str, str]]] = defaultdict(dict)
    pending: dict[date, dict[int, tuple[str, str]]] = defaultdict(dict)
    for day, employee_id, location, unit, status, at_the_office in days:
        if status != RequestStatus.APPROVED:
            pending[day][employee_id] = (location, unit)
        elif not at_the_office:
            approved[day][employee_id] = (location, unit)
    absences = Absence.objects.filter(
        employee__department=department, employee__is_active=True, start__lte=end, end__gte=start
    ).values_list("employee_id", "start", "end")
    minimum = effective_policy(department).values.get("min_office_staff")
    on_leave = leave_selectors.department_leave(department=department, start=start, end=end)

    def person(employee_id: int, **extra) -> dict:
        found = people.get(employee_id, {"id": employee_id, "name": "", "username": ""})
        return {"id": found["id"], "name": found["name"] or found["username"], **extra}

    result = []
    day = start
    while day <= end:
        away = {employee_id for employee_id, a_start, a_end in absences if a_start <= day <= a_end}
        remote = approved.get(day, {})
        working = calendar.is_working_day(day)
        in_office = [p for p in staff if p["id"] not in away and p["id"] not in remote] if working else []
        # a morning teleworker is in the office in the afternoon, and the other way round
        halves = [unit for employee_id, (_location, unit) in remote.items() if employee_id not in away]
        office_count = (
            len(in_office) + min(halves.count(rules.AFTERNOON), halves.count(rules.MORNING)) if working else 0
        )
        result.append(
            {
                "date": day,
                "is_working_day": working,
                "closure_reason": calendar.closure_reason(day),
                "in_office": [person(p["id"]) for p in in_office],
                "teleworking": [
                    person(e, location=loc, unit=unit) for e, (loc, unit) in sorted(remote.items())
                ],
                "pending": [
                    person(e, location=loc, unit=unit)
                    for e, (loc, unit) in sorted(pending.get(day, {}).items())
                ],
                "absent": [person(e) for e in sorted(away - set(remote))],
                "on_leave": [person(e, unit=unit) for e, unit in sorted(on_leave.get(day, {}).items())],
                "office_count": office_count,
                "min_office_staff": minimum,
                "counter_ok": (not working) or minimum is None or office_count >= minimum,
            }
        )
        day = date.fromordinal(day.toordinal() + 1)
    return result


def employee_for_feed_token(token: str) -> Employee | None:
    """The active employee whose calendar feed URL carries this token, or None."""
    if not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return Employee.objects.filter(telework_feed_token__token_hash=digest, is_active=True).first()


def approved_days_of(*, employee: Employee) -> QuerySet[TeleworkDay]:
    """The iCalendar feed: the employee's approved telework days."""
    return TeleworkDay.objects.filter(employee=employee, status=RequestStatus.APPROVED).order_by("date")


def calendar_feed(*, token: str) -> str | None:
    """The iCalendar text of the token holder's approved telework days, or None for an unknown token."""
    employee = employee_for_feed_token(token)
    if employee is None:
        return None
    events = [
        ical.AllDayEvent(
            uid=f"telework-day-{day.pk}@townhall",
            day=day.date,
            summary=_("テレワーク(%(location)s)") % {"location": Location(day.location).label},
        )
        for day in approved_days_of(employee=employee)
    ]
    return ical.render_calendar(
        name=_("テレワーク予定 %(name)s") % {"name": employee.name or employee.username},
        events=events,
        stamp=timezone.now().astimezone(UTC),
    )


def policy_detail(*, department: Department | None = None) -> dict:
    """要綱の表示: the effective values, the upcoming blackout dates of the scope, the override's own fields,
    the versions in force and (for a department) its phase."""
    policy = effective_policy(department)
    return {
        **policy.values,
        "department": department.code if department else None,
        "blackout_dates": list(blackout_date_list(department=department, start=timezone.localdate())),
        "override": policy_row_values(policy.override) if department is not None else None,
        "versions": {
            "default": policy.default.version if policy.default else None,
            "department": policy.override.version if policy.override else None,
        },
        "phase": department_phase(department) if department is not None else None,
    }
