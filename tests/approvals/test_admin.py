"""The admin of approvals: documents with their route and record, route rules published as new versions."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from approvals import services
from approvals.models import Delegation, RouteRule
from org.models import Employee


@pytest.fixture
def superuser_client(town):
    user = Employee.objects.create_superuser("root", "root@example.jp", "Root-password-2026")
    client = Client()
    client.force_login(user)
    return client


def test_document_pages_show_the_route_and_the_record(superuser_client, town, submitted):
    document = submitted(amount=50_000)
    services.document_approve(document=document, actor=town.chief, comment="確認")

    changelist = superuser_client.get("/admin/approvals/document/")
    page = superuser_client.get(f"/admin/approvals/document/{document.pk}/change/")

    assert changelist.status_code == 200
    assert "物品購入について" in changelist.content.decode()
    assert page.status_code == 200
    content = page.content.decode()
    assert "総務係長" in content  # the decided step's approver
    assert "submit" in content  # an audit event of the record
    assert superuser_client.get("/admin/approvals/document/add/").status_code == 403


@pytest.mark.parametrize(
    "url", ["/admin/approvals/routerule/", "/admin/approvals/delegation/", "/admin/approvals/auditevent/"]
)
def test_other_pages_open(superuser_client, url):
    assert superuser_client.get(url).status_code == 200


def test_saving_a_rule_in_the_admin_publishes_a_new_version(superuser_client, town, submitted):
    document = submitted(amount=50_000)
    rule = RouteRule.objects.get(kind="general", active=True)
    steps = [{"kind": "final", "approver": {"position": "mayor"}}]

    response = superuser_client.post(
        f"/admin/approvals/routerule/{rule.pk}/change/",
        {"kind": "general", "steps": json.dumps(steps), "note": "町長決裁のみ"},
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.version, rule.active, rule.steps[0]["kind"]) == (1, False, "review")
    assert RouteRule.objects.get(kind="general", active=True).version == 2
    document.refresh_from_db()
    assert document.route_rule_version == 1


def test_an_invalid_rule_is_refused_in_the_admin(superuser_client, town):
    response = superuser_client.post(
        "/admin/approvals/routerule/add/",
        {"kind": "general", "steps": json.dumps([{"kind": "review", "approver": "nobody"}]), "note": ""},
    )

    assert response.status_code == 200
    assert "unknown approver selector" in response.content.decode()
    assert RouteRule.objects.filter(kind="general").count() == 1


def test_a_delegation_added_in_the_admin_goes_through_the_service(superuser_client, town):
    today = timezone.localdate().isoformat()

    response = superuser_client.post(
        "/admin/approvals/delegation/add/",
        {
            "delegator": town.director.pk,
            "delegate": town.chief.pk,
            "start": today,
            "end": today,
            "kinds": "[]",
        },
    )

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegator, delegation.delegate, delegation.created_by.username) == (
        town.director,
        town.chief,
        "root",
    )
