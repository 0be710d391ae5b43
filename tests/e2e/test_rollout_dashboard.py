"""The rollout dashboard in a real browser: headless Chromium logs in through the site's login page
(/accounts/login/), opens /dashboard/rollout/ and the KPI, the table and the charts must show the API's figures."""

import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import pytest

from tests.e2e.chromium import CHROMIUM, page_wait
from tests.factories import TEST_PASSWORD
from tests.rollout.town import build_town, patch_today

SCREENSHOT = Path(tempfile.gettempdir()) / "rollout-dashboard.png"
DEMO_SCREENSHOT = Path(tempfile.gettempdir()) / "rollout-dashboard-demo.png"
LOGIN_SCREENSHOT = Path(tempfile.gettempdir()) / "site-login.png"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package"),
]


def fetch_json(driver, path: str) -> dict:
    """GET through the browser's session, as the page does."""
    body = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin', headers: {Accept: 'application/json'}})"
        ".then(r => r.text()).then(done);",
        path,
    )
    return json.loads(body)


def log_in(driver, live_server, username: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{live_server.url}/dashboard/rollout/?fiscal_year=2026")
    assert "/accounts/login/?next=" in driver.current_url  # login required
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(TEST_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    page_wait(driver, 20).until(lambda d: "/accounts/login/" not in d.current_url)


@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_the_api_figures(live_server, browser, monkeypatch):
    from selenium.webdriver.common.by import By

    # given: the small town
    patch_today()
    town = build_town()

    # when: logging in and opening the dashboard
    log_in(browser, live_server, town.secretariat.username)
    page_wait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))

    # then: the page loaded without error and with the chart drawn on its canvas
    assert browser.current_url.endswith("/dashboard/rollout/?fiscal_year=2026")
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1", browser.find_element(
        By.ID, "error"
    ).get_attribute("textContent")
    painted = browser.execute_script(
        "const c = document.getElementById('department-chart');"
        "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "let n = 0; for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) n++; } return n;"
    )
    assert painted > 1000
    summary = fetch_json(browser, "/api/v1/telework/rollout/summary/?fiscal_year=2026")
    monthly = fetch_json(browser, "/api/v1/telework/rollout/monthly/?fiscal_year=2026")
    # the API's figures are the hand-computed ones
    assert (summary["departments_implementing"], summary["departments_total"]) == (3, 4)
    # the KPI numbers on the page are the API's
    text = {
        key: browser.find_element(By.ID, key).text for key in ("kpi-implementing", "kpi-total", "kpi-rate")
    }
    assert text == {
        "kpi-implementing": str(summary["departments_implementing"]),
        "kpi-total": str(summary["departments_total"]),
        "kpi-rate": f"{summary['implementing_rate'] * 100:.1f}%",
    }
    assert browser.find_element(By.ID, "kpi-not-implementing").text == "企画課"
    # the department chart is the API's adoption rates and telework days, in the API's order
    chart = browser.execute_script(
        "const d = window.rolloutChart.data;"
        "return {labels: d.labels, rates: d.datasets[0].data, days: d.datasets[1].data};"
    )
    assert chart == {
        "labels": [d["name"] for d in summary["departments"]],
        "rates": [
            None if d["suppressed"] else round(d["adoption_rate"] * 100, 2) for d in summary["departments"]
        ],
        "days": [d["telework_days"] for d in summary["departments"]],
    }
    # 建設課 (2 staff) and 企画課 (1) are below the privacy threshold (3): no bar, "—" in the table
    assert chart["rates"] == [40, 33.33, None, None]
    cells = {
        code: [
            td.text for td in browser.find_elements(By.CSS_SELECTOR, f"#departments tr[data-code={code}] td")
        ]
        for code in ("somu", "kensetsu")
    }
    assert cells["somu"][3:] == ["5", "2", "3", "40.0%"]
    assert cells["kensetsu"][3:] == ["2", "—", "—", "—"]
    dash = browser.find_element(By.CSS_SELECTOR, "#departments tr[data-code=kensetsu] td.suppressed")
    assert dash.get_attribute("title") == "3人未満の集計は個人が特定されるおそれがあるため表示しません。"
    assert browser.find_element(By.ID, "suppressed-note").text.startswith("—: 3人未満")
    # the monthly chart is the API's monthly totals (months without a snapshot are empty)
    monthly_chart = browser.execute_script(
        "const d = window.rolloutMonthlyChart.data; return d.datasets.map(s => s.data);"
    )
    totals = {m["month"]: m for m in monthly["total"]}
    expected_home = [
        totals[m]["days_by_location"].get("home", 0) if m in totals else None for m in monthly["months"]
    ]
    assert monthly_chart[0] == expected_home
    assert expected_home[1:3] == [1, 3]
    # departments behind plan are highlighted in the table and on the timeline
    behind_rows = browser.find_elements(By.CSS_SELECTOR, "#departments tr.behind")
    assert sorted(row.get_attribute("data-code") for row in behind_rows) == ["kensetsu", "zeimu"]
    behind_timeline = browser.find_elements(By.CSS_SELECTOR, "#timeline .row.behind")
    assert sorted(row.get_attribute("data-code") for row in behind_timeline) == ["kensetsu", "zeimu"]
    browser.save_screenshot(str(SCREENSHOT))


@pytest.mark.django_db(transaction=True)
def test_dashboard_is_refused_to_plain_staff(live_server, browser, monkeypatch):
    from selenium.webdriver.common.by import By

    patch_today()
    town = build_town(snapshots=False)

    log_in(browser, live_server, town.staff["A"].username)

    assert browser.current_url.endswith("/dashboard/rollout/?fiscal_year=2026")
    assert "テレワーク導入状況" not in browser.find_element(By.TAG_NAME, "body").text
    assert browser.execute_script("return typeof window.rolloutChart") == "undefined"


@pytest.mark.django_db(transaction=True)
def test_a_manager_without_admin_access_logs_in_and_out(live_server, browser, monkeypatch):
    from selenium.webdriver.common.by import By

    # given: a 課長 who may not use the admin site, and a wrong password first
    patch_today()
    town = build_town(snapshots=False)
    director = town.directors["zeimu"]
    assert not director.is_staff
    browser.get(f"{live_server.url}/dashboard/rollout/?fiscal_year=2026")
    browser.find_element(By.NAME, "username").send_keys(director.username)
    browser.find_element(By.NAME, "password").send_keys("wrong-password")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = page_wait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))[0].text
    browser.save_screenshot(str(LOGIN_SCREENSHOT))

    # when: the right password, then the logout button on the dashboard
    browser.find_element(By.NAME, "password").send_keys(TEST_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    page_wait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    dashboard_url = browser.current_url
    browser.find_element(By.CSS_SELECTOR, "form.logout button").click()
    page_wait(browser, 20).until(lambda d: "/dashboard/" not in d.current_url)

    # then: the error was shown in Japanese, the dashboard opened, the logout ended the session
    assert error == "ユーザー名またはパスワードが正しくありません。"
    assert dashboard_url.endswith("/dashboard/rollout/?fiscal_year=2026")
    assert browser.current_url == f"{live_server.url}/accounts/login/"
    browser.get(f"{live_server.url}/dashboard/rollout/")
    assert "/accounts/login/?next=" in browser.current_url


@pytest.mark.django_db(transaction=True)
def test_dashboard_of_the_demo_town_shows_its_year(live_server, browser, settings):
    from django.core.management import call_command
    from selenium.webdriver.common.by import By

    from org.demo import DEMO_PASSWORD

    # given: the demo town as `make run` loads it, on 2026-12-02
    patch_today(date(2026, 12, 2))
    settings.DEBUG = True  # the demo is a development tool
    call_command("demo", stdout=io.StringIO())

    # when: the secretariat's demo login opens the dashboard
    browser.get(f"{live_server.url}/dashboard/rollout/?fiscal_year=2026")
    browser.find_element(By.NAME, "username").send_keys("kobayashi.naomi")
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    page_wait(browser, 30).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))

    # then: the KPI, the table and both charts show the year since April, not zeros
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1", browser.find_element(
        By.ID, "error"
    ).get_attribute("textContent")
    implementing = int(browser.find_element(By.ID, "kpi-implementing").text)
    assert browser.find_element(By.ID, "kpi-total").text == "12"
    assert 8 <= implementing <= 11
    rows = browser.find_elements(By.CSS_SELECTOR, "#departments tbody tr")
    assert len(rows) == 12
    figures = {
        row.get_attribute("data-code"): [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        for row in rows
    }
    assert int(figures["somu"][3]) > 10  # 職員数
    assert int(figures["somu"][4]) > 0  # teleworkers
    assert int(figures["somu"][5]) > 0  # telework days
    assert figures["kensetsu"][4:6] == ["0", "0"]  # still preparing
    assert sum(int(cells[5]) for cells in figures.values()) > 200
    chart = browser.execute_script("return window.rolloutChart.data.datasets[0].data")
    assert sum(1 for rate in chart if rate) == implementing
    monthly = browser.execute_script("return window.rolloutMonthlyChart.data.datasets.map(s => s.data)")
    mobile_days = monthly[2][:8]  # April to November, field work (一部運用) the most
    assert all(days > 0 for days in mobile_days)
    assert sum(monthly[0][6:8]) > 0  # home days since 企画課 went formal in October
    browser.save_screenshot(str(DEMO_SCREENSHOT))
