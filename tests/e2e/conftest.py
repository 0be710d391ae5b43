"""The portal's browser for end-to-end tests: headless Debian Chromium at a phone's width (360 px), Japanese
first, with the browser log kept (CSP refusals, script errors); `portal_log_in` signs in through the pages."""

import os
import shutil
import tempfile

import pytest

from tests.e2e.test_rollout_dashboard import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS
from tests.factories import TEST_PASSWORD

PHONE_WINDOW = "--window-size=360,800"


@pytest.fixture
def portal_browser():
    """A fresh Chromium profile per test (no service worker, cookie or queued action left from another)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium package")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="portal-e2e-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_experimental_option("prefs", {"intl.accept_languages": "ja"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    flags = [flag for flag in CHROMIUM_FLAGS if not flag.startswith("--window-size")]
    for flag in [*flags, PHONE_WINDOW, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


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
