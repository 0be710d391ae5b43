"""The outbox in the Django admin: lists filter by status and channel; failed deliveries can be retried."""

import pytest

from notifications.backoff import MAX_ATTEMPTS
from notifications.models import Delivery, DeliveryStatus
from notifications.services import notify


@pytest.mark.django_db
def test_admin_lists_and_filters_the_outbox(admin_client, employee):
    (notification,) = notify(recipients=[employee], kind="document_submitted", title="決裁依頼")
    assert admin_client.get("/admin/notifications/notification/").status_code == 200
    assert admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/").status_code == 200
    response = admin_client.get(
        "/admin/notifications/delivery/", {"status__exact": "pending", "channel": "chat"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client.get("/admin/notifications/delivery/add/").status_code == 403


@pytest.mark.django_db
def test_admin_retry_action_requeues_failed_deliveries(admin_client, employee, monkeypatch):
    # given a failed chat delivery
    monkeypatch.setattr("notifications.tasks.deliver.delay", lambda delivery_id: None)
    (notification,) = notify(recipients=[employee], kind="document_submitted", title="決裁依頼")
    chat = Delivery.objects.get(notification=notification, channel="chat")
    Delivery.objects.filter(pk=chat.pk).update(status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS)
    # when
    response = admin_client.post(
        "/admin/notifications/delivery/",
        {"action": "retry", "_selected_action": [d.pk for d in Delivery.objects.all()]},
    )
    # then
    assert response.status_code == 302
    chat.refresh_from_db()
    assert (chat.status, chat.attempts) == (DeliveryStatus.PENDING, 0)
