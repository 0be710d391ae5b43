"""テレワーク規則: each rule at, just below and just above its limit, on a calendar with holidays and 年末年始."""

from dataclasses import replace
from datetime import date

import pytest

from org.calendar import BusinessCalendar
from telework import rules, rules_eligibility
from telework.rules import Applicant, DayStaffing, PolicyValues, RuleContext, check_all

ANNIVERSARY = date(2026, 12, 10)  # 町制記念日: an extra closed day of the town
CALENDAR = BusinessCalendar(closed_days=frozenset({ANNIVERSARY}))
TODAY = date(2026, 11, 16)  # Monday
ELIGIBLE = Applicant(
    employment_type="regular",
    hired_on=date(2020, 4, 1),
    security_training_fy=2026,
    security_pledge_signed=True,
)


def make_ctx(dates, *, location="home", policy=None, phase="formal", **kwargs) -> RuleContext:
    return RuleContext(
        dates=tuple(dates),
        location=location,
        applicant=kwargs.pop("applicant", ELIGIBLE),
        policy=policy or PolicyValues(),
        phase=phase,
        calendar=CALENDAR,
        today=kwargs.pop("today", TODAY),
        **kwargs,
    )


def codes(violations) -> list[str]:
    return [violation.code for violation in violations]


def test_an_unrestricted_policy_accepts_a_working_day():
    # given the most permissive policy, when a working day is checked, then nothing is wrong
    assert check_all(make_ctx([date(2026, 11, 24)])) == []


# --- phase gate -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "location", "expected"),
    [
        ("not_started", "mobile", ["phase_not_open"]),
        ("preparing", "home", ["phase_not_open"]),
        ("trial", "home", []),
        ("partial", "home", ["phase_not_open"]),
        ("partial", "satellite", ["phase_not_open"]),
        ("partial", "mobile", []),
        ("formal", "satellite", []),
    ],
)
def test_phase_gate(phase, location, expected):
    violations = rules.check_phase(make_ctx([date(2026, 11, 24)], phase=phase, location=location))
    assert codes(violations) == expected


def test_partial_phase_violation_names_the_allowed_location():
    (violation,) = rules.check_phase(make_ctx([date(2026, 11, 24)], phase="partial"))
    assert violation.params == {"phase": "partial", "location": "home", "allowed_locations": ["mobile"]}
    assert violation.field == "location"


# --- location ---------------------------------------------------------------------------------------


def test_location_outside_the_policy_is_refused_with_the_allowed_ones():
    policy = PolicyValues(allowed_locations=frozenset({"home", "mobile"}))
    assert rules.check_location(make_ctx([date(2026, 11, 24)], location="home", policy=policy)) == []
    (violation,) = rules.check_location(make_ctx([date(2026, 11, 24)], location="satellite", policy=policy))
    assert violation.code == "location_not_allowed"
    assert violation.params == {"location": "satellite", "allowed_locations": ["home", "mobile"]}


# --- working days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 21), "土曜日"),
        (date(2026, 11, 23), "勤労感謝の日"),
        (date(2026, 12, 29), "年末年始"),
        (date(2027, 1, 3), "年末年始"),
        (ANNIVERSARY, "閉庁日"),
    ],
)
def test_closed_days_are_refused_with_the_reason(day, reason):
    (violation,) = rules.check_working_days(make_ctx([day]))
    assert violation.code == "not_working_day"
    assert violation.params == {"date": day.isoformat(), "reason": reason}


@pytest.mark.parametrize("day", [date(2026, 12, 28), date(2027, 1, 4), date(2026, 11, 24)])
def test_days_around_closures_are_working_days(day):
    assert rules.check_working_days(make_ctx([day])) == []


# --- advance notice (business days) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected_codes"),
    [
        (date(2026, 11, 24), ["advance_notice"]),  # Tuesday after the holiday: 1 business day after Friday
        (date(2026, 11, 25), []),  # 2 business days: at the limit
        (date(2026, 11, 26), []),  # 3: above it
    ],
)
def test_advance_notice_counts_business_days_over_a_weekend_and_holiday(day, expected_codes):
    policy = PolicyValues(advance_notice_business_days=2)
    violations = rules.check_advance_notice(make_ctx([day], policy=policy, today=date(2026, 11, 20)))
    assert codes(violations) == expected_codes


def test_advance_notice_violation_says_by_when():
    policy = PolicyValues(advance_notice_business_days=2)
    (violation,) = rules.check_advance_notice(
        make_ctx([date(2026, 11, 24)], policy=policy, today=date(2026, 11, 20))
    )
    assert violation.params == {"date": "2026-11-24", "required": 2, "notice": 1, "apply_by": "2026-11-19"}


@pytest.mark.parametrize(("required", "expected_codes"), [(1, []), (2, []), (3, ["advance_notice"])])
def test_advance_notice_skips_the_year_end_closure(required, expected_codes):
    # From Friday 12/25 to Monday 1/4 only 12/28 and 1/4 are business days.
    policy = PolicyValues(advance_notice_business_days=required)
    violations = rules.check_advance_notice(
        make_ctx([date(2027, 1, 4)], policy=policy, today=date(2026, 12, 25))
    )
    assert codes(violations) == expected_codes


def test_previous_business_day_notice_refuses_the_same_day():
    policy = PolicyValues(advance_notice_business_days=1)
    assert codes(rules.check_advance_notice(make_ctx([TODAY], policy=policy))) == ["advance_notice"]
    assert rules.check_advance_notice(make_ctx([date(2026, 11, 17)], policy=policy)) == []


# --- days per week and month ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "expected_codes"),
    [
        ([date(2026, 12, 1)], []),  # 1 + 1 existing = 2: at the limit
        ([], []),
        ([date(2026, 12, 1), date(2026, 12, 2)], ["max_days_per_week"]),  # 3: above
    ],
)
def test_days_per_week_counts_existing_requests(requested, expected_codes):
    policy = PolicyValues(max_days_per_week=2)
    ctx = make_ctx(requested, policy=policy, existing_dates=frozenset({date(2026, 12, 4)}))
    assert codes(rules.check_max_days_per_week(ctx)) == expected_codes


def test_days_per_week_below_the_limit():
    policy = PolicyValues(max_days_per_week=2)
    assert rules.check_max_days_per_week(make_ctx([date(2026, 12, 1)], policy=policy)) == []


def test_days_per_week_violation_params():
    policy = PolicyValues(max_days_per_week=2)
    ctx = make_ctx(
        [date(2026, 12, 1), date(2026, 12, 2)], policy=policy, existing_dates=frozenset({date(2026, 12, 4)})
    )
    (violation,) = rules.check_max_days_per_week(ctx)
    assert violation.params == {"limit": 2, "requested": 3, "week": "2026-W49"}
    assert "2026-W49" in violation.message_ja
    assert "per week" in violation.message_en


def test_days_per_week_ignores_other_weeks_and_the_holiday_week_counts_working_days():
    # Week 48 has the 11/23 holiday: 4 working days; a limit of 3 is reached by 11/24–11/26.
    policy = PolicyValues(max_days_per_week=3)
    at_limit = make_ctx([date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)], policy=policy)
    assert rules.check_max_days_per_week(at_limit) == []
    above = replace(at_limit, dates=(*at_limit.dates, date(2026, 11, 27)))
    assert codes(rules.check_max_days_per_week(above)) == ["max_days_per_week"]


@pytest.mark.parametrize(("limit", "expected_codes"), [(5, []), (4, []), (3, ["max_days_per_month"])])
def test_days_per_month(limit, expected_codes):
    # 4 days in December: 2 existing, 2 requested; a November existing day does not count.
    policy = PolicyValues(max_days_per_month=limit)
    ctx = make_ctx(
        [date(2026, 12, 1), date(2026, 12, 8)],
        policy=policy,
        existing_dates=frozenset({date(2026, 12, 15), date(2026, 12, 22), date(2026, 11, 30)}),
    )
    violations = rules.check_max_days_per_month(ctx)
    assert codes(violations) == expected_codes
    if violations:
        assert violations[0].params == {"limit": 3, "requested": 4, "month": "2026-12"}


# --- consecutive working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "expected_codes"),
    [
        ([date(2026, 11, 20), date(2026, 11, 24)], []),  # Fri + Tue (weekend and 11/23 between): 2
        ([date(2026, 11, 20), date(2026, 11, 24), date(2026, 11, 25)], []),  # 3: at the limit
        (
            [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 24), date(2026, 11, 25)],
            ["max_consecutive_days"],
        ),
    ],
)
def test_consecutive_days_across_a_weekend_and_holiday_count_working_days(dates, expected_codes):
    policy = PolicyValues(max_consecutive_days=3)
    assert codes(rules.check_max_consecutive_days(make_ctx(dates, policy=policy))) == expected_codes


def test_consecutive_days_across_the_year_end_closure_and_existing_requests():
    policy = PolicyValues(max_consecutive_days=3)
    ctx = make_ctx(
        [date(2027, 1, 4)],
        policy=policy,
        existing_dates=frozenset({date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 5)}),
    )
    (violation,) = rules.check_max_consecutive_days(ctx)
    assert violation.params == {"limit": 3, "requested": 4, "start": "2026-12-25", "end": "2027-01-05"}


def test_an_office_day_breaks_the_run():
    policy = PolicyValues(max_consecutive_days=2)
    dates = [
        date(2026, 11, 19),
        date(2026, 11, 20),
        date(2026, 11, 25),
        date(2026, 11, 26),
    ]  # 11/24 in office
    assert rules.check_max_consecutive_days(make_ctx(dates, policy=policy)) == []


def test_a_town_closed_day_neither_breaks_nor_counts():
    policy = PolicyValues(max_consecutive_days=2)
    dates = [date(2026, 12, 9), date(2026, 12, 11)]  # 12/10 is the town's anniversary
    assert rules.check_max_consecutive_days(make_ctx(dates, policy=policy)) == []
    longer = [date(2026, 12, 8), *dates]
    assert codes(rules.check_max_consecutive_days(make_ctx(longer, policy=policy))) == [
        "max_consecutive_days"
    ]


# --- blackout dates ---------------------------------------------------------------------------------


def test_blackout_dates_refuse_only_those_days():
    policy = PolicyValues(blackout_dates={date(2026, 12, 1): "議会"})
    violations = rules.check_blackout_dates(make_ctx([date(2026, 11, 30), date(2026, 12, 1)], policy=policy))
    assert [(v.code, v.params) for v in violations] == [
        ("blackout_date", {"date": "2026-12-01", "reason": "議会"})
    ]


# --- counter coverage (窓口) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("teleworking", "absent", "expected_codes"),
    [
        (0, 0, []),  # 6 − 0 − 0 − applicant = 5 stay: above
        (1, 1, []),  # 3 stay: at the minimum
        (2, 1, ["min_office_staff"]),  # 2 stay: below
    ],
)
def test_min_office_staff(teleworking, absent, expected_codes):
    day = date(2026, 12, 1)
    policy = PolicyValues(min_office_staff=3)
    staffing = {day: DayStaffing(headcount=6, teleworking=teleworking, absent=absent)}
    violations = rules.check_min_office_staff(make_ctx([day], policy=policy, staffing=staffing))
    assert codes(violations) == expected_codes
    if violations:
        assert violations[0].params == {"date": "2026-12-01", "minimum": 3, "remaining": 2}


# --- eligibility ------------------------------------------------------------------------------------


def test_employment_type_eligibility():
    policy = PolicyValues(eligible_employment_types=frozenset({"regular"}))
    fixed_term = replace(ELIGIBLE, employment_type="fixed_term")
    assert rules.check_employment_type(make_ctx([date(2026, 12, 1)], policy=policy)) == []
    (violation,) = rules.check_employment_type(
        make_ctx([date(2026, 12, 1)], policy=policy, applicant=fixed_term)
    )
    assert violation.code == "not_eligible_employment_type"
    assert violation.params == {"employment_type": "fixed_term", "eligible": ["regular"]}


@pytest.mark.parametrize(
    ("day", "expected_codes"),
    [
        (date(2026, 10, 14), ["not_eligible_tenure"]),  # 5 full months
        (date(2026, 10, 15), []),  # 6: at the limit
        (date(2026, 10, 16), []),
    ],
)
def test_tenure_on_the_first_requested_day(day, expected_codes):
    policy = PolicyValues(min_months_since_hire=6)
    applicant = replace(ELIGIBLE, hired_on=date(2026, 4, 15))
    violations = rules.check_tenure(
        make_ctx([day], policy=policy, applicant=applicant, today=date(2026, 9, 1))
    )
    assert codes(violations) == expected_codes


def test_months_between_handles_month_ends():
    assert rules_eligibility.months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert rules_eligibility.months_between(date(2026, 1, 31), date(2026, 2, 27)) == 0
    assert rules_eligibility.months_between(date(2026, 4, 1), date(2026, 4, 30)) == 0


def test_unknown_hire_date_is_not_eligible_when_tenure_is_required():
    policy = PolicyValues(min_months_since_hire=1)
    applicant = replace(ELIGIBLE, hired_on=None)
    assert codes(rules.check_tenure(make_ctx([date(2026, 12, 1)], policy=policy, applicant=applicant))) == [
        "not_eligible_tenure"
    ]


@pytest.mark.parametrize(
    ("training_fy", "expected_codes"),
    [(2025, ["security_training_required"]), (2026, []), (None, ["security_training_required"])],
)
def test_security_training_of_this_fiscal_year(training_fy, expected_codes):
    policy = PolicyValues(require_security_training=True)
    applicant = replace(ELIGIBLE, security_training_fy=training_fy)
    violations = rules.check_security_training(
        make_ctx([date(2027, 3, 31)], policy=policy, applicant=applicant)
    )
    assert codes(violations) == expected_codes


def test_security_training_needs_the_new_fiscal_year_from_april():
    policy = PolicyValues(require_security_training=True)
    ctx = make_ctx([date(2027, 3, 31), date(2027, 4, 1)], policy=policy, today=date(2027, 3, 1))
    (violation,) = rules.check_security_training(ctx)
    assert violation.params == {"fiscal_year": 2027, "completed_fiscal_year": 2026}


def test_security_pledge():
    policy = PolicyValues(require_security_pledge=True)
    unsigned = replace(ELIGIBLE, security_pledge_signed=False)
    assert rules.check_security_pledge(make_ctx([date(2026, 12, 1)], policy=policy)) == []
    assert codes(
        rules.check_security_pledge(make_ctx([date(2026, 12, 1)], policy=policy, applicant=unsigned))
    ) == ["security_pledge_required"]
    assert rules.check_security_pledge(make_ctx([date(2026, 12, 1)], applicant=unsigned)) == []


# --- overlap ----------------------------------------------------------------------------------------


def test_overlap_with_an_existing_request():
    ctx = make_ctx([date(2026, 12, 1), date(2026, 12, 2)], existing_dates=frozenset({date(2026, 12, 2)}))
    assert [(v.code, v.params) for v in rules.check_overlap(ctx)] == [
        ("overlapping_request", {"date": "2026-12-02"})
    ]


# --- business continuity (BCP) ----------------------------------------------------------------------


def test_continuity_period_lifts_caps_and_notice_but_not_blackouts_or_the_counter():
    day1, day2, day3 = date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)
    policy = PolicyValues(
        max_days_per_week=1,
        max_days_per_month=1,
        max_consecutive_days=1,
        advance_notice_business_days=3,
        min_office_staff=1,
        blackout_dates={day3: "選挙"},
    )
    staffing = {day: DayStaffing(headcount=1) for day in (day1, day2, day3)}
    ctx = make_ctx([day1, day2, day3], policy=policy, staffing=staffing)
    without = set(codes(check_all(ctx)))
    assert {"max_days_per_week", "max_consecutive_days", "advance_notice", "max_days_per_month"} <= without

    with_bcp = check_all(replace(ctx, continuity_dates=frozenset({day1, day2, day3})))
    assert sorted(set(codes(with_bcp))) == ["blackout_date", "min_office_staff"]


# --- severity and check_all -------------------------------------------------------------------------


def test_policy_marks_rules_soft_except_overlap():
    policy = PolicyValues(
        max_days_per_week=0, severities={"max_days_per_week": "soft", "overlapping_request": "soft"}
    )
    ctx = make_ctx([date(2026, 12, 1)], policy=policy, existing_dates=frozenset({date(2026, 12, 1)}))
    by_code = {v.code: v.severity for v in check_all(ctx)}
    assert by_code == {"max_days_per_week": "soft", "overlapping_request": "hard"}
    assert codes(rules.hard(check_all(ctx))) == ["overlapping_request"]
    assert codes(rules.soft(check_all(ctx))) == ["max_days_per_week"]


def test_three_broken_rules_give_all_three_codes():
    policy = PolicyValues(
        allowed_locations=frozenset({"home"}),
        blackout_dates={date(2026, 12, 1): "議会"},
        require_security_pledge=True,
    )
    applicant = replace(ELIGIBLE, security_pledge_signed=False)
    ctx = make_ctx([date(2026, 12, 1)], location="satellite", policy=policy, applicant=applicant)
    assert codes(check_all(ctx)) == ["location_not_allowed", "blackout_date", "security_pledge_required"]


def test_messages_in_both_languages():
    (violation,) = rules.check_overlap(
        make_ctx([date(2026, 12, 2)], existing_dates=frozenset({date(2026, 12, 2)}))
    )
    assert violation.message("en") == "2026-12-02 is already in another request."
    assert violation.message("ja") == "2026-12-02 は既に申請済みです。"


# --- the rules as the 要綱 means them (issue 13) ---------------------------------------------------


def test_continuity_days_of_other_requests_do_not_count_towards_the_caps():
    # two BCP days approved on Wed and Thu; a normal Friday the same week under a cap of 2 a week
    wed, thu, fri = date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)
    policy = PolicyValues(max_days_per_week=2, max_days_per_month=1, max_consecutive_days=1)
    ctx = make_ctx([fri], policy=policy, existing_dates=frozenset({wed, thu}))
    assert codes(check_all(ctx)) == ["max_days_per_week", "max_days_per_month", "max_consecutive_days"]

    bcp = replace(ctx, continuity_dates=frozenset({wed, thu}))
    assert check_all(bcp) == []


@pytest.mark.parametrize(
    ("applied_on", "day", "required", "expected_codes"),
    [
        (date(2026, 11, 15), date(2026, 11, 16), 1, ["advance_notice"]),  # Sunday for Monday: 0 days
        (date(2026, 11, 14), date(2026, 11, 17), 1, []),  # Saturday for Tuesday: from Monday, 1 day
        (date(2026, 4, 29), date(2026, 5, 7), 3, ["advance_notice"]),  # 昭和の日: from 4/30, 2 days
        (date(2026, 4, 28), date(2026, 5, 7), 3, []),  # 4/30, 5/1, 5/7: 3 days
    ],
)
def test_notice_counts_from_the_first_business_day_on_or_after_the_application(
    applied_on, day, required, expected_codes
):
    policy = PolicyValues(advance_notice_business_days=required)
    ctx = make_ctx([day], policy=policy, today=applied_on)
    assert codes(rules.check_advance_notice(ctx)) == expected_codes


def test_notice_violation_from_a_closed_day_names_the_notice_actually_given():
    policy = PolicyValues(advance_notice_business_days=1)
    (violation,) = rules.check_advance_notice(
        make_ctx([date(2026, 11, 16)], policy=policy, today=date(2026, 11, 15))
    )
    assert violation.params == {"date": "2026-11-16", "required": 1, "notice": 0, "apply_by": "2026-11-13"}


def test_today_is_a_valid_day_when_no_notice_is_asked():
    policy = PolicyValues(advance_notice_business_days=0)
    assert check_all(make_ctx([TODAY], policy=policy)) == []


@pytest.mark.parametrize("notice", [None, 0])
def test_a_past_date_is_refused_whatever_the_notice(notice):
    policy = PolicyValues(advance_notice_business_days=notice)
    violations = check_all(make_ctx([date(2026, 11, 13)], policy=policy))
    assert [(v.code, v.params, v.severity) for v in violations] == [
        (
            "past_date",
            {"date": "2026-11-13", "as_of": "2026-11-16", "after_the_fact_business_days": None},
            "hard",
        )
    ]


def test_a_continuity_period_does_not_admit_past_dates():
    ctx = make_ctx([date(2026, 11, 13)], continuity_dates=frozenset({date(2026, 11, 13)}))
    assert codes(check_all(ctx)) == ["past_date"]


@pytest.mark.parametrize(
    ("day", "expected_codes"),
    [
        (date(2026, 11, 13), []),  # Friday, applied on Monday: 1 business day late, within the limit
        (date(2026, 11, 12), ["past_date"]),  # 2 business days late
    ],
)
def test_after_the_fact_requests_within_the_policy_limit(day, expected_codes):
    policy = PolicyValues(advance_notice_business_days=1, after_the_fact_business_days=1)
    assert codes(check_all(make_ctx([day], policy=policy))) == expected_codes


def test_a_policy_cannot_make_past_date_soft():
    policy = PolicyValues(severities={"past_date": "soft"})
    (violation,) = rules.check_past_date(make_ctx([date(2026, 11, 13)], policy=policy))
    assert violation.is_hard


def test_an_approval_after_the_day_checks_the_day_against_the_approval_date():
    # applied on 11/16 for 11/18 (on time), approved on 11/19: the day has passed
    applied = make_ctx([date(2026, 11, 18)], policy=PolicyValues(advance_notice_business_days=1))
    approval = replace(applied, today=date(2026, 11, 19), applied_on=date(2026, 11, 16))
    assert check_all(applied) == []
    (violation,) = check_all(approval)
    assert (violation.code, violation.params["as_of"]) == ("past_date", "2026-11-19")
    lenient = replace(
        approval, policy=PolicyValues(advance_notice_business_days=1, after_the_fact_business_days=1)
    )
    assert check_all(lenient) == []


def test_a_day_on_leave_is_refused():
    ctx = make_ctx([date(2026, 12, 1), date(2026, 12, 2)], absent_dates=frozenset({date(2026, 12, 2)}))
    assert [(v.code, v.params) for v in check_all(ctx)] == [("on_leave", {"date": "2026-12-02"})]


def test_half_days_only_where_the_policy_allows_them():
    day = date(2026, 12, 1)
    (violation,) = check_all(make_ctx([day], unit="am"))
    assert (violation.code, violation.field, violation.params) == (
        "half_day_not_allowed",
        "unit",
        {"unit": "am"},
    )
    assert check_all(make_ctx([day], unit="pm", policy=PolicyValues(allow_half_days=True))) == []


def test_half_days_weigh_half_a_day_in_every_cap():
    # week 49: a whole day on Tuesday and half days on Wednesday and Thursday already; the cap is 2 a week
    policy = PolicyValues(
        allow_half_days=True, max_days_per_week=2, max_days_per_month=2, max_consecutive_days=2
    )
    existing = frozenset({date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)})
    halves = frozenset({date(2026, 12, 2), date(2026, 12, 3)})
    at_limit = make_ctx([], policy=policy, existing_dates=existing, existing_half_days=halves)
    assert check_all(replace(at_limit, dates=())) == []
    friday_am = replace(at_limit, dates=(date(2026, 12, 4),), unit="am")
    by_code = {v.code: v.params for v in check_all(friday_am)}
    assert by_code == {
        "max_days_per_week": {"limit": 2, "requested": 2.5, "week": "2026-W49"},
        "max_days_per_month": {"limit": 2, "requested": 2.5, "month": "2026-12"},
        "max_consecutive_days": {"limit": 2, "requested": 2.5, "start": "2026-12-01", "end": "2026-12-04"},
    }


def test_the_counter_is_checked_in_each_half_the_applicant_is_away():
    day = date(2026, 12, 1)
    policy = PolicyValues(allow_half_days=True, min_office_staff=3)
    # 5 staff: one teleworks the morning, one the afternoon
    staffing = {day: DayStaffing(headcount=5, teleworking_am=1, teleworking_pm=1)}
    for unit in ("am", "pm", "day"):
        assert check_all(make_ctx([day], policy=policy, staffing=staffing, unit=unit)) == []
    staffing = {day: DayStaffing(headcount=5, teleworking_am=2)}
    assert check_all(make_ctx([day], policy=policy, staffing=staffing, unit="pm")) == []
    (violation,) = check_all(make_ctx([day], policy=policy, staffing=staffing, unit="am"))
    assert violation.params == {"date": "2026-12-01", "minimum": 3, "remaining": 2}


def test_a_tenure_minimum_of_zero_admits_staff_without_a_hire_date():
    applicant = replace(ELIGIBLE, hired_on=None)
    policy = PolicyValues(min_months_since_hire=0)
    assert rules.check_tenure(make_ctx([date(2026, 12, 1)], policy=policy, applicant=applicant)) == []
