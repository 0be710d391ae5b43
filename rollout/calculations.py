"""導入推進: pure computations of the rollout (phases against plan, adoption, the KPI, the national survey).

No ORM here: the services and selectors load plain values (day facts, month figures, phase histories) and
these functions compute. Every figure of the rollout API and the dashboard comes out of this module.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from org.calendar import fiscal_months, fiscal_year

# 導入段階, in order: 未着手 → 準備(要綱策定) → 各課トライアル → 一部運用(外勤等) → 正式運用.
NOT_STARTED = "not_started"
PREPARING = "preparing"
TRIAL = "trial"
PARTIAL = "partial"
FORMAL = "formal"
PHASES: tuple[str, ...] = (NOT_STARTED, PREPARING, TRIAL, PARTIAL, FORMAL)
# Phases that have a planned date (nobody plans to be "not started").
PLANNED_PHASES: tuple[str, ...] = (PREPARING, TRIAL, PARTIAL, FORMAL)

# The DX plan's schedule for ④テレワーク環境構築 (section ⑦): 要綱策定 in the first half of FY R7, 各課トライアル in
# the second half of FY R7, 一部運用（外勤等） in FY R8, 正式運用 in FY R9. The town-wide plan starts from it.
DX_PLAN_SCHEDULE: dict[str, date] = {
    PREPARING: date(2025, 4, 1),
    TRIAL: date(2025, 10, 1),
    PARTIAL: date(2026, 4, 1),
    FORMAL: date(2027, 4, 1),
}

OFFICE = "office"
# Telework forms (テレワークの形態) in the survey's order: 在宅勤務, サテライトオフィス勤務, モバイルワーク.
TELEWORK_LOCATIONS: tuple[str, ...] = ("home", "satellite", "mobile")

# 総務省調査「地方公共団体におけるテレワークに関する取組状況の調査」: 導入状況 (as the survey asks it) and 利用率の区分.
STATUS_IMPLEMENTED = "implemented"  # 導入済み (正式に導入している)
STATUS_TRIAL = "trial"  # 試行中 (試験的・実験的に導入している)
STATUS_PLANNED = "planned"  # 導入予定 (令和X年度からの導入・実施を検討中), with the fiscal year
STATUS_UNDECIDED = "undecided"  # 未定 (導入する予定はない・未定)
SURVEY_STATUSES: tuple[str, ...] = (STATUS_IMPLEMENTED, STATUS_TRIAL, STATUS_PLANNED, STATUS_UNDECIDED)
# How a department's phase on the survey date answers the survey (the town answers with its most advanced
# department). 一部運用 (partial operation: field work under the 要綱 in force) is 導入済み: the 要綱 is in force
# and staff telework under it, for some forms only, which the survey's forms question tells; the trial is 試行中;
# before the trial the town is 導入予定 when a plan dates a trial or an operation phase (the fiscal year of the
# earliest such date), 未定 otherwise.
SURVEY_STATUS_BY_PHASE: dict[str, str] = {
    "formal": STATUS_IMPLEMENTED,
    "partial": STATUS_IMPLEMENTED,
    "trial": STATUS_TRIAL,
    "preparing": STATUS_PLANNED,
    "not_started": STATUS_PLANNED,
}
BAND_UNDER_30 = "under_30"
BAND_30_50 = "30_50"
BAND_50_80 = "50_80"
BAND_80_OVER = "80_over"
SURVEY_MONTH = 10  # the survey's reference date is 1 October


def phase_rank(phase: str) -> int:
    return PHASES.index(phase)


# --- Phases against plan -----------------------------------------------------------------------------


def phase_on(history: Sequence[tuple[date, str]], day: date) -> str:
    """The phase a department was in on `day`, from its history of (date, phase) moves in date order."""
    current = NOT_STARTED
    for moved_on, phase in history:
        if moved_on > day:
            break
        current = phase
    return current


def overdue_phases(*, phase: str, planned: Mapping[str, date], today: date) -> list[str]:
    """Planned phases whose date has passed (strictly before today) while the department is still short of them."""
    return [
        planned_phase
        for planned_phase in PLANNED_PHASES
        if planned_phase in planned
        and planned[planned_phase] < today
        and phase_rank(phase) < phase_rank(planned_phase)
    ]


def is_behind_plan(*, phase: str, planned: Mapping[str, date], today: date) -> bool:
    """計画遅れ: a planned date has passed without the department reaching that phase."""
    return bool(overdue_phases(phase=phase, planned=planned, today=today))


def effective_plan(*, town: Mapping[str, date], department: Mapping[str, date]) -> dict[str, date]:
    """The department's planned dates: its own where set, the town-wide plan otherwise, in phase order."""
    merged = {**town, **department}
    return {phase: merged[phase] for phase in PLANNED_PHASES if phase in merged}


# --- Adoption per department and month -----------------------------------------------------------------


@dataclass(frozen=True)
class DayFact:
    """One employee's worked day: where the day was worked and, when an approved telework request covers the
    day, the location it was approved for (None otherwise). `department_id` is the employee's department."""

    employee_id: int
    department_id: int
    day: date
    location: str | None
    approved_location: str | None = None

    @property
    def teleworked(self) -> bool:
        """テレワーク実施日: an approved request and attendance away from the office that day."""
        return self.approved_location is not None and self.location not in (None, OFFICE)

    @property
    def telework_location(self) -> str:
        """The form of the day: where it was worked, or the approved location for a mixed day."""
        return self.location if self.location in TELEWORK_LOCATIONS else self.approved_location


@dataclass
class Adoption:
    """One department's adoption over a period (a month, or several months rolled up); `staff_ids` are the
    people counted in its headcount (the roster and anyone who teleworked in it)."""

    department_id: int
    headcount: int = 0
    teleworker_ids: set[int] = field(default_factory=set)
    telework_days: int = 0
    days_by_location: dict[str, int] = field(default_factory=dict)
    staff_ids: set[int] = field(default_factory=set)

    @property
    def teleworkers(self) -> int:
        return len(self.teleworker_ids)

    @property
    def adoption_rate(self) -> float:
        return rate(self.teleworkers, self.headcount)


def rate(part: int, whole: int) -> float:
    """part / whole rounded to 4 places (0.0 when whole is 0), never above 1."""
    if whole <= 0:
        return 0.0
    return round(min(part, whole) / whole, 4)


def month_adoption(
    *, department_ids: Iterable[int], roster: Mapping[int, int], facts: Iterable[DayFact]
) -> dict[int, Adoption]:
    """Adoption of each department in one month.

    `roster` maps each employee on the month's roster to the department they belonged to then; `facts` are the
    month's worked days, each in the department of the employee's assignment that day.
    headcount = the roster plus anyone who teleworked that month without being on it (left or moved since);
    teleworkers = staff with at least one telework day; days_by_location counts telework days per form.
    Days in the office or without an approved request count for nothing.
    """
    result = {department_id: Adoption(department_id=department_id) for department_id in department_ids}
    staff: dict[int, set[int]] = {department_id: set() for department_id in result}
    for employee_id, department_id in roster.items():
        if department_id in staff:
            staff[department_id].add(employee_id)
    for fact in facts:
        adoption = result.get(fact.department_id)
        if adoption is None or not fact.teleworked:
            continue
        staff[fact.department_id].add(fact.employee_id)
        adoption.teleworker_ids.add(fact.employee_id)
        adoption.telework_days += 1
        location = fact.telework_location
        adoption.days_by_location[location] = adoption.days_by_location.get(location, 0) + 1
    for department_id, adoption in result.items():
        adoption.staff_ids = staff[department_id]
        adoption.headcount = len(staff[department_id])
        adoption.days_by_location = {
            location: adoption.days_by_location[location]
            for location in TELEWORK_LOCATIONS
            if location in adoption.days_by_location
        }
    return result


@dataclass(frozen=True)
class MonthFigures:
    """A stored monthly snapshot as plain values (what the selectors hand to the roll-ups)."""

    department_id: int
    year: int
    month: int
    headcount: int
    teleworker_ids: frozenset[int]
    telework_days: int
    days_by_location: Mapping[str, int]
    staff_ids: frozenset[int] = frozenset()

    @property
    def teleworkers(self) -> int:
        return len(self.teleworker_ids)

    @property
    def adoption_rate(self) -> float:
        return rate(self.teleworkers, self.headcount)


def roll_up(*, department_ids: Iterable[int], months: Iterable[MonthFigures]) -> dict[int, Adoption]:
    """Adoption of each department over several months: headcount is the distinct staff counted in it in any
    of the months (at least the largest monthly headcount, for snapshots written before they kept their
    staff), teleworkers the distinct staff who teleworked in any of the months, days summed."""
    result = {department_id: Adoption(department_id=department_id) for department_id in department_ids}
    for figures in months:
        adoption = result.get(figures.department_id)
        if adoption is None:
            continue
        adoption.staff_ids |= figures.staff_ids
        adoption.headcount = max(adoption.headcount, figures.headcount, len(adoption.staff_ids))
        adoption.teleworker_ids |= figures.teleworker_ids
        adoption.telework_days += figures.telework_days
        for location, days in figures.days_by_location.items():
            adoption.days_by_location[location] = adoption.days_by_location.get(location, 0) + days
    return result


# --- The KPI ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    """テレワーク実施部署の割合: departments with at least one telework day in the fiscal year / all departments."""

    departments_total: int
    departments_implementing: int
    not_implementing: tuple[int, ...]
    target_rate: float = 1.0

    @property
    def implementing_rate(self) -> float:
        return rate(self.departments_implementing, self.departments_total)

    @property
    def target_met(self) -> bool:
        return self.departments_total > 0 and self.implementing_rate >= self.target_rate


def kpi(*, department_ids: Sequence[int], adoption: Mapping[int, Adoption]) -> Kpi:
    """The KPI over the given departments (in their order); a department implements when it has telework days."""
    implementing = {d for d in department_ids if d in adoption and adoption[d].telework_days > 0}
    return Kpi(
        departments_total=len(department_ids),
        departments_implementing=len(implementing),
        not_implementing=tuple(d for d in department_ids if d not in implementing),
    )


def phase_counts(phases: Iterable[str]) -> dict[str, int]:
    """How many departments are in each phase, every phase present (zero included)."""
    counts = dict.fromkeys(PHASES, 0)
    for phase in phases:
        counts[phase] += 1
    return counts


# --- The national survey (as of 1 October) ---------------------------------------------------------------


def survey_date(fiscal_year: int) -> date:
    return date(fiscal_year, SURVEY_MONTH, 1)


def survey_months(fiscal_year: int) -> list[tuple[int, int]]:
    """The months before the survey date: April to September of the fiscal year."""
    return [(year, month) for year, month in fiscal_months(fiscal_year)[: SURVEY_MONTH - 4]]


def adoption_status(phases: Iterable[str], *, planned_fiscal_year: int | None = None) -> str:
    """導入状況 of the town from its departments' phases on the survey date (SURVEY_STATUS_BY_PHASE, the most
    advanced department's answer): 導入予定 only with a planned fiscal year, 未定 without one."""
    answers = {SURVEY_STATUS_BY_PHASE[phase] for phase in phases}
    status = next((status for status in SURVEY_STATUSES if status in answers), STATUS_UNDECIDED)
    if status == STATUS_PLANNED and planned_fiscal_year is None:
        return STATUS_UNDECIDED
    return status


def planned_fiscal_year(*, plans: Iterable[Mapping[str, date]], as_of: date) -> int | None:
    """令和X年度からの導入: the fiscal year of the earliest planned date of a trial or an operation phase among the
    departments' plans (never before the survey's own fiscal year); None when no plan dates one."""
    dates = [planned[phase] for planned in plans for phase in (TRIAL, PARTIAL, FORMAL) if phase in planned]
    if not dates:
        return None
    return max(fiscal_year(min(dates)), fiscal_year(as_of))


def usage_rate_band(*, teleworkers: int, headcount: int) -> str:
    """利用率の区分, computed on integers so the edges are exact: 30 % is in 30–50, 50 % in 50–80, 80 % in 80 and over."""
    percent_times_headcount = 100 * teleworkers
    if headcount <= 0 or percent_times_headcount < 30 * headcount:
        return BAND_UNDER_30
    if percent_times_headcount < 50 * headcount:
        return BAND_30_50
    if percent_times_headcount < 80 * headcount:
        return BAND_50_80
    return BAND_80_OVER


def forms_used(days_by_location: Mapping[str, int]) -> list[str]:
    """テレワークの形態: the forms with at least one telework day, in the survey's order."""
    return [location for location in TELEWORK_LOCATIONS if days_by_location.get(location, 0) > 0]


@dataclass(frozen=True)
class SurveyAnswers:
    fiscal_year: int
    as_of: date
    adoption_status: str
    planned_fiscal_year: int | None
    forms_used: list[str]
    usage_rate_band: str
    usage_rate: float
    headcount: int
    teleworkers: int
    telework_days: int
    days_by_location: dict[str, int]
    departments_total: int
    departments_implementing: int


def survey_answers(
    *,
    fiscal_year: int,
    phases: Sequence[str],
    adoption: Mapping[int, Adoption],
    plans: Iterable[Mapping[str, date]] = (),
) -> SurveyAnswers:
    """The survey's answers from the departments' phases and plans on 1 October and their adoption from April
    to September (rolled up per department). Headcount and teleworkers count people, not department rows:
    someone transferred between departments is one person of the town (the union of the departments' staff);
    `teleworkers` is the number of staff who used telework."""
    as_of = survey_date(fiscal_year)
    staff = set().union(*(a.staff_ids for a in adoption.values()))
    teleworker_ids = set().union(*(a.teleworker_ids for a in adoption.values()))
    headcount = len(staff | teleworker_ids)
    teleworkers = len(teleworker_ids)
    planned_year = planned_fiscal_year(plans=plans, as_of=as_of)
    status = adoption_status(phases, planned_fiscal_year=planned_year)
    if status != STATUS_PLANNED:
        planned_year = None
    days_by_location: dict[str, int] = {}
    for a in adoption.values():
        for location, days in a.days_by_location.items():
            days_by_location[location] = days_by_location.get(location, 0) + days
    ordered_days = {location: days_by_location.get(location, 0) for location in TELEWORK_LOCATIONS}
    return SurveyAnswers(
        fiscal_year=fiscal_year,
        as_of=as_of,
        adoption_status=status,
        planned_fiscal_year=planned_year,
        forms_used=forms_used(ordered_days),
        usage_rate_band=usage_rate_band(teleworkers=teleworkers, headcount=headcount),
        usage_rate=rate(teleworkers, headcount),
        headcount=headcount,
        teleworkers=teleworkers,
        telework_days=sum(a.telework_days for a in adoption.values()),
        days_by_location=ordered_days,
        departments_total=len(phases),
        departments_implementing=sum(1 for a in adoption.values() if a.telework_days > 0),
    )


# --- Small groups (privacy) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disclosure:
    """Which aggregates a reader sees: those of at least `min_group_size` people, and every figure of the
    departments in `own_department_ids` (their managers read their own department's numbers)."""

    min_group_size: int
    own_department_ids: frozenset[int] = frozenset()

    def shows(self, *, department_ids: Iterable[int], headcount: int) -> bool:
        """An aggregate over these departments' `headcount` people is shown (not suppressed)."""
        ids = set(department_ids)
        return (bool(ids) and ids <= self.own_department_ids) or headcount >= self.min_group_size


EVERYTHING = Disclosure(min_group_size=0)


@dataclass(frozen=True)
class Published:
    """Adoption figures as a reader sees them: None for each figure when the group is too small to show
    (`suppressed`); the headcount, a fact of the organisation, is always shown."""

    headcount: int
    teleworkers: int | None
    telework_days: int | None
    adoption_rate: float | None
    days_by_location: dict[str, int] | None
    suppressed: bool


def publish(
    figures: "Adoption | MonthFigures", *, department_ids: Iterable[int], disclosure: Disclosure
) -> Published:
    """The figures of a department (or of a total over `department_ids`) under the reader's disclosure."""
    if disclosure.shows(department_ids=department_ids, headcount=figures.headcount):
        return Published(
            headcount=figures.headcount,
            teleworkers=figures.teleworkers,
            telework_days=figures.telework_days,
            adoption_rate=figures.adoption_rate,
            days_by_location=dict(figures.days_by_location),
            suppressed=False,
        )
    return Published(
        headcount=figures.headcount,
        teleworkers=None,
        telework_days=None,
        adoption_rate=None,
        days_by_location=None,
        suppressed=True,
    )
