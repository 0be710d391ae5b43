"""Token login with lockout, logout, and /me/ (with their authorisation matrix)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from org.login import purge_stale_login_failures
from org.models import AccessToken, Employee, LoginFailure, Position, SecurityEvent
from tests.factories import DepartmentFactory, EmployeeFactory

PASSWORD = "s3cret-pass-for-tests"
TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"
ME_URL = "/api/v1/me/"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db) -> Employee:
    employee = EmployeeFactory(
        username="tanaka", name="田中 一郎", department=DepartmentFactory(code="somu", name="総務課")
    )
    employee.set_password(PASSWORD)
    employee.save()
    return employee


def login(client: APIClient, username: str, password: str, **extra):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_login_returns_a_token_that_authenticates(api_client, user):
    # when
    response = login(api_client, "tanaka", PASSWORD)
    # then the token is the user's, stored only as its digest, and opens /me/
    assert response.status_code == 200
    body = response.json()
    stored = AccessToken.objects.get(user=user)
    assert set(body) == {"token", "id", "name", "expiry"}
    assert body["id"] == stored.pk
    assert stored.digest == hash_token(body["token"]) != body["token"]
    me = token_client(body["token"]).get(ME_URL)
    assert me.status_code == 200
    assert me.json()["username"] == "tanaka"
    user.refresh_from_db()
    assert user.last_login is not None


def test_each_login_gets_its_own_token(api_client, user):
    # one token per device or login (knox), each working until it is revoked or expires
    first = login(api_client, "tanaka", PASSWORD).json()["token"]
    second = login(api_client, "tanaka", PASSWORD).json()["token"]
    assert first != second
    assert AccessToken.objects.filter(user=user).count() == 2
    assert token_client(first).get(ME_URL).status_code == token_client(second).get(ME_URL).status_code == 200


@pytest.mark.parametrize(
    ("username", "password"), [("tanaka", "wrong-password"), ("nobody", PASSWORD), ("TANAKA", PASSWORD)]
)
def test_wrong_credentials_are_400_invalid_credentials_and_create_no_token(
    api_client, user, username, password
):
    response = login(api_client, username, password)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not AccessToken.objects.exists()


def test_inactive_user_cannot_log_in(api_client, user):
    user.is_active = False
    user.save()
    response = login(api_client, "tanaka", PASSWORD)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not AccessToken.objects.exists()


def test_unknown_and_known_usernames_answer_alike(api_client, user):
    known = login(api_client, "tanaka", "wrong-password")
    unknown = login(api_client, "nobody", "wrong-password")
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()


def test_lockout_after_the_limit_refuses_even_the_right_password(api_client, user, settings):
    # given the limit of failures
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600
    first_two = [login(api_client, "tanaka", "wrong").status_code for _ in range(2)]
    # when the third wrong password comes, then the right one
    third = login(api_client, "tanaka", "wrong")
    right = login(api_client, "tanaka", PASSWORD)
    # then the account is locked, the right password too, with Retry-After
    assert first_two == [400, 400]
    assert third.status_code == 429
    assert third.json()["code"] == "account_locked"
    assert right.status_code == 429
    assert right.json()["code"] == "account_locked"
    assert 590 <= int(right["Retry-After"]) <= 600
    assert not AccessToken.objects.exists()


def test_lock_ends_after_the_lockout_time(api_client, user, settings):
    # given a lock that ended a second ago
    settings.LOGIN_FAILURE_LIMIT = 3
    LoginFailure.objects.create(
        username="tanaka",
        address="127.0.0.1",
        failures=0,
        last_failed_at=timezone.now() - timedelta(minutes=20),
        locked_until=timezone.now() - timedelta(seconds=1),
    )
    # when
    response = login(api_client, "tanaka", PASSWORD)
    # then the login works and the failure row is gone
    assert response.status_code == 200
    assert not LoginFailure.objects.exists()


def test_success_resets_the_failure_count(api_client, user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    login(api_client, "tanaka", "wrong")
    login(api_client, "tanaka", "wrong")
    assert login(api_client, "tanaka", PASSWORD).status_code == 200
    # when two more failures follow the success
    login(api_client, "tanaka", "wrong")
    response = login(api_client, "tanaka", "wrong")
    # then they start a new streak: no lock yet
    assert response.status_code == 400
    assert LoginFailure.objects.get(username="tanaka").failures == 2


def test_old_failures_are_forgotten(api_client, user, settings):
    # given two failures long ago
    settings.LOGIN_FAILURE_LIMIT = 3
    LoginFailure.objects.create(
        username="tanaka", address="127.0.0.1", failures=2, last_failed_at=timezone.now() - timedelta(hours=2)
    )
    # when one more failure comes
    response = login(api_client, "tanaka", "wrong")
    # then the streak restarts at one
    assert response.status_code == 400
    assert LoginFailure.objects.get(username="tanaka").failures == 1


def test_unknown_usernames_are_locked_too(api_client, db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    login(api_client, "ghost", "a")
    response = login(api_client, "ghost", "b")
    assert response.status_code == 429
    assert response.json()["code"] == "account_locked"


def test_lock_of_one_user_does_not_lock_another(api_client, user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    other = EmployeeFactory(username="suzuki")
    other.set_password(PASSWORD)
    other.save()
    login(api_client, "tanaka", "a")
    login(api_client, "tanaka", "b")
    response = login(api_client, "suzuki", PASSWORD)
    assert response.status_code == 200
    assert AccessToken.objects.filter(user=other).exists()


def test_overlong_username_is_a_validation_error(api_client, db):
    response = login(api_client, "x" * 151, "pw")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "username"
    assert not LoginFailure.objects.exists()


def test_purge_removes_only_stale_rows(db, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 600
    now = timezone.now()
    LoginFailure.objects.create(username="stale", failures=1, last_failed_at=now - timedelta(hours=1))
    LoginFailure.objects.create(username="recent", failures=1, last_failed_at=now - timedelta(minutes=1))
    LoginFailure.objects.create(
        username="locked",
        failures=0,
        last_failed_at=now - timedelta(hours=1),
        locked_until=now + timedelta(minutes=5),
    )
    assert purge_stale_login_failures(now=now) == 1
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"recent", "locked"}


def test_login_messages_follow_accept_language(api_client, user):
    japanese = login(api_client, "tanaka", "wrong")
    english = login(api_client, "tanaka", "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert japanese.json()["detail"] == "ユーザー名またはパスワードが正しくありません。"
    assert english.json()["detail"] == "Incorrect username or password."


# --- logout -------------------------------------------------------------------------------------------


def test_revoke_deletes_only_the_callers_token(api_client, user):
    # given two users logged in
    other = EmployeeFactory(username="suzuki")
    other_token, _other_key = AccessToken.objects.create(user=other)
    key = login(api_client, "tanaka", PASSWORD).json()["token"]
    client = token_client(key)
    # when
    response = client.post(REVOKE_URL)
    # then the token no longer works, the other user's does
    assert response.status_code == 204
    assert not AccessToken.objects.filter(user=user).exists()
    assert AccessToken.objects.filter(pk=other_token.pk).exists()
    assert client.get(ME_URL).status_code == 401


def test_revoke_anonymous_is_401_and_deletes_nothing(api_client, user):
    AccessToken.objects.create(user=user)
    response = api_client.post(REVOKE_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert AccessToken.objects.filter(user=user).exists()


def test_revoke_with_a_bad_token_is_401_and_deletes_nothing(user):
    AccessToken.objects.create(user=user)
    response = token_client("f" * 64).post(REVOKE_URL)
    assert response.status_code == 401
    assert AccessToken.objects.filter(user=user).count() == 1


# --- /me/ -----------------------------------------------------------------------------------------------


def test_me_anonymous_is_401(api_client, db):
    response = api_client.get(ME_URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_with_a_token_of_an_inactive_user_is_401(user):
    _token, key = AccessToken.objects.create(user=user)
    user.is_active = False
    user.save()
    response = token_client(key).get(ME_URL)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_me_shows_the_callers_profile(user, as_user, django_assert_max_num_queries):
    # given a manager of the 総務課
    user.position = Position.CHIEF
    user.save()
    user.roles.add(*user.roles.model.objects.filter(code__in=["manager", "hr"]))
    # when
    with django_assert_max_num_queries(3):
        response = as_user(user).get(ME_URL)
    # then
    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": "tanaka",
        "name": "田中 一郎",
        "department": {"code": "somu", "name": "総務課"},
        "position": "chief",
        "roles": ["staff", "manager", "hr"],
    }


def test_me_each_user_sees_only_themselves(user, as_user):
    other = EmployeeFactory(username="suzuki")
    assert as_user(user).get(ME_URL).json()["id"] == user.pk
    assert as_user(other).get(ME_URL).json()["id"] == other.pk


def test_me_superuser_without_department_has_admin_role(db, as_user):
    admin = Employee.objects.create_superuser("root", "root@example.jp", PASSWORD)
    body = as_user(admin).get(ME_URL).json()
    assert body["department"] is None
    assert "admin" in body["roles"]


def test_me_via_token_login_counts_queries(api_client, user, django_assert_max_num_queries):
    key = login(api_client, "tanaka", PASSWORD).json()["token"]
    client = token_client(key)
    with django_assert_max_num_queries(3):
        response = client.get(ME_URL)
    assert response.json()["department"] == {"code": "somu", "name": "総務課"}


def test_me_rejects_writes(user, as_user):
    response = as_user(user).patch(ME_URL, {"name": "x"}, format="json")
    assert response.status_code == 405
    user.refresh_from_db()
    assert user.name == "田中 一郎"


def test_admin_unlocks_an_account_by_deleting_its_failure_row(api_client, user, settings, client):
    # given a locked account
    settings.LOGIN_FAILURE_LIMIT = 1
    login(api_client, "tanaka", "wrong")
    row = LoginFailure.objects.get(username="tanaka")
    admin = Employee.objects.create_superuser("root", "root@example.jp", PASSWORD)
    client.force_login(admin)
    # when the administrator deletes the row in the admin
    response = client.post(f"/admin/org/loginfailure/{row.pk}/delete/", {"post": "yes"})
    # then the account's rows are gone (the address keeps its own count), audited, and the user logs in again
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="tanaka").exists()
    assert SecurityEvent.objects.filter(action="account_unlocked", actor=admin, subject=user).count() == 1
    assert login(api_client, "tanaka", PASSWORD).status_code == 200
