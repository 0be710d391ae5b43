"""通知: the outbox writes (`notify`), read marks, and the delivery state changes that the tasks drive.

Nothing here sends during the caller's transaction: `notify` writes rows, and only after the commit are the
deliveries handed to Celery. A delivery that could not be handed over (broker down) stays `pending` and the
periodic sweep re-queues it; a failed send is retried with backoff, also through the sweep.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.errors import NotFound
from notifications import lock_objects
from notifications.backoff import MAX_ATTEMPTS, gives_up, retry_delay
from notifications.channels import SENDERS, PermanentFailure
from notifications.models import Channel, Delivery, DeliveryStatus, Notification
from org.models import Employee

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
SWEEP_BATCH = 500
# A fresh delivery was enqueued by its commit; the sweep leaves it alone this long before assuming it was lost.
SWEEP_GRACE = timedelta(minutes=1)
ERROR_MAX_LENGTH = 2000


def _channels_for(recipient: Employee, only: frozenset[str] | None = None) -> list[str]:
    channels = []
    for channel in settings.NOTIFICATION_CHANNELS:
        if only is not None and channel not in only:
            continue
        if channel == Channel.EMAIL and not recipient.email:
            continue
        if channel == Channel.CHAT and not settings.CHAT_WEBHOOK_URL:
            continue
        if channel in Channel.values:
            channels.append(channel)
    return channels


def notify(
    *,
    recipients: Iterable[Employee],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    data: dict | None = None,
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """通知する: one notification per recipient and one delivery per enabled channel (of `channels` only, when
    given: e.g. in-app and chat for a message too frequent for e-mail).

    Call it inside the caller's transaction: the deliveries are enqueued only when that transaction commits,
    and a rollback leaves neither rows nor messages. A few queries whatever the number of recipients.
    """
    unique = list({recipient.pk: recipient for recipient in recipients}.values())
    if not unique:
        return []
    only = frozenset(channels) if channels is not None else None
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=recipient,
                kind=kind,
                title=title,
                body=body,
                link=link,
                data=data or {},
                created_at=now,
            )
            for recipient in unique
        )
        deliveries = Delivery.objects.bulk_create(
            Delivery(notification=notification, channel=channel, next_attempt_at=now)
            for notification in notifications
            for channel in _channels_for(notification.recipient, only)
        )
        transaction.on_commit(partial(enqueue_deliveries, [delivery.pk for delivery in deliveries]))
    return notifications


def enqueue_deliveries(delivery_ids: list[int]) -> int:
    """Hands deliveries to Celery and returns how many were handed over.

    Stops at the first broker error and only logs it: the rows stay `pending` and the sweep re-queues them.
    In embedded (eager) mode each delivery is sent right here, in this process.
    """
    from notifications.tasks import deliver

    for index, delivery_id in enumerate(delivery_ids):
        try:
            deliver.delay(delivery_id)
        except Exception:
            logger.warning(
                "Could not enqueue %d of %d deliveries; the sweep will re-queue them.",
                len(delivery_ids) - index,
                len(delivery_ids),
                exc_info=True,
            )
            return index
    return len(delivery_ids)


def delivery_claim(*, delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Takes a lease on a due delivery with one conditional UPDATE, so two workers never both send it.

    Due: `pending` (or `sending` whose lease expired, its worker presumably dead) and `next_attempt_at`
    reached. Returns the claimed delivery, or None when it is sent, failed, not due or claimed by another.
    """
    now = now or timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING, claimed_until__lt=now))
        .update(status=DeliveryStatus.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)


def delivery_send(*, delivery_id: int) -> str | None:
    """配信する: claims the delivery, sends it through its channel and records the outcome.

    Returns the delivery's new status, or None when there was nothing to do (already sent, not due, or
    another worker holds it). Safe to call any number of times for the same delivery.
    """
    delivery = delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return None
    try:
        SENDERS[delivery.channel](delivery)
    except Exception as exc:
        logger.warning("Delivery %s (%s) failed: %s", delivery.pk, delivery.channel, exc)
        return _record_failure(delivery=delivery, error=exc)
    _fenced(delivery).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return DeliveryStatus.SENT


def _fenced(delivery: Delivery):
    """The delivery, only while this worker's claim (its attempt number) still holds it."""
    return Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=delivery.attempts)


def _record_failure(*, delivery: Delivery, error: Exception) -> str:
    message = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
    if isinstance(error, PermanentFailure) or gives_up(delivery.attempts):
        _fenced(delivery).update(status=DeliveryStatus.FAILED, claimed_until=None, last_error=message)
        return DeliveryStatus.FAILED
    _fenced(delivery).update(
        status=DeliveryStatus.PENDING,
        claimed_until=None,
        last_error=message,
        next_attempt_at=timezone.now() + retry_delay(delivery.attempts),
    )
    return DeliveryStatus.PENDING


def deliveries_requeue(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """The sweep: re-queues due deliveries (a lost enqueue, a retry whose time came, a dead worker's lease).

    Only reads and enqueues; the claim in `delivery_send` makes a delivery queued twice harmless, so the
    sweep may run twice at once. Returns how many deliveries were handed to Celery (at most `limit`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(
            status=DeliveryStatus.SENDING, claimed_until__lt=now, attempts__gte=MAX_ATTEMPTS
        ).update(
            status=DeliveryStatus.FAILED, claimed_until=None, last_error="lease expired on the last attempt"
        )
    due = (
        Delivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at__lte=now - SWEEP_GRACE)
            | Q(status=DeliveryStatus.PENDING, attempts__gt=0, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return enqueue_deliveries(list(due))


def deliveries_retry(*, delivery_ids: Iterable[int]) -> int:
    """再送: puts failed deliveries back to `pending` with a fresh attempt budget and enqueues them."""
    with transaction.atomic():
        ids = lock_objects.failed_deliveries_lock(list(delivery_ids))
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
        )
        transaction.on_commit(partial(enqueue_deliveries, ids))
    return len(ids)


def notification_mark_read(*, notification: Notification, user: Employee) -> Notification:
    """既読にする: only the recipient may; marking twice keeps the first time."""
    if notification.recipient_id != user.pk:
        raise NotFound()
    with transaction.atomic():
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: Employee) -> int:
    """すべて既読にする: returns how many notifications were unread."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
