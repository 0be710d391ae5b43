"""No Redis, no outage: with the private Redis (broker and cache) stopped, login, clock-in and approve answer 2xx
(the throttles' cache fails open, the outbox keeps the notification), /healthz stays 200 while /readyz names what
is down, and the notification is delivered once Redis is back."""

import pytest
from django.db.models import F
from rest_framework.test import APIClient

from approvals.models import StepApprover, StepStatus
from attendance.models import ClockEvent
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import SWEEP_GRACE
from notifications.tasks import sweep_deliveries
from tests.approvals.town import build_town, submit_general
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.integration


def logged_in(username: str) -> APIClient:
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.mark.django_db(transaction=True)
def test_clock_in_and_approve_work_with_redis_down_and_the_notice_follows_its_return(
    celery_worker, redis_server, chat_webhook, wait_until, settings
):
    # given the cache on the private Redis too, a document waiting for its first approver, and chat notices
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": redis_server.url}}
    settings.CACHE_RETRY_SECONDS = 0
    settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = (
        redis_server.url,
        False,
    )  # what /readyz asks
    settings.NOTIFICATION_CHANNELS = ["chat"]
    town = build_town()
    document = submit_general(town)
    waiting = StepApprover.objects.filter(step__document=document, step__status=StepStatus.WAITING).first()
    approver = waiting.approver
    wait_until(
        lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(),
        message=f"the submission's notices sent; worker log:\n{celery_worker.log_text()}",
    )
    chat_webhook.clear()
    client = APIClient()
    # when Redis stops
    redis_server.stop()
    try:
        health, ready = client.get("/healthz"), client.get("/readyz")
        staff = logged_in(town.staff.username)
        clock = staff.post("/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json")
        approve = logged_in(approver.username).post(
            f"/api/v1/approvals/documents/{document.pk}/approve/", {"comment": "了"}, format="json"
        )
    finally:
        redis_server.start()
    # then the service kept working: liveness 200, readiness names the broker and the cache
    assert health.status_code == 200
    assert (ready.status_code, ready.json()) == (503, {"database": "ok", "broker": "down", "cache": "down"})
    assert clock.status_code == 201, clock.content
    assert approve.status_code == 200, approve.content
    assert ClockEvent.objects.filter(employee=town.staff).count() == 1
    notice = Notification.objects.filter(recipient=town.staff, kind="approval_approve").get()
    delivery = Delivery.objects.get(notification=notice)
    assert delivery.status == DeliveryStatus.PENDING
    assert chat_webhook.posts == []
    # when, Redis back, the periodic sweep runs
    Delivery.objects.filter(status=DeliveryStatus.PENDING).update(
        next_attempt_at=F("next_attempt_at") - SWEEP_GRACE
    )
    sweep_deliveries.delay()
    # then the approval's notice is delivered
    wait_until(
        lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT,
        message=f"the approval's notice sent; worker log:\n{celery_worker.log_text()}",
    )
    assert notice.title in [post["json"]["title"] for post in chat_webhook.posts]
    assert client.get("/readyz").status_code == 200
