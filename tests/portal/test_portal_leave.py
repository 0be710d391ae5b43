"""Leave `/leave/`: the annual balance in days and hours, the application through the API's service (a violation
next to its field with what was typed kept, nothing created), my requests with their documents and cancel (the
balance restored; someone else's request is a 404 and stays), a query count that does not grow with the requests,
English."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from approvals.models import Document
from leave import selectors, services
from leave.models import LeaveRequest, RequestStatus
from tests.leave.helpers import apply
from tests.telework.town import MONDAY

pytestmark = pytest.mark.django_db
TUESDAY = MONDAY + timedelta(days=8)  # 2026-11-24, a working day after the holiday


@pytest.fixture(autouse=True)
def granted(town):
    """This year's annual leave granted to the staff who apply."""
    for employee in town.staff[:2]:
        services.annual_grant_ensure(employee=employee, year=selectors.year_of(MONDAY))


def remaining_minutes(employee) -> float:
    return selectors.balance(employee=employee)["remaining"]["minutes"]


def time_(hour: int) -> time:
    return time(hour, 0)


def test_the_page_shows_the_balance_in_days_and_hours(town, page_client):
    staff = town.staff[0]
    apply(staff, start=TUESDAY, unit="hours", start_time=time_(13), end_time=time_(15))
    balance = selectors.balance(employee=staff)
    html = page_client(staff).get("/leave/").content.decode()
    remaining, used = balance["remaining"], balance["used"]
    assert balance["granted"]["days"] > 0
    assert used["hours"] == 2.0
    assert used["days"] == 0
    assert f'<dd class="balance-remaining">{remaining["days"]}日 {remaining["hours"]:g}時間</dd>' in html
    assert '<dd class="balance-used">0日 2時間</dd>' in html
    assert f'<dd class="balance-granted">{balance["granted"]["days"]}日' in html
    assert 'name="type"' in html
    assert 'value="annual"' in html


def test_apply_creates_the_request_and_its_document(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(
        "/leave/apply/",
        {
            "type": "annual",
            "start_date": "2026-11-24",
            "end_date": "2026-11-25",
            "unit": "day",
            "reason": "私用",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/leave/"
    request = LeaveRequest.objects.get(employee=staff)
    assert (request.status, request.days, request.start_date, request.end_date, request.reason) == (
        RequestStatus.SUBMITTED,
        Decimal(2),
        date(2026, 11, 24),
        date(2026, 11, 25),
        "私用",
    )
    document = Document.objects.get(pk=request.document_id)
    assert (document.kind, document.status) == ("leave", "in_review")
    html = page_client(staff).get("/leave/").content.decode()
    assert "休暇を申請しました" not in html  # the message was shown once, after the redirect
    item = html.split(f'id="leave-{request.pk}"')[1].split("</li>")[0]
    assert "申請中" in item
    assert "2日" in item
    assert f'href="/approvals/documents/{document.pk}/"' in item


def test_apply_shows_the_success_message_and_the_hours(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(
        "/leave/apply/",
        {
            "type": "annual",
            "start_date": "2026-11-24",
            "unit": "hours",
            "start_time": "13:00",
            "end_time": "15:00",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "休暇を申請しました" in html
    request = LeaveRequest.objects.get(employee=staff)
    assert (request.unit, request.end_date, request.minutes) == ("hours", date(2026, 11, 24), Decimal(120))
    assert "13:00〜15:00(2時間)" in html.split(f'id="leave-{request.pk}"')[1]


def test_a_non_working_day_is_refused_next_to_the_field_with_the_input_kept(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(
        "/leave/apply/", {"type": "annual", "start_date": "2026-11-28", "unit": "day", "reason": "土曜日"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    field = html.split('for="id_start_date"')[1].split('<div class="field')[0]
    assert 'class="field-errors"' in field
    assert "勤務日がありません" in field
    assert 'value="2026-11-28"' in field
    assert "土曜日</textarea>" in html
    assert not LeaveRequest.objects.exists()
    assert not Document.objects.filter(kind="leave").exists()


def test_insufficient_balance_is_refused_with_every_violation_and_nothing_created(town, page_client):
    staff = town.staff[0]
    before = remaining_minutes(staff)
    assert before > 0
    response = page_client(staff).post(
        "/leave/apply/",
        {"type": "annual", "start_date": "2026-11-24", "end_date": "2026-12-22", "unit": "day"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    field = html.split('for="id_type"')[1].split('<div class="field')[0]
    assert "年次休暇の残りが足りません" in field
    assert 'value="2026-12-22"' in html
    assert not LeaveRequest.objects.exists()
    assert remaining_minutes(staff) == before


def test_a_bad_shape_is_shown_next_to_its_field(town, page_client):
    response = page_client(town.staff[0]).post(
        "/leave/apply/",
        {"type": "annual", "start_date": "2026-11-24", "unit": "hours", "start_time": "09:00"},
    )
    assert response.status_code == 400
    field = response.content.decode().split('for="id_end_time"')[1].split('<div class="field')[0]
    assert "開始・終了時刻が必須です" in field
    assert not LeaveRequest.objects.exists()


def test_cancel_restores_the_balance(town, page_client):
    staff = town.staff[0]
    before = remaining_minutes(staff)
    request = apply(staff, start=TUESDAY)
    assert remaining_minutes(staff) < before
    response = page_client(staff).post(f"/leave/requests/{request.pk}/cancel/", follow=True)
    assert "休暇の申請を取り消しました" in response.content.decode()
    request.refresh_from_db()
    request.document.refresh_from_db()
    assert (request.status, request.document.status) == (RequestStatus.CANCELLED, "withdrawn")
    assert remaining_minutes(staff) == before


def test_someone_elses_request_cannot_be_cancelled(town, page_client):
    owner, other = town.staff[0], town.staff[1]
    request = apply(owner, start=TUESDAY)
    response = page_client(other).post(f"/leave/requests/{request.pk}/cancel/")
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert page_client(other).post("/leave/requests/999999/cancel/").status_code == 404


def test_the_page_costs_the_same_queries_with_2_or_20_requests(
    town, page_client, django_assert_max_num_queries
):
    staff = town.staff[0]
    first = TUESDAY
    days = [first + timedelta(days=offset) for offset in range(40)]
    working = [day for day in days if day.weekday() < 5 and day != date(2026, 11, 23)]
    for day in working[:2]:
        apply(staff, start=day, unit="hours", start_time=time_(9), end_time=time_(10))
    client = page_client(staff)
    with django_assert_max_num_queries(14) as few:
        client.get("/leave/")
    for day in working[2:20]:
        apply(staff, start=day, unit="hours", start_time=time_(9), end_time=time_(10))
    assert LeaveRequest.objects.filter(employee=staff).count() == 20
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/leave/").content.decode()
    assert html.count('class="request"') == 20


def test_the_page_in_english(town, page_client):
    staff = town.staff[0]
    apply(staff, start=TUESDAY)
    html = page_client(staff, language="en").get("/leave/").content.decode()
    assert "Annual leave" in html
    assert "Apply for leave" in html
    assert "My requests" in html
    assert "Remaining" in html
    assert "Cancel" in html
    response = page_client(staff, language="en").post(
        "/leave/apply/", {"type": "annual", "start_date": "2026-11-28", "unit": "day"}
    )
    assert response.status_code == 422
    assert "Leave type" in response.content.decode()
