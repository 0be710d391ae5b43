"""A member of staff applies for a day of annual leave through the leave page only (headless Chromium at a phone's
width) and sees it listed with its document and the balance charged."""

from datetime import date, time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from leave.models import LeaveRequest, RequestStatus
from tests.e2e.conftest import browser_errors, portal_log_in
from tests.e2e.test_portal_staff import wait_for_text
from tests.telework.town import MONDAY, Clock, build_town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_day_of_leave_applied_for_and_listed(live_server, portal_browser):
    clock = Clock()
    town = build_town()
    staff = town.staff[0]
    clock.set(MONDAY, time(8, 30))
    driver = portal_browser

    portal_log_in(driver, live_server, staff.username)
    driver.find_element(By.CSS_SELECTOR, "nav a[href='/leave/']").click()
    Select(driver.find_element(By.ID, "id_type")).select_by_value("annual")
    # a date input takes typed digits by its locale's layout; its value is set as a picker would
    driver.execute_script(
        "arguments[0].value = arguments[1]", driver.find_element(By.ID, "id_start_date"), "2026-11-24"
    )
    driver.find_element(By.ID, "id_reason").send_keys("私用")
    driver.find_element(By.CSS_SELECTOR, "#leave-form button[type=submit]").click()
    wait_for_text(driver, ".messages", "休暇を申請しました")

    request = LeaveRequest.objects.get(employee=staff)
    assert (request.status, request.start_date, request.end_date, request.days) == (
        RequestStatus.SUBMITTED,
        date(2026, 11, 24),
        date(2026, 11, 24),
        1,
    )
    item = driver.find_element(By.ID, f"leave-{request.pk}")
    assert "申請中" in item.text
    assert "1日" in item.text
    link = item.find_element(By.LINK_TEXT, "決裁文書")
    assert link.get_attribute("href").endswith(f"/approvals/documents/{request.document_id}/")
    assert driver.find_element(By.CSS_SELECTOR, ".balance-used").text.startswith("1日")
    assert browser_errors(driver) == []
