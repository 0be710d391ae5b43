"""The one opening of the ten actions on a document (approvals.services._action.document_action): someone who
cannot see the document gets 404 `document_not_found` and nothing changes; an action that goes through locks the
document row first, once, and the audit chain head last, once."""

import pytest
from django.utils import timezone

from approvals import lock_objects, services
from approvals.models import Document, StepApprover
from approvals.models_record import AuditEvent
from approvals.services._action import RIGHTS
from core.errors import NotFound
from org.services import absence_create
from tests.approvals.town import submit_general
from tests.factories import EmployeeFactory


def draft(town) -> Document:
    return services.document_create(
        kind="general", drafter=town.staff, title="物品購入について", retention_years=5
    )


def returned(town) -> Document:
    return services.document_return(document=submit_general(town, amount=50_000), actor=town.chief)


def decided_by_proxy(town) -> Document:
    """The chief approves, then decides for the absent director (代決): a 後閲 waits for the director."""
    document = services.document_approve(document=submit_general(town, amount=50_000), actor=town.chief)
    today = timezone.localdate()
    absence_create(actor=town.director, employee=town.director, start=today, end=today)
    return services.document_approve(document=document, actor=town.chief)


def document_officer(town):
    """文書主任 of 総務課: reassigns the department's waiting steps without being on the route."""
    return EmployeeFactory(username="bunsho_shunin", department=town.somu, roles=["document_officer"])


# action: (the document it acts on, who acts (a town attribute or a builder), the call)
ACTIONS = {
    "update": (
        draft,
        "staff",
        lambda d, a: services.document_update(document=d, actor=a, title="新しい件名"),
    ),
    "submit": (draft, "staff", lambda d, a: services.document_submit(document=d, actor=a)),
    "resubmit": (returned, "staff", lambda d, a: services.document_resubmit(document=d, actor=a)),
    "approve": (submit_general, "chief", lambda d, a: services.document_approve(document=d, actor=a)),
    "reject": (submit_general, "chief", lambda d, a: services.document_reject(document=d, actor=a)),
    "return": (submit_general, "chief", lambda d, a: services.document_return(document=d, actor=a)),
    "withdraw": (submit_general, "staff", lambda d, a: services.document_withdraw(document=d, actor=a)),
    "acknowledge": (
        decided_by_proxy,
        "director",
        lambda d, a: services.document_acknowledge(document=d, actor=a),
    ),
    "comment": (
        submit_general,
        "chief",
        lambda d, a: services.document_comment(document=d, actor=a, comment="意見"),
    ),
    "reassign": (
        submit_general,
        document_officer,
        lambda d, a: services.step_reassign(
            document=d, actor=a, step=1, to=type(a).objects.get(username="somu_staff2"), reason="人事異動"
        ),
    ),
}


def acting_person(town, actor):
    return actor(town) if callable(actor) else getattr(town, actor)


def test_the_ten_actions_are_the_table_of_rights():
    assert sorted(RIGHTS) == sorted(ACTIONS)


def snapshot(document: Document) -> tuple:
    rows = StepApprover.objects.filter(step__document=document).order_by("id")
    return (
        Document.objects.filter(pk=document.pk).values_list("status", "title", "round").get(),
        list(rows.values_list("decision", "decided_by", "comment")),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ACTIONS))
def test_someone_who_cannot_see_the_document_gets_404_and_nothing_changes(town, action):
    # given a document in the state the action needs, and an employee of another department
    prepare, _actor, call = ACTIONS[action]
    document = prepare(town)
    before = snapshot(document)

    # when the outsider tries the action
    with pytest.raises(NotFound) as error:
        call(document, town.kaikei_staff)

    # then the document is not found for them, and nothing changed
    assert error.value.code == "document_not_found"
    assert snapshot(document) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_action_locks_the_document_first_and_the_audit_head_last_once_each(town, monkeypatch, action):
    # given a document in the state the action needs, and the row locks recorded in the order taken
    prepare, actor, call = ACTIONS[action]
    document = prepare(town)
    taken: list[str] = []
    for name, attribute in (("document", "document_for_update"), ("head", "audit_chain_head_for_update")):
        original = getattr(lock_objects, attribute)

        def wrapper(*args, _name=name, _original=original, **kwargs):
            taken.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(lock_objects, attribute, wrapper)
    events = AuditEvent.objects.count()

    # when the person who may do it does it
    call(document, acting_person(town, actor))

    # then the document was locked once, first, and the head once, last, for every event of the action
    assert taken == ["document", "head"]
    assert AuditEvent.objects.count() > events
