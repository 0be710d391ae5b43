"""The browsers of the end-to-end tests (tests/e2e/chromium.py): `browser` at a desktop's size, `portal_browser` at
a phone's width (360 px); `portal_log_in` signs in through the pages."""

import os

import pytest

from tests.e2e.chromium import CHROMIUM, DESKTOP_WINDOW, PHONE_WINDOW, chromium
from tests.factories import TEST_PASSWORD


@pytest.fixture
def browser():
    """Chromium at a desktop's size, on a fresh profile."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium package")
    with chromium(window=DESKTOP_WINDOW) as driver:
        yield driver


@pytest.fixture
def portal_browser():
    """Chromium at a phone's width (360 px), on a fresh profile."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium package")
    with chromium(window=PHONE_WINDOW) as driver:
        yield driver


def portal_log_in(driver, live_server, username: str, *, password: str = TEST_PASSWORD) -> None:
    """Open the portal, follow it to the login page, sign in and wait for the home page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{live_server.url}/")
    assert "/accounts/login/" in driver.current_url
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: "/accounts/login/" not in d.current_url)


def browser_errors(driver) -> list[str]:
    """Severe entries of the browser's console (script errors, CSP refusals) since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
