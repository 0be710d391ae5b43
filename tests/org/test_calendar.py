"""The business calendar: holidays, closures, business-day arithmetic, fiscal years and Reiwa labels."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from org import calendar
from org.calendar import (
    BusinessCalendar,
    add_business_days,
    business_days_before,
    business_days_between,
    closure_reason,
    count_working_days,
    fiscal_months,
    fiscal_year,
    fiscal_year_end,
    fiscal_year_start,
    is_working_day,
    reiwa_fiscal_label,
    reiwa_fiscal_label_ja,
    working_days,
)
from org.models import ClosedDay
from org.selectors import business_calendar

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2060, 12, 31))
steps = st.integers(min_value=0, max_value=60)
closed_sets = st.frozensets(dates, max_size=5)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 5, 6), "振替休日"),  # 憲法記念日 on Sunday 5/3 → substitute on Wednesday 5/6
        (date(2026, 9, 22), "国民の休日"),  # between 敬老の日 9/21 and 秋分の日 9/23
        (date(2026, 12, 30), "年末年始"),
        (date(2027, 1, 2), "年末年始"),
        (date(2027, 1, 3), "年末年始"),
        (date(2026, 12, 29), "年末年始"),
        (date(2027, 1, 1), "元日"),
        (date(2026, 5, 9), "土曜日"),
        (date(2026, 5, 10), "日曜日"),
    ],
)
def test_closed_days_are_not_working_days_and_say_why(day, reason):
    assert is_working_day(day) is False
    assert closure_reason(day) == reason


@pytest.mark.parametrize("day", [date(2026, 5, 7), date(2026, 9, 24), date(2026, 12, 28), date(2027, 1, 4)])
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day) is True
    assert closure_reason(day) is None


def test_third_business_day_before_may_7_skips_golden_week():
    # 4/29 昭和の日, 5/2–5/6 weekend and holidays: 5/1, 4/30, 4/28.
    assert business_days_before(date(2026, 5, 7), 3) == date(2026, 4, 28)
    assert add_business_days(date(2026, 4, 28), 3) == date(2026, 5, 7)


def test_year_end_closure_runs_from_december_29_to_january_3():
    assert list(working_days(date(2026, 12, 28), date(2027, 1, 5))) == [
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 5),
    ]
    assert count_working_days(date(2026, 12, 28), date(2027, 1, 5)) == 3


def test_extra_closed_day_is_honoured_when_passed_in():
    anniversary = date(2026, 6, 10)
    assert is_working_day(anniversary)
    assert not is_working_day(anniversary, {anniversary})
    assert closure_reason(anniversary, {anniversary}) == "閉庁日"
    assert add_business_days(date(2026, 6, 9), 1, {anniversary}) == date(2026, 6, 11)


@pytest.mark.django_db
def test_business_calendar_selector_reads_closed_day_rows():
    given_day = date(2026, 6, 10)
    ClosedDay.objects.create(date=given_day, name="町制施行記念日")

    cal = business_calendar()

    assert cal.closed_days == frozenset({given_day})
    assert cal.is_working_day(given_day) is False
    assert cal.closure_reason(given_day) == "閉庁日"
    assert cal.add_business_days(date(2026, 6, 9), 1) == date(2026, 6, 11)
    assert cal.business_days_before(date(2026, 6, 11), 1) == date(2026, 6, 9)
    assert cal.business_days_between(date(2026, 6, 9), date(2026, 6, 11)) == 1
    assert list(cal.working_days(date(2026, 6, 9), date(2026, 6, 11))) == [
        date(2026, 6, 9),
        date(2026, 6, 11),
    ]


@pytest.mark.django_db
def test_business_calendar_without_rows_has_no_extra_closures():
    assert business_calendar() == BusinessCalendar()


def test_business_days_between_counts_working_days_after_the_first_date():
    assert business_days_between(date(2026, 4, 28), date(2026, 5, 7)) == 3
    assert business_days_between(date(2026, 5, 7), date(2026, 5, 7)) == 0
    assert business_days_between(date(2026, 5, 8), date(2026, 5, 7)) == 0


@pytest.mark.parametrize(
    ("day", "fy", "label", "label_ja"),
    [
        (date(2026, 3, 31), 2025, "R7年度", "令和7年度"),
        (date(2026, 4, 1), 2026, "R8年度", "令和8年度"),
        (date(2019, 5, 1), 2019, "R1年度", "令和元年度"),
    ],
)
def test_fiscal_year_starts_on_april_1_with_reiwa_labels(day, fy, label, label_ja):
    assert fiscal_year(day) == fy
    assert reiwa_fiscal_label(fy) == label
    assert reiwa_fiscal_label_ja(fy) == label_ja


def test_fiscal_year_bounds_and_months():
    assert fiscal_year_start(2026) == date(2026, 4, 1)
    assert fiscal_year_end(2026) == date(2027, 3, 31)
    months = fiscal_months(2026)
    assert months[0] == (2026, 4)
    assert months[8] == (2026, 12)
    assert months[9] == (2027, 1)
    assert months[-1] == (2027, 3)
    assert len(months) == 12


def test_reiwa_year_before_the_era_is_refused():
    with pytest.raises(ValueError, match="before the Reiwa era"):
        calendar.reiwa_year(2018)


@given(day=dates, n=steps, closed=closed_sets)
def test_add_business_days_lands_on_a_working_day(day, n, closed):
    if n == 0:
        assert add_business_days(day, 0, closed) == day
        return
    forward = add_business_days(day, n, closed)
    backward = add_business_days(day, -n, closed)
    assert forward > day
    assert is_working_day(forward, closed)
    assert backward < day
    assert is_working_day(backward, closed)


@given(day=dates, n=steps, closed=closed_sets)
def test_forward_then_back_returns_a_working_day_not_after_the_start(day, n, closed):
    there = add_business_days(day, n, closed)
    back = add_business_days(there, -n, closed)
    if n:
        assert is_working_day(back, closed)
    assert back <= day
    if is_working_day(day, closed):
        assert back == day


@given(day=dates, n=steps, closed=closed_sets)
def test_business_days_between_inverts_add_business_days(day, n, closed):
    assert business_days_between(day, add_business_days(day, n, closed), closed) == n


@given(start=dates, length=st.integers(min_value=0, max_value=40), closed=closed_sets)
def test_working_days_are_exactly_the_working_days_in_the_range(start, length, closed):
    end = start + timedelta(days=length)
    listed = list(working_days(start, end, closed))
    expected = [start + timedelta(days=i) for i in range(length + 1)]
    assert listed == [d for d in expected if is_working_day(d, closed)]
    assert all(closure_reason(d, closed) is None for d in listed)
