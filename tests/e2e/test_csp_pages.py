"""The Content-Security-Policy in a real browser: the admin's scripts (the login page, the employee form's
selectors) and the API docs (Swagger UI, Redoc) still run, and the browser reports no violation."""

import os

import pytest

from org.models import Employee
from tests.e2e.chromium import CHROMIUM
from tests.factories import TEST_PASSWORD, DepartmentFactory, EmployeeFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package"),
]


def csp_violations(driver) -> list[str]:
    """The policy's refusals of this site's own scripts, styles and images. A refused asset of another host is
    the policy at work (Redoc's footer logo from its CDN: town networks are closed) and is not counted."""
    found = []
    for entry in driver.get_log("browser"):
        message = entry["message"]
        if "Content Security Policy" not in message:
            continue
        loaded = message.split("Loading the ", 1)[-1].split("'")
        if len(loaded) > 1 and loaded[1].startswith("https://") and "violates" in message:
            continue
        found.append(message)
    return found


@pytest.mark.django_db(transaction=True)
def test_the_admin_login_and_its_scripts_run_under_the_policy(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    Employee.objects.create_superuser("root", "root@example.jp", TEST_PASSWORD)
    employee = EmployeeFactory(username="tanaka", department=DepartmentFactory(code="somu"))
    browser.get(f"{live_server.url}/admin/login/")
    assert "default-src 'self'" in browser.execute_script(
        "return fetch(location.href).then(r => r.headers.get('Content-Security-Policy'))"
    )
    browser.find_element(By.NAME, "username").send_keys("root")
    browser.find_element(By.NAME, "password").send_keys(TEST_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "/admin/login/" not in d.current_url)
    # the employee form's role selector is built by the admin's SelectFilter script
    browser.get(f"{live_server.url}/admin/org/employee/{employee.pk}/change/")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "id_roles_from"))
    assert csp_violations(browser) == []


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_under_the_policy(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{live_server.url}/api/docs/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"))
    browser.get(f"{live_server.url}/api/redoc/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-section-id]"))
    assert csp_violations(browser) == []
