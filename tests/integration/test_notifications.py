"""The outbox against a real broker and a real worker: delivery, and recovery from a broker outage."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.services import SWEEP_GRACE, deliveries_requeue, notify
from notifications.tasks import deliver, sweep_deliveries
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.integration


def _statuses(notification) -> dict[str, tuple[str, int]]:
    return {
        channel: (status, attempts)
        for channel, status, attempts in Delivery.objects.filter(notification=notification).values_list(
            "channel", "status", "attempts"
        )
    }


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_committed_notification_on_every_channel(
    celery_worker, chat_webhook, smtp_sink, wait_until
):
    # given
    recipient = EmployeeFactory(username="kacho", email="kacho@example.jp")
    # when a service notifies inside its committed transaction
    with transaction.atomic():
        (notification,) = notify(
            recipients=[recipient], kind="document_submitted", title="決裁依頼", body="起案第1号", link="/d/1"
        )
    # then the worker sends each channel once
    expected = {channel: (DeliveryStatus.SENT, 1) for channel in ("in_app", "email", "chat")}
    wait_until(
        lambda: _statuses(notification) == expected,
        message=f"all sent; worker log:\n{celery_worker.log_text()}",
    )
    chat = Delivery.objects.get(notification=notification, channel="chat")
    assert [post["json"]["idempotency_key"] for post in chat_webhook.posts] == [str(chat.pk)]
    assert chat_webhook.posts[0]["json"]["title"] == "決裁依頼"
    assert [message["To"] for message in smtp_sink.messages] == ["kacho@example.jp"]


@pytest.mark.django_db(transaction=True)
def test_broker_outage_is_recovered_by_the_sweep_exactly_once(
    celery_worker, redis_server, chat_webhook, wait_until, settings
):
    # given the broker is down
    settings.NOTIFICATION_CHANNELS = ["chat"]
    recipient = EmployeeFactory(username="kakaricho")
    redis_server.stop()
    try:
        # when a service notifies and commits
        started = time.monotonic()
        with transaction.atomic():
            (notification,) = notify(
                recipients=[recipient], kind="timesheet_submitted", title="勤務表の承認依頼"
            )
        elapsed = time.monotonic() - started
    finally:
        redis_server.start()
    # then the commit stood, the enqueue gave up quickly, and the delivery waits for the sweep
    assert elapsed < 5
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert chat_webhook.posts == []
    # when, the broker back and a minute later, the periodic sweep runs on the worker
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=F("next_attempt_at") - SWEEP_GRACE)
    sweep_deliveries.delay()
    # then it is delivered, exactly once
    wait_until(
        lambda: _statuses(notification) == {"chat": (DeliveryStatus.SENT, 1)},
        message=f"the chat delivery sent; worker log:\n{celery_worker.log_text()}",
    )
    assert [post["json"]["idempotency_key"] for post in chat_webhook.posts] == [str(delivery.pk)]
    assert deliveries_requeue(now=timezone.now() + timedelta(hours=1)) == 0
    # and a duplicate task and another sweep, queued before a marker on the one worker, change nothing
    deliver.delay(delivery.pk)
    sweep_deliveries.delay()
    settings.NOTIFICATION_CHANNELS = ["in_app"]
    with transaction.atomic():
        (marker,) = notify(recipients=[recipient], kind="marker", title="marker")
    wait_until(lambda: _statuses(marker) == {"in_app": (DeliveryStatus.SENT, 1)}, message="the marker sent")
    assert _statuses(notification) == {"chat": (DeliveryStatus.SENT, 1)}
    assert len(chat_webhook.posts) == 1
