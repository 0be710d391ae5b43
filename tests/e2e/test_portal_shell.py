"""The portal's shell in a real browser: a member of staff lands on home, the error pages are Japanese in the
portal's layout, the language switch turns the pages English, and no script or CSP error is logged."""

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.chromium import page_wait
from tests.e2e.conftest import browser_errors, portal_log_in
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_lands_on_home_and_switches_to_english(live_server, portal_browser):
    department = DepartmentFactory(code="somu", name="総務課")
    EmployeeFactory(username="shokuin", name="職員 一郎", department=department)

    portal_log_in(portal_browser, live_server, "shokuin")

    assert portal_browser.current_url == f"{live_server.url}/"
    assert portal_browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "ja"
    nav = portal_browser.find_element(By.CSS_SELECTOR, "nav.nav").text
    for label in ("ホーム", "勤怠", "テレワーク", "休暇", "設定"):
        assert label in nav

    assert browser_errors(portal_browser) == []

    portal_browser.get(f"{live_server.url}/no-such-page/")
    assert portal_browser.find_element(By.TAG_NAME, "h1").text == "ページが見つかりません"
    assert portal_browser.find_elements(By.CSS_SELECTOR, "nav.nav")
    assert [e for e in browser_errors(portal_browser) if "/no-such-page/" not in e] == []

    portal_browser.get(f"{live_server.url}/attendance/")
    select = portal_browser.find_element(By.ID, "language-select")
    select.find_element(By.CSS_SELECTOR, "option[value=en]").click()
    portal_browser.find_element(By.CSS_SELECTOR, "form.language button").click()
    page_wait(portal_browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "en"
    )
    assert portal_browser.current_url == f"{live_server.url}/attendance/"
    assert "Attendance" in portal_browser.find_element(By.CSS_SELECTOR, "nav.nav").text
    assert browser_errors(portal_browser) == []
