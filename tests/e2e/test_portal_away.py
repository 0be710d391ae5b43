"""不在・委任 through the pages only (headless Chromium at a phone's width): the 課長 opens it from the approvals
page, records a business trip and delegates their telework requests to the 係長, who sees what they received;
the 課長 then revokes the delegation."""

from datetime import date, time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from approvals.models import Delegation
from org.models import Absence
from tests.e2e.conftest import browser_errors, portal_log_in
from tests.e2e.test_e2e_approvals import log_out
from tests.e2e.test_portal_orders import set_value
from tests.e2e.test_portal_staff import wait_for_text
from tests.telework.town import MONDAY, Clock, build_town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_director_records_a_trip_and_delegates_then_revokes(live_server, portal_browser):
    clock = Clock()
    town = build_town()
    town.director.deputy = town.chief
    town.director.save(update_fields=["deputy"])
    clock.set(MONDAY, time(9, 0))
    driver = portal_browser

    portal_log_in(driver, live_server, town.director.username)
    driver.find_element(By.CSS_SELECTOR, "nav a[href='/approvals/']").click()
    driver.find_element(By.CSS_SELECTOR, "a.away-link").click()
    assert (
        "代決者の総務係長さん"
        in driver.find_element(By.ID, "absence-title").find_element(By.XPATH, "..").text
    )

    set_value(driver, "id_absence-start", "2026-11-18")
    set_value(driver, "id_absence-end", "2026-11-19")
    driver.find_element(By.ID, "id_absence-reason").send_keys("出張(札幌)")
    driver.find_element(By.CSS_SELECTOR, "#absence-form button[type=submit]").click()
    wait_for_text(driver, ".messages", "不在を登録しました")
    absence = Absence.objects.get(employee=town.director)
    assert (absence.start, absence.end, absence.reason) == (
        date(2026, 11, 18),
        date(2026, 11, 19),
        "出張(札幌)",
    )
    assert "11/18(水)〜11/19(木)" in driver.find_element(By.ID, f"absence-{absence.pk}").text

    Select(driver.find_element(By.ID, "id_delegation-delegate")).select_by_value(str(town.chief.pk))
    set_value(driver, "id_delegation-start", "2026-11-16")
    set_value(driver, "id_delegation-end", "2026-11-20")
    driver.find_element(By.CSS_SELECTOR, "input[name='delegation-kinds'][value='telework']").click()
    driver.find_element(By.CSS_SELECTOR, "#delegation-form button[type=submit]").click()
    wait_for_text(driver, ".messages", "総務係長さんに決裁を委任しました")
    delegation = Delegation.objects.get(delegator=town.director)
    assert (delegation.delegate_id, delegation.kinds) == (town.chief.pk, ["telework"])
    item = driver.find_element(By.ID, f"delegation-{delegation.pk}")
    assert "委任中" in item.text
    assert "テレワーク申請" in item.text
    assert browser_errors(driver) == []
    log_out(driver)

    portal_log_in(driver, live_server, town.chief.username)
    driver.get(f"{live_server.url}/approvals/away/")
    received = driver.find_element(By.CSS_SELECTOR, ".delegations-received").text
    assert "総務課長さんから" in received
    assert not driver.find_elements(By.CSS_SELECTOR, f"#delegation-{delegation.pk} button")
    log_out(driver)

    portal_log_in(driver, live_server, town.director.username)
    driver.get(f"{live_server.url}/approvals/away/")
    driver.find_element(By.CSS_SELECTOR, f"#delegation-{delegation.pk} button[type=submit]").click()
    wait_for_text(driver, ".messages", "委任を取り消しました")
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert "取消" in driver.find_element(By.ID, f"delegation-{delegation.pk}").text
    assert browser_errors(driver) == []
