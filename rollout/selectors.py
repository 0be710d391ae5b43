"""導入推進の読み取り: departments' phases against plan, the adoption facts behind the snapshots, and the fiscal
year's figures read from the snapshots. The secretariat reads every department; others read their own.

Every reader here returns aggregates per department; nothing names an employee. Each person is counted in the
department of their assignment (配属, `org.selectors`) on the day concerned, never in today's. An aggregate of
fewer than `ROLLOUT_MIN_GROUP_SIZE` people is suppressed for every reader but the department's own managers
(`disclosure_for`); the town totals include the suppressed departments (a reader who subtracts the departments
shown learns the suppressed ones together, never one of them unless only one is suppressed).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from attendance.models import DaySummary
from core.errors import CoreError
from org import selectors as org_selectors
from org.calendar import fiscal_months, fiscal_year_end
from org.models import Department, Employee, RoleCode
from rollout import calculations
from rollout.models import AdoptionSnapshot, PhaseEvent, PhasePlan, PlanRevision
from telework.models import DepartmentPhase, RequestStatus, TeleworkDay

# Aggregates of fewer people than this are suppressed for the secretariat (setting ROLLOUT_MIN_GROUP_SIZE).
DEFAULT_MIN_GROUP_SIZE = 3

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


def disclosure_for(viewer: Employee | None) -> calculations.Disclosure:
    """What the viewer sees of small groups: every figure of the department they manage (a manager of it),
    only aggregates of at least ROLLOUT_MIN_GROUP_SIZE people elsewhere. None = a job writing for the
    secretariat's aggregate report (same threshold, no own department)."""
    minimum = getattr(settings, "ROLLOUT_MIN_GROUP_SIZE", DEFAULT_MIN_GROUP_SIZE)
    own = (
        frozenset({viewer.department_id})
        if viewer is not None and viewer.department_id is not None and viewer.has_role(RoleCode.MANAGER)
        else frozenset()
    )
    return calculations.Disclosure(min_group_size=minimum, own_department_ids=own)


def suppressed_reason(disclosure: calculations.Disclosure) -> str:
    """Why a figure shows as "—"."""
    return _("%(min)d人未満の集計は個人が特定されるおそれがあるため表示しません。") % {
        "min": disclosure.min_group_size
    }


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


def department_rollouts(
    *, departments: list[Department], today: date, plans: dict[int, dict[str, date]] | None = None
) -> list[DepartmentRollout]:
    """Each department's phase, history and effective plan (as it stands today, or `plans` when the caller
    read them already) in three queries whatever their number."""
    ids = [department.pk for department in departments]
    phases = {row.department_id: row for row in DepartmentPhase.objects.filter(department_id__in=ids)}
    if plans is None:
        plans = plans_on(department_ids=ids, days=[today])[today]
    history: dict[int, list[PhaseEvent]] = defaultdict(list)
    for event in (
        PhaseEvent.objects.filter(department_id__in=ids).select_related("moved_by").order_by("date", "id")
    ):
        history[event.department_id].append(event)
    result = []
    for department in departments:
        row = phases.get(department.pk)
        phase = row.phase if row else calculations.NOT_STARTED
        planned = plans[department.pk]
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


def plans_on(*, department_ids: list[int], days: list[date]) -> dict[date, dict[int, dict[str, date]]]:
    """Each department's effective plan (its own dates over the town-wide plan) as it stood on each of `days`,
    from the plan's revisions (one query; `plan_set` records every date it sets): for each scope and phase the
    last revision on or before the day, and before the first revision of a phase, that first one."""
    revisions = list(
        PlanRevision.objects.filter(Q(department_id__in=department_ids) | Q(department__isnull=True))
        .order_by("revised_on", "id")
        .values_list("department_id", "phase", "planned_on", "revised_on")
    )
    result = {}
    for day in days:
        chosen: dict[tuple[int | None, str], date | None] = {}
        for department_id, phase, planned_on, revised_on in revisions:
            if (department_id, phase) not in chosen or revised_on <= day:
                chosen[department_id, phase] = planned_on
        own: dict[int | None, dict[str, date]] = defaultdict(dict)
        for (department_id, phase), planned_on in chosen.items():
            if planned_on is not None:
                own[department_id][phase] = planned_on
        result[day] = {
            department_id: calculations.effective_plan(town=own[None], department=own[department_id])
            for department_id in department_ids
        }
    return result


@dataclass(frozen=True)
class Standing:
    """A department on a reference day: its phase then, its plan as it stood then, the phases overdue then."""

    phase: str
    planned: dict[str, date]
    overdue: list[str]

    @property
    def behind_plan(self) -> bool:
        return bool(self.overdue)


def standings_on(
    *, rollouts: list[DepartmentRollout], day: date, plans: dict[int, dict[str, date]]
) -> dict[int, Standing]:
    """Each department's standing on `day` by the plans as they stood that day (a past fiscal year is judged
    at its end, by the plan of then)."""
    result = {}
    for entry in rollouts:
        phase = entry.phase_on(day)
        planned = plans[entry.department.pk]
        result[entry.department.pk] = Standing(
            phase=phase,
            planned=planned,
            overdue=calculations.overdue_phases(phase=phase, planned=planned, today=day),
        )
    return result


# --- The facts behind a monthly snapshot ---------------------------------------------------------------


def month_roster(*, year: int, month: int, department_ids: list[int]) -> dict[int, int]:
    """The month's staff of the departments: everyone employed on its last day, in the department of their
    assignment that day (employee id → department id). History, not today's organisation: a transfer or a
    retirement later leaves a past month's roster as it was."""
    _, last = month_bounds(year, month)
    wanted = set(department_ids)
    return {
        employee_id: department_id
        for employee_id, department_id in org_selectors.department_ids_on(on=last).items()
        if department_id in wanted
    }


def month_telework_facts(*, year: int, month: int) -> list[calculations.DayFact]:
    """The month's days with an approved telework request and attendance away from the office: each in the
    department of the employee's assignment that day (the request's department where the history has no
    row for the day), the location the day's (or the request's). One query, and one per day with facts."""
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
    rows = list(rows)
    by_day: dict[date, set[int]] = defaultdict(set)
    for employee_id, _department_id, day, _location, _approved in rows:
        by_day[day].add(employee_id)
    assigned = {
        day: org_selectors.department_ids_on(on=day, employee_ids=employee_ids)
        for day, employee_ids in by_day.items()
    }
    return [
        calculations.DayFact(
            employee_id=employee_id,
            department_id=assigned[day].get(employee_id) or department_id,
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
        "department_id",
        "month",
        "headcount",
        "teleworker_ids",
        "telework_days",
        "days_by_location",
        "staff_ids",
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
            staff_ids=frozenset(staff_ids),
        )
        for department_id, first, headcount, teleworker_ids, telework_days, days_by_location, staff_ids in rows
    ]


@dataclass(frozen=True)
class DepartmentYear:
    """One department's row of the fiscal year's table, as the reader may see it."""

    department: Department
    standing: Standing
    implementing: bool
    figures: calculations.Published
    suppressed_reason: str | None


@dataclass(frozen=True)
class FiscalYearSummary:
    """年度の導入状況: the KPI, the phases on the reference date and each department's adoption; a past fiscal
    year is read at its end (phases and plan as they stood then)."""

    fiscal_year: int
    as_of: date
    kpi: calculations.Kpi
    by_phase: dict[str, int]
    rollouts: list[DepartmentRollout]
    adoption: dict[int, calculations.Adoption]
    standings: dict[int, Standing]
    rows: list[DepartmentYear]

    @property
    def not_implementing(self) -> list[Department]:
        by_id = {entry.department.pk: entry.department for entry in self.rollouts}
        return [by_id[department_id] for department_id in self.kpi.not_implementing]


def phase_reference_date(fiscal_year: int, today: date) -> date:
    """Phases of a past fiscal year are read at its last day, of the current one today."""
    return min(today, fiscal_year_end(fiscal_year))


def fiscal_year_summary(
    *,
    departments: list[Department],
    fiscal_year: int,
    today: date,
    disclosure: calculations.Disclosure = calculations.EVERYTHING,
) -> FiscalYearSummary:
    """The fiscal year's figures over the departments, read from the snapshots (five queries); each row's
    figures as `disclosure` lets its reader see them. Whether a department implements telework (the KPI) is
    the plan's measure of the department and is always shown."""
    ids = [department.pk for department in departments]
    as_of = phase_reference_date(fiscal_year, today)
    plans = plans_on(department_ids=ids, days=[today, as_of])
    rollouts = department_rollouts(departments=departments, today=today, plans=plans[today])
    adoption = calculations.roll_up(
        department_ids=ids, months=snapshot_figures(department_ids=ids, months=fiscal_months(fiscal_year))
    )
    standings = standings_on(rollouts=rollouts, day=as_of, plans=plans[as_of])
    rows = []
    for entry in rollouts:
        figures = calculations.publish(
            adoption[entry.department.pk], department_ids=[entry.department.pk], disclosure=disclosure
        )
        rows.append(
            DepartmentYear(
                department=entry.department,
                standing=standings[entry.department.pk],
                implementing=adoption[entry.department.pk].telework_days > 0,
                figures=figures,
                suppressed_reason=suppressed_reason(disclosure) if figures.suppressed else None,
            )
        )
    return FiscalYearSummary(
        fiscal_year=fiscal_year,
        as_of=as_of,
        kpi=calculations.kpi(department_ids=ids, adoption=adoption),
        by_phase=calculations.phase_counts(standing.phase for standing in standings.values()),
        rollouts=rollouts,
        adoption=adoption,
        standings=standings,
        rows=rows,
    )


@dataclass(frozen=True)
class PublishedMonth:
    """One month's figures (of a department, or the total) as the reader may see them."""

    year: int
    month: int
    figures: calculations.Published
    suppressed_reason: str | None


@dataclass(frozen=True)
class MonthlySeries:
    """Per department per month of a fiscal year, for the charts; months without a snapshot are absent."""

    fiscal_year: int
    months: list[tuple[int, int]]
    departments: list[Department]
    figures: dict[int, list[PublishedMonth]]
    totals: list[PublishedMonth]


def _published_month(
    figures: calculations.MonthFigures, *, department_ids: list[int], disclosure: calculations.Disclosure
) -> PublishedMonth:
    published = calculations.publish(figures, department_ids=department_ids, disclosure=disclosure)
    return PublishedMonth(
        year=figures.year,
        month=figures.month,
        figures=published,
        suppressed_reason=suppressed_reason(disclosure) if published.suppressed else None,
    )


def monthly_series(
    *,
    departments: list[Department],
    fiscal_year: int,
    disclosure: calculations.Disclosure = calculations.EVERYTHING,
) -> MonthlySeries:
    """The snapshots of the fiscal year per department and month, and the month's totals over the departments,
    whose headcount counts each person once (someone transferred that month is one person of the town)."""
    ids = [department.pk for department in departments]
    months = fiscal_months(fiscal_year)
    figures: dict[int, list[PublishedMonth]] = {department_id: [] for department_id in ids}
    by_month: dict[tuple[int, int], list[calculations.MonthFigures]] = defaultdict(list)
    for item in sorted(snapshot_figures(department_ids=ids, months=months), key=lambda f: (f.year, f.month)):
        figures[item.department_id].append(
            _published_month(item, department_ids=[item.department_id], disclosure=disclosure)
        )
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
        staff = frozenset().union(*(item.staff_ids for item in items))
        teleworkers = frozenset().union(*(item.teleworker_ids for item in items))
        total = calculations.MonthFigures(
            department_id=0,
            year=year,
            month=month,
            headcount=len(staff | teleworkers) or sum(item.headcount for item in items),
            teleworker_ids=teleworkers,
            telework_days=sum(item.telework_days for item in items),
            days_by_location={loc: days[loc] for loc in calculations.TELEWORK_LOCATIONS if loc in days},
            staff_ids=staff,
        )
        totals.append(_published_month(total, department_ids=ids, disclosure=disclosure))
    return MonthlySeries(
        fiscal_year=fiscal_year, months=months, departments=departments, figures=figures, totals=totals
    )


@dataclass(frozen=True)
class Survey:
    """The survey's answers and whether the town's figures are shown (a town smaller than the threshold)."""

    answers: calculations.SurveyAnswers
    suppressed: bool
    suppressed_reason: str | None


def survey(
    *, fiscal_year: int, today: date, disclosure: calculations.Disclosure = calculations.EVERYTHING
) -> Survey:
    """総務省調査の回答 as of 1 October: every active department's phase and plan that day (or today, when
    earlier) and adoption from April to September, people counted once whatever their transfers."""
    departments = list(active_departments())
    ids = [department.pk for department in departments]
    as_of = min(calculations.survey_date(fiscal_year), today)
    plans = plans_on(department_ids=ids, days=[today, as_of])
    rollouts = department_rollouts(departments=departments, today=today, plans=plans[today])
    adoption = calculations.roll_up(
        department_ids=ids,
        months=snapshot_figures(department_ids=ids, months=calculations.survey_months(fiscal_year)),
    )
    answers = calculations.survey_answers(
        fiscal_year=fiscal_year,
        phases=[entry.phase_on(as_of) for entry in rollouts],
        adoption=adoption,
        plans=list(plans[as_of].values()),
    )
    shown = disclosure.shows(department_ids=ids, headcount=answers.headcount)
    return Survey(
        answers=answers,
        suppressed=not shown,
        suppressed_reason=None if shown else suppressed_reason(disclosure),
    )
