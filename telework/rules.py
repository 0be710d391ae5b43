"""テレワーク実施要綱の規則: each rule is a pure function of plain values that returns its violations.

No ORM here: `telework.selectors.rule_context(...)` gathers the facts from the database and `check_all`
returns every violation at once, each with a stable code (a member of `telework.codes.TeleworkError`), its
parameters and a Japanese and English message.
Dates that are not working days count for no rule but `not_working_day`; weekends, holidays and the year-end
closure neither count towards nor break a run of consecutive telework days. A half day (午前・午後) weighs 0.5
in every cap; days inside a business-continuity period (BCP) weigh nothing in the caps, the requested ones and
those of the applicant's other requests alike.

The check has two dates: `applied_on`, the day of the application (the advance notice counts from the first
business day on or after it), and `today`, the day of the check (the application itself, or a later approval).
A day before the check is `past_date` unless the policy admits 事後申請 within its limit.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.errors import CoreError
from org.calendar import BusinessCalendar
from telework.codes import TeleworkError

HARD = "hard"
SOFT = "soft"
SEVERITIES = (HARD, SOFT)

PHASES = ("not_started", "preparing", "trial", "partial", "formal")
LOCATIONS = ("home", "satellite", "mobile")
# 実施単位 and what a day of each weighs against the caps.
FULL_DAY, MORNING, AFTERNOON = "day", "am", "pm"
UNITS = (FULL_DAY, MORNING, AFTERNOON)
UNIT_WEIGHTS = {FULL_DAY: 1.0, MORNING: 0.5, AFTERNOON: 0.5}
# 一部運用 (partial operation) admits field work (外勤等) only.
PARTIAL_PHASE_LOCATIONS = frozenset({"mobile"})
CLOSED_PHASES = frozenset({"not_started", "preparing"})

RULE_CODES = (
    TeleworkError.PHASE_NOT_OPEN,
    TeleworkError.LOCATION_NOT_ALLOWED,
    CoreError.NOT_WORKING_DAY,
    TeleworkError.ADVANCE_NOTICE,
    TeleworkError.MAX_DAYS_PER_WEEK,
    TeleworkError.MAX_DAYS_PER_MONTH,
    TeleworkError.MAX_CONSECUTIVE_DAYS,
    TeleworkError.BLACKOUT_DATE,
    TeleworkError.MIN_OFFICE_STAFF,
    TeleworkError.NOT_ELIGIBLE_EMPLOYMENT_TYPE,
    TeleworkError.NOT_ELIGIBLE_TENURE,
    TeleworkError.SECURITY_TRAINING_REQUIRED,
    TeleworkError.SECURITY_PLEDGE_REQUIRED,
    TeleworkError.OVERLAPPING_REQUEST,
    CoreError.PAST_DATE,
    TeleworkError.ON_LEAVE,
    TeleworkError.HALF_DAY_NOT_ALLOWED,
)
# One telework day per employee and date is a database constraint, and a past day is admitted only by the
# policy's own 事後申請 field, so a policy cannot make these rules soft.
ALWAYS_HARD = frozenset({TeleworkError.OVERLAPPING_REQUEST, CoreError.PAST_DATE})


@dataclass(frozen=True)
class Violation:
    """A broken rule: `field` is the request field it concerns (None for facts about the applicant)."""

    code: str
    params: dict
    message_ja: str
    message_en: str
    severity: str = HARD
    field: str | None = "dates"

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD

    def message(self, language: str | None) -> str:
        return self.message_en if (language or "").startswith("en") else self.message_ja


@dataclass(frozen=True)
class Applicant:
    """申請者 facts for eligibility."""

    employment_type: str
    hired_on: date | None
    security_training_fy: int | None
    security_pledge_signed: bool


@dataclass(frozen=True)
class PolicyValues:
    """The effective policy (town default overlaid with the department's override). None = no limit."""

    allowed_locations: frozenset[str] = frozenset(LOCATIONS)
    max_days_per_week: int | None = None
    max_days_per_month: int | None = None
    max_consecutive_days: int | None = None
    advance_notice_business_days: int | None = None
    min_office_staff: int | None = None
    blackout_dates: Mapping[date, str] = field(default_factory=dict)
    eligible_employment_types: frozenset[str] | None = None
    min_months_since_hire: int | None = None
    require_security_training: bool = False
    require_security_pledge: bool = False
    require_day_report: bool = False
    allow_half_days: bool = False
    after_the_fact_business_days: int | None = None
    require_start_end_report: bool = False
    severities: Mapping[str, str] = field(default_factory=dict)

    def severity(self, code: str) -> str:
        if code in ALWAYS_HARD:
            return HARD
        return self.severities.get(code, HARD)


@dataclass(frozen=True)
class DayStaffing:
    """One department day: active staff, and how many of them (the applicant excluded) telework the whole
    day, only the morning or only the afternoon (approved), or are away."""

    headcount: int
    teleworking: int = 0
    absent: int = 0
    teleworking_am: int = 0
    teleworking_pm: int = 0

    def out_of_office(self, half: str) -> int:
        """Staff away from the office in one half of the day (`am` or `pm`)."""
        halves = self.teleworking_am if half == MORNING else self.teleworking_pm
        return self.teleworking + halves + self.absent


@dataclass(frozen=True)
class RuleContext:
    """Everything the rules look at. `existing_dates` are the applicant's other submitted or approved
    telework days (`existing_half_days` those of them that are half days); `continuity_dates` are the days,
    requested or existing, inside a business-continuity period (BCP); `absent_dates` the requested days the
    applicant is on leave or away; `unit` the requested unit (day, am, pm)."""

    dates: tuple[date, ...]
    location: str
    applicant: Applicant
    policy: PolicyValues
    phase: str
    calendar: BusinessCalendar
    today: date
    existing_dates: frozenset[date] = frozenset()
    staffing: Mapping[date, DayStaffing] = field(default_factory=dict)
    continuity_dates: frozenset[date] = frozenset()
    unit: str = FULL_DAY
    applied_on: date | None = None
    existing_half_days: frozenset[date] = frozenset()
    absent_dates: frozenset[date] = frozenset()

    @property
    def application_date(self) -> date:
        """The day the request was (or is being) applied for."""
        return self.applied_on or self.today

    @property
    def requested(self) -> list[date]:
        return sorted(set(self.dates))

    @property
    def requested_working(self) -> list[date]:
        return [day for day in self.requested if self.calendar.is_working_day(day)]


def _violation(
    ctx: RuleContext, code: TeleworkError, params: dict, ja: str, en: str, *, field: str | None = "dates"
) -> Violation:
    return Violation(
        code=code,
        params=params,
        message_ja=ja,
        message_en=en,
        severity=ctx.policy.severity(code),
        field=field,
    )


def check_phase(ctx: RuleContext) -> list[Violation]:
    """導入段階: nothing before the trial; in partial operation (一部運用) only field work."""
    if ctx.phase in CLOSED_PHASES or ctx.phase not in PHASES:
        return [
            _violation(
                ctx,
                TeleworkError.PHASE_NOT_OPEN,
                {"phase": ctx.phase},
                "所属課はまだテレワークを実施していません。",
                "Your department does not offer telework yet.",
                field=None,
            )
        ]
    if ctx.phase == "partial" and ctx.location not in PARTIAL_PHASE_LOCATIONS:
        return [
            _violation(
                ctx,
                TeleworkError.PHASE_NOT_OPEN,
                {
                    "phase": ctx.phase,
                    "location": ctx.location,
                    "allowed_locations": sorted(PARTIAL_PHASE_LOCATIONS),
                },
                "所属課は一部運用中のため、外勤(モバイル)のみ申請できます。",
                "Your department is in partial operation: only mobile (field) work may be requested.",
                field="location",
            )
        ]
    return []


def check_location(ctx: RuleContext) -> list[Violation]:
    """実施場所: the policy's allowed locations."""
    if ctx.location in ctx.policy.allowed_locations:
        return []
    allowed = sorted(ctx.policy.allowed_locations)
    return [
        _violation(
            ctx,
            TeleworkError.LOCATION_NOT_ALLOWED,
            {"location": ctx.location, "allowed_locations": allowed},
            f"実施場所「{ctx.location}」は認められていません(可: {', '.join(allowed) or 'なし'})。",
            f"Location '{ctx.location}' is not allowed (allowed: {', '.join(allowed) or 'none'}).",
            field="location",
        )
    ]


def check_working_days(ctx: RuleContext) -> list[Violation]:
    """開庁日のみ: weekends, national holidays, 12/29–1/3 and the town's closed days are refused."""
    violations = []
    for day in ctx.requested:
        reason = ctx.calendar.closure_reason(day)
        if reason is not None:
            violations.append(
                _violation(
                    ctx,
                    CoreError.NOT_WORKING_DAY,
                    {"date": day.isoformat(), "reason": reason},
                    f"{day.isoformat()} は閉庁日({reason})です。",
                    f"{day.isoformat()} is not a working day.",
                )
            )
    return violations


def notice_start(ctx: RuleContext) -> date:
    """The first business day on or after the application: an application on a closed day counts from the
    next business day (applied on Sunday, Monday is 0 business days ahead)."""
    applied = ctx.application_date
    return applied if ctx.calendar.is_working_day(applied) else ctx.calendar.add_business_days(applied, 1)


def check_advance_notice(ctx: RuleContext) -> list[Violation]:
    """事前申請: each day at least N business days after the first business day on or after the application
    (N=1: by the previous business day; N=0: the same day). Days before the application are `past_date`'s."""
    required = ctx.policy.advance_notice_business_days
    if required is None:
        return []
    start = notice_start(ctx)
    violations = []
    for day in ctx.requested_working:
        if day in ctx.continuity_dates or day < ctx.application_date:
            continue
        notice = ctx.calendar.business_days_between(start, day)
        if notice < required:
            latest = ctx.calendar.business_days_before(day, required)
            violations.append(
                _violation(
                    ctx,
                    TeleworkError.ADVANCE_NOTICE,
                    {
                        "date": day.isoformat(),
                        "required": required,
                        "notice": notice,
                        "apply_by": latest.isoformat(),
                    },
                    f"{day.isoformat()} の申請は {required} 開庁日前({latest.isoformat()})までに必要です。",
                    f"{day.isoformat()} must be requested {required} business day(s) ahead, "
                    f"by {latest.isoformat()}.",
                )
            )
    return violations


def check_past_date(ctx: RuleContext) -> list[Violation]:
    """事後申請: a day before the application, or one that has passed by the time of a later approval, is
    refused unless the policy admits after-the-fact requests and the day is at most its limit of business days
    before that date. A continuity period lifts nothing here."""
    limit = ctx.policy.after_the_fact_business_days
    violations = []
    for day in ctx.requested:
        reference = ctx.application_date if day < ctx.application_date else ctx.today
        if day >= reference:
            continue
        late = ctx.calendar.business_days_between(day, reference)
        if limit is not None and late <= limit:
            continue
        violations.append(
            _violation(
                ctx,
                CoreError.PAST_DATE,
                {
                    "date": day.isoformat(),
                    "as_of": reference.isoformat(),
                    "after_the_fact_business_days": limit,
                },
                f"{day.isoformat()} は過ぎた日です"
                + (
                    f"(事後申請は {limit} 開庁日以内)。"
                    if limit is not None
                    else "(事後申請は認められていません)。"
                ),
                f"{day.isoformat()} is in the past"
                + (
                    f" (after-the-fact requests within {limit} business day(s) only)."
                    if limit is not None
                    else " (after-the-fact requests are not allowed)."
                ),
            )
        )
    return violations


def check_unit(ctx: RuleContext) -> list[Violation]:
    """半日単位: a morning or afternoon only where the policy allows half days."""
    if ctx.unit == FULL_DAY or ctx.policy.allow_half_days:
        return []
    return [
        _violation(
            ctx,
            TeleworkError.HALF_DAY_NOT_ALLOWED,
            {"unit": ctx.unit},
            "半日単位のテレワークは認められていません。",
            "Half-day telework is not allowed.",
            field="unit",
        )
    ]


def check_on_leave(ctx: RuleContext) -> list[Violation]:
    """休暇・不在: no telework on a day the applicant is on leave or away (出張, 研修...)."""
    return [
        _violation(
            ctx,
            TeleworkError.ON_LEAVE,
            {"date": day.isoformat()},
            f"{day.isoformat()} は休暇・不在の日です。",
            f"You are on leave or away on {day.isoformat()}.",
        )
        for day in ctx.requested
        if day in ctx.absent_dates
    ]


def _days(total: float) -> int | float:
    """A weighed number of days as the API shows it: 3, or 2.5."""
    return int(total) if float(total).is_integer() else total


def _capped_days(ctx: RuleContext) -> tuple[set[date], dict[date, float]]:
    """The requested working days that count towards the caps, and the weight of every counted day (the
    requested ones and the applicant's others): 1 a whole day, 0.5 a half day; continuity days do not count."""
    requested = {day for day in ctx.requested_working if day not in ctx.continuity_dates}
    weights = {
        day: UNIT_WEIGHTS[MORNING] if day in ctx.existing_half_days else UNIT_WEIGHTS[FULL_DAY]
        for day in ctx.existing_dates
        if ctx.calendar.is_working_day(day) and day not in ctx.continuity_dates
    }
    weights.update(dict.fromkeys(requested, UNIT_WEIGHTS.get(ctx.unit, UNIT_WEIGHTS[FULL_DAY])))
    return requested, weights


def _check_period_cap(
    ctx: RuleContext,
    *,
    code: TeleworkError,
    limit: int | None,
    key: Callable[[date], str],
    param: str,
    ja_unit: str,
    en_unit: str,
) -> list[Violation]:
    if limit is None:
        return []
    requested, weights = _capped_days(ctx)
    per_period: dict[str, float] = defaultdict(float)
    for day, weight in weights.items():
        per_period[key(day)] += weight
    violations = []
    for period in sorted({key(day) for day in requested}):
        total = _days(per_period[period])
        if total > limit:
            violations.append(
                _violation(
                    ctx,
                    code,
                    {"limit": limit, "requested": total, param: period},
                    f"{period} のテレワークは{ja_unit} {limit} 日までです(申請中・承認済みを含め {total} 日)。",
                    f"Telework is limited to {limit} day(s) {en_unit}; {period} would have {total}.",
                )
            )
    return violations


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def check_max_days_per_week(ctx: RuleContext) -> list[Violation]:
    """週の上限: telework days per ISO week, submitted and approved requests included."""
    return _check_period_cap(
        ctx,
        code=TeleworkError.MAX_DAYS_PER_WEEK,
        limit=ctx.policy.max_days_per_week,
        key=_iso_week,
        param="week",
        ja_unit="週",
        en_unit="per week",
    )


def check_max_days_per_month(ctx: RuleContext) -> list[Violation]:
    """月の上限: telework days per calendar month, submitted and approved requests included."""
    return _check_period_cap(
        ctx,
        code=TeleworkError.MAX_DAYS_PER_MONTH,
        limit=ctx.policy.max_days_per_month,
        key=lambda day: f"{day.year}-{day.month:02d}",
        param="month",
        ja_unit="月",
        en_unit="per month",
    )


def check_max_consecutive_days(ctx: RuleContext) -> list[Violation]:
    """連続日数: consecutive telework WORKING days; closed days in between neither break nor count,
    a working day in the office (or in a continuity period) breaks the run; a half day weighs 0.5 of it."""
    limit = ctx.policy.max_consecutive_days
    if limit is None:
        return []
    requested, counted = _capped_days(ctx)
    if not requested:
        return []
    violations = []
    seen: set[date] = set()
    for day in sorted(requested):
        if day in seen:
            continue
        start = end = day
        while (previous := ctx.calendar.add_business_days(start, -1)) in counted:
            start = previous
        while (following := ctx.calendar.add_business_days(end, 1)) in counted:
            end = following
        run = list(ctx.calendar.working_days(start, end))
        seen.update(run)
        length = _days(sum(counted[day] for day in run))
        if length > limit:
            violations.append(
                _violation(
                    ctx,
                    TeleworkError.MAX_CONSECUTIVE_DAYS,
                    {
                        "limit": limit,
                        "requested": length,
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                    },
                    f"連続したテレワークは {limit} 開庁日までです({start.isoformat()}〜{end.isoformat()} は {length} 日)。",
                    f"At most {limit} consecutive telework working day(s); "
                    f"{start.isoformat()} to {end.isoformat()} would be {length}.",
                )
            )
    return violations


def check_blackout_dates(ctx: RuleContext) -> list[Violation]:
    """実施不可日: town-wide or department blackout dates (議会, 選挙, 繁忙期...)."""
    violations = []
    for day in ctx.requested:
        if day in ctx.policy.blackout_dates:
            reason = ctx.policy.blackout_dates[day]
            violations.append(
                _violation(
                    ctx,
                    TeleworkError.BLACKOUT_DATE,
                    {"date": day.isoformat(), "reason": reason},
                    f"{day.isoformat()} はテレワーク実施不可日です({reason})。",
                    f"{day.isoformat()} is a blackout date for telework ({reason}).",
                )
            )
    return violations


def check_min_office_staff(ctx: RuleContext) -> list[Violation]:
    """窓口体制: on each day at least N of the department stay in the office in each half of the day the
    applicant would be out (staff − approved telework that half − absences − the applicant)."""
    minimum = ctx.policy.min_office_staff
    if minimum is None:
        return []
    halves = (MORNING, AFTERNOON) if ctx.unit == FULL_DAY else (ctx.unit,)
    violations = []
    for day in ctx.requested_working:
        staffing = ctx.staffing.get(day)
        if staffing is None:
            continue
        remaining = min(staffing.headcount - staffing.out_of_office(half) - 1 for half in halves)
        if remaining < minimum:
            violations.append(
                _violation(
                    ctx,
                    TeleworkError.MIN_OFFICE_STAFF,
                    {"date": day.isoformat(), "minimum": minimum, "remaining": max(remaining, 0)},
                    f"{day.isoformat()} は庁内に {minimum} 人以上が必要ですが、残るのは {max(remaining, 0)} 人です。",
                    f"On {day.isoformat()} at least {minimum} staff must stay in the office; "
                    f"only {max(remaining, 0)} would.",
                )
            )
    return violations


def check_overlap(ctx: RuleContext) -> list[Violation]:
    """重複申請: a day already in one of the applicant's submitted or approved requests."""
    return [
        _violation(
            ctx,
            TeleworkError.OVERLAPPING_REQUEST,
            {"date": day.isoformat()},
            f"{day.isoformat()} は既に申請済みです。",
            f"{day.isoformat()} is already in another request.",
        )
        for day in ctx.requested
        if day in ctx.existing_dates
    ]


# The eligibility rules (対象職員) live in their own module, which builds on the types above.
from telework.rules_eligibility import (  # noqa: E402
    check_employment_type,
    check_security_pledge,
    check_security_training,
    check_tenure,
)

RULES: tuple[Callable[[RuleContext], list[Violation]], ...] = (
    check_phase,
    check_location,
    check_unit,
    check_working_days,
    check_past_date,
    check_advance_notice,
    check_max_days_per_week,
    check_max_days_per_month,
    check_max_consecutive_days,
    check_blackout_dates,
    check_min_office_staff,
    check_employment_type,
    check_tenure,
    check_security_training,
    check_security_pledge,
    check_on_leave,
    check_overlap,
)


def check_all(ctx: RuleContext, *, codes: Collection[str] | None = None) -> list[Violation]:
    """Every violation of every rule (or of the rules whose codes are given), in rule order."""
    violations = [violation for rule in RULES for violation in rule(ctx)]
    if codes is not None:
        violations = [violation for violation in violations if violation.code in codes]
    return violations


def hard(violations: list[Violation]) -> list[Violation]:
    return [violation for violation in violations if violation.is_hard]


def soft(violations: list[Violation]) -> list[Violation]:
    return [violation for violation in violations if not violation.is_hard]
