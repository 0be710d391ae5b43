"""テレワーク実施要綱の規則: each rule is a pure function of plain values that returns its violations.

No ORM here: `telework.selectors.rule_context(...)` gathers the facts from the database and `check_all`
returns every violation at once, each with a stable code (a member of `telework.codes.TeleworkError`), its
parameters and a Japanese and English message.
Dates that are not working days count for no rule but `not_working_day`; weekends, holidays and the year-end
closure neither count towards nor break a run of consecutive telework days.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from org.calendar import BusinessCalendar, fiscal_year
from telework.codes import TeleworkError

HARD = "hard"
SOFT = "soft"
SEVERITIES = (HARD, SOFT)

PHASES = ("not_started", "preparing", "trial", "partial", "formal")
LOCATIONS = ("home", "satellite", "mobile")
# 一部運用 (partial operation) admits field work (外勤等) only.
PARTIAL_PHASE_LOCATIONS = frozenset({"mobile"})
CLOSED_PHASES = frozenset({"not_started", "preparing"})

RULE_CODES = (
    TeleworkError.PHASE_NOT_OPEN,
    TeleworkError.LOCATION_NOT_ALLOWED,
    TeleworkError.NOT_WORKING_DAY,
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
)
# One telework day per employee and date is a database constraint, so a policy cannot make this rule soft.
ALWAYS_HARD = frozenset({TeleworkError.OVERLAPPING_REQUEST})


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
    severities: Mapping[str, str] = field(default_factory=dict)

    def severity(self, code: str) -> str:
        if code in ALWAYS_HARD:
            return HARD
        return self.severities.get(code, HARD)


@dataclass(frozen=True)
class DayStaffing:
    """One department day: active staff, and how many of them (the applicant excluded) telework or are away."""

    headcount: int
    teleworking: int = 0
    absent: int = 0


@dataclass(frozen=True)
class RuleContext:
    """Everything the rules look at. `existing_dates` are the applicant's other submitted or approved
    telework days; `continuity_dates` are requested days inside a business-continuity period (BCP)."""

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
                    TeleworkError.NOT_WORKING_DAY,
                    {"date": day.isoformat(), "reason": reason},
                    f"{day.isoformat()} は閉庁日({reason})です。",
                    f"{day.isoformat()} is not a working day.",
                )
            )
    return violations


def check_advance_notice(ctx: RuleContext) -> list[Violation]:
    """事前申請: each day at least N business days after today (N=1: by the previous business day)."""
    required = ctx.policy.advance_notice_business_days
    if required is None:
        return []
    violations = []
    for day in ctx.requested_working:
        if day in ctx.continuity_dates:
            continue
        notice = ctx.calendar.business_days_between(ctx.today, day)
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


def _capped_days(ctx: RuleContext) -> tuple[set[date], set[date]]:
    """(requested, all) working telework days that count towards the caps (continuity days do not)."""
    requested = {day for day in ctx.requested_working if day not in ctx.continuity_dates}
    existing = {
        day
        for day in ctx.existing_dates
        if ctx.calendar.is_working_day(day) and day not in ctx.continuity_dates
    }
    return requested, requested | existing


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
    requested, counted = _capped_days(ctx)
    per_period: dict[str, int] = defaultdict(int)
    for day in counted:
        per_period[key(day)] += 1
    violations = []
    for period in sorted({key(day) for day in requested}):
        total = per_period[period]
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
    a working day in the office (or in a continuity period) breaks the run."""
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
        if len(run) > limit:
            violations.append(
                _violation(
                    ctx,
                    TeleworkError.MAX_CONSECUTIVE_DAYS,
                    {
                        "limit": limit,
                        "requested": len(run),
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                    },
                    f"連続したテレワークは {limit} 開庁日までです({start.isoformat()}〜{end.isoformat()} は {len(run)} 日)。",
                    f"At most {limit} consecutive telework working day(s); "
                    f"{start.isoformat()} to {end.isoformat()} would be {len(run)}.",
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
    """窓口体制: on each day at least N of the department stay in the office
    (staff − approved telework − absences − the applicant)."""
    minimum = ctx.policy.min_office_staff
    if minimum is None:
        return []
    violations = []
    for day in ctx.requested_working:
        staffing = ctx.staffing.get(day)
        if staffing is None:
            continue
        remaining = staffing.headcount - staffing.teleworking - staffing.absent - 1
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


def check_employment_type(ctx: RuleContext) -> list[Violation]:
    """対象職員: employment types the policy admits (e.g. 会計年度任用職員 excluded)."""
    eligible = ctx.policy.eligible_employment_types
    if eligible is None or ctx.applicant.employment_type in eligible:
        return []
    return [
        _violation(
            ctx,
            TeleworkError.NOT_ELIGIBLE_EMPLOYMENT_TYPE,
            {"employment_type": ctx.applicant.employment_type, "eligible": sorted(eligible)},
            "あなたの任用形態はテレワークの対象外です。",
            "Your employment type is not eligible for telework.",
            field=None,
        )
    ]


def months_between(start: date, end: date) -> int:
    """Full months from start to end (2026-04-15 → 2026-10-15 is 6, → 2026-10-14 is 5)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and not _is_month_end(end):
        months -= 1
    return months


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).month != day.month


def check_tenure(ctx: RuleContext) -> list[Violation]:
    """採用後の期間: full months since hiring on the first requested day."""
    minimum = ctx.policy.min_months_since_hire
    if minimum is None or not ctx.requested:
        return []
    first = ctx.requested[0]
    hired_on = ctx.applicant.hired_on
    months = months_between(hired_on, first) if hired_on else None
    if months is not None and months >= minimum:
        return []
    return [
        _violation(
            ctx,
            TeleworkError.NOT_ELIGIBLE_TENURE,
            {
                "minimum_months": minimum,
                "months": months,
                "hired_on": hired_on.isoformat() if hired_on else None,
            },
            f"採用後 {minimum} か月を経過していないため、テレワークの対象外です。",
            f"Telework is open after {minimum} month(s) of service.",
            field=None,
        )
    ]


def check_security_training(ctx: RuleContext) -> list[Violation]:
    """情報セキュリティ研修: done in the fiscal year of each requested day."""
    if not ctx.policy.require_security_training or not ctx.requested:
        return []
    done = ctx.applicant.security_training_fy
    violations = []
    for fy in sorted({fiscal_year(day) for day in ctx.requested}):
        if done is None or done < fy:
            violations.append(
                _violation(
                    ctx,
                    TeleworkError.SECURITY_TRAINING_REQUIRED,
                    {"fiscal_year": fy, "completed_fiscal_year": done},
                    f"{fy}年度の情報セキュリティ研修を受講してください。",
                    f"Complete the information security training of fiscal year {fy} first.",
                    field=None,
                )
            )
    return violations


def check_security_pledge(ctx: RuleContext) -> list[Violation]:
    """情報セキュリティ誓約書: signed."""
    if not ctx.policy.require_security_pledge or ctx.applicant.security_pledge_signed:
        return []
    return [
        _violation(
            ctx,
            TeleworkError.SECURITY_PLEDGE_REQUIRED,
            {},
            "情報セキュリティ誓約書を提出してください。",
            "Sign the information security pledge first.",
            field=None,
        )
    ]


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


RULES: tuple[Callable[[RuleContext], list[Violation]], ...] = (
    check_phase,
    check_location,
    check_working_days,
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
