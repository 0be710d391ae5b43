"""Notifications open the page they are about: each app's link mapped to a portal page, and e-mails and chat
messages carry the absolute address (SITE_URL) of the portal's page that opens it."""

import pytest

from notifications.channels import chat_payload, page_link
from notifications.models import Channel, Delivery
from notifications.services import notify
from portal.links import page_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("link", "page"),
    [
        ("/api/v1/telework/requests/12/", "/telework/#request-12"),
        ("/api/v1/telework/policy/", "/telework/"),
        ("/attendance/days/2026-11-16", "/attendance/?month=2026-11#day-2026-11-16"),
        ("/attendance/timesheets/2026-10", "/attendance/?month=2026-10"),
        ("/attendance/anomalies/2026-11-16", "/manage/department/"),
        ("/dashboard/rollout/?fiscal_year=2026", "/dashboard/rollout/?fiscal_year=2026"),
        ("/api/v1/approvals/documents/3/", "/approvals/documents/3/"),
        ("/api/v1/approvals/post-reviews/", "/approvals/post-reviews/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/api/v1/me/", "/"),
    ],
)
def test_each_link_opens_its_page(link, page):
    assert page_for(link) == page


def test_e_mail_and_chat_carry_the_portal_link(employee, settings):
    settings.SITE_URL = "https://kintai.town.example"
    (note,) = notify(
        recipients=[employee], kind="test", title="勤務表", link="/attendance/timesheets/2026-10"
    )
    assert page_link(note) == f"https://kintai.town.example/notifications/{note.pk}/"
    delivery = Delivery(notification=note, channel=Channel.CHAT)
    payload = chat_payload(delivery)
    assert payload["link"] == f"https://kintai.town.example/notifications/{note.pk}/"
    assert payload["text"].endswith(f"https://kintai.town.example/notifications/{note.pk}/")


def test_a_notification_without_a_link_carries_none(employee):
    (note,) = notify(recipients=[employee], kind="test", title="お知らせ")
    assert page_link(note) == ""
