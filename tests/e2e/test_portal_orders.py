"""Overtime through the pages only (headless Chromium at a phone's width): a member of staff applies for overtime
(事前申請) from the attendance page and sees it listed for the director's decision; the director then orders
overtime for them (時間外勤務命令), approved at once and listed in the department's month."""

from datetime import date, time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from attendance.models import OrderStatus, OvertimeOrder
from tests.e2e.conftest import browser_errors, portal_log_in
from tests.e2e.test_e2e_approvals import log_out
from tests.e2e.test_portal_staff import wait_for_text
from tests.telework.town import MONDAY, Clock, build_town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def set_value(driver, element_id: str, value: str) -> None:
    """A date or time input takes typed digits by its locale's layout; its value is set as a picker would."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)


def test_staff_apply_for_overtime_and_the_director_orders_it(live_server, portal_browser):
    clock = Clock()
    town = build_town()
    staff = town.staff[0]
    clock.set(MONDAY, time(9, 0))
    driver = portal_browser

    # a member of staff applies from the attendance page
    portal_log_in(driver, live_server, staff.username)
    driver.find_element(By.CSS_SELECTOR, "nav a[href='/attendance/']").click()
    driver.find_element(By.CSS_SELECTOR, "a.orders-link").click()
    assert not driver.find_elements(By.ID, "overtime-order-form")
    set_value(driver, "id_apply-date", "2026-11-16")
    set_value(driver, "id_apply-start", "17:30")
    set_value(driver, "id_apply-end", "19:00")
    driver.find_element(By.ID, "id_apply-reason").send_keys("議会資料の作成")
    driver.find_element(By.CSS_SELECTOR, "#overtime-apply-form button[type=submit]").click()
    wait_for_text(driver, ".messages", "時間外勤務を事前申請しました")

    applied = OvertimeOrder.objects.get(employee=staff)
    assert (applied.status, applied.date, applied.start, applied.end, applied.ordered_by_id) == (
        OrderStatus.SUBMITTED,
        MONDAY,
        time(17, 30),
        time(19, 0),
        staff.pk,
    )
    item = driver.find_element(By.ID, f"order-{applied.pk}")
    assert "申請中" in item.text
    assert "17:30〜19:00" in item.text
    link = item.find_element(By.LINK_TEXT, "決裁文書")
    assert link.get_attribute("href").endswith(f"/approvals/documents/{applied.document_id}/")
    assert browser_errors(driver) == []
    log_out(driver)

    # the director orders overtime for them the next day
    portal_log_in(driver, live_server, town.director.username)
    driver.get(f"{live_server.url}/attendance/orders/")
    Select(driver.find_element(By.ID, "id_order-employee")).select_by_value(str(staff.pk))
    set_value(driver, "id_order-date", "2026-11-17")
    set_value(driver, "id_order-start", "17:30")
    set_value(driver, "id_order-end", "18:30")
    driver.find_element(By.ID, "id_order-reason").send_keys("決算")
    driver.find_element(By.CSS_SELECTOR, "#overtime-order-form button[type=submit]").click()
    wait_for_text(driver, ".messages", "時間外勤務を命令しました")

    order = OvertimeOrder.objects.get(employee=staff, date=date(2026, 11, 17))
    assert (order.status, order.ordered_by_id) == (OrderStatus.APPROVED, town.director.pk)
    listed = driver.find_element(By.ID, f"department-order-{order.pk}")
    assert "承認済み" in listed.text
    assert staff.name in listed.text
    assert driver.find_element(By.ID, f"department-order-{applied.pk}").text.count("申請中") == 1
    assert browser_errors(driver) == []
