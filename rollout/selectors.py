"""導入推進の読み取り: departments' phases against plan, the adoption facts behind the snapshots, and the fiscal
year's figures read from the snapshots. The secretariat reads every department; others read their own.

Every reader here returns aggregates per department; nothing names an employee.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery

from attendance.models import DaySummary
from core.errors import CoreError
from org.calendar import fiscal_months, fiscal_year_end
from org.models import Department, Employee, RoleCode
from rollout import calculations
from rollout.models import AdoptionSnapshot, PhaseEvent, PhasePlan
from telework.models import DepartmentPhase, RequestStatus, TeleworkDay

# Who reads every department's rollout (the secretariat; a system administrator too).
ROLLOUT_READERS = (RoleCode.SECRETARIAT, RoleCode.ADMIN)
# Day locations that are not the office ("mixed" = part of the day away).
AWAY_LOCATIONS = (*calculations.TELEWORK_LOCATIONS, "mixed")


def reads_every_department(viewer: Employee) -> bool:
    return viewer.has_role(*ROLLOUT_READERS)


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True)


def departments_visible_to(*, viewer: Employee) -> QuerySet[Department]:
    """The active departments whose rollout the viewer may read: all for the secretariat, else their own."""
    if reads_every_department(viewer):
        return active_departments()
    return active_departments().filter(pk=viewer.department_id)


def department_visible_to(*, viewer: Employee, code: str) -> Department:
    """A department by code, or NotFound when it does not exist or the viewer may not read it."""
    department = departments_visible_to(viewer=viewer).filter(code=code).first()
    if department is None:
        raise CoreError.NOT_FOUND.error()
    return department


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


# --- Phases against plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRollout:
    """A department's phase now, its history of moves and its planned dates."""

    department: Department
    phase: str
    phase_since: date | None
    planned: dict[str, date]
    overdue: list[str]
    history: list[PhaseEvent]

    @property
    def behind_plan(self) -> bool:
        return bool(self.overdue)

    def phase_on(self, day: date) -> str:
        return calculations.phase_on(history_pairs(self), day)


def history_pairs(entry: DepartmentRollout) -> list[tuple[date, str]]:
    """(date, phase) moves; a phase set on the department without a recorded move counts from its date."""
    pairs = [(event.date, event.phase) for event in entry.history]
    last = pairs[-1][1] if pairs else calculations.NOT_STARTED
    if entry.phase != last and entry.phase_since is not None:
        pairs.append((entry.phase_since, entry.phase))
    return sorted(pairs, key=lambda pair: pair[0])


def plan_of(department: Department | None) -> dict[str, date]:
    """The planned dates stored for a department (or the town-wide plan for None), without inheritance."""
    rows = PhasePlan.objects.filter(department=department).values_list("phase", "planned_on")
    return {phase: planned_on for phase, planned_on in rows}


def department_rollouts(*, departments: list[Department], today: date) -> list[DepartmentRollout]:
    """Each department's phase, history and effective plan in three queries whatever their number."""
    ids = [department.pk for department in departments]
    phases = {row.department_id: row for row in DepartmentPhase.objects.filter(department_id__in=ids)}
    plans: dict[int | None, dict[str, date]] = defaultdict(dict)
    for plan in PhasePlan.objects.filter(Q(department_id__in=ids) | Q(department__isnull=True)):
        plans[plan.department_id][plan.phase] = plan.planned_on
    history: dict[int, list[PhaseEvent]] = defaultdict(list)
    for event in (
        PhaseEvent.objects.filter(department_id__in=ids).select_related("moved_by").order_by("date", "id")
    ):
        history[event.department_id].append(event)
    result = []
    for department in departments:
        row = phases.get(department.pk)
        phase = row.phase if row else calculations.NOT_STARTED
        planned = calculations.effective_plan(town=plans[None], department=plans[department.pk])
        result.append(
            DepartmentRollout(
                department=department,
                phase=phase,
                phase_since=row.since if row else None,
                planned=planned,
                overdue=calculations.overdue_phases(phase=phase, planned=planned, today=today),
                history=history[department.pk],
            )
        )
    return result


def department_rollout(*, department: Department, today: date) -> DepartmentRollout:
    return department_rollouts(departments=[department], today=today)[0]


# --- The facts behind a monthly snapshot ---------------------------------------------------------------


def month_roster(*, year: int, month: int, department_ids: list[int]) -> dict[int, int]:
    """Active staff of the departments who had been hired by the month's end: employee id → department id."""
    _, last = month_bounds(year, month)
    rows = Employee.objects.filter(
        Q(hired_on__isnull=True) | Q(hired_on__lte=last), is_active=True, department_id__in=department_ids
    ).values_list("id", "department_id")
    return dict(rows)


def month_telework_facts(*, year: int, month: int) -> list[calculations.DayFact]:
    """The month's days with an approved telework request and attendance away from the office (one query):
    the department is the one the request was made in, the location the day's (or the request's)."""
    first, last = month_bounds(year, month)
    day_location = DaySummary.objects.filter(
        employee_id=OuterRef("employee_id"), date=OuterRef("date")
    ).values("location")[:1]
    rows = (
        TeleworkDay.objects.filter(status=RequestStatus.APPROVED, date__gte=first, date__lte=last)
        .annotate(day_location=Subquery(day_location))
        .filter(day_location__in=AWAY_LOCATIONS)
        .values_list("employee_id", "department_id", "date", "day_location", "location")
    )
    return [
        calculations.DayFact(
            employee_id=employee_id,
            department_id=department_id,
            day=day,
            location=day_location,
            approved_location=approved_location,
        )
        for employee_id, department_id, day, day_location, approved_location in rows
    ]


# --- Figures from the snapshots ------------------------------------------------------------------------


def snapshot_figures(
    *, department_ids: list[int], months: list[tuple[int, int]]
) -> list[calculations.MonthFigures]:
    """The stored snapshots of the departments for the months, as plain values (one query)."""
    firsts = [date(year, month, 1) for year, month in months]
    rows = AdoptionSnapshot.objects.filter(department_id__in=department_ids, month__in=firsts).values_list(
        "department_id", "month", "headcount", "teleworker_ids", "telework_days", "days_by_location"
    )
    return [
        calculations.MonthFigures(
            department_id=department_id,
            year=first.year,
            month=first.month,
            headcount=headcount,
            teleworker_ids=frozenset(teleworker_ids),
            telework_days=telework_days,
            days_by_location=days_by_location,
        )
        for department_id, first, headcount, teleworker_ids, telework_days, days_by_location in rows
    ]


@dataclass(frozen=True)
class FiscalYearSummary:
    """年度の導入状況: the KPI, the phases on the reference date and each department's adoption."""

    fiscal_year: int
    as_of: date
    kpi: calculations.Kpi
    by_phase: dict[str, int]
    rollouts: list[DepartmentRollout]
    adoption: dict[int, calculations.Adoption]

    @property
    def not_implementing(self) -> list[Department]:
        by_id = {entry.department.pk: entry.department for entry in self.rollouts}
        return [by_id[department_id] for department_id in self.kpi.not_implementing]


def phase_reference_date(fiscal_year: int, today: date) -> date:
    """Phases of a past fiscal year are read at its last day, of the current one today."""
    return min(today, fiscal_year_end(fiscal_year))


def fiscal_year_summary(*, departments: list[Department], fiscal_year: int, today: date) -> FiscalYearSummary:
    """The fiscal year's figures over the departments, read from the snapshots (four queries)."""
    rollouts = department_rollouts(departments=departments, today=today)
    ids = [department.pk for department in departments]
    adoption = calculations.roll_up(
        department_ids=ids, months=snapshot_figures(department_ids=ids, months=fiscal_months(fiscal_year))
    )
    as_of = phase_reference_date(fiscal_year, today)
    return FiscalYearSummary(
        fiscal_year=fiscal_year,
        as_of=as_of,
        kpi=calculations.kpi(department_ids=ids, adoption=adoption),
        by_phase=calculations.phase_counts(entry.phase_on(as_of) for entry in rollouts),
        rollouts=rollouts,
        adoption=adoption,
    )


@dataclass(frozen=True)
class MonthlySeries:
    """Per department per month of a fiscal year, for the charts; months without a snapshot are absent."""

    fiscal_year: int
    months: list[tuple[int, int]]
    departments: list[Department]
    figures: dict[int, list[calculations.MonthFigures]]
    totals: list[calculations.MonthFigures]


def monthly_series(*, departments: list[Department], fiscal_year: int) -> MonthlySeries:
    ids = [department.pk for department in departments]
    months = fiscal_months(fiscal_year)
    figures: dict[int, list[calculations.MonthFigures]] = {department_id: [] for department_id in ids}
    by_month: dict[tuple[int, int], list[calculations.MonthFigures]] = defaultdict(list)
    for item in sorted(snapshot_figures(department_ids=ids, months=months), key=lambda f: (f.year, f.month)):
        figures[item.department_id].append(item)
        by_month[(item.year, item.month)].append(item)
    totals = []
    for year, month in months:
        items = by_month.get((year, month))
        if not items:
            continue
        days: dict[str, int] = {}
        for item in items:
            for location, count in item.days_by_location.items():
                days[location] = days.get(location, 0) + count
        totals.append(
            calculations.MonthFigures(
                department_id=0,
                year=year,
                month=month,
                headcount=sum(item.headcount for item in items),
                teleworker_ids=frozenset().union(*(item.teleworker_ids for item in items)),
                telework_days=sum(item.telework_days for item in items),
                days_by_location={loc: days[loc] for loc in calculations.TELEWORK_LOCATIONS if loc in days},
            )
        )
    return MonthlySeries(
        fiscal_year=fiscal_year, months=months, departments=departments, figures=figures, totals=totals
    )


def survey(*, fiscal_year: int, today: date) -> calculations.SurveyAnswers:
    """総務省調査の回答 as of 1 October: every active department's phase that day (or today, when earlier)
    and adoption from April to September."""
    departments = list(active_departments())
    ids = [department.pk for department in departments]
    rollouts = department_rollouts(departments=departments, today=today)
    as_of = min(calculations.survey_date(fiscal_year), today)
    adoption = calculations.roll_up(
        department_ids=ids,
        months=snapshot_figures(department_ids=ids, months=calculations.survey_months(fiscal_year)),
    )
    return calculations.survey_answers(
        fiscal_year=fiscal_year, phases=[entry.phase_on(as_of) for entry in rollouts], adoption=adoption
    )
