"""Debian's Chromium for the end-to-end tests, headless, through chromedriver (selenium): one place for its
paths, its flags and how a fresh profile is started and thrown away."""

import contextlib
import shutil
import tempfile

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Without the background-networking flags Chromium keeps calling out, and a closed network refuses it.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP_WINDOW = "--window-size=1400,1300"
PHONE_WINDOW = "--window-size=360,800"


@contextlib.contextmanager
def chromium(*, window: str = DESKTOP_WINDOW):
    """A driver on a fresh profile (no cookie, service worker or queued action left from another test), Japanese
    first, with the browser's console kept (script errors, CSP refusals)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="townhall-e2e-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_experimental_option("prefs", {"intl.accept_languages": "ja"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for flag in [*CHROMIUM_FLAGS, window, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def page_wait(driver, seconds: int):
    """A wait across a page load: an element read while the page is replaced (stale, or the inspector's error)
    is read again, only the timeout fails."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,))
