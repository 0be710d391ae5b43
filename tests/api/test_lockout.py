"""Lockout without denial of service: failures count per (username, client address) and per address, a locked
account still logs in from an address that has not failed, each lock is audited and told to the owner, and only an
administrator unlocks (audited)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.errors import DomainError
from notifications.models import Notification
from org.login import login_unlock
from org.models import AccessToken, Employee, LoginFailure, SecurityEvent
from tests.factories import TEST_PASSWORD, DepartmentFactory, EmployeeFactory

TOKEN_URL = "/api/v1/auth/token/"
OFFICE, ATTACKER, PHONE = "10.1.2.3", "10.9.9.9", "10.4.5.6"


@pytest.fixture
def mayor(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 30
    return EmployeeFactory(username="mayor", department=DepartmentFactory(code="somu"), position="mayor")


def login(username: str, password: str, address: str, **extra):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=address, **extra
    )


def test_five_wrong_passwords_lock_the_account_only_from_that_address(mayor):
    # given an attacker who tries five wrong passwords for the mayor
    statuses = [login("mayor", "guess", ATTACKER).status_code for _ in range(5)]
    # then the attacker's address is locked for the mayor, even with the right password
    assert statuses == [400, 400, 400, 400, 429]
    locked = login("mayor", TEST_PASSWORD, ATTACKER)
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")
    assert int(locked["Retry-After"]) > 0
    # and the mayor still logs in from the office (no denial of service)
    assert login("mayor", TEST_PASSWORD, OFFICE).status_code == 200
    assert AccessToken.objects.filter(user=mayor).count() == 1


def test_a_lock_is_audited_and_told_to_the_owner(mayor):
    for _ in range(5):
        login("mayor", "guess", ATTACKER)

    event = SecurityEvent.objects.get(action="account_locked")
    assert (event.subject, event.address, event.data["scope"]) == (mayor, ATTACKER, "username")
    notice = Notification.objects.get(recipient=mayor, kind="security_account_locked")
    assert ATTACKER in notice.body


def test_an_address_guessing_across_many_accounts_is_locked_for_all_of_them(mayor, settings):
    # given an address that tries one password on many usernames (password spraying)
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    statuses = [login(f"user{n}", "Spring-2026!", ATTACKER).status_code for n in range(4)]
    # then the address is locked for every username, the right password included
    assert statuses == [400, 400, 400, 429]
    assert login("mayor", TEST_PASSWORD, ATTACKER).status_code == 429
    assert SecurityEvent.objects.filter(action="account_locked", data__scope="address").count() == 1
    # while another address is not
    assert login("mayor", TEST_PASSWORD, PHONE).status_code == 200


def test_a_success_forgets_only_that_addresss_streak(mayor):
    for _ in range(3):
        login("mayor", "guess", ATTACKER)
    assert login("mayor", TEST_PASSWORD, OFFICE).status_code == 200
    # the attacker's streak goes on: two more failures lock them out
    login("mayor", "guess", ATTACKER)
    assert login("mayor", "guess", ATTACKER).status_code == 429


def test_x_forwarded_for_is_ignored_without_a_proxy(mayor):
    # an attacker cannot dodge the lock by inventing addresses when DJANGO_NUM_PROXIES is 0
    for n in range(5):
        login("mayor", "guess", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert login("mayor", TEST_PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.77").status_code == 429


def test_behind_a_proxy_the_forwarded_address_counts(mayor, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(5):
        login("mayor", "guess", "10.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert login("mayor", TEST_PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert login("mayor", TEST_PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE).status_code == 200


def test_the_site_login_page_counts_by_address_too(mayor):
    for _ in range(5):
        Client(REMOTE_ADDR=ATTACKER).post("/accounts/login/", {"username": "mayor", "password": "guess"})
    assert LoginFailure.objects.get(username="mayor").address == ATTACKER
    assert login("mayor", TEST_PASSWORD, ATTACKER).status_code == 429
    assert login("mayor", TEST_PASSWORD, OFFICE).status_code == 200


# --- unlocking ----------------------------------------------------------------------------------------------


@pytest.fixture
def locked(mayor):
    for _ in range(5):
        login("mayor", "guess", ATTACKER)
    assert login("mayor", TEST_PASSWORD, ATTACKER).status_code == 429
    return LoginFailure.objects.get(username="mayor", address=ATTACKER)


def admin_client(*roles):
    user = EmployeeFactory(username="-".join(roles), department=None, roles=list(roles), is_staff=True)
    client = Client()
    client.force_login(user)
    return client, user


def test_an_administrator_unlocks_in_the_admin_audited(locked):
    client, admin = admin_client("admin")

    response = client.post(f"/admin/org/loginfailure/{locked.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="mayor").exists()
    event = SecurityEvent.objects.get(action="account_unlocked")
    assert (event.actor, event.subject_username) == (admin, "mayor")
    assert login("mayor", TEST_PASSWORD, ATTACKER).status_code == 200


@pytest.mark.parametrize("role", ["hr", "secretariat"])
def test_only_an_administrator_unlocks_and_a_refusal_changes_nothing(locked, role):
    client, user = admin_client(role)

    assert client.get("/admin/org/loginfailure/").status_code == 403
    assert client.post(f"/admin/org/loginfailure/{locked.pk}/delete/", {"post": "yes"}).status_code == 403
    with pytest.raises(DomainError) as refused:
        login_unlock(actor=user, username="mayor")
    assert refused.value.code == "admin_only"
    assert LoginFailure.objects.filter(username="mayor", address=ATTACKER).exists()
    assert not SecurityEvent.objects.filter(action="account_unlocked").exists()
    assert login("mayor", TEST_PASSWORD, ATTACKER).status_code == 429


def test_unlocking_an_address(mayor, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    login("a", "x", ATTACKER)
    login("b", "x", ATTACKER)
    admin = Employee.objects.create_superuser("root", "root@example.jp", TEST_PASSWORD)

    assert login_unlock(actor=admin, address=ATTACKER) == 1

    assert not LoginFailure.objects.filter(username="", address=ATTACKER).exists()
    assert login("mayor", TEST_PASSWORD, ATTACKER).status_code == 200
