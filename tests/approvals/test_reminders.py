"""督促・エスカレーション and 後閲 reminders: who is told, when, once; the tasks and their beat entries."""

import threading
from datetime import date, datetime, time

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.db import connection

from approvals import selectors, services, tasks
from approvals.models import ApprovalReminder, StepKind
from approvals.reminders import LOCAL_TZ
from config.celery_app import app as celery_app
from notifications.models import Notification
from org.models import Absence
from org.services import absence_create
from tests.approvals.conftest import postgres_only
from tests.approvals.town import build_town, submit_general
from tests.clock import FrozenClock
from tests.factories import EmployeeFactory

MON, TUE, WED, THU = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


@pytest.fixture
def clock():
    """clock(day, hour) sets the "now" that the services read (a frozen clock, tests/clock.py)."""
    frozen = FrozenClock(at(MON))

    def set_now(day: date, hour: int = 9, minute: int = 0) -> datetime:
        moment = at(day, hour, minute)
        frozen.set(moment)
        return moment

    return set_now


def notes(kind, recipient=None):
    qs = Notification.objects.filter(kind=kind).order_by("id")
    return list(qs.filter(recipient=recipient) if recipient else qs)


def test_nothing_is_sent_before_eight_business_hours(town, clock):
    submit_general(town, amount=50_000)  # Monday 9:00, waiting for the chief

    sent = services.approval_reminders_send(now=at(MON, 16, 59))

    assert sent == 0
    assert not ApprovalReminder.objects.exists()
    assert notes("approval_reminder") == []


def test_the_approver_is_reminded_once_after_eight_business_hours(town, clock):
    # given a document waiting for the chief since Monday 9:00
    document = submit_general(town, amount=50_000)
    # when the job runs on Tuesday morning (8h15 of office time later), twice
    first = services.approval_reminders_send(now=at(TUE, 9))
    second = services.approval_reminders_send(now=at(TUE, 9, 30))
    # then
    assert (first, second) == (1, 0)
    [reminder] = ApprovalReminder.objects.all()
    assert (reminder.step_approver.approver, reminder.level) == (town.chief, "reminder")
    [note] = notes("approval_reminder")
    assert note.recipient == town.chief
    assert note.link == "/api/v1/approvals/inbox/"
    assert note.data["documents"] == [document.pk]
    assert "物品購入について" in note.body
    assert notes("approval_escalation") == []


def test_the_reminder_also_goes_to_active_delegates_whose_delegation_covers_the_kind(town, clock):
    # given the chief delegated general documents to staff2 and only telework to the kaikei staff
    services.delegation_create(
        delegator=town.chief, delegate=town.staff2, start=MON, end=THU, actor=town.chief
    )
    services.delegation_create(
        delegator=town.chief,
        delegate=town.kaikei_staff,
        start=MON,
        end=THU,
        kinds=["telework"],
        actor=town.chief,
    )
    submit_general(town, amount=50_000)

    services.approval_reminders_send(now=at(TUE, 9))

    assert {n.recipient for n in notes("approval_reminder")} == {town.chief, town.staff2}


def test_a_decided_item_is_not_reminded(town, clock):
    document = submit_general(town, amount=50_000)
    clock(TUE, 8)
    services.document_approve(document=document, actor=town.chief)  # the director's step opens Tue 8:00

    sent = services.approval_reminders_send(now=at(TUE, 16))

    assert sent == 0
    assert notes("approval_reminder") == []


def test_a_step_reopened_by_a_return_waits_anew(town, clock):
    # given the chief was reminded, then decided, and the director returned the document to the chief's step
    document = submit_general(town, amount=50_000)
    services.approval_reminders_send(now=at(TUE, 9))
    clock(TUE, 9, 30)
    services.document_approve(document=document, actor=town.chief)
    clock(TUE, 10)
    services.document_return(document=document, actor=town.director, to_step=1)
    # when the job runs before and after 8 business hours from the reopening
    early = services.approval_reminders_send(now=at(TUE, 17))
    late = services.approval_reminders_send(now=at(WED, 10))
    again = services.approval_reminders_send(now=at(WED, 11))
    # then the chief is reminded once more for the new wait, and only once
    assert (early, late, again) == (0, 1, 0)
    assert [n.recipient for n in notes("approval_reminder")] == [town.chief, town.chief]
    assert ApprovalReminder.objects.get().sent_at == at(WED, 10)


def test_after_twenty_four_business_hours_the_superior_is_told_once(town, clock):
    # given the chief was reminded on Tuesday
    submit_general(town, amount=50_000)
    services.approval_reminders_send(now=at(TUE, 9))
    # when the job runs on Thursday 9:00 (3 × 8h15 of office time), twice
    first = services.approval_reminders_send(now=at(THU, 9))
    second = services.approval_reminders_send(now=at(THU, 10))
    # then the chief's director is told, once, and the chief is not reminded again
    assert (first, second) == (1, 0)
    [escalation] = notes("approval_escalation")
    assert escalation.recipient == town.director
    assert "総務係長" in escalation.body
    assert len(notes("approval_reminder")) == 1
    assert sorted(ApprovalReminder.objects.values_list("level", flat=True)) == ["escalation", "reminder"]


def test_a_late_first_run_sends_the_reminder_and_the_escalation_together(town, clock):
    submit_general(town, amount=50_000)

    assert services.approval_reminders_send(now=at(THU, 9)) == 2

    assert [n.recipient for n in notes("approval_reminder")] == [town.chief]
    assert [n.recipient for n in notes("approval_escalation")] == [town.director]


def test_an_absent_approver_is_escalated_to_the_superior_and_the_deputy(town, clock):
    # given the chief approved and the director's final step waits; the director is away on Thursday
    document = submit_general(town, amount=50_000)
    services.document_approve(document=document, actor=town.chief)
    absence_create(actor=town.director, employee=town.director, start=THU, end=THU)

    services.approval_reminders_send(now=at(THU, 9))

    # then the deputy mayor (the director's superior) and the chief (the director's deputy) are told
    escalations = notes("approval_escalation")
    assert {n.recipient for n in escalations} == {town.deputy_mayor, town.chief}
    assert all("不在" in n.body for n in escalations)
    assert [n.recipient for n in notes("approval_reminder")] == [town.director]


def test_a_present_approver_is_not_escalated_to_their_deputy(town, clock):
    document = submit_general(town, amount=50_000)
    services.document_approve(document=document, actor=town.chief)

    services.approval_reminders_send(now=at(THU, 9))

    assert [n.recipient for n in notes("approval_escalation")] == [town.deputy_mayor]


def test_superiors_follow_the_reporting_line(town, django_assert_max_num_queries):
    people = [
        town.chief,
        town.staff,
        town.kaikei_staff,
        town.director,
        town.deputy_mayor,
        town.mayor,
    ]

    with django_assert_max_num_queries(2):
        superiors = selectors.superiors_of(employees=people)

    assert superiors == {
        town.chief.pk: town.director,
        town.staff.pk: town.director,
        town.kaikei_staff.pk: town.kaikei_director,
        town.director.pk: town.deputy_mayor,
        town.deputy_mayor.pk: town.mayor,
    }


def test_a_vacant_superior_post_passes_the_escalation_up(town):
    # given a department without a director and a vacant deputy mayor's post
    orphan = EmployeeFactory(username="orphan", position="chief")
    town.deputy_mayor.is_active = False
    town.deputy_mayor.save(update_fields=["is_active"])

    superiors = selectors.superiors_of(employees=[orphan, town.director])

    assert superiors == {orphan.pk: town.mayor, town.director.pk: town.mayor}


@pytest.mark.parametrize("documents", [2, 15])
def test_the_job_runs_in_a_bounded_number_of_queries(town, clock, documents, django_assert_max_num_queries):
    # given a few or many documents waiting for the chief, who delegated to staff2
    services.delegation_create(
        delegator=town.chief, delegate=town.staff2, start=MON, end=THU, actor=town.chief
    )
    for n in range(documents):
        submit_general(town, amount=50_000, title=f"文書{n}")
    # when reminders and escalations fall due together: 11 queries, then 4 for each of the 3 notifications
    with django_assert_max_num_queries(23):
        sent = services.approval_reminders_send(now=at(THU, 9))
    # then one notification per recipient and level, listing every document
    assert sent == 2 * documents
    [escalation] = notes("approval_escalation")
    assert len(escalation.data["documents"]) == documents
    assert {n.recipient for n in notes("approval_reminder")} == {town.chief, town.staff2}


def _proxy_decision(town, clock):
    """The director is away Monday and Tuesday; the chief decides for him (代決), which opens his 後閲."""
    absence_create(actor=town.director, employee=town.director, start=MON, end=TUE)
    document = submit_general(town, amount=50_000)
    services.document_approve(document=document, actor=town.chief)
    services.document_approve(document=document, actor=town.chief, on_behalf_of=town.director)
    document.refresh_from_db()
    assert document.steps.filter(kind=StepKind.POST_REVIEW, status="waiting").exists()
    return document


def test_a_post_review_is_reminded_once_the_approver_is_back(town, clock):
    document = _proxy_decision(town, clock)

    # Tuesday: one business day, and still away
    assert services.post_review_reminders_send(now=at(TUE, 9)) == 0
    # Wednesday: two business days and back: reminded once
    assert services.post_review_reminders_send(now=at(WED, 9)) == 1
    assert services.post_review_reminders_send(now=at(WED, 10)) == 0

    [note] = notes("approval_post_review_reminder")
    assert note.recipient == town.director
    assert note.data["documents"] == [document.pk]
    assert note.link == "/api/v1/approvals/post-reviews/"
    assert ApprovalReminder.objects.get().level == "post_review"


def test_a_post_review_waits_while_the_approver_is_still_away(town, clock):
    _proxy_decision(town, clock)
    Absence.objects.filter(employee=town.director).update(end=WED)

    assert services.post_review_reminders_send(now=at(WED, 9)) == 0
    assert services.post_review_reminders_send(now=at(THU, 9)) == 1


def test_an_acknowledged_post_review_is_not_reminded(town, clock):
    document = _proxy_decision(town, clock)
    clock(WED, 8)
    services.document_acknowledge(document=document, actor=town.director)

    assert services.post_review_reminders_send(now=at(WED, 9)) == 0


def test_post_reviews_are_not_part_of_the_approval_reminders(town, clock):
    _proxy_decision(town, clock)

    services.approval_reminders_send(now=at(THU, 9))

    assert not ApprovalReminder.objects.exists()


def test_the_tasks_run_eagerly_and_send_nothing_twice(town, clock):
    # given a waiting item and a pending 後閲, both due on Thursday
    _proxy_decision(town, clock)
    submit_general(town, amount=50_000, title="第二の文書")
    clock(THU, 9)
    # when the beat fires each task twice (eager, as in embedded mode)
    first = (tasks.send_approval_reminders.delay().get(), tasks.send_post_review_reminders.delay().get())
    again = (tasks.send_approval_reminders.delay().get(), tasks.send_post_review_reminders.delay().get())
    # then
    assert first == (2, 1)
    assert again == (0, 0)


def test_the_beat_entries_name_registered_tasks():
    celery_app.loader.import_default_modules()
    entries = {
        name: settings.CELERY_BEAT_SCHEDULE[name]
        for name in ("approvals-reminders", "approvals-post-review-reminders")
    }

    assert {entry["task"] for entry in entries.values()} == {
        "approvals.tasks.send_approval_reminders",
        "approvals.tasks.send_post_review_reminders",
    }
    for entry in entries.values():
        assert entry["task"] in celery_app.tasks
        assert entry["schedule"] == crontab(minute="*/30", hour="8-18", day_of_week="mon-fri")


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_notify_each_item_once(clock):
    # given a document waiting for the chief since Monday, escalation due on Thursday
    town = build_town()
    submit_general(town, amount=50_000)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(minute):
        try:
            barrier.wait(timeout=10)
            results.append(services.approval_reminders_send(now=at(THU, 9, minute)))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    # when two workers run the job at the same time
    threads = [threading.Thread(target=run, args=(minute,)) for minute in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then the reminder and the escalation were each sent once, by one of them
    assert errors == []
    assert sorted(results) == [0, 2]
    assert len(notes("approval_reminder")) == 1
    assert len(notes("approval_escalation")) == 1
    assert ApprovalReminder.objects.count() == 2
