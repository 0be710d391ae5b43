"""Overtime orders and day swaps in the day's calculation: the pure comparison of worked and ordered overtime,
the kind a swap gives a day, the day's facts (one query), the monthly summary and the payroll CSV columns."""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest

from approvals.services import document_approve
from attendance import exports, selectors, services
from attendance.worktime import (
    OVERTIME_ON_TELEWORK,
    OVERTIME_WITHOUT_ORDER,
    WEEKLY_REST,
    WORKDAY,
    Event,
    Schedule,
    calendar_day_kind,
    clock_minutes,
    summarize_day,
)
from core import batch
from tests.attendance.clock import NOW
from tests.factories import EmployeeFactory

DAY = date(2026, 6, 10)  # a Wednesday
SATURDAY = date(2026, 6, 13)


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=NOW.tzinfo)


def worked_until(hh: int, mm: int = 0, *, location: str = "office") -> list[Event]:
    return [Event("in", at(8, 30), location), Event("out", at(hh, mm), location)]


# --- the pure comparison -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordered", "until", "flagged"),
    [
        (None, (20, 0), False),  # orders not compared
        (0, (17, 30), False),  # 15 minutes over: within the tolerance
        (0, (17, 31), True),
        (120, (19, 30), False),  # 135 over, 120 ordered
        (120, (19, 31), True),
    ],
)
def test_overtime_beyond_the_order_and_its_tolerance_is_flagged(ordered, until, flagged):
    summary = summarize_day(work_date=DAY, events=worked_until(*until), ordered_overtime_minutes=ordered)

    assert (OVERTIME_WITHOUT_ORDER in summary.anomalies) is flagged
    assert summary.ordered_overtime_minutes == (ordered or 0)


def test_the_tolerance_is_a_parameter():
    events = worked_until(17, 45)  # 30 minutes over

    assert (
        OVERTIME_WITHOUT_ORDER
        in summarize_day(work_date=DAY, events=events, ordered_overtime_minutes=0).anomalies
    )
    assert not summarize_day(
        work_date=DAY, events=events, ordered_overtime_minutes=0, overtime_tolerance_minutes=30
    ).anomalies


def test_overtime_on_a_telework_day_passes_only_with_a_telework_order():
    events = worked_until(18, 0, location="home")

    without = summarize_day(work_date=DAY, events=events, telework_approved=True, ordered_overtime_minutes=60)
    ordered = summarize_day(
        work_date=DAY,
        events=events,
        telework_approved=True,
        ordered_overtime_minutes=60,
        telework_overtime_ordered=True,
    )

    assert without.anomalies == (OVERTIME_ON_TELEWORK,)
    assert ordered.anomalies == ()


def test_a_swap_gives_the_day_its_kind():
    schedule = Schedule()

    assert calendar_day_kind(SATURDAY, schedule=schedule, town_closed=False) == WEEKLY_REST
    assert calendar_day_kind(SATURDAY, schedule=schedule, town_closed=False, swapped=WORKDAY) == WORKDAY
    assert calendar_day_kind(DAY, schedule=schedule, town_closed=False, swapped=WEEKLY_REST) == WEEKLY_REST


def test_an_orders_minutes():
    assert (clock_minutes(time(17, 15), time(19, 15)), clock_minutes(time(18), time(17))) == (120, 0)


# --- the day's facts, the summary and the CSV ----------------------------------------------------------------


@pytest.fixture
def somu(department, settings):
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 60
    return {
        "staff": EmployeeFactory(department=department),
        "director": EmployeeFactory(department=department, position="director"),
    }


def order(somu, *, day: date = DAY, start=time(17, 15), end=time(19, 15), telework=False):
    return services.overtime_order_create(
        actor=somu["director"],
        employee_id=somu["staff"].pk,
        day=day,
        start=start,
        end=end,
        reason="決算",
        telework=telework,
    )


def clock(employee, kind: str, moment: datetime, location: str = "office"):
    return services.clock_event_record(
        employee=employee, kind=kind, location=location, source="web", at=moment
    )


@pytest.mark.django_db
def test_the_days_facts_carry_the_approved_orders_and_swaps_in_one_query(somu, django_assert_num_queries):
    order(somu)
    order(somu, start=time(20), end=time(20, 30), telework=True)
    services.overtime_order_create(
        actor=somu["staff"], employee_id=None, day=DAY, start=time(21), end=time(22), reason="未承認"
    )
    swap = services.day_swap_request(employee=somu["staff"], work_date=SATURDAY, off_date=date(2026, 6, 15))
    document_approve(document=swap.document, actor=somu["director"])

    with django_assert_num_queries(1):
        facts = selectors.day_facts(employee_id=somu["staff"].pk, day=DAY)
    with django_assert_num_queries(1):
        saturday = selectors.day_facts(employee_id=somu["staff"].pk, day=SATURDAY)

    assert (facts.ordered_overtime_minutes, facts.telework_overtime_ordered, facts.swapped) == (
        150,
        True,
        None,
    )
    assert (saturday.ordered_overtime_minutes, saturday.swapped) == (0, WORKDAY)


@pytest.mark.django_db
def test_a_clock_event_costs_no_more_queries_with_orders(somu, django_assert_num_queries):
    order(somu, day=NOW.date())

    # the same round trips as without orders (tests/attendance/test_services.py): orders are a branch of the facts
    with django_assert_num_queries((2 if batch.batches_statements() else 4) + 2):
        clock(somu["staff"], "in", NOW)


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(exports.BOM))))


@pytest.mark.django_db
def test_the_timesheet_and_the_payroll_csv_show_ordered_and_worked_overtime_apart(somu):
    order(somu)  # 120 ordered on the 10th
    order(
        somu, day=DAY + timedelta(days=1), start=time(17, 15), end=time(18, 15)
    )  # 60 on the 11th, not worked
    clock(somu["staff"], "in", at(8, 30))
    clock(somu["staff"], "out", at(20, 0))  # 165 worked over

    sheet = selectors.timesheet(employee=somu["staff"], month=DAY)
    days = _csv(exports.to_csv(exports.day_rows(month=DAY)))
    [summary] = [
        row
        for row in _csv(exports.to_csv(exports.summary_rows(month=DAY)))
        if row["氏名"] == somu["staff"].name
    ]

    assert (sheet.totals["overtime_minutes"], sheet.totals["ordered_overtime_minutes"]) == (165, 180)
    tenth = next(row for row in days if row["氏名"] == somu["staff"].name and row["日付"] == "2026-06-10")
    assert (tenth["時間外勤務(分)"], tenth["命令時間外勤務(分)"]) == ("165", "120")
    assert "overtime_without_order" in tenth["異常コード"]
    assert tenth["異常"].endswith("命令のない時間外勤務")
    assert (summary["時間外勤務(分)"], summary["命令時間外勤務(分)"]) == ("165", "180")
