"""Leave and the calendar it is counted in: a request is charged to one leave year, so one that crosses the year's
end is refused for the types counted per year (split it in two); and leave never changes a month HR has closed
or whose timesheet is submitted: filing, the 決裁 and the cancel of an approved leave are refused there, as a
correction is (`month_closed`, `timesheet_submitted`), until the timesheet is withdrawn or HR reopens it."""

from datetime import date

import pytest

from approvals.models import Document
from attendance.models import MonthClosing, MonthStatus
from leave.models import LeaveRequest
from org.models import Absence
from tests.leave.helpers import apply, approve_all, waiting_approvers

URL = "/api/v1/leave/requests/"


def post(client, **body):
    body.setdefault("type", "annual")
    return client.post(URL, body, format="json")


def month_of(employee, month: date, status: str) -> MonthClosing:
    closing, _created = MonthClosing.objects.update_or_create(
        employee=employee, month=month, defaults={"status": status}
    )
    return closing


def day_of(client, employee, day: str) -> dict:
    response = client.get(f"/api/v1/attendance/days/?from={day}&to={day}&employee={employee.pk}")
    [found] = response.json()["results"]
    return found


# --- one leave year a request ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        # the leave year is the calendar year (LEAVE_YEAR_START 01-01): 28 Dec .. 4 Jan crosses it
        ({"start_date": "2026-12-28", "end_date": "2027-01-04"}, True),
        ({"start_date": "2026-12-28", "end_date": "2026-12-31"}, False),
        ({"start_date": "2027-01-04", "end_date": "2027-01-05"}, False),
        # ending on the new year's holidays: every working day is the old year's (28 Dec only), one request
        ({"start_date": "2026-12-28", "end_date": "2027-01-03"}, False),
        # starting on the old year's holidays with every working day in the new year: charged to the wrong year
        ({"start_date": "2026-12-30", "end_date": "2027-01-05"}, True),
        # 子の看護休暇 is counted per year (5 days): refused across the year's end too
        ({"type": "child_care", "start_date": "2026-12-28", "end_date": "2027-01-04"}, True),
        # 病気休暇 is counted per event, not per year: one illness across the new year is one request
        ({"type": "sick", "start_date": "2026-12-28", "end_date": "2027-01-04"}, False),
    ],
)
def test_a_request_counted_per_year_stays_inside_one_leave_year(as_user, town, body, refused):
    response = post(as_user(town.staff[0]), **body)
    if refused:
        assert response.status_code == 422, response.json()
        [error] = response.json()["errors"]
        assert (error["code"], error["field"]) == ("spans_leave_years", "end_date")
        assert error["params"] == {"year_end": "2026-12-31", "next_year_start": "2027-01-01"}
        assert "2026-12-31" in error["message"]
        assert not LeaveRequest.objects.exists()
    else:
        assert response.status_code == 201, response.json()


def test_each_half_of_a_split_request_is_charged_to_its_own_year(as_user, town):
    client = as_user(town.staff[0])
    # 28 Dec is the year's last working day (29 Dec – 3 Jan: 年末年始), 4 and 5 Jan the next year's first
    assert post(client, start_date="2026-12-28", end_date="2026-12-30").status_code == 201
    assert post(client, start_date="2027-01-04", end_date="2027-01-05").status_code == 201
    years = dict(LeaveRequest.objects.values_list("year", "days"))
    assert years == {2026: 1, 2027: 2}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_refusal_says_where_to_split(as_user, town, language):
    response = as_user(town.staff[0]).post(
        URL,
        {"type": "annual", "start_date": "2026-12-28", "end_date": "2027-01-04"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    message = response.json()["errors"][0]["message"]
    assert ("年" in message) if language == "ja" else ("leave year" in message), message


# --- months HR closed or a timesheet signs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code"),
    [(MonthStatus.CLOSED, "month_closed"), (MonthStatus.SUBMITTED, "timesheet_submitted")],
)
def test_no_leave_is_filed_in_a_month_that_is_closed_or_signed(as_user, town, status, code):
    staff = town.staff[0]
    month_of(staff, date(2026, 11, 1), status)
    response = post(as_user(staff), start_date="2026-11-27", end_date="2026-12-01")
    assert (response.status_code, response.json()["code"]) == (409, code), response.json()
    assert not LeaveRequest.objects.exists()
    assert not Document.objects.filter(kind="leave").exists()
    # the next month is open: leave there is filed
    assert post(as_user(staff), start_date="2026-12-01").status_code == 201


def test_the_decision_of_a_leave_in_a_month_closed_meanwhile_is_refused_until_hr_reopens(as_user, town):
    staff = town.staff[0]
    request = apply(staff, start=date(2026, 11, 27))
    document = request.document
    while waiting_approvers(document)[0] != town.director:
        as_user(waiting_approvers(document)[0]).post(
            f"/api/v1/approvals/documents/{document.pk}/approve/", {}
        )
    closing = month_of(staff, date(2026, 11, 1), MonthStatus.CLOSED)

    answer = as_user(town.director).post(f"/api/v1/approvals/documents/{document.pk}/approve/", {})

    assert (answer.status_code, answer.json()["code"]) == (409, "month_closed"), answer.json()
    request.refresh_from_db()
    document.refresh_from_db()
    assert (request.status, document.status) == ("submitted", "in_review")
    assert not Absence.objects.filter(employee=staff).exists()
    closing.status = MonthStatus.OPEN
    closing.save()
    approved = as_user(town.director).post(f"/api/v1/approvals/documents/{document.pk}/approve/", {})
    assert approved.status_code == 200, approved.json()
    request.refresh_from_db()
    assert request.status == "approved"
    assert day_of(as_user(town.hr), staff, "2026-11-27")["leave"]["type"] == "annual"


def test_an_approved_leave_of_a_closed_month_is_not_cancelled_behind_payrolls_back(as_user, town, clock):
    staff = town.staff[0]
    request = apply(staff, start=date(2026, 11, 27))
    approve_all(request.document)
    clock.set(date(2026, 12, 3))
    closing = month_of(staff, date(2026, 11, 1), MonthStatus.CLOSED)

    refused = as_user(town.hr).post(f"{URL}{request.pk}/cancel/")

    assert (refused.status_code, refused.json()["code"]) == (409, "month_closed")
    request.refresh_from_db()
    assert request.status == "approved"
    assert Absence.objects.filter(employee=staff, start=date(2026, 11, 27)).exists()
    closing.status = MonthStatus.OPEN
    closing.save()
    assert as_user(town.hr).post(f"{URL}{request.pk}/cancel/").json()["status"] == "cancelled"
    assert day_of(as_user(town.hr), staff, "2026-11-27")["leave"] is None


def test_a_pending_request_of_a_closed_month_can_still_be_withdrawn(as_user, town):
    """Withdrawing (or rejecting) a request that was never approved changes no day: it is not refused."""
    staff = town.staff[0]
    request = apply(staff, start=date(2026, 11, 27))
    month_of(staff, date(2026, 11, 1), MonthStatus.CLOSED)
    response = as_user(staff).post(f"{URL}{request.pk}/cancel/")
    assert response.json()["status"] == "cancelled", response.json()
