"""Corrections and monthly timesheets end to end through the approval core's API."""

from datetime import date, datetime, time

import pytest

from approvals.models import Document
from attendance import services
from attendance.models import ClockEvent, CorrectionRequest, DaySummary, MonthClosing, MonthStatus
from attendance.worktime import LOCAL_TZ
from tests.api.schema_codes import assert_codes_documented
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)
MONTH = "2026-06"


def at(hh: int, mm: int = 0, *, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    """Every test here runs at a fixed "now" (tests/attendance/clock.py), never the wall clock."""
    return FrozenClock(NOW)


@pytest.fixture
def somu(department):
    return {
        "staff": EmployeeFactory(username="staff", department=department),
        "director": EmployeeFactory(username="director", department=department, position="director"),
        "other_director": EmployeeFactory(department=DepartmentFactory(), position="director"),
        "hr": EmployeeFactory(username="hr", department=department, roles=["hr"]),
    }


def correction_payload():
    return {
        "date": DAY.isoformat(),
        "events": [
            {"kind": "in", "at": "2026-06-10T08:30:00+09:00", "location": "office"},
            {"kind": "out", "at": "2026-06-10T17:15:00+09:00", "location": "office"},
        ],
        "reason": "打刻を忘れたため",
    }


def request_correction(as_user, staff):
    services.clock_event_record(employee=staff, kind="in", location="office", source="web", at=at(9, 40))
    response = as_user(staff).post("/api/v1/attendance/corrections/", correction_payload(), format="json")
    assert response.status_code == 201
    return response.json()


def test_a_correction_is_a_submitted_document_in_the_directors_inbox(as_user, somu):
    body = request_correction(as_user, somu["staff"])

    assert body["status"] == "submitted"
    document = Document.objects.get(pk=body["document"])
    assert (document.kind, document.status) == ("attendance_correction", "in_review")
    inbox = as_user(somu["director"]).get("/api/v1/approvals/inbox/").json()["results"]
    assert body["document"] in [item["document"]["id"] for item in inbox]
    # nothing changed yet
    assert DaySummary.objects.get(employee=somu["staff"], date=DAY).first_in == at(9, 40)


def test_approved_correction_adds_corrective_events_and_recomputes_the_day(as_user, somu):
    body = request_correction(as_user, somu["staff"])
    wrong_in = ClockEvent.objects.get(employee=somu["staff"])

    response = as_user(somu["director"]).post(
        f"/api/v1/approvals/documents/{body['document']}/approve/", {"comment": "了"}, format="json"
    )

    assert response.status_code == 200
    assert CorrectionRequest.objects.get(pk=body["id"]).status == "approved"
    corrective = ClockEvent.objects.filter(employee=somu["staff"], source="correction").order_by("at")
    assert [(e.kind, e.corrects_id) for e in corrective] == [("in", wrong_in.pk), ("out", None)]
    day = as_user(somu["staff"]).get(f"/api/v1/attendance/days/?from={DAY}&to={DAY}").json()["results"][0]
    assert (day["first_in"], day["last_out"], day["worked_minutes"]) == (
        "2026-06-10T08:30:00+09:00",
        "2026-06-10T17:15:00+09:00",
        465,
    )
    assert ClockEvent.objects.filter(pk=wrong_in.pk).exists()  # never edited or deleted


def test_rejected_correction_changes_nothing(as_user, somu):
    body = request_correction(as_user, somu["staff"])

    response = as_user(somu["director"]).post(
        f"/api/v1/approvals/documents/{body['document']}/reject/",
        {"comment": "確認できません"},
        format="json",
    )

    assert response.status_code == 200
    assert CorrectionRequest.objects.get(pk=body["id"]).status == "rejected"
    assert ClockEvent.objects.filter(employee=somu["staff"]).count() == 1
    assert DaySummary.objects.get(employee=somu["staff"], date=DAY).first_in == at(9, 40)


def test_another_departments_director_cannot_approve_a_correction(as_user, somu):
    body = request_correction(as_user, somu["staff"])

    response = as_user(somu["other_director"]).post(
        f"/api/v1/approvals/documents/{body['document']}/approve/", {}, format="json"
    )

    assert response.status_code == 404
    assert CorrectionRequest.objects.get(pk=body["id"]).status == "submitted"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"events": []}, "events"),
        (
            {"events": [{"kind": "lunch", "at": "2026-06-10T12:00:00+09:00", "location": "office"}]},
            "events[0].kind",
        ),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_correction_is_400_and_creates_nothing(as_user, somu, change, field):
    response = as_user(somu["staff"]).post(
        "/api/v1/attendance/corrections/", {**correction_payload(), **change}, format="json"
    )

    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not CorrectionRequest.objects.exists()
    assert not Document.objects.exists()


def test_a_correction_outside_its_day_is_422_and_creates_nothing(as_user, somu):
    # a business rule (the events lie in the day and not in the future), not the shape of the input
    events = [{"kind": "in", "at": "2026-06-20T08:30:00+09:00", "location": "office"}]

    response = as_user(somu["staff"]).post(
        "/api/v1/attendance/corrections/", {**correction_payload(), "events": events}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (422, "rule_violation")
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("events[0].at", "outside_day")]
    assert not CorrectionRequest.objects.exists()
    assert not Document.objects.exists()


def test_correction_needs_a_login(api_client, somu):
    response = api_client.post("/api/v1/attendance/corrections/", correction_payload(), format="json")

    assert response.status_code == 401
    assert not CorrectionRequest.objects.exists()


def test_timesheet_submit_approve_close_then_the_month_is_frozen(as_user, somu):
    staff, director, hr = somu["staff"], somu["director"], somu["hr"]
    services.clock_event_record(employee=staff, kind="in", location="office", source="web", at=at(8, 30))
    services.clock_event_record(employee=staff, kind="out", location="office", source="web", at=at(17, 15))
    pending = (
        as_user(staff).post("/api/v1/attendance/corrections/", correction_payload(), format="json").json()
    )

    # not while the correction is in review: its decision would change the totals under the signature
    waiting = as_user(staff).post(f"/api/v1/attendance/timesheets/{MONTH}/submit/", format="json")
    assert (waiting.status_code, waiting.json()["code"]) == (422, "pending_requests")
    assert (
        as_user(director)
        .post(f"/api/v1/approvals/documents/{pending['document']}/approve/", {}, format="json")
        .status_code
        == 200
    )

    # the employee submits
    submitted = as_user(staff).post(f"/api/v1/attendance/timesheets/{MONTH}/submit/", format="json")
    assert submitted.status_code == 201
    assert submitted.json()["status"] == "submitted"
    document = submitted.json()["document"]
    assert Document.objects.get(pk=document).kind == "timesheet"
    again = as_user(staff).post(f"/api/v1/attendance/timesheets/{MONTH}/submit/", format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_submitted")

    # HR cannot close before the director approves
    early = as_user(hr).post(
        f"/api/v1/attendance/timesheets/{MONTH}/close/", {"employee": staff.pk}, format="json"
    )
    assert (early.status_code, early.json()["code"]) == (409, "month_not_approved")

    # the director approves, HR closes
    approved = as_user(director).post(f"/api/v1/approvals/documents/{document}/approve/", {}, format="json")
    assert approved.status_code == 200
    assert MonthClosing.objects.get(employee=staff).status == MonthStatus.APPROVED
    closed = as_user(hr).post(
        f"/api/v1/attendance/timesheets/{MONTH}/close/", {"employee": staff.pk}, format="json"
    )
    assert closed.status_code == 200
    sheet = as_user(staff).get(f"/api/v1/attendance/timesheets/{MONTH}/").json()
    assert (sheet["status"], sheet["document"]) == ("closed", document)

    # after closing: a new correction is refused with 409 (a pending one's approval too: test_attendance_months)
    refused = as_user(staff).post("/api/v1/attendance/corrections/", correction_payload(), format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "month_closed")
    for refusal in (waiting, again, early, refused):
        assert_codes_documented(refusal)
    assert CorrectionRequest.objects.filter(employee=staff).count() == 1
    assert CorrectionRequest.objects.get(pk=pending["id"]).status == "approved"


def test_rejected_timesheet_reopens_the_month(as_user, somu):
    submitted = (
        as_user(somu["staff"]).post(f"/api/v1/attendance/timesheets/{MONTH}/submit/", format="json").json()
    )

    as_user(somu["director"]).post(
        f"/api/v1/approvals/documents/{submitted['document']}/reject/", {}, format="json"
    )

    assert MonthClosing.objects.get(employee=somu["staff"]).status == MonthStatus.OPEN
    resubmitted = as_user(somu["staff"]).post(f"/api/v1/attendance/timesheets/{MONTH}/submit/", format="json")
    assert resubmitted.status_code == 201
    assert resubmitted.json()["document"] != submitted["document"]


def test_a_future_month_cannot_be_submitted(as_user, somu):
    response = as_user(somu["staff"]).post("/api/v1/attendance/timesheets/2099-01/submit/", format="json")

    assert (response.status_code, response.json()["code"]) == (422, "future_month")
    assert not MonthClosing.objects.exists()
