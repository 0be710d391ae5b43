"""Telework `/telework/`: the policy as it applies (days left, notice, blackout dates), the picker's live check
(every violation in words before submitting), the application (422 with every violation next to the dates and
the picks kept), my requests with cancel and the day report, the department calendar, the feed URL."""

from datetime import time, timedelta

import pytest

from telework import services as telework
from telework.models import BlackoutDate, DayReport, RequestStatus, TeleworkRequest
from tests.portal.conftest import approved_telework
from tests.telework.town import MONDAY

pytestmark = pytest.mark.django_db
NEXT_MONDAY = MONDAY + timedelta(days=14)  # the Monday after next (the next one is a holiday week)


def iso(*days):
    return [day.isoformat() for day in days]


def test_the_page_shows_the_policy_and_the_picker(town, clock, page_client):
    staff = town.staff[0]
    BlackoutDate.objects.create(date=NEXT_MONDAY + timedelta(days=2), reason="議会開会日")
    approved_telework(town, staff, [MONDAY + timedelta(days=2)])
    html = page_client(staff).get("/telework/").content.decode()
    assert '<dd class="left-week">1 / 2</dd>' in html  # one day taken this week, two allowed
    assert '<dd class="left-month">7 / 8</dd>' in html
    assert "1開庁日前まで" in html
    assert "議会開会日" in html
    picker = html.split('class="picker')[1].split("</fieldset>")[0]
    assert f'value="{NEXT_MONDAY.isoformat()}"' in picker
    assert "実施不可日: 議会開会日" in picker
    taken = picker.split(f'value="{(MONDAY + timedelta(days=2)).isoformat()}"')[1].split(">")[0]
    assert "disabled" in taken  # already requested
    assert 'hx-post="/telework/check/"' in html


def test_the_live_check_lists_every_violation_in_words(town, page_client):
    staff = town.staff[0]
    days = [NEXT_MONDAY + timedelta(days=offset) for offset in range(3)]  # three days in a week of two
    response = page_client(staff).post(
        "/telework/check/", {"dates": iso(*days), "location": "home", "unit": "day"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "このままでは申請できません" in html
    assert "週" in html
    assert "<html" not in html
    assert not TeleworkRequest.objects.exists()

    fixed = page_client(staff).post(
        "/telework/check/", {"dates": iso(NEXT_MONDAY), "location": "home", "unit": "day"}
    )
    assert "規則上の問題はありません" in fixed.content.decode()


def test_an_application_breaking_the_rules_is_refused_with_every_violation_and_the_picks_kept(
    town, page_client
):
    staff = town.staff[0]
    days = [NEXT_MONDAY + timedelta(days=offset) for offset in range(3)]
    response = page_client(staff).post(
        "/telework/apply/",
        {"dates": iso(*days), "location": "home", "unit": "day", "work_plan": "例規の改正作業"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    errors = html.split('class="picker')[1].split("</fieldset>")[0]
    assert 'class="field-errors"' in errors
    assert "連続" in errors  # max_consecutive_days
    assert "週" in errors  # max_days_per_week
    for day in days:
        assert f'value="{day.isoformat()}" id="date-{day.isoformat()}" checked' in html
    assert "例規の改正作業</textarea>" in html
    assert not TeleworkRequest.objects.exists()


def test_an_application_within_the_rules_is_submitted(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(
        "/telework/apply/",
        {"dates": iso(NEXT_MONDAY), "location": "home", "unit": "day", "work_plan": "例規の改正作業"},
        follow=True,
    )
    request = TeleworkRequest.objects.get(employee=staff)
    assert request.status == RequestStatus.SUBMITTED
    assert [day.date for day in request.days.all()] == [NEXT_MONDAY]
    html = response.content.decode()
    assert "テレワークを申請しました" in html
    assert f'id="request-{request.pk}"' in html


def test_cancel_and_day_report(town, clock, page_client):
    staff = town.staff[0]
    pending = telework.telework_request_create(
        employee=staff, dates=[NEXT_MONDAY], location="home", work_plan="資料作成"
    )
    approved = approved_telework(town, staff, [MONDAY + timedelta(days=1)])
    clock.set(MONDAY + timedelta(days=1), time(17, 30))
    client = page_client(staff)

    client.post(f"/telework/requests/{pending.pk}/cancel/")
    pending.refresh_from_db()
    assert pending.status == RequestStatus.CANCELLED

    html = client.get("/telework/").content.decode()
    assert f'action="/telework/requests/{approved.pk}/report/"' in html
    client.post(
        f"/telework/requests/{approved.pk}/report/",
        {"date": (MONDAY + timedelta(days=1)).isoformat(), "summary": "条例案の作成"},
    )
    assert DayReport.objects.get(day__request=approved).summary == "条例案の作成"


def test_another_persons_request_is_not_found(town, page_client):
    request = telework.telework_request_create(
        employee=town.staff[0], dates=[NEXT_MONDAY], location="home", work_plan="資料作成"
    )
    assert page_client(town.staff[1]).post(f"/telework/requests/{request.pk}/cancel/").status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_the_department_calendar_and_the_feed_url(town, page_client):
    staff = town.staff[0]
    approved_telework(town, staff, [MONDAY + timedelta(days=1)])
    client = page_client(town.staff[1])
    html = client.get("/telework/").content.decode()
    calendar = html.split('class="calendar"')[1].split("</table>")[0]
    assert staff.name in calendar
    response = client.post("/telework/calendar-token/", follow=True)
    assert "http://127.0.0.1:8000/api/v1/telework/calendar.ics?token=" in response.content.decode()


@pytest.mark.parametrize("requests", [1, 6])
def test_the_page_queries_do_not_grow_with_requests(
    town, page_client, django_assert_max_num_queries, requests
):
    staff = town.staff[0]
    for week in range(requests):
        telework.telework_request_create(
            employee=staff,
            dates=[NEXT_MONDAY + timedelta(days=7 * week)],
            location="home",
            work_plan="資料作成",
        )
    client = page_client(staff)
    client.get("/telework/")
    with django_assert_max_num_queries(19):  # the nav counts what waits in /approvals/ (3)
        response = client.get("/telework/")
    assert response.content.decode().count('class="request"') == requests
