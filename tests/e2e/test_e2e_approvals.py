"""The approvals and HR pages in a real browser (headless Debian Chromium at 360 px), through the pages only: the
section chief approves a staff member's telework request from the inbox and the document's page, the director
approves it in bulk; HR closes a department's month and downloads the payroll CSV (BOM, rows)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from approvals import services as approvals_services
from attendance import services as attendance_services
from attendance.models import MonthClosing, MonthStatus
from attendance.worktime import LOCAL_TZ
from org.selectors import business_calendar
from telework import services as telework_services
from telework.models import RequestStatus
from tests.e2e.conftest import browser_errors, portal_log_in
from tests.telework.town import build_town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(driver) -> None:
    """The footer's logout button, then a clean cookie jar for the next person."""
    before = driver.current_url
    driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
    WebDriverWait(driver, 20).until(lambda d: d.current_url != before)
    driver.delete_all_cookies()


def message_text(driver) -> str:
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messages"))
    return driver.find_element(By.CSS_SELECTOR, ".messages").text


def test_the_chief_approves_in_the_inbox_and_the_director_in_bulk(live_server, portal_browser):
    town = build_town()
    calendar = business_calendar()
    day = calendar.add_business_days(timezone.localdate(), 2)
    request = telework_services.telework_request_create(
        employee=town.staff[0], dates=[day], location="home", work_plan="予算資料の作成"
    )
    driver = portal_browser

    # the chief opens the inbox from the navigation, sees what the item is, opens it and approves it
    portal_log_in(driver, live_server, town.chief.username)
    driver.find_element(By.CSS_SELECTOR, "nav.nav a[href='/approvals/']").click()
    item = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, f"item-{request.document_id}"))
    assert "総務主事1" in item.text
    assert day.isoformat() in item.text
    assert "申請時の確認: 違反なし" in item.text
    item.find_element(By.CSS_SELECTOR, "a.button").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "decide"))
    assert driver.find_element(By.ID, "rule-ok").is_displayed()
    driver.find_element(By.NAME, "comment").send_keys("確認しました")
    driver.find_element(By.ID, "decide-submit").click()
    assert "承認しました。" in message_text(driver)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED  # the director decides next
    assert browser_errors(driver) == []
    log_out(driver)

    # the director ticks it in the inbox and approves the selection
    portal_log_in(driver, live_server, town.director.username)
    driver.get(f"{live_server.url}/approvals/")
    box = driver.find_element(By.CSS_SELECTOR, f"input[name=documents][value='{request.document_id}']")
    box.click()
    assert box.is_selected()
    driver.find_element(By.ID, "bulk-comment").send_keys("一括承認")
    driver.find_element(By.ID, "bulk-submit").click()
    assert "1件を承認しました。" in message_text(driver)
    request.refresh_from_db()
    request.document.refresh_from_db()
    assert (request.status, request.document.status) == (RequestStatus.APPROVED, "approved")
    assert not driver.find_elements(By.ID, f"item-{request.document_id}")
    assert browser_errors(driver) == []


def last_months_working_day(today: date) -> date:
    calendar = business_calendar()
    day = today.replace(day=1) - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def test_hr_closes_a_month_and_downloads_the_csv(live_server, portal_browser):
    town = build_town()
    staff = town.staff[0]
    worked = last_months_working_day(timezone.localdate())
    for kind, at in (("in", time(8, 30)), ("out", time(17, 15))):
        attendance_services.clock_event_record(
            employee=staff,
            kind=kind,
            location="office",
            source="web",
            at=datetime.combine(worked, at, tzinfo=LOCAL_TZ),
        )
    closing = attendance_services.timesheet_submit(employee=staff, month=worked.replace(day=1))
    approvals_services.document_approve(document=closing.document, actor=town.director)
    driver = portal_browser

    portal_log_in(driver, live_server, town.hr.username)
    driver.find_element(By.CSS_SELECTOR, "nav.nav a[href='/manage/hr/']").click()
    row = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "department-somu"))
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "総務課: 1人の勤務表を締めました。" in message_text(driver)
    assert MonthClosing.objects.get(employee=staff).status == MonthStatus.CLOSED

    link = driver.find_element(By.CSS_SELECTOR, "#department-somu a[href*='export.csv']")
    body = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer())"
        ".then(b => done(Array.from(new Uint8Array(b))));",
        link.get_attribute("href"),
    )
    content = bytes(body)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it as UTF-8
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("職員番号,氏名,所属,日付")
    day_line = next(line for line in lines if "総務主事1" in line and worked.isoformat() in line)
    assert "08:30" in day_line
    assert "17:15" in day_line
    assert browser_errors(driver) == []
