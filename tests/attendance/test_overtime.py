"""The overtime limits as a pure rule: 45 h/360 h, and 100 h/80 h average for exempted departments."""

from datetime import date

from attendance.overtime import months_needed, overtime_breaches

JUNE = date(2026, 6, 1)
H = 60


def levels(breaches):
    return sorted((b.kind, b.period, b.threshold) for b in breaches)


def test_under_eighty_percent_of_45_hours_is_nothing():
    assert overtime_breaches(monthly={JUNE: 35 * H}, month=JUNE, exempt=False) == []


def test_eighty_percent_of_45_hours_warns():
    assert levels(overtime_breaches(monthly={JUNE: 36 * H}, month=JUNE, exempt=False)) == [
        ("monthly_limit", "2026-06", 80)
    ]


def test_exactly_45_hours_is_within_the_limit_and_one_minute_more_crosses_it():
    at_limit = overtime_breaches(monthly={JUNE: 45 * H}, month=JUNE, exempt=False)
    over = overtime_breaches(monthly={JUNE: 45 * H + 1}, month=JUNE, exempt=False)

    assert levels(at_limit) == [("monthly_limit", "2026-06", 80)]
    assert levels(over) == [("monthly_limit", "2026-06", 80), ("monthly_limit", "2026-06", 100)]


def test_the_fiscal_year_counts_from_april():
    monthly = {date(2026, m, 1): 40 * H for m in (4, 5, 6)} | {date(2026, 3, 1): 44 * H}
    # 120 h since April: under 80 % of 360 h; March belongs to the previous fiscal year
    assert all(b.kind != "yearly_limit" for b in overtime_breaches(monthly=monthly, month=JUNE, exempt=False))

    monthly = {date(2025, m, 1): 40 * H for m in range(4, 13)} | {date(2026, 1, 1): 30 * H}
    breaches = overtime_breaches(monthly=monthly, month=date(2026, 1, 1), exempt=False)
    yearly = [(b.period, b.threshold, b.minutes) for b in breaches if b.kind == "yearly_limit"]
    assert yearly == [("FY2025", 80, 390 * H), ("FY2025", 100, 390 * H)]


def test_exempt_department_allows_more_than_45_hours():
    assert overtime_breaches(monthly={JUNE: 60 * H}, month=JUNE, exempt=True) == []


def test_exempt_department_reaches_100_hours_at_100():
    assert levels(overtime_breaches(monthly={JUNE: 100 * H}, month=JUNE, exempt=True)) == [
        ("monthly_limit", "2026-06", 80),
        ("monthly_limit", "2026-06", 100),
    ]  # the average of May (0 h) and June is 50 h: under 80 % of 80 h


def test_exempt_average_over_two_to_six_months():
    # 90 h in May and 80 h in June: the two-month average 85 h crosses 80 h
    monthly = {date(2026, 5, 1): 90 * H, JUNE: 80 * H}

    breaches = [
        b
        for b in overtime_breaches(monthly=monthly, month=JUNE, exempt=True)
        if b.kind == "multi_month_average"
    ]

    assert [(b.threshold, b.minutes) for b in breaches] == [(80, 85 * H), (100, 85 * H)]


def test_exempt_average_looks_across_the_fiscal_year_boundary():
    monthly = {date(2026, m, 1): 70 * H for m in (1, 2, 3, 4, 5, 6)}

    breaches = [
        b
        for b in overtime_breaches(monthly=monthly, month=JUNE, exempt=True)
        if b.kind == "multi_month_average"
    ]

    assert [(b.threshold, b.minutes) for b in breaches] == [(80, 70 * H)]


def test_months_needed_covers_the_fiscal_year_and_six_months():
    assert months_needed(date(2026, 6, 15)) == date(2026, 1, 1)
    assert months_needed(date(2026, 12, 1)) == date(2026, 4, 1)
