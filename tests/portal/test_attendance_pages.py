"""My attendance `/attendance/`: the month as a table with anomalies in words, the correction request from a
day's row (errors next to the field, what was typed kept), the timesheet submission when the month allows it."""

from datetime import date, datetime, time, timedelta

import pytest

from attendance import services as attendance
from attendance.models import CorrectionRequest, MonthClosing, MonthStatus
from tests.portal.conftest import MONDAY
from tests.telework.town import TOKYO

pytestmark = pytest.mark.django_db


def clock_at(clock, employee, kind, day, hour, minute=0):
    clock.set(day, time(hour, minute))
    return attendance.clock_event_record(employee=employee, kind=kind, location="office", source="web")


def test_the_month_shows_each_day_with_its_figures_and_anomalies_in_words(town, clock, page_client):
    staff = town.staff[0]
    clock_at(clock, staff, "in", MONDAY - timedelta(days=3), 8, 30)  # Friday until 23:00
    clock_at(clock, staff, "out", MONDAY - timedelta(days=3), 23, 0)
    clock_at(clock, staff, "in", MONDAY - timedelta(days=2), 8, 30)  # Saturday: 9h30 of rest only
    clock_at(clock, staff, "out", MONDAY - timedelta(days=2), 12, 0)
    clock_at(clock, staff, "in", MONDAY, 8, 30)
    clock_at(clock, staff, "out", MONDAY, 19, 0)
    clock.set(MONDAY + timedelta(days=1), time(9, 0))

    html = page_client(staff).get("/attendance/?month=2026-11").content.decode()
    saturday = html.split('id="day-2026-11-14"')[1].split("</tr>")[0]
    assert "勤務間インターバル不足" in saturday
    row = html.split('id="day-2026-11-16"')[1].split("</tr>")[0]
    assert "08:30" in row
    assert "19:00" in row
    assert '<td class="num">9:30</td>' in row  # worked, the scheduled hour's break taken off
    assert '<td class="num">1:45</td>' in row  # overtime past 17:15
    assert "庁舎" in row
    assert 'id="day-2026-11-30"' in html  # every day of the month
    assert "勤労感謝の日" in html.split('id="day-2026-11-23"')[1].split("</tr>")[0]
    assert "/attendance/corrections/new/?date=2026-11-16" in row
    assert "この月の勤務表を提出する" not in html  # the month is not over


def test_english_months_say_the_anomalies_in_english(town, clock, page_client):
    staff = town.staff[0]
    clock_at(clock, staff, "in", MONDAY - timedelta(days=3), 8, 30)
    clock_at(clock, staff, "out", MONDAY - timedelta(days=3), 23, 0)
    clock_at(clock, staff, "in", MONDAY - timedelta(days=2), 8, 30)
    clock_at(clock, staff, "out", MONDAY - timedelta(days=2), 12, 0)
    html = page_client(staff, language="en").get("/attendance/?month=2026-11").content.decode()
    assert "Rest between working days too short" in html
    assert "勤務間インターバル不足" not in html


def test_a_correction_from_a_days_row_is_filed_for_approval(town, clock, page_client):
    staff = town.staff[0]
    clock_at(clock, staff, "in", MONDAY, 9, 10)
    clock.set(MONDAY + timedelta(days=1), time(9, 0))
    client = page_client(staff)

    form = client.get("/attendance/corrections/new/?date=2026-11-16").content.decode()
    assert 'value="2026-11-16"' in form
    assert 'value="09:10"' in form  # the recorded clock-in filled in

    response = client.post(
        "/attendance/corrections/new/",
        {
            "date": "2026-11-16",
            "clock_in": "08:30",
            "break_start": "12:00",
            "break_end": "13:00",
            "clock_out": "17:15",
            "location": "office",
            "reason": "退勤の打刻を忘れたため",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/attendance/?month=2026-11"
    correction = CorrectionRequest.objects.get(employee=staff)
    assert correction.date == MONDAY
    assert [e["kind"] for e in correction.events] == ["in", "break_start", "break_end", "out"]
    assert correction.events[0]["at"] == datetime(2026, 11, 16, 8, 30, tzinfo=TOKYO).isoformat()
    assert correction.document.status == "in_review"


def test_a_correction_in_the_future_is_refused_next_to_its_field(town, clock, page_client):
    staff = town.staff[0]
    clock.set(MONDAY, time(10, 0))
    response = page_client(staff).post(
        "/attendance/corrections/new/",
        {
            "date": "2026-11-16",
            "clock_in": "08:30",
            "clock_out": "17:15",
            "location": "office",
            "reason": "忘れ",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    out_field = html.split('for="id_clock_out"')[1].split("</div>")[0]
    assert "打刻の時刻が対象日の範囲外か、未来の時刻です。" in out_field
    assert "忘れ</textarea>" in html  # what was typed is kept
    assert not CorrectionRequest.objects.exists()


def test_the_timesheet_is_submitted_once_the_month_is_over(town, clock, page_client):
    staff = town.staff[0]
    clock_at(clock, staff, "in", MONDAY, 8, 30)
    clock_at(clock, staff, "out", MONDAY, 17, 15)
    clock.set(date(2026, 12, 1), time(9, 0))
    client = page_client(staff)

    html = client.get("/attendance/?month=2026-11").content.decode()
    assert "この月の勤務表を提出する" in html
    response = client.post("/attendance/timesheet/?month=2026-11")
    assert response.status_code == 302
    closing = MonthClosing.objects.get(employee=staff, month=date(2026, 11, 1))
    assert closing.status == MonthStatus.SUBMITTED
    html = client.get("/attendance/?month=2026-11").content.decode()
    assert "提出済み" in html
    assert "この月の勤務表を提出する" not in html

    again = client.post("/attendance/timesheet/?month=2026-11", follow=True).content.decode()
    assert "提出済み" in again
    assert MonthClosing.objects.filter(employee=staff).count() == 1


def test_a_month_with_a_day_left_open_is_not_submitted_and_says_why(town, clock, page_client):
    staff = town.staff[0]
    clock_at(clock, staff, "in", MONDAY, 8, 30)
    clock.set(date(2026, 12, 1), time(9, 0))
    html = page_client(staff).post("/attendance/timesheet/?month=2026-11", follow=True).content.decode()
    assert "2026-11-16" in html
    assert not MonthClosing.objects.filter(employee=staff, status=MonthStatus.SUBMITTED).exists()


@pytest.mark.parametrize("days", [1, 15])
def test_the_month_queries_do_not_grow_with_days(
    town, clock, page_client, django_assert_max_num_queries, days
):
    staff = town.staff[0]
    for offset in range(days):
        day = date(2026, 11, 2) + timedelta(days=offset)
        clock_at(clock, staff, "in", day, 8, 30)
        clock_at(clock, staff, "out", day, 17, 15)
    clock.set(date(2026, 11, 20), time(9, 0))
    client = page_client(staff)
    client.get("/attendance/?month=2026-11")
    with django_assert_max_num_queries(12):
        response = client.get("/attendance/?month=2026-11")
    assert response.content.decode().count("17:15") >= days


@pytest.mark.parametrize("events", [1, 4])
def test_the_correction_form_queries_do_not_grow(
    town, clock, page_client, django_assert_max_num_queries, events
):
    staff = town.staff[0]
    kinds = ["in", "break_start", "break_end", "out"][:events]
    for hour, kind in zip((8, 12, 13, 17), kinds, strict=False):
        clock_at(clock, staff, kind, MONDAY, hour)
    clock.set(MONDAY + timedelta(days=1), time(9, 0))
    client = page_client(staff)
    client.get("/attendance/corrections/new/?date=2026-11-16")
    with django_assert_max_num_queries(8):
        html = client.get("/attendance/corrections/new/?date=2026-11-16").content.decode()
    assert 'value="08:00"' in html
