"""Races on PostgreSQL for issue 11: one person racing for two rows of one step fills one; the town-wide receipt
register stays gapless under concurrent decisions; a reassignment racing a decision leaves one outcome."""

import pytest
from django.utils import timezone

from approvals import registry, services
from approvals.models import Decision, Document, StepApprover
from org.services import absence_create
from tests.approvals.conftest import postgres_only
from tests.approvals.town import build_town, submit_general
from tests.factories import EmployeeFactory
from tests.races import outcome, race

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bare_telework():
    saved = dict(registry._KINDS)
    registry.register_kind("telework", label="テレワーク申請")
    yield
    registry._KINDS.clear()
    registry._KINDS.update(saved)


def test_one_person_racing_for_two_rows_of_a_step_fills_one():
    town = build_town()
    first = EmployeeFactory(username="hr1", department=town.somu, roles=["hr"])
    second = EmployeeFactory(username="hr2", department=town.somu, roles=["hr"], deputy=first)
    services.route_rule_publish(
        kind="general",
        steps=[
            {"kind": "consult", "approvers": [{"role": "hr"}], "mode": "all"},
            {"kind": "final", "approver": "drafter_director"},
        ],
        actor=None,
    )
    document = submit_general(town, amount=50_000)
    today = timezone.localdate()
    absence_create(actor=second, employee=second, start=today, end=today)

    results = race(
        lambda: services.document_approve(document=document, actor=first),
        lambda: services.document_approve(document=document, actor=first, on_behalf_of=second),
    )

    assert outcome(results) == ["ok", "one_row_per_step"]
    decided = StepApprover.objects.filter(step__document=document, decision=Decision.APPROVED)
    assert list(decided.values_list("decided_by", flat=True)) == [first.pk]


def test_the_town_wide_register_stays_gapless_under_concurrent_decisions(bare_telework):
    town = build_town()
    drafters = [EmployeeFactory(username=f"kikaku{n}", department=town.kikaku) for n in range(4)]
    documents = []
    for drafter in drafters:
        document = services.document_create(kind="telework", drafter=drafter, title="テレワーク申請")
        documents.append(services.document_submit(document=document, actor=drafter))
    somu = services.document_create(kind="telework", drafter=town.staff2, title="テレワーク申請")
    somu = services.document_approve(
        document=services.document_submit(document=somu, actor=town.staff2), actor=town.chief
    )

    results = race(
        *[lambda d=d: services.document_approve(document=d, actor=town.kikaku_director) for d in documents],
        lambda: services.document_approve(document=somu, actor=town.director),
    )

    assert outcome(results) == ["ok"] * 5
    numbers = sorted(Document.objects.filter(kind="telework").values_list("number_seq", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert set(Document.objects.filter(kind="telework").values_list("register__code", flat=True)) == {
        "telework"
    }


def test_a_reassignment_racing_the_decision_leaves_one_outcome():
    town = build_town()
    admin = EmployeeFactory(username="sysadmin", department=None, roles=["admin"])
    document = submit_general(town, amount=50_000)

    results = race(
        lambda: services.document_approve(document=document, actor=town.chief),
        lambda: services.step_reassign(
            document=document, actor=admin, step=1, to=town.staff2, reason="分担変更"
        ),
    )

    row = StepApprover.objects.get(step__document=document, step__order=1)
    codes = outcome(results)
    if row.approver_id == town.chief.pk:  # the decision came first
        assert codes == ["ok", "step_not_open"]
        assert row.decision == Decision.APPROVED
    else:
        assert codes == ["not_an_approver", "ok"]
        assert (row.approver_id, row.decision) == (town.staff2.pk, Decision.PENDING)
