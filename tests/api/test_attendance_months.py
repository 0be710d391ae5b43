"""A month HR can trust (issue 12, item 2): a timesheet is submitted only after the month's last working day and
never with a day left open; while it is submitted or approved the month's days do not change
(`timesheet_submitted`); HR reopens an approved or closed month, audited and notified."""

from datetime import date, datetime, time

import pytest

from approvals.audit import document_audit, verify_chain
from approvals.models import Document
from approvals.models_record import AuditEvent
from attendance import services
from attendance.models import ClockEvent, CorrectionRequest, MonthClosing, MonthStatus
from attendance.worktime import LOCAL_TZ
from notifications.models import Notification
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)
MONTH = "2026-06"


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def clock(employee, kind, when):
    return services.clock_event_record(employee=employee, kind=kind, location="office", source="web", at=when)


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def somu(department):
    return {
        "staff": EmployeeFactory(username="staff", department=department),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "hr": EmployeeFactory(username="hr", department=DepartmentFactory(), roles=["hr"]),
        "secretariat": EmployeeFactory(username="sec", department=department, roles=["secretariat"]),
    }


def submit(as_user, employee, month=MONTH):
    return as_user(employee).post(f"/api/v1/attendance/timesheets/{month}/submit/", format="json")


def correction(as_user, employee, day=DAY):
    payload = {
        "date": day.isoformat(),
        "events": [{"kind": "out", "at": at(17, 15, day=day).isoformat(), "location": "office"}],
        "reason": "退勤の打刻を忘れたため",
    }
    return as_user(employee).post("/api/v1/attendance/corrections/", payload, format="json")


def approve(as_user, approver, document):
    return as_user(approver).post(f"/api/v1/approvals/documents/{document}/approve/", {}, format="json")


# --- when a month may be submitted -------------------------------------------------------------------------


def test_the_current_month_cannot_be_submitted_on_its_second_day(as_user, somu, frozen_clock):
    frozen_clock.set(datetime(2026, 7, 2, 9, tzinfo=LOCAL_TZ))

    response = submit(as_user, somu["staff"], "2026-07")

    assert (response.status_code, response.json()["code"]) == (422, "month_not_over")
    assert response.json()["params"] == {"month": "2026-07", "date": "2026-08-01"}
    assert not MonthClosing.objects.exists()
    assert not Document.objects.exists()


@pytest.mark.parametrize(("on_last_day", "expected"), [(False, 422), (True, 201)])
def test_the_last_working_day_itself_only_by_the_setting(
    as_user, somu, frozen_clock, settings, on_last_day, expected
):
    settings.ATTENDANCE_TIMESHEET_ON_LAST_WORKING_DAY = on_last_day
    frozen_clock.set(at(17, 30, day=date(2026, 6, 30)))  # Tuesday 30 June, the month's last working day

    response = submit(as_user, somu["staff"])

    assert response.status_code == expected
    assert MonthClosing.objects.filter(status=MonthStatus.SUBMITTED).exists() == (expected == 201)


def test_a_month_ending_on_a_weekend_is_submitted_from_the_saturday(as_user, somu, frozen_clock):
    frozen_clock.set(datetime(2026, 5, 30, 10, tzinfo=LOCAL_TZ))  # May's last working day is Friday 29

    assert submit(as_user, somu["staff"], "2026-05").status_code == 201


def test_a_month_with_a_day_left_open_is_refused_with_the_days(as_user, somu, frozen_clock):
    # given a forgotten clock-out on 10 June, and a shift of 30 June still computed as open
    clock(somu["staff"], "in", at(8, 30))
    frozen_clock.set(at(8, 30, day=date(2026, 6, 30)))
    clock(somu["staff"], "in", None)
    frozen_clock.set(NOW)
    # when the month is submitted on 1 July
    response = submit(as_user, somu["staff"])
    # then both days are named, and nothing is created
    assert (response.status_code, response.json()["code"]) == (422, "unresolved_days")
    assert response.json()["params"] == {"days": ["2026-06-10", "2026-06-30"]}
    assert not MonthClosing.objects.exists()
    assert not Document.objects.filter(kind="timesheet").exists()


def test_once_corrected_the_month_is_submitted(as_user, somu):
    clock(somu["staff"], "in", at(8, 30))
    fix = correction(as_user, somu["staff"]).json()
    approve(as_user, somu["director"], fix["document"])

    response = submit(as_user, somu["staff"])

    assert response.status_code == 201


# --- a submitted or approved month does not change ------------------------------------------------------


def test_while_submitted_corrections_are_refused(as_user, somu):
    clock(somu["staff"], "in", at(8, 30))
    clock(somu["staff"], "out", at(17))
    submit(as_user, somu["staff"])

    response = correction(as_user, somu["staff"])

    assert (response.status_code, response.json()["code"]) == (409, "timesheet_submitted")
    assert response.json()["params"] == {"month": MONTH, "status": "submitted"}
    assert not CorrectionRequest.objects.exists()


def test_a_correction_pending_in_a_signed_month_cannot_be_approved(as_user, somu):
    """A timesheet is not submitted while a correction of its month is pending (`pending_requests`, below); a
    month signed with one anyway (submitted before that rule) still refuses the correction's 決裁."""
    clock(somu["staff"], "in", at(8, 30))
    clock(somu["staff"], "out", at(17))
    pending = correction(as_user, somu["staff"]).json()
    MonthClosing.objects.create(employee=somu["staff"], month=date(2026, 6, 1), status=MonthStatus.APPROVED)

    late = approve(as_user, somu["director"], pending["document"])

    assert (late.status_code, late.json()["code"]) == (409, "timesheet_submitted")
    assert CorrectionRequest.objects.get(pk=pending["id"]).status == "submitted"
    assert not ClockEvent.objects.filter(source="correction").exists()


def test_a_withdrawn_timesheet_opens_the_month_to_corrections_again(as_user, somu):
    sheet = submit(as_user, somu["staff"]).json()

    as_user(somu["staff"]).post(
        f"/api/v1/approvals/documents/{sheet['document']}/withdraw/", {}, format="json"
    )
    response = correction(as_user, somu["staff"])

    assert response.status_code == 201
    assert MonthClosing.objects.get(employee=somu["staff"]).status == MonthStatus.OPEN


def test_clocking_into_a_submitted_month_is_refused(as_user, somu, frozen_clock):
    # May 2026 is submitted on Saturday 30; a clock-in on Sunday 31 would change the totals being approved
    frozen_clock.set(datetime(2026, 5, 30, 10, tzinfo=LOCAL_TZ))
    submit(as_user, somu["staff"], "2026-05")
    frozen_clock.set(datetime(2026, 5, 31, 9, tzinfo=LOCAL_TZ))

    response = as_user(somu["staff"]).post(
        "/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "timesheet_submitted")
    assert not ClockEvent.objects.exists()


# --- HR reopens a month ---------------------------------------------------------------------------------


def closed_month(as_user, somu):
    clock(somu["staff"], "in", at(8, 30))
    clock(somu["staff"], "out", at(17))
    sheet = submit(as_user, somu["staff"]).json()
    approve(as_user, somu["director"], sheet["document"])
    as_user(somu["hr"]).post(
        f"/api/v1/attendance/timesheets/{MONTH}/close/", {"employee": somu["staff"].pk}, format="json"
    )
    assert MonthClosing.objects.get(employee=somu["staff"]).status == MonthStatus.CLOSED
    return sheet["document"]


def reopen(client, employee, reason="退勤時刻の誤りの申出があったため"):
    return client.post(
        f"/api/v1/attendance/timesheets/{MONTH}/reopen/",
        {"employee": employee.pk, "reason": reason},
        format="json",
    )


def test_hr_reopens_a_closed_month_audited_and_notified(as_user, somu):
    document = closed_month(as_user, somu)

    response = reopen(as_user(somu["hr"]), somu["staff"])

    assert response.status_code == 200
    assert response.json() == {"month": MONTH, "status": "open", "document": document}
    closing = MonthClosing.objects.get(employee=somu["staff"])
    assert (closing.status, closing.closed_by, closing.closed_at) == (MonthStatus.OPEN, None, None)
    # audited in the approvals chain, on the timesheet's document, with the reason
    event = AuditEvent.objects.get(action="timesheet_reopen")
    assert (event.document_id, event.actor, event.comment) == (
        document,
        somu["hr"],
        "退勤時刻の誤りの申出があったため",
    )
    content = event.data.pop("content")  # the document's content hash, as every document event (issue 11)
    assert len(content) == 64
    assert event.data == {"employee": somu["staff"].pk, "month": MONTH, "from": "closed"}
    assert verify_chain().valid
    assert document_audit(document=Document.objects.get(pk=document))[0].valid
    # the employee and the director are told
    notes = Notification.objects.filter(kind="attendance_timesheet_reopened")
    assert {n.recipient for n in notes} == {somu["staff"], somu["director"]}
    # and the month takes corrections again, then a new timesheet
    assert correction(as_user, somu["staff"]).status_code == 201


def test_hr_reopens_an_approved_month(as_user, somu):
    sheet = submit(as_user, somu["staff"]).json()
    approve(as_user, somu["director"], sheet["document"])

    response = reopen(as_user(somu["hr"]), somu["staff"])

    assert (response.status_code, response.json()["status"]) == (200, "open")
    assert AuditEvent.objects.get(action="timesheet_reopen").data["from"] == "approved"


@pytest.mark.parametrize("status", [None, MonthStatus.OPEN, MonthStatus.SUBMITTED])
def test_only_an_approved_or_closed_month_is_reopened(as_user, somu, status):
    if status:
        MonthClosing.objects.create(employee=somu["staff"], month=DAY.replace(day=1), status=status)

    response = reopen(as_user(somu["hr"]), somu["staff"])

    assert (response.status_code, response.json()["code"]) == (409, "month_not_reopenable")
    assert not AuditEvent.objects.filter(action="timesheet_reopen").exists()


@pytest.mark.parametrize("who", ["staff", "director", "secretariat"])
def test_reopening_is_for_hr_only_and_changes_nothing_on_denial(as_user, api_client, somu, who):
    closed_month(as_user, somu)

    assert reopen(api_client, somu["staff"]).status_code == 401
    response = reopen(as_user(somu[who]), somu["staff"])

    assert response.status_code == 403
    assert MonthClosing.objects.get(employee=somu["staff"]).status == MonthStatus.CLOSED
    assert not AuditEvent.objects.filter(action="timesheet_reopen").exists()
    assert not Notification.objects.filter(kind="attendance_timesheet_reopened").exists()


def test_reopening_needs_a_reason(as_user, somu):
    closed_month(as_user, somu)

    response = reopen(as_user(somu["hr"]), somu["staff"], reason="")

    assert response.status_code == 400
    assert MonthClosing.objects.get(employee=somu["staff"]).status == MonthStatus.CLOSED


# --- nothing pending under the totals --------------------------------------------------------------------


def pending_leave(employee, day):
    from leave.models import LeaveType
    from leave.services import leave_request_create

    return leave_request_create(
        employee=employee,
        leave_type=LeaveType.objects.get(code="annual"),
        start_date=day,
        end_date=day,
        unit="day",
    )


def test_a_month_with_requests_still_in_review_is_refused_naming_them(as_user, somu):
    """The totals the approver signs must be final: a correction, a leave, an overtime order or a swap of the
    month still in review would change them after the signature (and its own 決裁 would be refused)."""
    staff = somu["staff"]
    fix = correction(as_user, staff).json()
    leave = pending_leave(staff, date(2026, 6, 30))
    order = services.overtime_order_create(
        actor=staff,
        employee_id=None,
        day=date(2026, 6, 29),
        start=time(17, 15),
        end=time(18, 15),
        reason="決算",
    )
    swap = services.day_swap_request(employee=staff, work_date=date(2026, 6, 27), off_date=date(2026, 7, 3))
    pending_leave(staff, date(2026, 7, 2))  # another month's request does not count

    response = submit(as_user, staff)

    assert (response.status_code, response.json()["code"]) == (422, "pending_requests"), response.json()
    assert response.json()["params"]["requests"] == [
        {"kind": "correction", "id": fix["id"], "date": "2026-06-10"},
        {"kind": "day_swap", "id": swap.pk, "date": "2026-06-27"},
        {"kind": "overtime", "id": order.pk, "date": "2026-06-29"},
        {"kind": "leave", "id": leave.pk, "date": "2026-06-30"},
    ]
    assert "6/10 打刻修正" in response.json()["detail"]
    assert not MonthClosing.objects.exists()
    assert not Document.objects.filter(kind="timesheet").exists()


def test_once_the_pending_request_is_decided_the_month_is_submitted(as_user, somu):
    staff = somu["staff"]
    fix = correction(as_user, staff).json()
    assert submit(as_user, staff).status_code == 422
    approve(as_user, somu["director"], fix["document"])

    assert submit(as_user, staff).status_code == 201


def test_the_refusal_names_the_requests_in_english(as_user, somu):
    correction(as_user, somu["staff"])
    response = as_user(somu["staff"]).post(
        f"/api/v1/attendance/timesheets/{MONTH}/submit/", format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"].startswith(
        "Requests of this month are still in review (6/10 Correction)"
    )
