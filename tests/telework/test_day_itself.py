"""The day itself: clocking in away from the office against the approved telework days (attendance ↔ telework).

Attendance asks `telework.selectors.approved_telework_location` when it computes a day: a shift started at home,
a satellite office or in the field without an approved telework day is `telework_without_approval` (and the
director hears of it once a day); an approved telework day with overtime is `overtime_on_telework`."""

from datetime import date, time

from approvals import services as approvals
from attendance import services as attendance
from attendance.models import ClockEvent, DaySummary
from notifications.models import Notification
from telework import services
from telework.models import RequestStatus

TUE, WED = date(2026, 11, 17), date(2026, 11, 18)


def apply(employee, dates, location="home"):
    return services.telework_request_create(
        employee=employee, dates=dates, location=location, work_plan="資料作成"
    )


def approve(town, request):
    document = request.document
    for approver in (town.chief, town.director):
        document = approvals.document_approve(document=document, actor=approver)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    return request


def clock_at(clock, employee, kind, day, hour, minute=0, location="home"):
    """Clock at server time, the clock set to that moment."""
    clock.set(day, time(hour, minute))
    return attendance.clock_event_record(employee=employee, kind=kind, location=location, source="web")


def anomalies(employee, day):
    return DaySummary.objects.get(employee=employee, date=day).anomalies


def without_approval_notes():
    return Notification.objects.filter(kind="telework_without_approval")


def test_clocking_in_from_home_on_an_approved_day_is_normal(town, clock):
    staff = town.staff[0]
    approve(town, apply(staff, [TUE]))

    clock_at(clock, staff, "in", TUE, 8, 30)
    clock_at(clock, staff, "out", TUE, 17, 15)

    assert anomalies(staff, TUE) == []
    assert not without_approval_notes().exists()


def test_clocking_in_from_home_with_only_a_submitted_request_is_flagged_and_reported_once(town, clock):
    # given a request that nobody has approved yet
    staff = town.staff[0]
    apply(staff, [TUE])
    # when the employee clocks in from home, steps out and comes back from a satellite office
    clock_at(clock, staff, "in", TUE, 8, 30)
    clock_at(clock, staff, "out", TUE, 10)
    clock_at(clock, staff, "in", TUE, 11, location="satellite")
    # then the events are recorded, the day is flagged and the director heard of it once
    assert ClockEvent.objects.filter(employee=staff, work_date=TUE).count() == 3
    assert anomalies(staff, TUE) == ["telework_without_approval"]
    [note] = without_approval_notes()
    assert note.recipient == town.director
    assert note.data == {"employee": staff.pk, "date": "2026-11-17", "location": "home"}


def test_an_approved_telework_day_with_overtime_is_overtime_on_telework_wherever_it_was_worked(town, clock):
    # given an approved telework day; the employee came to the office after all and stayed late
    staff = town.staff[1]
    approve(town, apply(staff, [TUE]))

    clock_at(clock, staff, "in", TUE, 8, 30, location="office")
    clock_at(clock, staff, "out", TUE, 19, location="office")

    summary = DaySummary.objects.get(employee=staff, date=TUE)
    assert summary.overtime_minutes == 105
    assert summary.anomalies == ["overtime_on_telework"]
    # the same hours at the office on a day that is not a telework day are plain overtime
    clock_at(clock, staff, "in", WED, 8, 30, location="office")
    clock_at(clock, staff, "out", WED, 19, location="office")
    assert anomalies(staff, WED) == []


def test_an_approval_that_comes_during_the_day_clears_the_flag_at_the_next_recomputation(town, clock):
    # given a remote clock-in before the director approved the day (already reported)
    staff = town.staff[2]
    request = apply(staff, [TUE])
    clock_at(clock, staff, "in", TUE, 8, 30)
    assert anomalies(staff, TUE) == ["telework_without_approval"]
    # when the request is approved that morning and the employee clocks out
    clock.set(TUE, time(9, 30))
    approve(town, request)
    clock_at(clock, staff, "out", TUE, 17, 15)
    # then the day is an approved telework day; the report already sent stays the only one
    assert anomalies(staff, TUE) == []
    assert without_approval_notes().count() == 1


def test_a_director_clocking_in_from_home_without_approval_is_flagged_but_not_told_about_themself(
    town, clock
):
    clock_at(clock, town.director, "in", TUE, 8, 30)

    assert anomalies(town.director, TUE) == ["telework_without_approval"]
    assert not without_approval_notes().exists()
