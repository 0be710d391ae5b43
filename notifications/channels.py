"""配信経路: how one delivery reaches its recipient (in-app, e-mail, chat webhook)."""

import json
import urllib.request
from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import send_mail

from notifications.models import Channel, Delivery

CHAT_TIMEOUT_SECONDS = 5


class PermanentFailure(Exception):
    """A failure that a retry cannot fix (no address, no webhook configured): the delivery fails at once."""


def page_link(notification) -> str:
    """The absolute address that opens the page the notification is about (the portal's
    NOTIFICATION_PAGE_PATH, which marks it read), for messages read outside the site; empty without a link."""
    if not notification.link:
        return ""
    return settings.SITE_URL + settings.NOTIFICATION_PAGE_PATH % {"id": notification.pk}


def send_in_app(delivery: Delivery) -> None:
    """The notification row is the in-app message: nothing to send."""


def send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    address = notification.recipient.email
    if not address:
        raise PermanentFailure("recipient has no e-mail address")
    text = "\n\n".join(part for part in (notification.body, page_link(notification)) if part)
    send_mail(subject=notification.title, message=text, from_email=None, recipient_list=[address])


def chat_payload(delivery: Delivery) -> dict:
    """The JSON posted to the chat webhook; `idempotency_key` lets the receiver drop a repeated post."""
    notification = delivery.notification
    recipient = notification.recipient
    return {
        "idempotency_key": str(delivery.pk),
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "link": page_link(notification),
        "text": "\n".join(
            part for part in (notification.title, notification.body, page_link(notification)) if part
        ),
        "recipient": {"username": recipient.username, "name": recipient.name},
        "created_at": notification.created_at.isoformat(),
    }


def send_chat(delivery: Delivery) -> None:
    url = settings.CHAT_WEBHOOK_URL
    if not url:
        raise PermanentFailure("CHAT_WEBHOOK_URL is not set")
    if urlparse(url).scheme not in {"http", "https"}:
        raise PermanentFailure("CHAT_WEBHOOK_URL must be an http(s) URL")
    request = urllib.request.Request(
        url,
        data=json.dumps(chat_payload(delivery), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": str(delivery.pk)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=CHAT_TIMEOUT_SECONDS) as response:
        response.read()


SENDERS: dict[str, Callable[[Delivery], None]] = {
    Channel.IN_APP: send_in_app,
    Channel.EMAIL: send_email,
    Channel.CHAT: send_chat,
}
