"""Clocking, PC logs, recomputation and month closing through the services."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from approvals.models import Document
from attendance import services
from attendance.models import (
    MONTH_TRANSITIONS,
    AttendanceAlert,
    ClockEvent,
    DaySummary,
    MonthClosing,
    MonthStatus,
    PcLogEvent,
    ScheduleAssignment,
    WorkSchedule,
)
from attendance.services.days import recompute
from attendance.worktime import LOCAL_TZ
from core import batch
from core.errors import Conflict, PermissionDenied, RuleViolation
from core.querysets import AppendOnlyViolation
from notifications.models import Notification
from org.models import ClosedDay
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)  # a Wednesday


def at(hh: int, mm: int = 0, *, day: date = DAY, days: int = 0) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(hh, mm), tzinfo=LOCAL_TZ)


def clock(employee, kind, when, location="office"):
    return services.clock_event_record(employee=employee, kind=kind, location=location, source="web", at=when)


MONTH = DAY.replace(day=1)


def approved_month(employee, month=MONTH):
    # the timesheet approval path belongs to the approval core; a month is put in `approved` directly here
    return MonthClosing.objects.create(employee=employee, month=month, status=MonthStatus.APPROVED)


def test_a_full_day_is_recorded_and_summarised(employee):
    # when
    clock(employee, "in", at(8, 30))
    clock(employee, "break_start", at(12))
    clock(employee, "break_end", at(13))
    clock(employee, "out", at(19, 15))
    # then
    summary = DaySummary.objects.get(employee=employee, date=DAY)
    assert (summary.worked_minutes, summary.break_minutes, summary.overtime_minutes) == (585, 60, 120)
    assert summary.late_night_minutes == 0
    assert summary.location == "office"
    assert summary.open_shift is False
    assert ClockEvent.objects.filter(employee=employee, work_date=DAY).count() == 4


@pytest.mark.parametrize(
    ("history", "kind", "code"),
    [
        ([], "out", "not_clocked_in"),
        ([], "break_start", "not_clocked_in"),
        ([], "break_end", "not_clocked_in"),
        (["in"], "in", "already_clocked_in"),
        (["in"], "break_end", "break_not_started"),
        (["in", "break_start"], "break_start", "break_already_started"),
        (["in", "break_start"], "out", "on_break"),
        (["in", "break_start"], "in", "already_clocked_in"),
        (["in", "out"], "out", "not_clocked_in"),
    ],
)
def test_out_of_order_events_are_refused_with_a_stable_code(employee, history, kind, code):
    # given
    for minute, previous in enumerate(history):
        clock(employee, previous, at(9, minute))
    before = ClockEvent.objects.count()
    # when
    with pytest.raises(Conflict) as refused:
        clock(employee, kind, at(10))
    # then
    assert refused.value.code == code
    assert ClockEvent.objects.count() == before


def test_a_shift_past_midnight_belongs_to_the_day_it_started(employee):
    clock(employee, "in", at(8, 30))
    event = clock(employee, "out", at(1, 30, days=1))

    assert event.work_date == DAY
    summary = DaySummary.objects.get(employee=employee, date=DAY)
    assert summary.late_night_minutes == 210
    assert not DaySummary.objects.filter(employee=employee, date=DAY + timedelta(days=1)).exists()


def test_a_forgotten_clock_out_does_not_block_the_next_day(employee):
    clock(employee, "in", at(8, 30))

    event = clock(employee, "in", at(8, 25, days=1))

    assert event.work_date == DAY + timedelta(days=1)


def test_events_are_append_only(employee):
    event = clock(employee, "in", at(8, 30))

    event.kind = "out"
    with pytest.raises(AppendOnlyViolation):
        event.save()
    with pytest.raises(AppendOnlyViolation):
        event.delete()
    with pytest.raises(AppendOnlyViolation):
        ClockEvent.objects.filter(pk=event.pk).update(kind="out")
    with pytest.raises(AppendOnlyViolation):
        ClockEvent.objects.filter(pk=event.pk).delete()
    assert ClockEvent.objects.get(pk=event.pk).kind == "in"


def test_an_assigned_schedule_is_used_for_its_period(employee):
    short = WorkSchedule.objects.create(
        name="短時間勤務", start=time(9), end=time(15), break_start=time(12), break_end=time(13)
    )
    ScheduleAssignment.objects.create(employee=employee, schedule=short, start=DAY, end=DAY)

    clock(employee, "in", at(9))
    clock(employee, "out", at(16))
    clock(employee, "in", at(9, days=1))
    clock(employee, "out", at(16, days=1))

    first, second = DaySummary.objects.filter(employee=employee).order_by("date")
    assert (first.scheduled_minutes, first.overtime_minutes) == (300, 60)
    assert (second.scheduled_minutes, second.overtime_minutes) == (465, 0)


def test_holiday_work_follows_the_business_calendar(employee):
    # a Saturday is a 週休日: its work is overtime; a national holiday (昭和の日) is a 休日: holiday work
    saturday, showa_no_hi = date(2026, 6, 13), date(2026, 4, 29)
    for day in (showa_no_hi, saturday):
        clock(employee, "in", at(9, day=day))
        clock(employee, "out", at(12, day=day))

    rest_day = DaySummary.objects.get(employee=employee, date=saturday)
    holiday = DaySummary.objects.get(employee=employee, date=showa_no_hi)
    assert (rest_day.is_holiday, rest_day.day_kind) == (True, "weekly_rest")
    assert (rest_day.holiday_work_minutes, rest_day.overtime_minutes) == (0, 180)
    assert (holiday.is_holiday, holiday.day_kind) == (True, "holiday")
    assert (holiday.holiday_work_minutes, holiday.overtime_minutes) == (180, 0)


def test_a_town_closed_day_is_a_holiday(employee):
    ClosedDay.objects.create(date=DAY, name="開町記念日")

    clock(employee, "in", at(9))
    clock(employee, "out", at(12))

    summary = DaySummary.objects.get(employee=employee, date=DAY)
    assert (summary.is_holiday, summary.holiday_work_minutes, summary.scheduled_minutes) == (True, 180, 0)


def test_the_rest_interval_counts_from_the_last_effective_clock_out_of_an_earlier_day(employee):
    # given a late evening, its clock-out corrected to an earlier time
    clock(employee, "in", at(13, days=-1))
    clock(employee, "out", at(23, 30, days=-1))
    services.corrective_events_add(
        employee=employee,
        day=DAY - timedelta(days=1),
        events=[{"kind": "out", "at": at(21, days=-1), "location": "office"}],
    )
    # when the next day starts 10 hours after the recorded clock-out but 11.5 after the corrected one
    clock(employee, "in", at(8, 30))
    clock(employee, "out", at(17, 15))
    # then the rest interval is long enough
    assert DaySummary.objects.get(employee=employee, date=DAY).anomalies == []
    # and a day started too soon after the last clock-out is flagged
    clock(employee, "in", at(3, days=1))
    clock(employee, "out", at(9, days=1))
    assert DaySummary.objects.get(employee=employee, date=DAY + timedelta(days=1)).anomalies == [
        "rest_interval_short"
    ]


def test_a_night_shift_keeps_the_month_it_started_in(employee):
    # given a night shift from 31 May, then May closed and June too
    may_31 = date(2026, 5, 31)
    clock(employee, "in", at(22, day=may_31))
    MonthClosing.objects.create(employee=employee, month=date(2026, 6, 1), status=MonthStatus.CLOSED)
    # when the clock-out comes on 1 June: it joins 31 May, whose month is still open
    event = clock(employee, "out", at(6, day=may_31, days=1))
    # then
    assert event.work_date == may_31
    assert DaySummary.objects.get(employee=employee, date=may_31).worked_minutes == 480


def test_an_open_shift_in_a_closed_month_refuses_its_clock_out(employee):
    may_31 = date(2026, 5, 31)
    clock(employee, "in", at(22, day=may_31))
    MonthClosing.objects.create(employee=employee, month=date(2026, 5, 1), status=MonthStatus.CLOSED)

    with pytest.raises(Conflict) as refused:
        clock(employee, "out", at(6, day=may_31, days=1))

    assert (refused.value.code, refused.value.params) == ("month_closed", {"month": "2026-05"})
    assert ClockEvent.objects.filter(employee=employee).count() == 1


def test_pc_log_by_an_integration_account_marks_a_log_gap(employee):
    # given an integration account holding the permission
    integration = EmployeeFactory(username="pc-log-bridge", department=None)
    integration.user_permissions.add(Permission.objects.get(codename="add_pclogevent"))
    integration = type(integration).objects.get(pk=integration.pk)
    clock(employee, "in", at(8, 30))
    clock(employee, "out", at(17, 15))
    # when the PC was switched off two hours after the clock-out
    log = services.pc_log_record(
        actor=integration, employee=employee, kind="logoff", at=at(19, 15), system="AD"
    )
    # then
    assert log.work_date == DAY
    assert DaySummary.objects.get(employee=employee, date=DAY).anomalies == ["log_gap"]


def test_a_pc_log_after_midnight_belongs_to_the_day_before(employee):
    admin = EmployeeFactory(roles=["admin"])

    log = services.pc_log_record(
        actor=admin, employee=employee, kind="logoff", at=at(1, days=1), system="VDI"
    )

    assert log.work_date == DAY


def test_pc_log_refused_to_an_ordinary_account(employee):
    with pytest.raises(PermissionDenied):
        services.pc_log_record(actor=employee, employee=employee, kind="logon", at=at(8), system="AD")
    assert PcLogEvent.objects.count() == 0


def test_pc_log_in_the_future_is_refused(employee, frozen_clock):
    admin = EmployeeFactory(roles=["admin"])

    with pytest.raises(RuleViolation):
        services.pc_log_record(
            actor=admin,
            employee=employee,
            kind="logon",
            at=frozen_clock.now + timedelta(hours=1),
            system="AD",
        )
    assert PcLogEvent.objects.count() == 0


def test_month_close_needs_an_approved_month(employee):
    hr = EmployeeFactory(roles=["hr"])

    with pytest.raises(Conflict) as refused:
        services.month_close(actor=hr, month=DAY, employee=employee)

    assert refused.value.code == "month_not_approved"
    assert not MonthClosing.objects.exists()


def test_month_close_by_hr_then_the_month_refuses_changes(employee):
    # given
    hr = EmployeeFactory(roles=["hr"])
    clock(employee, "in", at(8, 30))
    clock(employee, "out", at(17, 15))
    approved_month(employee)
    # when
    [closing] = services.month_close(actor=hr, month=DAY, employee=employee)
    # then
    assert (closing.status, closing.closed_by) == (MonthStatus.CLOSED, hr)
    with pytest.raises(Conflict) as clock_refused:
        clock(employee, "in", at(8, 30, days=1))
    with pytest.raises(Conflict) as recompute_refused:
        services.day_recompute(employee=employee, day=DAY)
    with pytest.raises(Conflict) as again:
        services.month_close(actor=hr, month=DAY, employee=employee)
    assert clock_refused.value.code == recompute_refused.value.code == again.value.code == "month_closed"
    assert ClockEvent.objects.filter(employee=employee).count() == 2


@pytest.mark.parametrize("by", ["employee", "department"])
def test_month_close_follows_the_transitions_table(employee, monkeypatch, by):
    # given an approved month, and a table in which an approved month may no longer be closed
    hr = EmployeeFactory(roles=["hr"])
    approved_month(employee)
    monkeypatch.setitem(MONTH_TRANSITIONS, MonthStatus.APPROVED, set())
    # when HR closes it, for the employee or for the department
    if by == "employee":
        with pytest.raises(Conflict) as refused:
            services.month_close(actor=hr, month=DAY, employee=employee)
        assert refused.value.code == "month_not_approved"
    else:
        assert services.month_close(actor=hr, month=DAY, department=employee.department) == []
    # then the month stays approved
    assert MonthClosing.objects.get(employee=employee).status == MonthStatus.APPROVED


def test_timesheet_submit_follows_the_transitions_table(employee, monkeypatch):
    # given an open month that the table no longer lets be submitted
    monkeypatch.setitem(MONTH_TRANSITIONS, MonthStatus.OPEN, set())
    # when the employee submits it
    with pytest.raises(Conflict) as refused:
        services.timesheet_submit(employee=employee, month=DAY)
    # then it is refused and nothing is recorded (the month is still open, no document)
    assert refused.value.code == "already_submitted"
    assert not MonthClosing.objects.exists()
    assert not Document.objects.exists()


def test_month_close_by_department_closes_only_approved_months(department):
    hr = EmployeeFactory(roles=["hr"])
    approved, submitted = EmployeeFactory(department=department), EmployeeFactory(department=department)
    other = EmployeeFactory(department=DepartmentFactory())
    approved_month(approved)
    approved_month(other)
    MonthClosing.objects.create(employee=submitted, month=DAY.replace(day=1), status=MonthStatus.SUBMITTED)

    closed = services.month_close(actor=hr, month=DAY, department=department)

    assert [closing.employee for closing in closed] == [approved]
    assert dict(MonthClosing.objects.values_list("employee_id", "status")) == {
        approved.pk: MonthStatus.CLOSED,
        submitted.pk: MonthStatus.SUBMITTED,
        other.pk: MonthStatus.APPROVED,
    }


def test_month_close_refused_to_non_hr(employee):
    manager = EmployeeFactory(position="director", department=employee.department)
    approved_month(employee)

    with pytest.raises(PermissionDenied):
        services.month_close(actor=manager, month=DAY, employee=employee)
    assert MonthClosing.objects.get(employee=employee).status == MonthStatus.APPROVED


def test_corrective_events_replace_what_they_stand_for(employee):
    # given a clock-in that was late by mistake and no clock-out
    wrong_in = clock(employee, "in", at(9, 45))
    # when
    added = services.corrective_events_add(
        employee=employee,
        day=DAY,
        events=[
            {"kind": "in", "at": at(8, 30), "location": "office"},
            {"kind": "out", "at": at(17, 15), "location": "office"},
        ],
    )
    # then
    assert [(e.kind, e.corrects) for e in added] == [("in", wrong_in), ("out", None)]
    summary = DaySummary.objects.get(employee=employee, date=DAY)
    assert (summary.first_in, summary.worked_minutes) == (at(8, 30), 465)
    assert ClockEvent.objects.filter(employee=employee).count() == 3  # nothing edited or deleted


# --- the day itself: clocking in away from the office (telework) ------------------------------------------


def test_a_remote_clock_in_without_approval_is_recorded_flagged_and_reported_once(department):
    # given a director and an employee with no approved telework day
    staff = EmployeeFactory(department=department)
    director = EmployeeFactory(department=department, position="director")
    # when the employee clocks in from home, out, and in again from a satellite office the same day
    event = clock(staff, "in", at(8, 30), location="home")
    clock(staff, "out", at(12), location="home")
    clock(staff, "in", at(13), location="satellite")
    clock(staff, "out", at(15), location="satellite")
    services.day_recompute(employee=staff, day=DAY)
    # then every event is recorded, the day is flagged and the director heard of it once
    assert (event.kind, event.location, event.work_date) == ("in", "home", DAY)
    assert ClockEvent.objects.filter(employee=staff).count() == 4
    summary = DaySummary.objects.get(employee=staff, date=DAY)
    assert (summary.location, summary.anomalies) == ("mixed", ["telework_without_approval"])
    [note] = Notification.objects.filter(kind="telework_without_approval")
    assert note.recipient == director
    assert note.data == {"employee": staff.pk, "date": "2026-06-10", "location": "home"}
    assert list(AttendanceAlert.objects.values_list("employee", "kind", "period")) == [
        (staff.pk, "telework_without_approval", "2026-06-10")
    ]


def test_each_day_of_telework_without_approval_is_reported(department):
    staff = EmployeeFactory(department=department)
    EmployeeFactory(department=department, position="director")

    clock(staff, "in", at(8, 30), location="mobile")
    clock(staff, "out", at(17, 15), location="mobile")
    clock(staff, "in", at(8, 30, days=1), location="mobile")

    notes = Notification.objects.filter(kind="telework_without_approval")
    assert sorted(note.data["date"] for note in notes) == ["2026-06-10", "2026-06-11"]


def test_an_office_day_is_neither_flagged_nor_reported(employee):
    EmployeeFactory(department=employee.department, position="director")

    clock(employee, "in", at(8, 30))
    clock(employee, "out", at(17, 15), location="home")  # left for home and clocked out there

    assert DaySummary.objects.get(employee=employee, date=DAY).anomalies == []
    assert not Notification.objects.filter(kind="telework_without_approval").exists()
    assert not AttendanceAlert.objects.exists()


@pytest.mark.parametrize(("kind", "history"), [("in", []), ("break_start", ["in"]), ("out", ["in"])])
def test_a_clock_event_costs_two_round_trips(employee, django_assert_num_queries, kind, history):
    # given (the test's transaction makes the service's atomic block a savepoint: two more statements)
    for minute, previous in enumerate(history):
        clock(employee, previous, at(8, minute))
    # when / then: the lock, the state and the day's facts in one round trip; the insert and the day's snapshot
    # in another (core/batch.py); SQLite, with no round trip to save, runs the four reads and writes one by one
    with django_assert_num_queries((2 if batch.batches_statements() else 4) + 2):
        clock(employee, kind, at(9))
    # and the day is what a recomputation from scratch makes of it
    stored = DaySummary.objects.values().get(employee=employee, date=DAY)
    with transaction.atomic():
        recompute(employee=employee, day=DAY)
    fresh = DaySummary.objects.values().get(employee=employee, date=DAY)
    assert {**stored, "computed_at": None} == {**fresh, "computed_at": None}


def test_the_telework_day_is_asked_for_only_on_a_day_with_an_event_away_from_the_office(employee):
    def telework_reads(kind, when, location):
        with CaptureQueriesContext(connection) as captured:
            clock(employee, kind, when, location=location)
        return sum("telework_teleworkday" in query["sql"] for query in captured.captured_queries)

    assert telework_reads("in", at(8, 30), "office") == 0
    assert telework_reads("break_start", at(12), "office") == 0
    assert telework_reads("break_end", at(13), "home") >= 1  # the day is now partly away: asked from here on
    assert telework_reads("out", at(17, 15), "office") >= 1
    assert "telework_without_approval" not in DaySummary.objects.get(employee=employee, date=DAY).anomalies
    assert telework_reads("in", at(8, 30, days=1), "home") >= 1
    assert (
        "telework_without_approval"
        in DaySummary.objects.get(employee=employee, date=DAY + timedelta(days=1)).anomalies
    )


def _race(target, n):
    results, barrier = [], threading.Barrier(n)

    def run():
        barrier.wait()
        try:
            results.append(target())
        except Conflict as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_racing_clock_ins_record_one_event():
    employee = EmployeeFactory()

    results = _race(lambda: clock(employee, "in", None), 4)

    assert sorted(r for r in results if isinstance(r, str)) == ["already_clocked_in"] * 3
    assert ClockEvent.objects.filter(employee=employee).count() == 1
