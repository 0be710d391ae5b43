"""後閲 and delegation lifecycle (issue 11): withdrawing or returning closes the 後閲 no longer needed (not_needed);
a revocation takes effect at once; delegates and deputies are told when an item lands in their inbox."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import AuditEvent, Decision, StepKind, StepStatus
from approvals.selectors import inbox_for, post_reviews_for
from core.errors import Conflict, NotFound
from notifications.models import Notification
from org.services import absence_create
from tests.approvals.town import submit_general
from tests.clock import FrozenClock

TOKYO = timezone.get_default_timezone()


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 6, 10, 10, 0, tzinfo=TOKYO))


def proxied_and_waiting(town):
    """A ¥500,000 document: the 係長 decides for the absent 課長 (代決: a 後閲 waits for the 課長), and the
    document goes on to the 副町長."""
    document = submit_general(town, amount=500_000)
    today = timezone.localdate()
    absence_create(actor=town.director, employee=town.director, start=today, end=today)
    document = services.document_approve(document=document, actor=town.chief)  # 係長 review
    return services.document_approve(document=document, actor=town.chief, on_behalf_of=town.director)


def post_review_rows(document):
    return list(
        document.steps.filter(kind=StepKind.POST_REVIEW).values_list(
            "status", "skip_reason", "approvers__decision"
        )
    )


def test_withdrawing_closes_the_post_review_as_not_needed(clock, town, as_user):
    document = proxied_and_waiting(town)
    assert [row.step.document_id for row in post_reviews_for(user=town.director)] == [document.pk]
    # when the drafter withdraws it
    services.document_withdraw(document=document, actor=town.staff)
    # then the 後閲 no longer waits, recorded as not needed, and acknowledging it is refused
    assert post_review_rows(document) == [(StepStatus.SKIPPED, "not_needed", Decision.NOT_NEEDED)]
    assert list(post_reviews_for(user=town.director)) == []
    assert as_user(town.director).get("/api/v1/approvals/post-reviews/").json()["count"] == 0
    with pytest.raises(Conflict):
        services.document_acknowledge(document=document, actor=town.director)
    event = AuditEvent.objects.filter(document=document, action="withdraw").get()
    assert event.data["post_reviews_not_needed"] == [2]


def test_returning_to_the_drafter_closes_the_rounds_post_reviews(clock, town):
    document = proxied_and_waiting(town)
    services.document_return(document=document, actor=town.deputy_mayor, comment="再検討を")
    assert post_review_rows(document) == [(StepStatus.SKIPPED, "not_needed", Decision.NOT_NEEDED)]
    assert list(post_reviews_for(user=town.director)) == []


def test_returning_to_a_step_before_the_proxy_decision_closes_its_post_review(clock, town):
    document = proxied_and_waiting(town)
    services.document_return(document=document, actor=town.deputy_mayor, to_step=1)
    assert post_review_rows(document) == [(StepStatus.SKIPPED, "not_needed", Decision.NOT_NEEDED)]


def test_a_decision_that_stands_keeps_its_post_review(clock, town):
    document = proxied_and_waiting(town)
    services.document_approve(document=document, actor=town.deputy_mayor)
    assert post_review_rows(document) == [(StepStatus.WAITING, "", Decision.PENDING)]
    services.document_acknowledge(document=document, actor=town.director)


def test_a_revocation_takes_effect_at_once(clock, town, as_user):
    # given a one-day delegation from the 課長 to the 企画課長 and a document waiting for the 課長
    today = clock.today
    delegation = services.delegation_create(
        delegator=town.director, delegate=town.kikaku_director, start=today, end=today, actor=town.director
    )
    document = submit_general(town, drafter=town.chief, amount=50_000)
    assert [row.step.document_id for row in inbox_for(user=town.kikaku_director)] == [document.pk]
    # when the 課長 revokes it at 10:00 (a one-day delegation may be revoked)
    response = as_user(town.director).post(f"/api/v1/approvals/delegations/{delegation.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["revoked_at"].startswith("2026-06-10T10:00")
    # then at 10:01, the same day, the delegate can no longer act
    clock.set(clock.now + timedelta(minutes=1))
    assert list(inbox_for(user=town.kikaku_director)) == []
    with pytest.raises(NotFound) as refused:  # they no longer stand in for anyone on its route
        services.document_approve(document=document, actor=town.kikaku_director)
    assert refused.value.code == "document_not_found"
    # and a second revocation is refused
    again = as_user(town.director).post(f"/api/v1/approvals/delegations/{delegation.pk}/revoke/")
    assert (again.status_code, again.json()["code"]) == (409, "delegation_ended")


def test_delegates_and_deputies_are_told_when_a_step_opens_for_them(clock, town):
    # given the 課長 delegated to the 企画課長, and the 副町長 (whose deputy is the 課長) is away
    today = clock.today
    services.delegation_create(
        delegator=town.director, delegate=town.kikaku_director, start=today, end=today, actor=town.director
    )
    absence_create(actor=town.deputy_mayor, employee=town.deputy_mayor, start=today, end=today)
    # when the 課長's step opens, then the 副町長's
    for_director = submit_general(town, drafter=town.chief, amount=50_000)
    for_deputy_mayor = submit_general(town, drafter=town.chief, amount=500_000, title="高額")
    services.document_approve(document=for_deputy_mayor, actor=town.director)
    # then

    def told(person, document):
        return Notification.objects.filter(
            recipient=person, kind="approval_step_opened", data__document=document.pk
        ).exists()

    assert told(town.director, for_director)
    assert told(town.kikaku_director, for_director)
    assert told(town.deputy_mayor, for_deputy_mayor)
    assert told(town.director, for_deputy_mayor)
    assert not told(town.chief, for_director)  # the drafter, never
