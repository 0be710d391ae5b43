"""Accounts as a town's security policy expects: who resets whose password (audited, the owner told, every token and
session of the account ended), one's own password change, the password policy, the caller's tokens, the expiry of
tokens and of idle sessions."""

from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from attendance.worktime import LOCAL_TZ
from notifications.models import Notification
from org import services
from org.models import AccessToken, Employee, SecurityEvent
from tests.clock import FrozenClock
from tests.factories import TEST_PASSWORD, DepartmentFactory, EmployeeFactory

NEW_PASSWORD = "Minami-furano-river-2026"
TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
PASSWORD_URL = "/api/v1/me/password/"
TOKENS_URL = "/api/v1/me/tokens/"


@pytest.fixture
def town(db):
    somu = DepartmentFactory(code="somu", name="総務課")
    return {
        "hr": EmployeeFactory(username="hr", department=somu, roles=["hr"]),
        "mayor": EmployeeFactory(username="mayor", department=somu, position="mayor"),
        "staff": EmployeeFactory(username="staff", department=somu),
        "admin": Employee.objects.create_superuser("root", "root@example.jp", TEST_PASSWORD),
        "admin_role": EmployeeFactory(username="sysadmin", department=None, roles=["admin"]),
    }


def token_of(username: str, password: str = TEST_PASSWORD, **extra) -> str:
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def session_of(employee) -> Client:
    client = Client()
    client.force_login(employee)
    return client


def password_of(employee) -> str:
    return Employee.objects.get(pk=employee.pk).password


# --- another person's password (HR, admin) ------------------------------------------------------------


def test_hr_resets_a_staff_password_audited_notified_and_every_token_and_session_ended(town):
    # given the mayor logged in on two devices and in the browser
    mayor = town["mayor"]
    phone, laptop = token_of("mayor", name="iPhone"), token_of("mayor", name="PC")
    browser = session_of(mayor)
    assert browser.get(ME_URL).status_code == 200
    hr_client = with_token(token_of("hr"))
    # when HR sets a new password
    response = hr_client.patch(
        f"/api/v1/org/employees/{mayor.pk}/", {"password": NEW_PASSWORD}, format="json"
    )
    # then it is set, audited (who, whom, when), the owner is told, and no old way in works
    assert response.status_code == 200
    assert Employee.objects.get(pk=mayor.pk).check_password(NEW_PASSWORD)
    event = SecurityEvent.objects.get(action="password_reset")
    assert (event.actor, event.subject, event.subject_username) == (town["hr"], mayor, "mayor")
    assert event.at is not None
    assert event.data["tokens_revoked"] == 2
    notice = Notification.objects.get(recipient=mayor, kind="security_password_reset")
    assert "パスワード" in notice.title
    assert not AccessToken.objects.filter(user=mayor).exists()
    assert with_token(phone).get(ME_URL).status_code == 401
    assert with_token(laptop).get(ME_URL).status_code == 401
    assert browser.get(ME_URL).status_code in (401, 403)
    # and HR's own token still works
    assert hr_client.get(ME_URL).status_code == 200


def test_hr_cannot_reset_an_administrators_password_and_nothing_changes(town):
    for target in ("admin", "admin_role"):
        before = password_of(town[target])
        response = with_token(token_of("hr")).patch(
            f"/api/v1/org/employees/{town[target].pk}/", {"password": NEW_PASSWORD}, format="json"
        )
        assert response.status_code == 403
        assert response.json()["code"] == "admin_only"
        assert password_of(town[target]) == before
    assert not SecurityEvent.objects.filter(action="password_reset").exists()


def test_staff_cannot_reset_anyones_password(town):
    before = password_of(town["mayor"])
    response = with_token(token_of("staff")).patch(
        f"/api/v1/org/employees/{town['mayor'].pk}/", {"password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 403
    assert password_of(town["mayor"]) == before


def test_an_administrator_resets_an_administrators_password(town):
    services.password_reset(actor=town["admin_role"], employee=town["admin"], password=NEW_PASSWORD)

    assert Employee.objects.get(pk=town["admin"].pk).check_password(NEW_PASSWORD)
    assert SecurityEvent.objects.get(action="password_reset").actor == town["admin_role"]


def test_a_reset_password_follows_the_policy(town):
    before = password_of(town["staff"])
    response = with_token(token_of("hr")).patch(
        f"/api/v1/org/employees/{town['staff'].pk}/", {"password": "short-pw"}, format="json"
    )
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["errors"]] == ["password_too_short"]
    assert password_of(town["staff"]) == before
    assert not SecurityEvent.objects.exists() or not SecurityEvent.objects.filter(action="password_reset")


# --- one's own password -----------------------------------------------------------------------------------


def test_changing_ones_own_password_ends_the_other_tokens_only(town):
    # given the staff logged in on two devices
    other_device = token_of("staff", name="phone")
    this_device = token_of("staff", name="pc")
    client = with_token(this_device)
    # when
    response = client.post(
        PASSWORD_URL, {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )
    # then
    assert response.status_code == 204
    assert Employee.objects.get(pk=town["staff"].pk).check_password(NEW_PASSWORD)
    assert client.get(ME_URL).status_code == 200
    assert with_token(other_device).get(ME_URL).status_code == 401
    assert list(AccessToken.objects.filter(user=town["staff"]).values_list("name", flat=True)) == ["pc"]
    event = SecurityEvent.objects.get(action="password_changed")
    assert (event.actor, event.subject, event.address) == (town["staff"], town["staff"], "127.0.0.1")
    assert Notification.objects.filter(recipient=town["staff"], kind="security_password_changed").exists()


def test_changing_ones_password_in_a_session_keeps_that_session(town):
    client = session_of(town["staff"])
    response = client.post(
        PASSWORD_URL,
        {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert client.get(ME_URL).status_code == 200


def test_a_wrong_current_password_changes_nothing(town):
    before = password_of(town["staff"])
    client = with_token(token_of("staff"))
    response = client.post(
        PASSWORD_URL, {"current_password": "not-my-password", "new_password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("current_password", "current_password_incorrect")
    ]
    assert password_of(town["staff"]) == before
    assert not SecurityEvent.objects.exists()


@pytest.mark.parametrize(
    ("new_password", "code", "japanese"),
    [
        ("Short-2026", "password_too_short", "12"),
        ("staff", "password_too_short", "短すぎ"),
        ("password1234", "password_too_common", "一般的"),
        ("202612345678", "password_entirely_numeric", "数字"),
    ],
)
def test_the_towns_password_policy_with_japanese_messages(town, new_password, code, japanese):
    before = password_of(town["staff"])
    response = with_token(token_of("staff")).post(
        PASSWORD_URL, {"current_password": TEST_PASSWORD, "new_password": new_password}, format="json"
    )
    assert response.status_code == 400
    errors = {e["code"]: e for e in response.json()["errors"]}
    assert code in errors
    assert errors[code]["field"] == "new_password"
    assert japanese in errors[code]["message"]
    assert password_of(town["staff"]) == before


def test_the_password_cannot_be_the_username(town):
    EmployeeFactory(username="yamamoto.takeshi")
    response = with_token(token_of("yamamoto.takeshi")).post(
        PASSWORD_URL, {"current_password": TEST_PASSWORD, "new_password": "Yamamoto.Takeshi"}, format="json"
    )
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["errors"]] == ["password_too_similar"]
    assert "似" in response.json()["errors"][0]["message"]


def test_password_change_needs_a_login(town):
    response = APIClient().post(
        PASSWORD_URL, {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 401


# --- the caller's tokens ------------------------------------------------------------------------------------


def test_the_caller_lists_their_own_tokens_by_name_and_sees_which_is_this_one(town):
    token_of("mayor", name="someone else's")
    token_of("staff", name="phone")
    key = token_of("staff", name="pc")
    response = with_token(key).get(TOKENS_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(t["name"], t["current"]) for t in body["results"]] == [("pc", True), ("phone", False)]
    assert set(body["results"][0]) == {"id", "name", "created", "expiry", "current"}
    assert "token" not in body["results"][0]
    assert "digest" not in body["results"][0]


def test_the_device_name_defaults_to_the_user_agent(town):
    response = APIClient().post(
        TOKEN_URL,
        {"username": "staff", "password": TEST_PASSWORD},
        format="json",
        HTTP_USER_AGENT="TownApp/1.2 (iOS)",
    )
    assert response.json()["name"] == "TownApp/1.2 (iOS)"


def test_ending_one_of_ones_tokens(town):
    lost_phone = token_of("staff", name="lost phone")
    client = with_token(token_of("staff", name="pc"))
    lost_id = AccessToken.objects.get(name="lost phone").pk

    response = client.delete(f"{TOKENS_URL}{lost_id}/")

    assert response.status_code == 204
    assert with_token(lost_phone).get(ME_URL).status_code == 401
    assert client.get(ME_URL).status_code == 200
    assert SecurityEvent.objects.get(action="token_revoked").subject == town["staff"]


def test_nobody_ends_another_persons_token(town):
    mayors = token_of("mayor", name="mayor's phone")
    mayors_id = AccessToken.objects.get(name="mayor's phone").pk

    response = with_token(token_of("hr")).delete(f"{TOKENS_URL}{mayors_id}/")

    assert response.status_code == 404
    assert response.json()["code"] == "token_not_found"
    assert with_token(mayors).get(ME_URL).status_code == 200


def test_tokens_need_a_login(town):
    assert APIClient().get(TOKENS_URL).status_code == 401


# --- expiry -------------------------------------------------------------------------------------------------


def test_a_token_expires_thirty_days_after_the_login_however_often_it_is_used(town):
    clock = FrozenClock(datetime(2026, 6, 1, 9, 0, tzinfo=LOCAL_TZ))
    response = APIClient().post(TOKEN_URL, {"username": "staff", "password": TEST_PASSWORD}, format="json")
    key = response.json()["token"]
    assert response.json()["expiry"].startswith("2026-07-01T09:00:00")
    client = with_token(key)
    for day in range(1, 30):  # used every day: absolute, not sliding
        clock.set(datetime(2026, 6, 1, 9, 0, tzinfo=LOCAL_TZ) + timedelta(days=day))
        assert client.get(ME_URL).status_code == 200
    clock.set(datetime(2026, 7, 1, 9, 1, tzinfo=LOCAL_TZ))
    assert client.get(ME_URL).status_code == 401
    assert not AccessToken.objects.filter(user=town["staff"]).exists()


def test_a_session_ends_after_eight_idle_hours(town):
    clock = FrozenClock(datetime(2026, 6, 1, 8, 30, tzinfo=LOCAL_TZ))
    client = session_of(town["staff"])
    for hours in (7, 14):  # each request renews the idle time
        clock.set(clock.now + timedelta(hours=7))
        assert client.get(ME_URL).status_code == 200, hours
    clock.set(clock.now + timedelta(hours=8, minutes=1))
    assert client.get(ME_URL).status_code in (401, 403)


def test_a_session_is_written_again_only_once_the_renewal_interval_has_passed(town):
    # given a session used at 8:30
    clock = FrozenClock(datetime(2026, 6, 1, 8, 30, tzinfo=LOCAL_TZ))
    client = session_of(town["staff"])
    assert client.get(ME_URL).status_code == 200
    expiry = Session.objects.get().expire_date
    # when it is used again a minute later, then the row is not written (parallel reads of a page never race)
    clock.set(clock.now + timedelta(minutes=1))
    assert client.get(ME_URL).status_code == 200
    assert Session.objects.get().expire_date == expiry
    # and five minutes later the idle time starts again from then
    clock.set(clock.now + timedelta(minutes=5))
    assert client.get(ME_URL).status_code == 200
    assert Session.objects.get().expire_date == expiry + timedelta(minutes=6)
