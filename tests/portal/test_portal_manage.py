"""/manage/: a manager's department (the week's telework calendar, today's attendance anomalies), HR's month
closing per department and the payroll CSV, the secretariat's phases and policy; each page for its role only,
and its number of queries fixed whatever the number of rows."""

import csv
import io
from datetime import date, datetime, time

import pytest

from approvals import services as approvals_services
from attendance import services as attendance_services
from attendance.models import MonthClosing, MonthStatus
from attendance.worktime import LOCAL_TZ
from org.models import Position
from rollout.models import PhaseEvent
from telework.models import DepartmentPhase, TeleworkPolicy
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

JUNE_10 = date(2026, 6, 10)
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def somu(department):
    return {
        "department": department,
        "staff": EmployeeFactory(username="staff", name="総務主事", department=department),
        "director": EmployeeFactory(
            username="director",
            name="総務課長",
            department=department,
            position=Position.DIRECTOR,
            roles=["manager"],
        ),
        "hr": EmployeeFactory(username="hr", name="人事担当", department=department, roles=["hr"]),
        "secretariat": EmployeeFactory(username="dx", department=department, roles=["secretariat"]),
    }


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def approved_june(staff, director) -> None:
    attendance_services.clock_event_record(
        employee=staff, kind="in", location="office", source="web", at=at(JUNE_10, 8, 30)
    )
    attendance_services.clock_event_record(
        employee=staff, kind="out", location="office", source="web", at=at(JUNE_10, 17, 15)
    )
    closing = attendance_services.timesheet_submit(employee=staff, month=date(2026, 6, 1))
    approvals_services.document_approve(document=closing.document, actor=director)


# --- managers -------------------------------------------------------------------------------------


def test_the_department_page_is_for_its_managers_only(page_client, somu):
    assert page_client(somu["staff"]).get("/manage/department/").status_code == 403
    assert page_client(somu["hr"]).get("/manage/department/").status_code == 403
    response = page_client(somu["director"]).get("/manage/department/")
    assert response.status_code == 200
    assert "総務課の状況" in response.content.decode()


def test_todays_anomalies_are_in_words_and_the_week_is_shown(page_client, somu, frozen_clock):
    # the staff member starts today at home without an approved telework day
    attendance_services.clock_event_record(
        employee=somu["staff"], kind="in", location="home", source="web", at=at(NOW.date(), 8, 45)
    )
    client = page_client(somu["director"])

    html = client.get("/manage/department/").content.decode()

    assert 'id="anomalies"' in html
    assert "総務主事" in html
    assert "承認のないテレワーク" in html
    assert 'id="calendar"' in html
    assert "06/29" in html  # the week from Monday
    english = page_client(somu["director"], language="en").get("/manage/department/").content.decode()
    assert "Telework without approval" in english


def test_another_departments_staff_are_not_listed(page_client, somu):
    other = EmployeeFactory(
        username="kikaku_staff", name="企画主事", department=DepartmentFactory(code="kikaku")
    )
    attendance_services.clock_event_record(
        employee=other, kind="in", location="home", source="web", at=at(NOW.date(), 8, 45)
    )
    html = page_client(somu["director"]).get("/manage/department/").content.decode()
    assert "企画主事" not in html
    assert 'id="no-anomalies"' in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_department_page_takes_the_same_queries_for_3_or_30_staff(
    page_client, somu, count, django_assert_max_num_queries
):
    for index in range(count):
        EmployeeFactory(username=f"extra{index}", department=somu["department"])
    client = page_client(somu["director"])
    with django_assert_max_num_queries(20):
        response = client.get("/manage/department/")
    assert response.status_code == 200


# --- HR -------------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def test_hr_sees_each_departments_timesheets_by_status(page_client, somu):
    approved_june(somu["staff"], somu["director"])

    html = page_client(somu["hr"]).get("/manage/hr/?month=2026-06").content.decode()

    assert 'id="department-somu"' in html
    assert "承認済みを締める" in html


def test_hr_closes_a_department_and_downloads_the_csv(page_client, somu):
    approved_june(somu["staff"], somu["director"])
    client = page_client(somu["hr"])

    closed = client.post("/manage/hr/close/", {"month": "2026-06", "department": "somu"}, follow=True)

    assert closed.status_code == 200
    assert "総務課: 1人の勤務表を締めました。" in closed.content.decode()
    assert MonthClosing.objects.get(employee=somu["staff"]).status == MonthStatus.CLOSED

    response = client.get("/manage/hr/export.csv?month=2026-06&department=somu")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="attendance-somu-2026-06.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:4] == ["職員番号", "氏名", "所属", "日付"]
    day = next(row for row in rows[1:] if row[1] == "総務主事" and row[3] == "2026-06-10")
    assert (day[6], day[7]) == ("08:30", "17:15")


def test_closing_twice_closes_nothing_more(page_client, somu):
    approved_june(somu["staff"], somu["director"])
    client = page_client(somu["hr"])
    client.post("/manage/hr/close/", {"month": "2026-06", "department": "somu"})
    again = client.post("/manage/hr/close/", {"month": "2026-06", "department": "somu"}, follow=True)
    assert "総務課: 0人の勤務表を締めました。" in again.content.decode()


def test_a_bad_month_is_refused_next_to_the_field(page_client, somu):
    response = page_client(somu["hr"]).post("/manage/hr/close/", {"month": "2026-13", "department": "somu"})
    assert response.status_code == 400
    assert 'class="field-errors"' in response.content.decode()
    assert not MonthClosing.objects.filter(status=MonthStatus.CLOSED).exists()


@pytest.mark.parametrize("who", ["staff", "director", "secretariat"])
def test_hr_pages_are_for_hr_only_and_change_nothing_on_denial(page_client, somu, who):
    approved_june(somu["staff"], somu["director"])
    client = page_client(somu[who])
    assert client.get("/manage/hr/").status_code == 403
    assert client.get("/manage/hr/export.csv?month=2026-06").status_code == 403
    assert client.post("/manage/hr/close/", {"month": "2026-06", "department": "somu"}).status_code == 403
    assert MonthClosing.objects.get(employee=somu["staff"]).status == MonthStatus.APPROVED


@pytest.mark.parametrize("count", [2, 20])
def test_the_hr_page_takes_the_same_queries_for_few_or_many_departments(
    page_client, somu, count, django_assert_max_num_queries
):
    for index in range(count):
        department = DepartmentFactory(code=f"d{index}")
        for person in range(3):
            EmployeeFactory(username=f"d{index}p{person}", department=department)
    client = page_client(somu["hr"])
    with django_assert_max_num_queries(13):
        response = client.get("/manage/hr/?month=2026-06")
    assert response.content.decode().count('id="department-') == count + 1


# --- the secretariat ------------------------------------------------------------------------------


def test_the_secretariat_moves_a_phase(page_client, somu):
    client = page_client(somu["secretariat"])
    page = client.get("/manage/secretariat/").content.decode()
    assert "/dashboard/rollout/" in page
    assert 'id="phase-somu"' in page
    assert 'for="id_somu_phase"' in page  # each department's form has its own ids

    moved = client.post(
        "/manage/secretariat/phase/",
        {"department": "somu", "phase": "trial", "date": "2026-06-30", "note": "試行"},
    )

    assert moved.status_code == 302
    assert DepartmentPhase.objects.get(department=somu["department"]).phase == "trial"
    assert PhaseEvent.objects.get().note == "試行"


def test_a_phase_in_the_future_is_refused_next_to_the_date(page_client, somu):
    response = page_client(somu["secretariat"]).post(
        "/manage/secretariat/phase/", {"department": "somu", "phase": "trial", "date": "2026-08-01"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="field-errors" id="id_somu_date_error"' in html
    assert 'value="2026-08-01"' in html
    assert not PhaseEvent.objects.exists()


def test_the_secretariat_changes_the_town_policy(page_client, somu):
    client = page_client(somu["secretariat"])
    response = client.post(
        "/manage/secretariat/policy/",
        {
            "allowed_locations": ["home", "satellite"],
            "max_days_per_week": "2",
            "max_days_per_month": "8",
            "min_office_staff": "3",
        },
    )
    assert response.status_code == 302
    policy = TeleworkPolicy.objects.get(department=None)
    assert (policy.allowed_locations, policy.max_days_per_week, policy.min_office_staff) == (
        ["home", "satellite"],
        2,
        3,
    )


def test_a_negative_limit_keeps_what_was_typed(page_client, somu):
    response = page_client(somu["secretariat"]).post(
        "/manage/secretariat/policy/", {"allowed_locations": ["home"], "max_days_per_week": "-1"}
    )
    assert response.status_code == 400
    assert 'value="-1"' in response.content.decode()
    assert not TeleworkPolicy.objects.filter(department=None, version__gt=0).exists()


@pytest.mark.parametrize("who", ["staff", "director", "hr"])
def test_the_secretariat_pages_are_for_the_secretariat_only(page_client, somu, who):
    client = page_client(somu[who])
    assert client.get("/manage/secretariat/").status_code == 403
    refused = client.post(
        "/manage/secretariat/phase/", {"department": "somu", "phase": "trial", "date": "2026-06-30"}
    )
    assert refused.status_code == 403
    assert not PhaseEvent.objects.exists()


@pytest.mark.parametrize("count", [2, 20])
def test_the_secretariat_page_takes_the_same_queries_for_few_or_many_departments(
    page_client, somu, count, django_assert_max_num_queries
):
    for index in range(count):
        DepartmentFactory(code=f"d{index}")
    client = page_client(somu["secretariat"])
    with django_assert_max_num_queries(20):
        response = client.get("/manage/secretariat/")
    assert response.content.decode().count('id="phase-') == count + 1


@pytest.mark.parametrize(
    ("who", "path", "english", "japanese"),
    [
        ("hr", "/manage/hr/", "Month closing and the payroll CSV", "月次締めと給与連携CSV"),
        ("secretariat", "/manage/secretariat/", "Each department's phase", "各課の導入段階"),
        ("director", "/manage/department/", "Telework this week", "テレワークの予定（週）"),
    ],
)
def test_the_pages_answer_in_english(page_client, somu, who, path, english, japanese):
    html = page_client(somu[who], language="en").get(path).content.decode()
    assert english in html
    assert japanese not in html


def test_the_anomalies_of_a_past_day_open_from_its_digest(page_client, somu, frozen_clock):
    june_29 = date(2026, 6, 29)
    frozen_clock.set(at(june_29, 8, 45))
    attendance_services.clock_event_record(
        employee=somu["staff"], kind="in", location="home", source="web", at=at(june_29, 8, 45)
    )
    frozen_clock.set(NOW)
    client = page_client(somu["director"])

    assert "承認のないテレワーク" not in client.get("/manage/department/").content.decode()
    html = client.get("/manage/department/?day=2026-06-29").content.decode()
    assert "2026-06-29 (月) の勤怠の異常" in html
    assert "承認のないテレワーク" in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [("director", "/manage/department/"), ("hr", "/manage/hr/"), ("secretariat", "/manage/secretariat/")],
)
def test_manage_opens_the_page_of_ones_role(page_client, somu, who, expected):
    response = page_client(somu[who]).get("/manage/")
    assert (response.status_code, response["Location"]) == (302, expected)


def test_manage_is_refused_to_staff(page_client, somu):
    assert page_client(somu["staff"]).get("/manage/").status_code == 403
