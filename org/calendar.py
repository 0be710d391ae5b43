"""The business calendar (業務日): national holidays, the town's closure days, fiscal years (from 1 April).

Pure functions of dates, no ORM: extra closure days (ClosedDay rows) are passed in by the caller, usually
through `org.selectors.business_calendar()`.
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

FISCAL_YEAR_START_MONTH = 4
REIWA_FIRST_YEAR = 2019  # 令和元年
# 年末年始の閉庁日: 12/29–12/31 and 1/1–1/3.
YEAR_END_CLOSURE = frozenset({(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)})


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict[date, str]:
    """国民の祝日, 振替休日 and 国民の休日 of a year, with their Japanese names."""
    return dict(holidays.country_holidays("JP", years=year, language="ja").items())


def national_holiday_name(day: date) -> str | None:
    return _national_holidays(day.year).get(day)


def is_national_holiday(day: date) -> bool:
    return day in _national_holidays(day.year)


def is_year_end_closure(day: date) -> bool:
    return (day.month, day.day) in YEAR_END_CLOSURE


def is_working_day(day: date, closed_days: Collection[date] = ()) -> bool:
    """開庁日: not a weekend, a national holiday, 12/29–1/3 or one of the town's extra closed days."""
    return not (
        day.weekday() >= 5 or is_national_holiday(day) or is_year_end_closure(day) or day in closed_days
    )


def closure_reason(day: date, closed_days: Collection[date] = ()) -> str | None:
    """Why a day is not a working day (Japanese label), or None for a working day."""
    if name := national_holiday_name(day):
        return name
    if is_year_end_closure(day):
        return "年末年始"
    if day in closed_days:
        return "閉庁日"
    if day.weekday() >= 5:
        return "土曜日" if day.weekday() == 5 else "日曜日"
    return None


def working_days(start: date, end: date, closed_days: Collection[date] = ()) -> Iterator[date]:
    """Working days from start to end, both included."""
    day = start
    while day <= end:
        if is_working_day(day, closed_days):
            yield day
        day += timedelta(days=1)


def count_working_days(start: date, end: date, closed_days: Collection[date] = ()) -> int:
    return sum(1 for _ in working_days(start, end, closed_days))


def add_business_days(day: date, n: int, closed_days: Collection[date] = ()) -> date:
    """The n-th working day after `day` (n > 0) or before it (n < 0); n = 0 returns `day` itself."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, closed_days):
            remaining -= 1
    return day


def business_days_before(day: date, n: int, closed_days: Collection[date] = ()) -> date:
    """N営業日前: the n-th working day before `day` (the third business day before 2026-05-07 is 04-28)."""
    return add_business_days(day, -n, closed_days)


def business_days_between(earlier: date, later: date, closed_days: Collection[date] = ()) -> int:
    """Working days strictly after `earlier` up to and including `later` (0 when later <= earlier)."""
    if later <= earlier:
        return 0
    return count_working_days(earlier + timedelta(days=1), later, closed_days)


def fiscal_year(day: date) -> int:
    """年度: the calendar year in which the fiscal year starts (2026-03-31 → 2025, 2026-04-01 → 2026)."""
    return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def fiscal_year_start(fy: int) -> date:
    return date(fy, FISCAL_YEAR_START_MONTH, 1)


def fiscal_year_end(fy: int) -> date:
    return date(fy + 1, FISCAL_YEAR_START_MONTH, 1) - timedelta(days=1)


def reiwa_year(year: int) -> int:
    if year < REIWA_FIRST_YEAR:
        raise ValueError(f"{year} is before the Reiwa era")
    return year - REIWA_FIRST_YEAR + 1


def reiwa_fiscal_label(fy: int) -> str:
    """FY2025 → 'R7年度'."""
    return f"R{reiwa_year(fy)}年度"


def reiwa_fiscal_label_ja(fy: int) -> str:
    """FY2025 → '令和7年度' (令和元年度 for FY2019)."""
    number = reiwa_year(fy)
    return f"令和{'元' if number == 1 else number}年度"


def fiscal_months(fy: int) -> list[tuple[int, int]]:
    """The twelve (year, month) pairs of a fiscal year, April first."""
    return [(fy + (month < FISCAL_YEAR_START_MONTH), month) for month in (*range(4, 13), 1, 2, 3)]


@dataclass(frozen=True)
class BusinessCalendar:
    """The calendar with the town's extra closed days bound in, so callers pass dates only."""

    closed_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.closed_days)

    def closure_reason(self, day: date) -> str | None:
        return closure_reason(day, self.closed_days)

    def working_days(self, start: date, end: date) -> Iterator[date]:
        return working_days(start, end, self.closed_days)

    def add_business_days(self, day: date, n: int) -> date:
        return add_business_days(day, n, self.closed_days)

    def business_days_before(self, day: date, n: int) -> date:
        return business_days_before(day, n, self.closed_days)

    def business_days_between(self, earlier: date, later: date) -> int:
        return business_days_between(earlier, later, self.closed_days)
