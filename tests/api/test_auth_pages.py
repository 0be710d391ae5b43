"""The site's login page (/accounts/login/) and logout: sessions for the pages, under the token endpoint's
lockout and throttle; the rollout dashboard behind it."""

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from org.models import AccessToken, LoginFailure, Position
from tests.factories import TEST_PASSWORD, DepartmentFactory, EmployeeFactory

LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
TOKEN_URL = "/api/v1/auth/token/"
DASHBOARD_URL = "/dashboard/rollout/"
HOME_URL = "/"  # the portal's home: where a login without `next` lands


@pytest.fixture
def somu(db):
    return DepartmentFactory(code="somu", name="総務課")


@pytest.fixture
def staff(somu):
    return EmployeeFactory(username="tanaka", department=somu)


@pytest.fixture
def manager(somu):
    """A 課長: the manager role, no admin-site access."""
    return EmployeeFactory(username="kacho", department=somu, position=Position.DIRECTOR)


def page_login(client: Client, username: str, password: str, *, next_url: str | None = None, **extra):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN_URL, data, **extra)


def token_login(username: str, password: str):
    return Client().post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


def logged_in_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# --- the page -------------------------------------------------------------------------------------------


def test_login_page_is_japanese_with_the_towns_name_and_a_csrf_token(client, db):
    response = client.get(f"{LOGIN_URL}?next=/dashboard/rollout/%3Ffiscal_year%3D2026")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "南富良野町" in html
    assert "ユーザー名" in html
    assert "パスワード" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="next" value="/dashboard/rollout/?fiscal_year=2026">' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_login_page_is_english_with_accept_language_en(client, db):
    response = client.get(LOGIN_URL, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Town of Minamifurano" in html
    assert ">Username</label>" in html
    assert ">Password</label>" in html
    assert "ログイン" not in html


def test_login_redirects_to_next_and_opens_a_session(client, staff):
    # given a wrong password earlier in the streak
    page_login(client, "tanaka", "wrong")

    # when
    response = page_login(client, "tanaka", TEST_PASSWORD, next_url="/api/v1/me/?x=1")

    # then the session is the employee's, the streak is forgotten, last_login is set
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/me/?x=1"
    assert logged_in_id(client) == str(staff.pk)
    assert client.get("/api/v1/me/").json()["username"] == "tanaka"
    assert not LoginFailure.objects.filter(username="tanaka").exists()  # the address keeps its own count
    staff.refresh_from_db()
    assert staff.last_login is not None
    assert not AccessToken.objects.exists()  # a page login makes no API token


def test_login_without_next_lands_on_the_portal_home(client, staff):
    response = page_login(client, "tanaka", TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == HOME_URL


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/dashboard/",
        "http://testserver.evil.example/",
        "ftp://testserver/dashboard/rollout/",
        "javascript:alert(1)",
        "/\\evil.example/",
    ],
)
def test_an_offsite_next_is_ignored(client, staff, next_url):
    # the form does not carry it
    html = client.get(LOGIN_URL, {"next": next_url}).content.decode()
    assert 'name="next"' not in html

    # and the login lands on the default page instead
    response = page_login(client, "tanaka", TEST_PASSWORD, next_url=next_url)

    assert response.status_code == 302
    assert response["Location"] == HOME_URL
    assert logged_in_id(client) == str(staff.pk)


def test_wrong_password_shows_an_error_and_counts_toward_the_lockout(client, staff):
    response = page_login(client, "tanaka", "wrong", next_url=DASHBOARD_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "ユーザー名またはパスワードが正しくありません。" in html
    assert 'value="tanaka"' in html  # the username is kept, the password is not
    assert "wrong" not in html
    assert logged_in_id(client) is None
    assert LoginFailure.objects.get(username="tanaka").failures == 1


def test_wrong_password_error_in_english(client, staff):
    response = page_login(client, "tanaka", "wrong", HTTP_ACCEPT_LANGUAGE="en")

    assert "Incorrect username or password." in response.content.decode()
    assert LoginFailure.objects.get(username="tanaka").failures == 1


def test_unknown_username_answers_like_a_wrong_password(client, staff):
    known = page_login(client, "tanaka", "wrong")
    unknown = page_login(client, "nobody", "wrong")

    assert known.status_code == unknown.status_code == 200
    assert "ユーザー名またはパスワードが正しくありません。" in unknown.content.decode()
    assert LoginFailure.objects.get(username="nobody").failures == 1


def test_empty_fields_are_form_errors_and_count_nothing(client, staff):
    response = page_login(client, "", "")

    assert response.status_code == 200
    assert response.content.decode().count('class="field-error"') == 2
    assert not LoginFailure.objects.exists()


def test_inactive_employee_cannot_log_in(client, staff):
    staff.is_active = False
    staff.save(update_fields=["is_active"])

    response = page_login(client, "tanaka", TEST_PASSWORD)

    assert response.status_code == 200
    assert "ユーザー名またはパスワードが正しくありません。" in response.content.decode()
    assert logged_in_id(client) is None


def test_post_without_csrf_token_is_refused_and_counts_nothing(staff):
    client = Client(enforce_csrf_checks=True)

    response = page_login(client, "tanaka", TEST_PASSWORD)

    assert response.status_code == 403
    assert logged_in_id(client) is None
    assert not LoginFailure.objects.exists()


def test_post_with_the_csrf_token_of_the_form_logs_in(staff):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN_URL)
    token = client.cookies["csrftoken"].value

    response = client.post(
        LOGIN_URL, {"username": "tanaka", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert logged_in_id(client) == str(staff.pk)


# --- one lockout for the page and the token endpoint -----------------------------------------------------


def test_five_wrong_passwords_on_the_page_lock_the_page_and_the_token_endpoint(client, staff, settings):
    # given the default limit of five
    assert settings.LOGIN_FAILURE_LIMIT == 5
    statuses = [page_login(client, "tanaka", "wrong").status_code for _ in range(5)]

    # when the right password comes, on the page and on the API
    page = page_login(client, "tanaka", TEST_PASSWORD)
    api = token_login("tanaka", TEST_PASSWORD)

    # then the fifth failure locked the account, both refuse the right password
    assert statuses == [200, 200, 200, 200, 429]
    assert page.status_code == 429
    assert 0 < int(page["Retry-After"]) <= settings.LOGIN_LOCKOUT_SECONDS
    assert "アカウントを一時的にロックしています" in page.content.decode()
    assert logged_in_id(client) is None
    assert api.status_code == 429
    assert api.json()["code"] == "account_locked"
    assert not AccessToken.objects.exists()


def test_five_wrong_passwords_on_the_token_endpoint_lock_the_page(client, staff):
    # given five failures through the API
    statuses = [token_login("tanaka", "wrong").status_code for _ in range(5)]

    # when the right password comes on the page
    response = page_login(client, "tanaka", TEST_PASSWORD, next_url=DASHBOARD_URL)

    # then it is refused and no session opened
    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert "Retry-After" in response
    assert logged_in_id(client) is None
    assert LoginFailure.objects.get(username="tanaka").locked_until is not None


def test_failures_on_both_ways_add_up_to_one_streak(client, staff):
    # given three failures on the page and one on the API
    for _ in range(3):
        page_login(client, "tanaka", "wrong")
    token_login("tanaka", "wrong")
    assert LoginFailure.objects.get(username="tanaka").failures == 4

    # when the fifth comes on the API
    response = token_login("tanaka", "wrong")

    # then the page is locked too
    assert response.status_code == 429
    assert page_login(client, "tanaka", TEST_PASSWORD).status_code == 429
    assert logged_in_id(client) is None


def test_the_page_shares_the_login_throttle_of_the_token_endpoint(client, staff, monkeypatch):
    # given a `login` rate of three a minute
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "login", "3/min")
    token_login("nobody", "wrong")
    token_login("nobody", "wrong")
    page_login(client, "ghost", "wrong")

    # when a fourth attempt comes from the same address, with the right password
    response = page_login(client, "tanaka", TEST_PASSWORD)

    # then it is throttled before the password is checked
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "ログインの試行が多すぎます" in response.content.decode()
    assert logged_in_id(client) is None
    assert not LoginFailure.objects.filter(username="tanaka").exists()


# --- logout -------------------------------------------------------------------------------------------


def test_logout_ends_the_session_and_returns_to_the_login_page(client, staff):
    client.force_login(staff)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert logged_in_id(client) is None
    assert client.get(DASHBOARD_URL).status_code == 302


def test_logout_by_get_is_refused_and_keeps_the_session(client, staff):
    client.force_login(staff)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert logged_in_id(client) == str(staff.pk)


def test_logout_without_csrf_token_is_refused(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 403
    assert logged_in_id(client) == str(staff.pk)


# --- the dashboard behind the page ----------------------------------------------------------------------


def test_anonymous_is_sent_from_the_dashboard_to_the_login_page(client, db):
    response = client.get(f"{DASHBOARD_URL}?fiscal_year=2026")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/rollout/%3Ffiscal_year%3D2026"


def test_a_manager_without_admin_access_logs_in_and_opens_the_dashboard(client, manager):
    # given a 課長 who may not use the admin site
    assert not manager.is_staff
    assert manager.has_role("manager")

    # when logging in through the page with the dashboard as `next`
    response = page_login(client, "kacho", TEST_PASSWORD, next_url=f"{DASHBOARD_URL}?fiscal_year=2026")
    page = client.get(response["Location"])

    # then the dashboard opens, with a logout button
    assert response.status_code == 302
    assert page.status_code == 200
    html = page.content.decode()
    assert '"fiscalYear": 2026' in html
    assert f'action="{LOGOUT_URL}"' in html


def test_plain_staff_logs_in_but_the_dashboard_refuses_them(client, staff):
    response = page_login(client, "tanaka", TEST_PASSWORD, next_url=DASHBOARD_URL)

    assert response.status_code == 302
    assert logged_in_id(client) == str(staff.pk)
    assert client.get(DASHBOARD_URL).status_code == 403


# --- the admin site's login goes through the same lockout ------------------------------------------------


def admin_login(client: Client, username: str, password: str):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def test_wrong_passwords_on_the_admin_login_lock_the_token_endpoint(client, staff):
    # given an admin-site user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])

    # when five wrong passwords come through the admin's login form
    statuses = [admin_login(client, "tanaka", "wrong").status_code for _ in range(5)]
    right = admin_login(client, "tanaka", TEST_PASSWORD)

    # then they counted toward the one lockout: the admin and the API refuse the right password
    assert statuses == [200] * 5
    assert right.status_code == 200
    assert "アカウントを一時的にロックしています" in right.content.decode()
    assert logged_in_id(client) is None
    assert token_login("tanaka", TEST_PASSWORD).json()["code"] == "account_locked"


def test_admin_login_still_refuses_non_staff_and_admits_staff(client, staff):
    refused = admin_login(client, "tanaka", TEST_PASSWORD)
    assert refused.status_code == 200
    assert logged_in_id(client) is None

    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    admitted = admin_login(client, "tanaka", TEST_PASSWORD)

    assert admitted.status_code == 302
    assert admitted["Location"] == "/admin/"
    assert logged_in_id(client) == str(staff.pk)
