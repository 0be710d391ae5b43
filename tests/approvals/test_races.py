"""Races on PostgreSQL: exactly one decision per step and approver wins, and numbering stays gapless."""

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import Decision, Document, DocumentStatus, StepApprover, StepKind
from org.calendar import fiscal_year
from tests.approvals.conftest import postgres_only
from tests.approvals.town import build_town, submit_general
from tests.races import outcome, race

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_clicks_of_the_same_approver_get_one_success_and_one_conflict():
    town = build_town()
    document = submit_general(town, amount=50_000)

    results = race(
        lambda: services.document_approve(document=document, actor=town.chief),
        lambda: services.document_approve(document=document, actor=town.chief),
    )

    assert outcome(results) == ["already_decided", "ok"]
    rows = StepApprover.objects.filter(step__document=document, decision=Decision.APPROVED)
    assert rows.count() == 1


def test_the_approver_and_their_delegate_racing_get_one_success():
    town = build_town()
    today = timezone.localdate()
    services.delegation_create(
        delegator=town.director, delegate=town.kikaku_director, start=today, end=today, actor=town.director
    )
    document = submit_general(town, amount=50_000)
    services.document_approve(document=document, actor=town.chief)

    results = race(
        lambda: services.document_approve(document=document, actor=town.director),
        lambda: services.document_approve(document=document, actor=town.kikaku_director),
    )

    assert outcome(results) == ["already_decided", "ok"]
    document.refresh_from_db()
    assert (document.status, document.number) == (DocumentStatus.APPROVED, "南富総第1号")


def test_two_approvers_of_an_any_of_group_get_one_success():
    town = build_town()
    services.route_rule_publish(
        kind="general",
        steps=[
            {
                "kind": "consult",
                "approvers": [{"employee": town.kaikei_director.pk}, {"employee": town.kikaku_director.pk}],
                "mode": "any",
            },
            {"kind": "final", "approver": "drafter_director"},
        ],
        actor=None,
    )
    document = submit_general(town)

    results = race(
        lambda: services.document_approve(document=document, actor=town.kaikei_director),
        lambda: services.document_approve(document=document, actor=town.kikaku_director),
    )

    assert outcome(results) == ["already_decided", "ok"]
    consult = document.steps.get(kind=StepKind.CONSULT)
    assert sorted(consult.approvers.values_list("decision", flat=True)) == [
        Decision.APPROVED,
        Decision.NOT_NEEDED,
    ]


def test_approve_and_reject_racing_leave_one_decision():
    town = build_town()
    document = submit_general(town, amount=50_000)
    services.document_approve(document=document, actor=town.chief)

    results = race(
        lambda: services.document_approve(document=document, actor=town.director),
        lambda: services.document_reject(document=document, actor=town.director),
    )

    assert outcome(results) == ["already_decided", "ok"]
    document.refresh_from_db()
    assert document.status in {DocumentStatus.APPROVED, DocumentStatus.REJECTED}
    assert bool(document.number) == (document.status == DocumentStatus.APPROVED)


def test_twenty_documents_approved_in_parallel_are_numbered_1_to_20():
    town = build_town()
    documents = [submit_general(town, amount=1_000, title=f"文書{n}") for n in range(20)]
    for document in documents:
        services.document_approve(document=document, actor=town.chief)

    results = race(
        *(lambda d=d: services.document_approve(document=d, actor=town.director) for d in documents)
    )

    assert outcome(results) == ["ok"] * 20
    numbers = sorted(Document.objects.filter(department=town.somu).values_list("number_seq", flat=True))
    assert numbers == list(range(1, 21))
    assert set(Document.objects.values_list("fiscal_year", flat=True)) == {fiscal_year(timezone.localdate())}
