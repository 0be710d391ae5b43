"""A member of staff through the portal's pages only, in headless Chromium at a phone's width: clocks in from
home on an approved telework day (the place preselected), applies for telework next week and sees the violation
before fixing it, files a correction; and a clock-in pressed offline is queued on the device and replayed once."""

import tempfile
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from attendance.models import ClockEvent, CorrectionRequest
from telework.models import RequestStatus, TeleworkRequest
from tests.e2e.chromium import page_wait
from tests.e2e.conftest import browser_errors, portal_log_in
from tests.portal.conftest import approved_telework
from tests.telework.town import MONDAY, Clock, build_town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(tempfile.gettempdir())


def wait_for_text(driver, selector: str, text: str, timeout: int = 10) -> str:
    """Waits for `text` in an element of `selector`. A read that fails while the page reloads (the offline queue
    reloads it after a replay: a stale element, or Chromium's "unhandled inspector error" on an element of the
    unloading document) is tried again; only the timeout fails the wait."""
    page_wait(driver, timeout).until(
        lambda d: any(text in element.text for element in d.find_elements(By.CSS_SELECTOR, selector))
    )
    return " ".join(element.text for element in driver.find_elements(By.CSS_SELECTOR, selector))


def test_a_day_of_a_member_of_staff(live_server, portal_browser):
    clock = Clock()
    town = build_town()
    staff = town.staff[0]
    clock.set(MONDAY - timedelta(days=7))
    approved_telework(town, staff, [MONDAY])
    clock.set(MONDAY, time(8, 25))
    driver = portal_browser

    # home: the approved place is preselected; 出勤 records it
    portal_log_in(driver, live_server, staff.username)
    assert driver.find_element(By.CSS_SELECTOR, "input[name=location][value=home]").is_selected()
    button = driver.find_element(By.CSS_SELECTOR, "#clock button[value=in]")
    size = button.size
    assert button.text == "出勤"
    button.click()
    wait_for_text(driver, "#clock", "出勤を記録しました(08:25)")
    driver.save_screenshot(str(SCREENSHOTS / "portal-home.png"))
    event = ClockEvent.objects.get(employee=staff)
    assert (event.kind, event.location, event.offline_replay) == ("in", "home", False)
    assert driver.find_element(By.CSS_SELECTOR, "#clock button[value=out]").size["height"] == size["height"]

    # telework next week: three days in a row of a week of two are refused in words before submitting
    driver.get(f"{live_server.url}/telework/")
    picks = [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    for day in picks:
        driver.find_element(By.CSS_SELECTOR, f"label[for=date-{day.isoformat()}]").click()
    violations = wait_for_text(driver, "#check-result", "このままでは申請できません")
    driver.save_screenshot(str(SCREENSHOTS / "portal-telework-check.png"))
    assert "2026-11-26" in violations or "週" in violations
    driver.find_element(By.CSS_SELECTOR, "label[for=date-2026-11-26]").click()
    wait_for_text(driver, "#check-result", "規則上の問題はありません")
    driver.find_element(By.ID, "id_work_plan").send_keys("議会答弁資料の作成")
    driver.find_element(By.CSS_SELECTOR, "#telework-form button[type=submit]").click()
    wait_for_text(driver, ".messages", "テレワークを申請しました")
    request = TeleworkRequest.objects.filter(employee=staff).latest("id")
    assert request.status == RequestStatus.SUBMITTED
    assert sorted(day.date for day in request.days.all()) == picks[:2]

    # a correction from last Friday's row
    driver.get(f"{live_server.url}/attendance/")
    driver.find_element(By.CSS_SELECTOR, "#day-2026-11-13 a").click()
    assert driver.find_element(By.ID, "id_date").get_attribute("value") == "2026-11-13"
    for field, value in (("id_clock_in", "08:30"), ("id_clock_out", "17:15")):
        # a time input takes typed digits by its locale's layout; its value is set as a picker would
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, field), value)
    driver.find_element(By.ID, "id_reason").send_keys("打刻を忘れたため")
    driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    wait_for_text(driver, ".messages", "打刻修正を申請しました")
    correction = CorrectionRequest.objects.get(employee=staff)
    assert correction.date == date(2026, 11, 13)
    assert [e["kind"] for e in correction.events] == ["in", "out"]
    assert browser_errors(driver) == []


def test_a_clock_in_pressed_offline_is_replayed_once(live_server, portal_browser):
    town = build_town()
    staff = town.staff[1]
    driver = portal_browser
    portal_log_in(driver, live_server, staff.username)
    driver.find_element(By.CSS_SELECTOR, "input[name=location][value=office]")

    driver.set_network_conditions(
        offline=True, latency=5, download_throughput=500 * 1024, upload_throughput=500 * 1024
    )
    driver.find_element(By.CSS_SELECTOR, "#clock button[value=in]").click()
    wait_for_text(driver, "#offline-banner", "端末に保存しました")
    queued = driver.execute_script("return JSON.parse(localStorage.getItem('portal.clockQueue'))")
    assert len(queued) == 1
    assert queued[0]["kind"] == "in"
    assert not ClockEvent.objects.filter(employee=staff).exists()

    driver.set_network_conditions(
        offline=False, latency=5, download_throughput=500 * 1024, upload_throughput=500 * 1024
    )
    wait_for_text(driver, "#offline-banner", "送信しました", timeout=20)
    (event,) = ClockEvent.objects.filter(employee=staff)
    assert event.offline_replay is True
    assert event.kind == "in"
    assert driver.execute_script("return localStorage.getItem('portal.clockQueue')") == "[]"

    # the same action sent again (a response lost on the way) is answered from the first: still one row
    driver.execute_script("localStorage.setItem('portal.clockQueue', JSON.stringify(arguments[0]))", queued)
    driver.refresh()
    wait_for_text(driver, "#offline-banner", "送信しました", timeout=20)
    assert ClockEvent.objects.filter(employee=staff).count() == 1
