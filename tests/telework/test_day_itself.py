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


def test_overtime_is_overtime_on_telework_only_when_the_day_was_teleworked(town, clock):
    # given two approved telework days: on TUE the employee worked late at home
    staff = town.staff[1]
    approve(town, apply(staff, [TUE, WED]))
    clock_at(clock, staff, "in", TUE, 8, 30)
    clock_at(clock, staff, "out", TUE, 19)
    assert DaySummary.objects.get(employee=staff, date=TUE).overtime_minutes == 105
    assert anomalies(staff, TUE) == ["overtime_on_telework", "overtime_without_order"]

    # when on WED they came to the office after all and stayed just as late
    clock_at(clock, staff, "in", WED, 8, 30, location="office")
    clock_at(clock, staff, "out", WED, 19, location="office")

    # then WED is an office day: plain overtime, not overtime on telework
    summary = DaySummary.objects.get(employee=staff, date=WED)
    assert (summary.overtime_minutes, summary.location, summary.anomalies) == (
        105,
        "office",
        ["overtime_without_order"],
    )


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


def test_an_approved_day_worked_at_the_office_is_an_office_day_everywhere(town, clock):
    from rollout import services as rollout_services
    from rollout.models import AdoptionSnapshot
    from telework import selectors

    # given an approved telework day on which the employee came to the office and stayed late
    staff = town.staff[0]
    approve(town, apply(staff, [TUE]))
    clock_at(clock, staff, "in", TUE, 8, 30, location="office")
    clock_at(clock, staff, "out", TUE, 19, location="office")
    clock.set(WED)

    # then the calendar has them in the office, the day has no telework anomaly, no report is asked for,
    # and the month's adoption does not count the day
    (day,) = selectors.department_calendar(department=town.somu, start=TUE, end=TUE)
    assert staff.pk in [person["id"] for person in day["in_office"]]
    assert day["teleworking"] == []
    assert anomalies(staff, TUE) == [
        "overtime_without_order"
    ]  # no telework anomaly; the overtime was not ordered
    assert services.day_report_reminders_send() == 0
    rollout_services.adoption_snapshot(year=2026, month=11)
    somu = AdoptionSnapshot.objects.get(department=town.somu, month=date(2026, 11, 1))
    assert (somu.teleworkers, somu.telework_days) == (0, 0)


# --- the start/end report (始業・終業報告) ------------------------------------------------------------


def start_end_reports():
    return Notification.objects.filter(kind="telework_start_end_report")


def test_clocking_in_and_out_at_home_on_an_approved_day_reports_to_the_director_in_chat(
    town, clock, settings
):
    settings.CHAT_WEBHOOK_URL = "https://chat.example.jp/hooks/telework"
    services.policy_update(actor=town.secretariat, require_start_end_report=True)
    staff = town.staff[0]
    approve(town, apply(staff, [TUE], location="satellite"))

    clock_at(clock, staff, "in", TUE, 8, 30, location="satellite")
    clock_at(clock, staff, "out", TUE, 17, 15, location="satellite")

    reports = list(start_end_reports().order_by("id"))
    assert [(n.recipient, n.data["kind"], n.data["location"]) for n in reports] == [
        (town.director, "in", "satellite"),
        (town.director, "out", "satellite"),
    ]
    assert reports[0].title == "始業報告: 総務主事1 08:30(サテライトオフィス)"
    assert reports[1].title.startswith("終業報告: 総務主事1 17:15")
    channels = {d.channel for n in reports for d in n.deliveries.all()}
    assert channels == {"in_app", "chat"}  # never by e-mail


def test_no_start_end_report_without_the_policy_flag_at_the_office_in_the_field_or_on_breaks(town, clock):
    staff, field_worker = town.staff[0], town.staff[1]
    approve(town, apply(staff, [TUE]))
    approve(town, apply(field_worker, [TUE], location="mobile"))
    clock_at(clock, staff, "in", TUE, 8, 30)  # the policy does not ask for it yet
    services.policy_update(actor=town.secretariat, require_start_end_report=True)
    clock_at(clock, staff, "break_start", TUE, 12)
    clock_at(clock, staff, "break_end", TUE, 13)
    clock_at(clock, field_worker, "in", TUE, 8, 40, location="mobile")
    clock_at(clock, town.staff[2], "in", TUE, 8, 45, location="office")
    assert not start_end_reports().exists()
    clock_at(clock, staff, "out", TUE, 17, 15)
    assert start_end_reports().count() == 1


def test_clocking_in_at_home_without_an_approved_day_is_no_start_end_report(town, clock):
    services.policy_update(actor=town.secretariat, require_start_end_report=True)
    clock_at(clock, town.staff[0], "in", TUE, 8, 30)
    assert not start_end_reports().exists()
    assert without_approval_notes().count() == 1
