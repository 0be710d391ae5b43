"""The overtime limits as a pure rule: 45 h/360 h, and 100 h/80 h average for exempted departments."""

from datetime import date

from attendance.overtime import interview_guidance, months_needed, overtime_breaches

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


# --- the 2019 limits of exempted posts, and the 面接指導 notice (issue 12, item 3) -------------------------


def test_exempt_department_has_a_yearly_limit_of_720_hours():
    monthly = {date(2026, m, 1): 80 * H for m in range(4, 13)} | {date(2027, 1, 1): 60 * H}

    yearly = [
        (b.period, b.threshold, b.minutes, b.limit)
        for b in overtime_breaches(monthly=monthly, month=date(2027, 1, 1), exempt=True)
        if b.kind == "yearly_limit"
    ]

    assert yearly == [("FY2026", 80, 780 * H, 720 * H), ("FY2026", 100, 780 * H, 720 * H)]


def test_exempt_department_may_go_over_45_hours_in_at_most_six_months():
    five = {date(2026, m, 1): 50 * H for m in range(4, 9)}  # April–August over 45 h
    seven = five | {date(2026, 9, 1): 50 * H, date(2026, 10, 1): 50 * H}

    def months_over(monthly, month):
        return [
            (b.period, b.threshold, b.count, b.count_limit)
            for b in overtime_breaches(monthly=monthly, month=month, exempt=True)
            if b.kind == "months_over_45h"
        ]

    assert months_over(five, date(2026, 8, 1)) == [("FY2026", 80, 5, 6)]
    assert months_over(seven, date(2026, 10, 1)) == [("FY2026", 80, 7, 6), ("FY2026", 100, 7, 6)]
    # a month under 45 h adds nothing to the count, so nothing is said about it
    assert months_over(seven | {date(2026, 11, 1): 40 * H}, date(2026, 11, 1)) == []


def test_ordinary_posts_have_no_count_of_months():
    monthly = {date(2026, m, 1): 50 * H for m in range(4, 11)}

    kinds = {b.kind for b in overtime_breaches(monthly=monthly, month=date(2026, 10, 1), exempt=False)}

    assert "months_over_45h" not in kinds


def test_a_month_of_100_hours_is_due_a_medical_interview():
    assert interview_guidance(monthly={JUNE: 100 * H - 1}, month=JUNE) is None
    due = interview_guidance(monthly={JUNE: 100 * H}, month=JUNE)
    assert (due.kind, due.period, due.minutes) == ("interview_guidance", "2026-06", 100 * H)
