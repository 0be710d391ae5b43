"""Celery tasks of the outbox: send one delivery, and the periodic sweep (beat entry `notifications-sweep`)."""

from celery import shared_task

from notifications.services import deliveries_requeue, delivery_send


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> str | None:
    """Sends one delivery; retries are scheduled by `delivery_send` and driven by the sweep."""
    return delivery_send(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def sweep_deliveries() -> int:
    """Re-queues deliveries that are due and not in flight (broker was down, retry time came, worker died)."""
    return deliveries_requeue()
