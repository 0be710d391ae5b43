"""notify, delivery, retry with backoff and the sweep, in the embedded (eager) Celery mode."""

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from core.errors import NotFound
from notifications import services
from notifications.backoff import MAX_ATTEMPTS
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import (
    deliveries_requeue,
    deliveries_retry,
    delivery_claim,
    delivery_send,
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from notifications.tasks import deliver, sweep_deliveries
from tests.factories import EmployeeFactory


def _notify_one(recipient, **kwargs) -> Notification:
    (notification,) = notify(
        recipients=[recipient], kind="document_submitted", title="起案が提出されました", **kwargs
    )
    return notification


def _channels(notification) -> dict[str, Delivery]:
    return {delivery.channel: delivery for delivery in Delivery.objects.filter(notification=notification)}


def _make_due(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def recorded_enqueues(monkeypatch) -> list[int]:
    """Replaces deliver.delay with a recorder, so a test sees what was queued without sending it."""
    queued: list[int] = []
    monkeypatch.setattr(deliver, "delay", queued.append)
    return queued


@pytest.mark.django_db
def test_notify_writes_a_notification_and_one_delivery_per_enabled_channel(employee):
    # given an employee with an e-mail address and a chat webhook configured
    # when
    notification = _notify_one(employee, body="本文", link="/approvals/documents/1", data={"document": 1})
    # then
    notification.refresh_from_db()
    assert (notification.recipient, notification.kind, notification.body, notification.data) == (
        employee,
        "document_submitted",
        "本文",
        {"document": 1},
    )
    assert notification.read_at is None
    deliveries = _channels(notification)
    assert sorted(deliveries) == ["chat", "email", "in_app"]
    assert {d.status for d in deliveries.values()} == {DeliveryStatus.PENDING}
    assert {d.attempts for d in deliveries.values()} == {0}


@pytest.mark.django_db
def test_notify_skips_email_without_address_and_chat_without_webhook(settings, department):
    # given a recipient without e-mail, and no chat webhook
    settings.CHAT_WEBHOOK_URL = ""
    recipient = EmployeeFactory(department=department, email="")
    # when
    notification = _notify_one(recipient)
    # then only the in-app channel is left
    assert sorted(_channels(notification)) == ["in_app"]


@pytest.mark.django_db
def test_notify_uses_only_the_configured_channels(settings, employee):
    settings.NOTIFICATION_CHANNELS = ["in_app"]
    notification = _notify_one(employee)
    assert sorted(_channels(notification)) == ["in_app"]


@pytest.mark.django_db
def test_notify_once_per_distinct_recipient_and_nothing_for_nobody(employee, django_assert_num_queries):
    assert len(notify(recipients=[employee, employee], kind="k", title="t")) == 1
    with django_assert_num_queries(0):
        assert notify(recipients=[], kind="k", title="t") == []


@pytest.mark.django_db
def test_notify_fifty_recipients_takes_a_few_queries(department, django_assert_max_num_queries):
    # given fifty employees
    recipients = [EmployeeFactory(department=department) for _ in range(50)]
    # when they are all notified: savepoint, two inserts (SQLite splits one at 999 parameters), release
    with django_assert_max_num_queries(5):
        notifications = notify(recipients=recipients, kind="policy_changed", title="要綱が改正されました")
    # then
    assert len(notifications) == 50
    assert Delivery.objects.count() == 150


@pytest.mark.django_db
def test_committed_notify_delivers_once_per_channel(employee, chat, django_capture_on_commit_callbacks):
    # given / when notify inside a committed transaction (eager Celery: sent in-process after commit)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = _notify_one(employee, body="決裁をお願いします。", link="/approvals/documents/7")
        assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 0
    # then
    assert len(callbacks) == 1
    deliveries = _channels(notification)
    assert {(d.status, d.attempts) for d in deliveries.values()} == {(DeliveryStatus.SENT, 1)}
    assert all(d.sent_at is not None and d.claimed_until is None for d in deliveries.values())
    assert [message.to for message in mail.outbox] == [[employee.email]]
    assert mail.outbox[0].subject == "起案が提出されました"
    # the message carries the absolute address of the page that opens the notification (SITE_URL)
    assert f"http://127.0.0.1:8000/notifications/{notification.pk}/" in mail.outbox[0].body
    assert len(chat.posts) == 1
    post = chat.posts[0]
    assert post["json"]["idempotency_key"] == str(deliveries["chat"].pk)
    assert post["headers"]["Idempotency-key"] == str(deliveries["chat"].pk)
    assert post["json"]["recipient"]["username"] == employee.username
    assert post["timeout"] == 5


@pytest.mark.django_db(transaction=True)
def test_embedded_mode_sends_after_a_real_commit(employee, chat):
    # given no test transaction around: the commit really happens and on_commit really fires
    with transaction.atomic():
        notification = _notify_one(employee)
    # then everything was sent inline, once
    assert {d.status for d in _channels(notification).values()} == {DeliveryStatus.SENT}
    assert len(mail.outbox) == 1
    assert len(chat.posts) == 1


@pytest.mark.django_db
def test_rolled_back_transaction_writes_and_sends_nothing(employee, chat, django_capture_on_commit_callbacks):
    # when the caller's transaction fails after notify
    def failing_service():
        with transaction.atomic():
            _notify_one(employee)
            raise RuntimeError("the caller's service failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_service()
    # then
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert mail.outbox == []
    assert chat.posts == []


@pytest.mark.django_db
def test_enqueue_failure_is_logged_and_the_delivery_stays_pending(
    employee, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # given a broker that refuses every message
    def broker_down(delivery_id):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(deliver, "delay", broker_down)
    # when
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = _notify_one(employee)
    # then the commit stood, the rows wait for the sweep, the failure is in the log
    assert {(d.status, d.attempts) for d in _channels(notification).values()} == {(DeliveryStatus.PENDING, 0)}
    assert "the sweep will re-queue them" in caplog.text


@pytest.mark.django_db
def test_failed_send_records_the_error_and_backs_off(employee, chat_down, settings):
    # given a pending chat delivery and a webhook that is down
    settings.NOTIFICATION_CHANNELS = ["chat"]
    delivery = _channels(_notify_one(employee))["chat"]
    # when it is attempted twice
    before = timezone.now()
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    # then after the first failure it waits one minute
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == (DeliveryStatus.PENDING, 1, None)
    assert "connection refused" in delivery.last_error
    assert before + timedelta(minutes=1) <= delivery.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    # and a retry before its time does nothing
    assert delivery_send(delivery_id=delivery.pk) is None
    # and after the second failure two minutes
    _make_due(delivery)
    before = timezone.now()
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert before + timedelta(minutes=2) <= delivery.next_attempt_at <= timezone.now() + timedelta(minutes=2)
    assert chat_down.posts == []


@pytest.mark.django_db
def test_delivery_fails_after_the_last_attempt(employee, chat_down, settings):
    settings.NOTIFICATION_CHANNELS = ["chat"]
    delivery = _channels(_notify_one(employee))["chat"]
    Delivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    # when the last attempt fails
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    # then it is failed for good
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    _make_due(delivery)
    assert delivery_send(delivery_id=delivery.pk) is None


@pytest.mark.django_db
def test_email_to_an_address_removed_meanwhile_fails_without_retry(employee, settings):
    settings.NOTIFICATION_CHANNELS = ["email"]
    delivery = _channels(_notify_one(employee))["email"]
    type(employee).objects.filter(pk=employee.pk).update(email="")
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "no e-mail address" in delivery.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_sent_delivery_is_not_sent_again(employee, chat):
    delivery = _channels(_notify_one(employee))["chat"]
    assert deliver.delay(delivery.pk).get() == DeliveryStatus.SENT
    # when the task runs again (a duplicate message, the sweep racing the first run)
    assert deliver.delay(delivery.pk).get() is None
    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert len(chat.posts) == 1


@pytest.mark.django_db
def test_of_two_claims_only_one_wins_until_the_lease_expires(employee):
    delivery = _channels(_notify_one(employee))["in_app"]
    now = timezone.now()
    # when two workers claim the same delivery
    first = delivery_claim(delivery_id=delivery.pk, now=now)
    second = delivery_claim(delivery_id=delivery.pk, now=now)
    # then
    assert first is not None
    assert (first.status, first.attempts, first.claimed_until) == (
        DeliveryStatus.SENDING,
        1,
        now + services.LEASE,
    )
    assert second is None
    # and once the first worker's lease ran out (it died), another may take it over
    later = now + services.LEASE + timedelta(seconds=1)
    third = delivery_claim(delivery_id=delivery.pk, now=later)
    assert third is not None
    assert third.attempts == 2


@pytest.mark.django_db
def test_a_worker_whose_lease_was_taken_over_records_nothing(employee, chat):
    # given a delivery claimed by a worker that stalled past its lease, then taken over and sent
    delivery = _channels(_notify_one(employee))["chat"]
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.SENT
    stale = Delivery.objects.get(pk=delivery.pk)
    stale.attempts = 1
    stale.status = DeliveryStatus.SENDING
    # when the stalled worker finally reports a failure
    services._record_failure(delivery=stale, error=RuntimeError("late"))
    # then the outcome of the worker holding the lease stands
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_once(employee, chat, settings, recorded_enqueues):
    # given one pending chat delivery (not queued) and four workers started at the same moment
    settings.NOTIFICATION_CHANNELS = ["chat"]
    delivery = _channels(_notify_one(employee))["chat"]
    barrier = threading.Barrier(4)
    results: list = []

    def worker():
        try:
            barrier.wait()
            results.append(delivery_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one sent it
    assert sorted(results, key=str) == [None, None, None, DeliveryStatus.SENT]
    assert len(chat.posts) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


@pytest.mark.django_db
def test_sweep_requeues_only_due_deliveries(employee, settings, recorded_enqueues):
    # given deliveries in every state
    settings.NOTIFICATION_CHANNELS = ["in_app"]
    now = timezone.now()

    def delivery(**fields) -> Delivery:
        row = _channels(_notify_one(employee))["in_app"]
        Delivery.objects.filter(pk=row.pk).update(**fields)
        return row

    lost = delivery(next_attempt_at=now - services.SWEEP_GRACE - timedelta(seconds=1))
    fresh = delivery(next_attempt_at=now)
    retry_due = delivery(attempts=1, next_attempt_at=now - timedelta(seconds=1))
    retry_later = delivery(attempts=1, next_attempt_at=now + timedelta(minutes=1))
    dead_worker = delivery(
        status=DeliveryStatus.SENDING, attempts=1, claimed_until=now - timedelta(seconds=1)
    )
    busy_worker = delivery(
        status=DeliveryStatus.SENDING, attempts=1, claimed_until=now + timedelta(minutes=1)
    )
    sent = delivery(status=DeliveryStatus.SENT, attempts=1, next_attempt_at=now - timedelta(hours=1))
    failed = delivery(status=DeliveryStatus.FAILED, attempts=3, next_attempt_at=now - timedelta(hours=1))
    recorded_enqueues.clear()
    # when
    queued = deliveries_requeue(now=now)
    # then
    assert queued == 3
    assert sorted(recorded_enqueues) == sorted([lost.pk, retry_due.pk, dead_worker.pk])
    assert {fresh.pk, retry_later.pk, busy_worker.pk, sent.pk, failed.pk}.isdisjoint(recorded_enqueues)


@pytest.mark.django_db
def test_sweep_batch_is_bounded(employee, settings, recorded_enqueues):
    settings.NOTIFICATION_CHANNELS = ["in_app"]
    for _ in range(3):
        _notify_one(employee)
    recorded_enqueues.clear()
    assert deliveries_requeue(now=timezone.now() + services.SWEEP_GRACE, limit=2) == 2
    assert len(recorded_enqueues) == 2


@pytest.mark.django_db
def test_sweep_run_twice_sends_each_delivery_once(
    employee, chat, monkeypatch, django_capture_on_commit_callbacks
):
    # given deliveries whose enqueue was lost while the broker was down
    monkeypatch.setattr(deliver, "delay", lambda delivery_id: (_ for _ in ()).throw(ConnectionError("down")))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = _notify_one(employee)
    monkeypatch.undo()
    monkeypatch.setattr("notifications.channels.urllib.request.urlopen", chat.urlopen)
    later = timezone.now() + services.SWEEP_GRACE
    # when the sweep runs twice (eager: each delivery is sent inline)
    assert deliveries_requeue(now=later) == 3
    assert deliveries_requeue(now=later) == 0
    # then
    assert {(d.status, d.attempts) for d in _channels(notification).values()} == {(DeliveryStatus.SENT, 1)}
    assert len(mail.outbox) == 1
    assert len(chat.posts) == 1


@pytest.mark.django_db
def test_sweep_task_retries_a_failed_attempt_when_its_time_comes(employee, chat, settings):
    # given a chat delivery that failed once and is due again
    settings.NOTIFICATION_CHANNELS = ["chat"]
    delivery = _channels(_notify_one(employee))["chat"]
    chat.fail_with = OSError("timeout")
    delivery_send(delivery_id=delivery.pk)
    chat.fail_with = None
    _make_due(delivery)
    # when the periodic task runs
    assert sweep_deliveries.delay().get() == 1
    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(chat.posts) == 1


@pytest.mark.django_db
def test_sweep_fails_a_delivery_whose_last_lease_expired(employee, recorded_enqueues):
    delivery = _channels(_notify_one(employee))["in_app"]
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        attempts=MAX_ATTEMPTS,
        claimed_until=timezone.now() - timedelta(seconds=1),
    )
    recorded_enqueues.clear()
    assert deliveries_requeue() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "lease expired" in delivery.last_error


@pytest.mark.django_db
def test_retry_puts_failed_deliveries_back_with_a_fresh_budget(
    employee, recorded_enqueues, django_capture_on_commit_callbacks
):
    deliveries = _channels(_notify_one(employee))
    Delivery.objects.filter(pk=deliveries["chat"].pk).update(
        status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS
    )
    recorded_enqueues.clear()
    with django_capture_on_commit_callbacks(execute=True):
        retried = deliveries_retry(delivery_ids=[d.pk for d in deliveries.values()])
    assert retried == 1
    assert recorded_enqueues == [deliveries["chat"].pk]
    chat = Delivery.objects.get(pk=deliveries["chat"].pk)
    assert (chat.status, chat.attempts) == (DeliveryStatus.PENDING, 0)


@pytest.mark.django_db
def test_mark_read_keeps_the_first_time_and_refuses_another_user(employee, department):
    notification = _notify_one(employee)
    other = EmployeeFactory(department=department)
    with pytest.raises(NotFound):
        notification_mark_read(notification=notification, user=other)
    assert Notification.objects.get(pk=notification.pk).read_at is None
    first = notification_mark_read(notification=notification, user=employee).read_at
    stale = Notification.objects.get(pk=notification.pk)
    assert notification_mark_read(notification=stale, user=employee).read_at == first
    assert first is not None


@pytest.mark.django_db
def test_mark_all_read_touches_only_the_users_unread(employee, department):
    other = EmployeeFactory(department=department)
    mine = [_notify_one(employee) for _ in range(3)]
    notification_mark_read(notification=mine[0], user=employee)
    theirs = _notify_one(other)
    assert notification_mark_all_read(user=employee) == 2
    assert Notification.objects.filter(recipient=employee, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.django_db
def test_notify_data_may_hold_dates(employee):
    notification = _notify_one(employee, data={"date": date(2026, 4, 1)})
    notification.refresh_from_db()
    assert notification.data == {"date": "2026-04-01"}
