"""時間外勤務の上限 for local public servants (the 2019 rules, 人事院規則15-14 and the towns' 規則 after it): which
limits a month's overtime reaches. Pure, no ORM.

Ordinary posts: 45 h in a month and 360 h in a fiscal year. Departments with 他律的業務 (`overtime_exempt`):
under 100 h in a month, at most 80 h on average over any 2 to 6 consecutive months, 720 h in a fiscal year, and
at most 6 months of the fiscal year over 45 h. A warning comes at 80 % of a limit, an alert when it is crossed.
Apart from the limits, any month of 100 h or more makes the employee due a 面接指導 (the doctor's interview of
労働安全衛生法66条の8), which HR must arrange.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from org.calendar import fiscal_months, fiscal_year

MONTHLY = 45 * 60
YEARLY = 360 * 60
EXEMPT_MONTHLY = 100 * 60
EXEMPT_AVERAGE = 80 * 60
EXEMPT_YEARLY = 720 * 60
EXEMPT_MONTHS_OVER_45H = 6
INTERVIEW_GUIDANCE_MINUTES = 100 * 60
WARNING_PERCENT = 80
CROSSED_PERCENT = 100
AVERAGE_WINDOWS = range(2, 7)

MONTHLY_LIMIT = "monthly_limit"
YEARLY_LIMIT = "yearly_limit"
MULTI_MONTH_AVERAGE = "multi_month_average"
MONTHS_OVER_45H = "months_over_45h"
INTERVIEW_GUIDANCE = "interview_guidance"


@dataclass(frozen=True)
class Breach:
    """A limit reached: `threshold` is 80 (warning) or 100 (crossed); minutes are the figure compared. For the
    count of months over 45 h, `count` and `count_limit` are the figures compared (minutes: this month's)."""

    kind: str
    period: str
    threshold: int
    minutes: int
    limit: int
    count: int | None = None
    count_limit: int | None = None


def _months_back(month: date, count: int) -> list[date]:
    """`count` consecutive months ending with `month`, oldest first."""
    months, year, number = [], month.year, month.month
    for _ in range(count):
        months.append(date(year, number, 1))
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return months[::-1]


def _levels(*, minutes: int, limit: int, crossed_at_limit: bool) -> list[int]:
    """Thresholds reached: 80 at 80 % of the limit; 100 above it (at it, for an 'under N hours' limit)."""
    levels = []
    if minutes * 100 >= limit * WARNING_PERCENT:
        levels.append(WARNING_PERCENT)
    if minutes > limit or (crossed_at_limit and minutes == limit):
        levels.append(CROSSED_PERCENT)
    return levels


def overtime_breaches(*, monthly: Mapping[date, int], month: date, exempt: bool) -> list[Breach]:
    """The limits that overtime up to and including `month` reaches; `monthly` maps first days to minutes."""
    month = month.replace(day=1)
    this_month = monthly.get(month, 0)
    label = f"{month:%Y-%m}"
    breaches: list[Breach] = []
    fy = fiscal_year(month)
    months_so_far = [date(y, m, 1) for y, m in fiscal_months(fy) if date(y, m, 1) <= month]
    so_far = sum(monthly.get(first, 0) for first in months_so_far)
    yearly = EXEMPT_YEARLY if exempt else YEARLY
    if not exempt:
        for level in _levels(minutes=this_month, limit=MONTHLY, crossed_at_limit=False):
            breaches.append(Breach(MONTHLY_LIMIT, label, level, this_month, MONTHLY))
        for level in _levels(minutes=so_far, limit=yearly, crossed_at_limit=False):
            breaches.append(Breach(YEARLY_LIMIT, f"FY{fy}", level, so_far, yearly))
        return breaches
    for level in _levels(minutes=this_month, limit=EXEMPT_MONTHLY, crossed_at_limit=True):
        breaches.append(Breach(MONTHLY_LIMIT, label, level, this_month, EXEMPT_MONTHLY))
    worst = max(
        sum(monthly.get(m, 0) for m in _months_back(month, count)) // count for count in AVERAGE_WINDOWS
    )
    for level in _levels(minutes=worst, limit=EXEMPT_AVERAGE, crossed_at_limit=False):
        breaches.append(Breach(MULTI_MONTH_AVERAGE, label, level, worst, EXEMPT_AVERAGE))
    for level in _levels(minutes=so_far, limit=yearly, crossed_at_limit=False):
        breaches.append(Breach(YEARLY_LIMIT, f"FY{fy}", level, so_far, yearly))
    over_45 = sum(1 for first in months_so_far if monthly.get(first, 0) > MONTHLY)
    if this_month > MONTHLY:  # counted when a month over 45 h adds to it
        for level in _levels(minutes=over_45, limit=EXEMPT_MONTHS_OVER_45H, crossed_at_limit=False):
            breaches.append(
                Breach(
                    MONTHS_OVER_45H,
                    f"FY{fy}",
                    level,
                    this_month,
                    MONTHLY,
                    count=over_45,
                    count_limit=EXEMPT_MONTHS_OVER_45H,
                )
            )
    return breaches


def interview_guidance(*, monthly: Mapping[date, int], month: date) -> Breach | None:
    """面接指導: the month's overtime reached 100 h (exempted post or not), or None."""
    month = month.replace(day=1)
    minutes = monthly.get(month, 0)
    if minutes < INTERVIEW_GUIDANCE_MINUTES:
        return None
    return Breach(INTERVIEW_GUIDANCE, f"{month:%Y-%m}", CROSSED_PERCENT, minutes, INTERVIEW_GUIDANCE_MINUTES)


def months_needed(month: date) -> date:
    """The first month whose figures `overtime_breaches` may read: the fiscal year's start or 5 months back."""
    fy_start = date(fiscal_year(month), 4, 1)
    return min(fy_start, _months_back(month.replace(day=1), max(AVERAGE_WINDOWS))[0])
