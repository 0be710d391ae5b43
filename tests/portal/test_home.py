"""Home `/`: the next clock action with the place preselected, the clock itself (plain form and htmx), today's
schedule, unread notifications, the approvals waiting and my requests in flight; notifications open their page."""

import re
from datetime import time, timedelta

import pytest

from attendance.models import ClockEvent
from notifications.models import Notification
from notifications.services import notify
from tests.portal.conftest import MONDAY, approved_telework

pytestmark = pytest.mark.django_db


def test_an_approved_telework_day_preselects_its_place_and_clock_in_records_it(town, clock, page_client):
    staff = town.staff[0]
    clock.set(MONDAY - timedelta(days=7))  # a week before, so the notice rule holds
    approved_telework(town, staff, [MONDAY])
    clock.set(MONDAY, time(8, 25))
    client = page_client(staff)

    html = client.get("/").content.decode()
    assert re.search(r'<input type="radio" name="location" value="home"[^>]* checked>', html)
    assert not re.search(r'<input type="radio" name="location" value="office"[^>]* checked>', html)
    assert "本日は承認済みのテレワーク日です(在宅)" in html
    assert '<button type="submit" name="kind" value="in"' in html
    assert 'value="out"' not in html

    response = client.post(
        "/clock/", {"kind": "in", "location": "home", "key": "7b0f5c5e-8e1a-4a52-9d43-1f0d7f0e9a11"}
    )
    assert response.status_code == 302
    event = ClockEvent.objects.get(employee=staff)
    assert (event.kind, event.location, event.source, event.offline_replay) == ("in", "home", "web", False)

    html = client.get("/").content.decode()
    assert "出勤を記録しました(08:25)" in html
    assert 'value="break_start"' in html
    assert 'value="out"' in html
    assert 'name="kind" value="in"' not in html


def test_the_clock_answers_htmx_with_the_card_and_refuses_out_of_order(town, clock, page_client):
    staff = town.staff[1]
    client = page_client(staff)
    headers = {"HTTP_HX_REQUEST": "true"}
    key = "0c6d4b7e-1a7e-4f0e-8d7f-6b8a0f4d2c11"

    response = client.post("/clock/", {"kind": "out", "location": "office", "key": key}, **headers)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="clock"' in html
    assert "出勤の打刻がありません。" in html
    assert ClockEvent.objects.filter(employee=staff).count() == 0

    response = client.post("/clock/", {"kind": "in", "location": "office", "key": key}, **headers)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert ClockEvent.objects.filter(employee=staff, kind="in").count() == 1


def test_home_shows_schedule_notifications_waiting_and_my_requests(town, clock, page_client):
    staff = town.staff[0]
    clock.set(MONDAY - timedelta(days=7))
    from telework import services as telework

    telework.telework_request_create(employee=staff, dates=[MONDAY], location="home", work_plan="資料作成")
    notify(recipients=[staff], kind="test", title="会議資料の確認", link="/api/v1/telework/requests/1/")
    html = page_client(staff).get("/").content.decode()
    assert "勤務時間 08:30〜17:15" in html
    assert "会議資料の確認" in html
    assert "テレワーク申請" in html  # my request in flight
    assert "回議中" in html

    chief_html = page_client(town.chief).get("/").content.decode()
    assert "あなたの承認を待っている案件: 1件" in chief_html


def test_a_notification_opens_its_page_and_is_read(town, page_client):
    staff = town.staff[0]
    (note,) = notify(recipients=[staff], kind="test", title="勤務表", link="/attendance/timesheets/2026-10")
    response = page_client(staff).get(f"/notifications/{note.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/attendance/?month=2026-10"
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_persons_notification_is_not_found(town, page_client):
    (note,) = notify(recipients=[town.staff[0]], kind="test", title="勤務表")
    assert page_client(town.staff[1]).get(f"/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("rows", [1, 30])
def test_home_queries_do_not_grow_with_rows(town, clock, page_client, django_assert_max_num_queries, rows):
    staff = town.staff[0]
    for i in range(rows):
        notify(recipients=[staff], kind="test", title=f"お知らせ{i}")
    client = page_client(staff)
    client.get("/")  # sessions and caches warm
    with django_assert_max_num_queries(15):
        response = client.get("/")
    assert response.status_code == 200
    assert Notification.objects.filter(recipient=staff).count() == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_the_notifications_page_queries_do_not_grow(town, page_client, django_assert_max_num_queries, rows):
    staff = town.staff[0]
    for i in range(rows):
        notify(recipients=[staff], kind="test", title=f"お知らせ{i}", body="本文")
    client = page_client(staff)
    client.get("/notifications/")
    with django_assert_max_num_queries(8):
        html = client.get("/notifications/").content.decode()
    assert html.count('class="unread"') == rows
