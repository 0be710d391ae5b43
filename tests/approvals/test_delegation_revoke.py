"""委任の取消: the service, POST /api/v1/approvals/delegations/{id}/revoke/ with its authorisation matrix, and the
admin (a broken rule is a form error; a saved delegation is only revoked)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from approvals import services
from approvals.models import AuditEvent, Delegation
from approvals.selectors import principals_of
from core.errors import Conflict, NotFound
from notifications.models import Notification
from org.models import Employee
from tests.factories import EmployeeFactory


def revoke_url(delegation_id):
    return f"/api/v1/approvals/delegations/{delegation_id}/revoke/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def running(town, today):
    """The director delegated everything to the chief from yesterday to next week."""
    return services.delegation_create(
        delegator=town.director,
        delegate=town.chief,
        start=today - timedelta(days=1),
        end=today + timedelta(days=7),
        actor=town.director,
    )


def snapshot(delegation_id):
    row = Delegation.objects.filter(pk=delegation_id).values_list("start", "end").first()
    return (
        row,
        AuditEvent.objects.filter(action="delegation_revoke").count(),
        Notification.objects.filter(kind="approval_delegation_revoked").count(),
    )


# --- the service ----------------------------------------------------------------------------------


def test_the_delegator_ends_a_running_delegation_today(town, running, today):
    revoked = services.delegation_revoke(delegation=running, actor=town.director)

    running.refresh_from_db()
    assert revoked == running
    assert (running.start, running.end) == (today - timedelta(days=1), today)
    assert principals_of(user=town.chief, on=today + timedelta(days=1)).delegators == {}
    [event] = AuditEvent.objects.filter(action="delegation_revoke")
    assert (event.actor, event.on_behalf_of) == (town.director, None)
    assert event.data["new_end"] == today.isoformat()
    [note] = Notification.objects.filter(kind="approval_delegation_revoked")
    assert note.recipient == town.chief
    assert note.data == {"delegation": running.pk, "deleted": False}


def test_a_delegation_not_yet_started_is_deleted(town, today):
    future = services.delegation_create(
        delegator=town.director,
        delegate=town.chief,
        start=today + timedelta(days=3),
        end=today + timedelta(days=5),
        actor=town.director,
    )

    assert services.delegation_revoke(delegation=future, actor=town.director) is None

    assert not Delegation.objects.filter(pk=future.pk).exists()
    [event] = AuditEvent.objects.filter(action="delegation_revoke")
    assert (event.data["delegation"], event.data["new_end"]) == (None, None)
    assert Notification.objects.get(kind="approval_delegation_revoked").data["deleted"] is True


def test_an_admin_revokes_someone_elses_delegation_on_their_behalf(town, running, today):
    admin = EmployeeFactory(username="sysadmin", roles=["admin"])

    services.delegation_revoke(delegation=running, actor=admin)

    running.refresh_from_db()
    assert running.end == today
    event = AuditEvent.objects.get(action="delegation_revoke")
    assert (event.actor, event.on_behalf_of) == (admin, town.director)


@pytest.mark.parametrize("days_before_today", [1, 3])
def test_a_delegation_ended_before_today_cannot_be_revoked(town, today, days_before_today):
    end = today - timedelta(days=days_before_today)
    delegation = services.delegation_create(
        delegator=town.director,
        delegate=town.chief,
        start=end - timedelta(days=2),
        end=end,
        actor=town.director,
    )
    before = snapshot(delegation.pk)

    with pytest.raises(Conflict) as raised:
        services.delegation_revoke(delegation=delegation, actor=town.director)

    assert raised.value.code == "delegation_ended"
    assert snapshot(delegation.pk) == before


def test_the_delegate_cannot_revoke(town, running):
    before = snapshot(running.pk)

    with pytest.raises(NotFound):
        services.delegation_revoke(delegation=running, actor=town.chief)

    assert snapshot(running.pk) == before


# --- the API --------------------------------------------------------------------------------------


def test_revoke_authorisation_matrix(api_client, as_user, town, running, today):
    before = snapshot(running.pk)

    # anonymous
    assert api_client.post(revoke_url(running.pk)).status_code == 401
    # an unrelated user and the delegate (who sees it in their list) do not find it
    for user in (town.kaikei_staff, town.chief):
        response = as_user(user).post(revoke_url(running.pk))
        assert response.status_code == 404
        assert response.json()["code"] == "delegation_not_found"
    # an unknown id answers the same
    assert as_user(town.director).post(revoke_url(running.pk + 1000)).status_code == 404
    assert snapshot(running.pk) == before

    # the delegator
    response = as_user(town.director).post(revoke_url(running.pk))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["end"]) == (running.pk, today.isoformat())
    assert snapshot(running.pk)[0] == (today - timedelta(days=1), today)
    # a second revoke: nothing left to end
    again = as_user(town.director).post(revoke_url(running.pk))
    assert (again.status_code, again.json()["code"]) == (409, "delegation_ended")


def test_revoking_a_future_delegation_answers_204(as_user, town, today):
    future = services.delegation_create(
        delegator=town.director,
        delegate=town.chief,
        start=today + timedelta(days=1),
        end=today + timedelta(days=2),
        actor=town.director,
    )

    response = as_user(town.director).post(revoke_url(future.pk))

    assert response.status_code == 204
    assert not Delegation.objects.filter(pk=future.pk).exists()


# --- the admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(town):
    user = Employee.objects.create_superuser("root", "root@example.jp", "Root-password-2026")
    client = Client()
    client.force_login(user)
    return client


def admin_post(client, town, today, **changes):
    body = {
        "delegator": town.director.pk,
        "delegate": town.chief.pk,
        "start": today.isoformat(),
        "end": today.isoformat(),
        "kinds": "[]",
        **changes,
    }
    return client.post("/admin/approvals/delegation/add/", body)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kinds": json.dumps(["bogus"])}, "不明な種別です。"),
        ({"kinds": json.dumps({"general": True})}, "種別の一覧"),
        ({"delegate": "inactive"}, "無効な職員です。"),
    ],
)
def test_a_delegation_breaking_a_rule_is_a_form_error_in_the_admin(
    admin_client, town, today, changes, message
):
    if changes.get("delegate") == "inactive":
        changes["delegate"] = EmployeeFactory(username="retired", is_active=False).pk

    response = admin_post(admin_client, town, today, **changes)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Delegation.objects.exists()
    assert not AuditEvent.objects.filter(action="delegate").exists()


def test_a_self_delegation_is_a_form_error_in_the_admin(admin_client, town, today):
    response = admin_post(admin_client, town, today, delegate=town.director.pk)

    assert response.status_code == 200
    assert "自分自身には委任できません。" in response.content.decode()
    assert not Delegation.objects.exists()


def test_a_saved_delegation_is_read_only_and_revoked_by_the_admin_action(admin_client, town, running, today):
    change_url = f"/admin/approvals/delegation/{running.pk}/change/"
    end = running.end

    # the change page shows it read-only and refuses a save
    assert admin_client.get(change_url).status_code == 200
    refused = admin_client.post(
        change_url,
        {
            "delegator": town.director.pk,
            "delegate": town.chief.pk,
            "start": today.isoformat(),
            "end": (end + timedelta(days=30)).isoformat(),
            "kinds": "[]",
        },
    )
    assert refused.status_code == 403
    running.refresh_from_db()
    assert running.end == end

    # the revoke action goes through the service
    response = admin_client.post(
        "/admin/approvals/delegation/",
        {"action": "revoke", "_selected_action": [running.pk]},
    )

    assert response.status_code == 302
    running.refresh_from_db()
    assert running.end == today
    assert AuditEvent.objects.filter(action="delegation_revoke").count() == 1


def test_the_refusal_is_in_english_on_request(as_user, town, today):
    ended = services.delegation_create(
        delegator=town.director, delegate=town.chief, start=today, end=today, actor=town.director
    )
    services.delegation_revoke(delegation=ended, actor=town.director)

    response = as_user(town.director).post(revoke_url(ended.pk), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.json()["detail"] == "This delegation has already ended or been revoked."
