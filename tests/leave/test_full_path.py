"""Approved leave is the truth everywhere, through the API: apply → approve → the deputy decides a document
during the leave (代決) → the attendance day shows the leave (a clock-in that day is flagged) → the payroll CSV and
the monthly summary show it; telework refuses the day (`on_leave`) and the department calendar shows who is on
leave without the reason."""

import csv
import io
from datetime import date, datetime, time

import pytest

from approvals import services as approvals_services
from approvals.models import StepApprover
from attendance import services as attendance_services
from core.errors import RuleViolation
from org.models import Absence
from telework import services as telework_services
from tests.leave.helpers import apply, approve_all, waiting_approvers
from tests.telework.town import TOKYO


def read_csv(response) -> list[dict]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:])))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def director_on_leave(as_user, town):
    """The 総務課長 (deputy: the 総務係長) applies for 24–25 November; the 副町長 decides (the 課長's own leave)."""
    town.director.deputy = town.chief
    town.director.save(update_fields=["deputy"])
    response = as_user(town.director).post(
        "/api/v1/leave/requests/",
        {"type": "annual", "start_date": "2026-11-24", "end_date": "2026-11-25", "reason": "家族の用事"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    document_id = response.json()["document"]
    decided = as_user(town.deputy_mayor).post(
        f"/api/v1/approvals/documents/{document_id}/approve/", {}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    return response.json()["id"]


def test_the_full_path(as_user, town, clock, director_on_leave):
    # given the approved leave: its absence lets the deputy decide
    leave = as_user(town.director).get(f"/api/v1/leave/requests/{director_on_leave}/").json()
    assert leave["status"] == "approved"
    assert Absence.objects.filter(
        employee=town.director, start=date(2026, 11, 24), end=date(2026, 11, 25)
    ).exists()
    # and a staff member's general document waiting for the 課長's 決裁
    staff = town.staff[1]
    document = approvals_services.document_create(
        kind="general", drafter=staff, title="備品購入", amount=30_000, retention_years=1
    )
    approvals_services.document_submit(document=document, actor=staff)
    while town.director not in waiting_approvers(document):
        approvals_services.document_approve(document=document, actor=waiting_approvers(document)[0])
    # when, during the leave, the deputy decides it (代決)
    clock.set(date(2026, 11, 24), time(10, 0))
    response = as_user(town.chief).post(
        f"/api/v1/approvals/documents/{document.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 200, response.json()
    row = StepApprover.objects.get(step__document=document, step__kind="final", approver=town.director)
    assert (row.decided_by_id, row.on_behalf_of_id) == (town.chief.pk, town.director.pk)
    # and the 課長 clocks in on the second day of leave anyway
    clock.set(date(2026, 11, 25), time(8, 30))
    attendance_services.clock_event_record(
        employee=town.director,
        kind="in",
        location="office",
        source="web",
        at=datetime(2026, 11, 25, 8, 30, tzinfo=TOKYO),
    )
    # then the days show the leave, and the clock-in on a day of leave is flagged
    clock.set(date(2026, 12, 1))
    days = (
        as_user(town.hr)
        .get(f"/api/v1/attendance/days/?from=2026-11-23&to=2026-11-26&employee={town.director.pk}")
        .json()["results"]
    )
    by_date = {day["date"]: day for day in days}
    assert by_date["2026-11-24"]["leave"] == {"type": "annual", "unit": "day", "hours": 7.75}
    assert by_date["2026-11-24"]["anomalies"] == []
    assert "clock_in_on_leave" in by_date["2026-11-25"]["anomalies"]
    # and the payroll CSV shows the leave instead of `no_record`
    rows = read_csv(as_user(town.hr).get("/api/v1/attendance/export.csv?month=2026-11&department=somu"))
    mine = {row["日付"]: row for row in rows if row["氏名"] == town.director.name}
    assert (mine["2026-11-24"]["休暇"], mine["2026-11-24"]["休暇の単位"], mine["2026-11-24"]["休暇(分)"]) == (
        "年次休暇",
        "1日",
        "465.0",
    )
    assert mine["2026-11-24"]["異常コード"] == ""
    assert mine["2026-11-20"]["異常コード"] == "no_record"
    assert "clock_in_on_leave" in mine["2026-11-25"]["異常コード"]
    summary = read_csv(as_user(town.hr).get("/api/v1/attendance/summary.csv?month=2026-11&department=somu"))
    [director] = [row for row in summary if row["氏名"] == town.director.name]
    assert (director["休暇日数"], director["休暇(分)"]) == ("2", "930.0")


def test_telework_on_a_day_of_leave_fails_and_the_calendar_shows_the_leave(as_user, town, clock):
    staff = town.staff[0]
    approve_all(apply(staff, start=date(2026, 11, 26), reason="通院").document)
    with pytest.raises(RuleViolation) as refused:
        telework_services.telework_request_create(
            employee=staff, dates=[date(2026, 11, 26)], location="home", work_plan="資料作成"
        )
    assert "on_leave" in [error["code"] for error in refused.value.errors]
    calendar = (
        as_user(town.staff[1])
        .get("/api/v1/telework/calendar/?department=somu&from=2026-11-26&to=2026-11-26")
        .json()
    )
    [day] = calendar["days"]
    assert day["on_leave"] == [{"id": staff.pk, "name": staff.name, "unit": "day"}]
    assert staff.pk in [person["id"] for person in day["absent"]]
    assert "通院" not in str(calendar)


def test_leave_counts_as_absent_for_the_counter_minimum(town, clock):
    # 7 in 総務課, a minimum of 4 in the office: with 2 on leave and 1 teleworking, a 2nd teleworker is refused
    for person in town.staff[:2]:
        approve_all(apply(person, start=date(2026, 11, 26)).document)
    day = [date(2026, 11, 26)]
    request = telework_services.telework_request_create(
        employee=town.staff[2], dates=day, location="home", work_plan="資料作成"
    )
    approve_all(request.document)
    with pytest.raises(RuleViolation) as refused:
        telework_services.telework_request_create(
            employee=town.staff[3], dates=day, location="home", work_plan="集計"
        )
    assert "min_office_staff" in [error["code"] for error in refused.value.errors]


def test_a_half_day_of_leave_records_no_absence(town, clock):
    request = apply(town.staff[0], start=date(2026, 11, 26), unit="am")
    approve_all(request.document)
    request.refresh_from_db()
    assert request.status == "approved"
    assert request.absence is None
    assert not Absence.objects.filter(employee=town.staff[0]).exists()
