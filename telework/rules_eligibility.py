"""対象職員: the eligibility rules of the 実施要綱 (employment type, months since hiring, this fiscal year's security
training, the security pledge), pure functions like the rest of `telework.rules`, which imports them into its rule
list (import them from there).
"""

from datetime import date, timedelta

from org.calendar import fiscal_year
from telework.codes import TeleworkError
from telework.rules import RuleContext, Violation, _violation


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
    """採用後の期間: full months since hiring on the first requested day (a minimum of 0 asks nothing, so
    staff with no hire date on record are admitted; with a minimum above 0 an unknown hire date is not)."""
    minimum = ctx.policy.min_months_since_hire
    if not minimum or not ctx.requested:
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
