"""Approval services: default routes, decisions, return and resubmit, withdraw, proxy with 後閲, delegation,
numbering, retention, visibility, notifications and kind handlers. Data is built through the services."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import (
    ActedAs,
    Decision,
    Document,
    DocumentStatus,
    RouteRule,
    Step,
    StepKind,
    StepStatus,
)
from approvals.models_record import AuditEvent
from approvals.registry import register_kind
from approvals.routing import StepSpec
from approvals.selectors import can_view, inbox_for, post_reviews_for
from core.errors import Conflict, NotFound, PermissionDenied, RuleViolation, ValidationFailed
from notifications.models import Notification
from org.services import absence_create
from tests.clock import FrozenClock

TOKYO = ZoneInfo("Asia/Tokyo")


def route(document):
    """[(kind, status, [approver ids])] of the current round's steps, skipped ones left out."""
    steps = Step.objects.filter(document=document, round=document.round).exclude(status=StepStatus.SKIPPED)
    return [(s.kind, s.status, [a.approver_id for a in s.approvers.all()]) for s in steps.order_by("order")]


def approve_all(document, *people):
    for person in people:
        document = services.document_approve(document=document, actor=person)
    return document


# --- default routes (Done when) -------------------------------------------------------------------


def test_staff_50000_goes_chief_review_then_director_final(town, submitted):
    document = submitted(amount=50_000)

    assert document.status == DocumentStatus.IN_REVIEW
    assert route(document) == [
        (StepKind.REVIEW, StepStatus.WAITING, [town.chief.pk]),
        (StepKind.FINAL, StepStatus.PENDING, [town.director.pk]),
    ]
    assert document.route_rule_version == 1

    document = approve_all(document, town.chief, town.director)

    assert document.status == DocumentStatus.APPROVED
    assert document.number == "南富総第1号"
    assert document.current_step_order is None


def test_500000_with_consult_to_kaikei(town, submitted):
    document = submitted(amount=500_000, consult=[town.kaikei])

    assert [(k, a) for k, _s, a in route(document)] == [
        (StepKind.REVIEW, [town.chief.pk]),
        (StepKind.REVIEW, [town.director.pk]),
        (StepKind.CONSULT, [town.kaikei_director.pk]),
        (StepKind.FINAL, [town.deputy_mayor.pk]),
    ]
    document = approve_all(document, town.chief, town.director, town.kaikei_director)
    assert document.status == DocumentStatus.IN_REVIEW
    document = approve_all(document, town.deputy_mayor)
    assert document.status == DocumentStatus.APPROVED


def test_5000000_ends_with_deputy_mayor_review_and_mayor_final(town, submitted):
    document = submitted(amount=5_000_000)

    assert [(k, a) for k, _s, a in route(document)] == [
        (StepKind.REVIEW, [town.chief.pk]),
        (StepKind.REVIEW, [town.director.pk]),
        (StepKind.REVIEW, [town.deputy_mayor.pk]),
        (StepKind.FINAL, [town.mayor.pk]),
    ]
    document = approve_all(document, town.chief, town.director, town.deputy_mayor, town.mayor)
    assert document.status == DocumentStatus.APPROVED


def test_director_within_own_authority_goes_to_the_superior(town, submitted):
    # issue 11: nobody decides their own document; the 課長's own 専決 matter goes to the 副町長 (next rank up)
    document = submitted(amount=10_000, drafter=town.director)

    assert document.status == DocumentStatus.IN_REVIEW
    assert document.number == ""
    assert route(document) == [(StepKind.FINAL, StepStatus.WAITING, [town.deputy_mayor.pk])]
    document = services.document_approve(document=document, actor=town.deputy_mayor)
    assert (document.status, document.number) == (DocumentStatus.APPROVED, "南富総第1号")


def test_consult_all_of_waits_for_every_director(town, submitted):
    document = submitted(amount=50_000, consult=[town.kaikei, town.kikaku])
    document = approve_all(document, town.chief, town.kaikei_director)
    assert route(document)[1][1] == StepStatus.WAITING

    document = approve_all(document, town.kikaku_director)

    assert route(document)[1][1] == StepStatus.APPROVED
    assert route(document)[2] == (StepKind.FINAL, StepStatus.WAITING, [town.director.pk])


def test_any_of_consult_from_rule_data_needs_one_and_closes_the_others(town):
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
    document = services.document_create(kind="general", retention_years=5, drafter=town.staff, title="照会")
    document = services.document_submit(document=document, actor=town.staff)
    assert document.route_rule_version == 2

    document = services.document_approve(document=document, actor=town.kikaku_director)

    consult = document.steps.get(kind=StepKind.CONSULT)
    assert consult.status == StepStatus.APPROVED
    assert dict(consult.approvers.values_list("approver_id", "decision")) == {
        town.kikaku_director.pk: Decision.APPROVED,
        town.kaikei_director.pk: Decision.NOT_NEEDED,
    }
    with pytest.raises(Conflict) as error:
        services.document_approve(document=document, actor=town.kaikei_director)
    assert error.value.code == "already_decided"


def test_n_of_m_rejection_only_when_the_count_is_out_of_reach(town):
    services.route_rule_publish(
        kind="general",
        steps=[
            {
                "kind": "consult",
                "approvers": [
                    {"employee": town.kaikei_director.pk},
                    {"employee": town.kikaku_director.pk},
                    {"employee": town.deputy_mayor.pk},
                ],
                "mode": "n_of_m",
                "required": 2,
            },
            {"kind": "final", "approver": "drafter_director"},
        ],
        actor=None,
    )
    document = services.document_submit(
        document=services.document_create(
            kind="general", retention_years=5, drafter=town.staff, title="合議"
        ),
        actor=town.staff,
    )
    document = services.document_reject(document=document, actor=town.kaikei_director)
    assert document.status == DocumentStatus.IN_REVIEW

    document = services.document_reject(document=document, actor=town.kikaku_director)

    assert document.status == DocumentStatus.REJECTED
    assert document.number == ""


def test_route_rule_version_is_recorded_and_old_documents_keep_theirs(town, submitted):
    first = submitted(amount=50_000)
    services.route_rule_publish(
        kind="general", steps=[{"kind": "final", "approver": {"position": "mayor"}}], actor=town.director
    )
    second = submitted(amount=50_000)

    assert (first.route_rule_version, second.route_rule_version) == (1, 2)
    assert route(first)[0][2] == [town.chief.pk]
    assert route(second) == [(StepKind.FINAL, StepStatus.WAITING, [town.mayor.pk])]
    assert RouteRule.objects.filter(kind="general", active=True).count() == 1


def test_route_rule_publish_refuses_an_invalid_template(town):
    with pytest.raises(RuleViolation) as error:
        services.route_rule_publish(
            kind="general", steps=[{"kind": "review", "approver": "nobody"}], actor=None
        )
    assert {e["code"] for e in error.value.errors} >= {"invalid_selector", "one_final_step"}
    assert RouteRule.objects.filter(kind="general").count() == 1


def test_vacant_final_approver_refuses_submission(town, submitted):
    town.mayor.is_active = False
    town.mayor.save()
    with pytest.raises(RuleViolation) as error:
        submitted(amount=5_000_000)
    assert error.value.code == "no_final_approver"
    assert Document.objects.get().status == DocumentStatus.DRAFT


# --- decisions and state --------------------------------------------------------------------------


def test_not_your_turn_already_decided_and_not_an_approver(town, submitted):
    document = submitted(amount=50_000)

    with pytest.raises(Conflict) as early:
        services.document_approve(document=document, actor=town.director)
    assert early.value.code == "not_your_turn"
    with pytest.raises(PermissionDenied) as drafter:
        services.document_approve(document=document, actor=town.staff)
    assert drafter.value.code == "not_an_approver"
    with pytest.raises(NotFound):
        services.document_approve(document=document, actor=town.kaikei_staff)

    services.document_approve(document=document, actor=town.chief)
    with pytest.raises(Conflict) as again:
        services.document_approve(document=document, actor=town.chief)
    assert again.value.code == "already_decided"


def test_reject_decides_the_document_and_runs_nothing_more(town, submitted):
    document = submitted(amount=50_000)

    document = services.document_reject(document=document, actor=town.chief, comment="内容不備")

    assert document.status == DocumentStatus.REJECTED
    assert document.decided_at is not None
    with pytest.raises(Conflict) as error:
        services.document_approve(document=document, actor=town.director)
    assert error.value.code == "already_decided"


def test_return_to_drafter_edit_and_resubmit(town, submitted):
    document = submitted(amount=50_000)
    document = services.document_approve(document=document, actor=town.chief)

    document = services.document_return(document=document, actor=town.director, comment="金額を確認")
    assert document.status == DocumentStatus.RETURNED
    assert inbox_for(user=town.director).count() == 0

    document = services.document_update(document=document, actor=town.staff, amount=500_000)
    document = services.document_resubmit(document=document, actor=town.staff)

    assert document.status == DocumentStatus.IN_REVIEW
    assert document.round == 2
    assert [(k, a) for k, _s, a in route(document)][-1] == (StepKind.FINAL, [town.deputy_mayor.pk])
    assert Step.objects.filter(document=document, round=1).count() == 3  # the first round stays on record
    document = approve_all(document, town.chief, town.director, town.deputy_mayor)
    assert document.status == DocumentStatus.APPROVED


def test_return_to_an_earlier_step_that_decides_again(town, submitted):
    document = submitted(amount=500_000)
    document = approve_all(document, town.chief, town.director)

    document = services.document_return(
        document=document, actor=town.deputy_mayor, to_step=1, comment="再確認"
    )

    assert document.status == DocumentStatus.IN_REVIEW
    assert [s for _k, s, _a in route(document)] == [
        StepStatus.WAITING,
        StepStatus.PENDING,
        StepStatus.PENDING,
    ]
    assert inbox_for(user=town.chief).count() == 1
    document = approve_all(document, town.chief, town.director, town.deputy_mayor)
    assert document.status == DocumentStatus.APPROVED


def test_return_to_a_later_or_unknown_step_is_refused(town, submitted):
    document = submitted(amount=500_000)
    document = approve_all(document, town.chief)

    with pytest.raises(RuleViolation) as error:
        services.document_return(document=document, actor=town.director, to_step=3)

    assert error.value.code == "invalid_to_step"
    assert Document.objects.get().status == DocumentStatus.IN_REVIEW


def test_withdraw_by_drafter_only_before_the_decision(town, submitted):
    document = submitted(amount=50_000)
    with pytest.raises(PermissionDenied):
        services.document_withdraw(document=document, actor=town.chief)

    document = services.document_withdraw(document=document, actor=town.staff)

    assert document.status == DocumentStatus.WITHDRAWN
    assert inbox_for(user=town.chief).count() == 0
    decided = approve_all(submitted(amount=50_000), town.chief, town.director)
    with pytest.raises(Conflict) as error:
        services.document_withdraw(document=decided, actor=town.staff)
    assert error.value.code == "already_decided"


def test_decided_document_cannot_be_edited_and_a_correction_links_to_it(town, submitted):
    original = approve_all(submitted(amount=50_000), town.chief, town.director)
    with pytest.raises(Conflict):
        services.document_update(document=original, actor=town.staff, title="書き換え")

    correction = services.document_create(
        kind="general", retention_years=5, drafter=town.staff, title="修正", corrects=original
    )

    assert correction.corrects == original
    assert Document.objects.get(pk=original.pk).title == "物品購入について"
    with pytest.raises(Conflict) as error:
        services.document_create(
            kind="general", retention_years=5, drafter=town.staff, title="x", corrects=correction
        )
    assert error.value.code == "not_decided"


def test_create_validates_retention_and_title(town):
    with pytest.raises(ValidationFailed) as error:
        services.document_create(kind="general", drafter=town.staff, title=" ", retention_years=7)
    assert {e["field"] for e in error.value.errors} == {"title", "retention_years"}
    assert not Document.objects.exists()


# --- proxy (代決) and delegation (委任) -------------------------------------------------------------


def test_proxy_decision_by_the_chief_adds_post_review_for_the_absent_director(town, submitted):
    document = submitted(amount=50_000)
    document = services.document_approve(document=document, actor=town.chief)
    today = timezone.localdate()
    absence_create(actor=town.director, employee=town.director, start=today, end=today)

    assert inbox_for(user=town.chief).get().acting_as == ActedAs.PROXY
    document = services.document_approve(document=document, actor=town.chief, comment="代決")

    assert document.status == DocumentStatus.APPROVED
    final = document.steps.get(kind=StepKind.FINAL).approvers.get()
    assert (final.approver, final.decided_by, final.on_behalf_of, final.acted_as) == (
        town.director,
        town.chief,
        town.director,
        ActedAs.PROXY,
    )
    pending = post_reviews_for(user=town.director)
    assert [row.step.document_id for row in pending] == [document.pk]
    assert Notification.objects.filter(recipient=town.director, kind="approval_proxy_decided").exists()
    with pytest.raises(PermissionDenied):
        services.document_acknowledge(document=document, actor=town.chief)

    services.document_acknowledge(document=document, actor=town.director, comment="確認しました")

    assert post_reviews_for(user=town.director).count() == 0
    assert document.steps.get(kind=StepKind.POST_REVIEW).status == StepStatus.ACKNOWLEDGED


def test_deputy_cannot_decide_when_the_approver_is_present(town, submitted):
    document = approve_all(submitted(amount=50_000), town.chief)

    with pytest.raises(Conflict) as error:
        services.document_approve(document=document, actor=town.chief)

    assert error.value.code == "already_decided"
    assert Document.objects.get().status == DocumentStatus.IN_REVIEW


def test_delegation_lets_the_delegate_decide_as_themselves(town, submitted):
    today = timezone.localdate()
    services.delegation_create(
        delegator=town.director, delegate=town.kikaku_director, start=today, end=today, actor=town.director
    )
    document = approve_all(submitted(amount=50_000), town.chief)

    item = inbox_for(user=town.kikaku_director).get()
    assert (item.step.document_id, item.acting_as) == (document.pk, ActedAs.DELEGATE)
    assert can_view(user=town.kikaku_director, document=document)

    document = services.document_approve(document=document, actor=town.kikaku_director)

    row = document.steps.get(kind=StepKind.FINAL).approvers.get()
    assert (row.decided_by, row.on_behalf_of, row.acted_as) == (
        town.kikaku_director,
        town.director,
        ActedAs.DELEGATE,
    )
    assert document.status == DocumentStatus.APPROVED
    assert not document.steps.filter(kind=StepKind.POST_REVIEW).exists()
    assert can_view(user=town.kikaku_director, document=document)  # the one who decided keeps access


def test_a_delegate_coming_after_the_approver_gets_already_decided(town, submitted):
    today = timezone.localdate()
    services.delegation_create(
        delegator=town.director, delegate=town.kikaku_director, start=today, end=today, actor=town.director
    )
    document = approve_all(submitted(amount=50_000), town.chief, town.director)

    with pytest.raises(Conflict) as error:
        services.document_approve(document=document, actor=town.kikaku_director)

    assert error.value.code == "already_decided"


def test_delegation_limited_to_kinds_and_period(town, submitted):
    today = timezone.localdate()
    services.delegation_create(
        delegator=town.director,
        delegate=town.kikaku_director,
        start=today,
        end=today,
        kinds=["telework"],
        actor=town.director,
    )
    services.delegation_create(
        delegator=town.chief,
        delegate=town.kaikei_director,
        start=today - timedelta(days=5),
        end=today - timedelta(days=1),
        actor=town.chief,
    )
    document = submitted(amount=50_000)

    assert inbox_for(user=town.kaikei_director).count() == 0
    with pytest.raises(NotFound):
        services.document_approve(document=document, actor=town.kaikei_director)
    document = approve_all(document, town.chief)
    assert inbox_for(user=town.kikaku_director).count() == 0


def test_delegation_rules(town):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.delegation_create(
            delegator=town.director, delegate=town.chief, start=today, end=today, actor=town.staff
        )
    with pytest.raises(RuleViolation) as error:
        services.delegation_create(
            delegator=town.director,
            delegate=town.director,
            start=today,
            end=today - timedelta(days=1),
            actor=town.director,
        )
    assert {e["code"] for e in error.value.errors} == {"self_delegation", "end_before_start"}


# --- numbering and retention ----------------------------------------------------------------------


def _at(monkeypatch, moment: datetime):
    FrozenClock(moment)


def test_numbering_restarts_in_april_per_department(town, submitted, monkeypatch):
    _at(monkeypatch, datetime(2026, 3, 31, 23, 50, tzinfo=TOKYO))
    march = [approve_all(submitted(amount=1_000), town.chief, town.director) for _ in range(2)]
    other = services.document_create(
        kind="general", retention_years=5, drafter=town.kaikei_staff, title="会計"
    )
    other = approve_all(
        services.document_submit(document=other, actor=town.kaikei_staff), town.kaikei_director
    )

    _at(monkeypatch, datetime(2026, 4, 1, 0, 10, tzinfo=TOKYO))
    april = approve_all(submitted(amount=1_000), town.chief, town.director)

    assert [(d.number, d.fiscal_year) for d in march] == [("南富総第1号", 2025), ("南富総第2号", 2025)]
    assert (other.number, other.fiscal_year) == ("南富会第1号", 2025)
    assert (april.number, april.fiscal_year) == ("南富総第1号", 2026)


@pytest.mark.parametrize(
    ("decided", "years", "disposal"),
    [
        (datetime(2026, 3, 31, 12, tzinfo=TOKYO), 5, date(2031, 3, 31)),
        (datetime(2026, 4, 1, 9, tzinfo=TOKYO), 1, date(2028, 3, 31)),
        (datetime(2026, 4, 1, 9, tzinfo=TOKYO), None, None),
    ],
)
def test_disposal_date_from_the_fiscal_year_end(town, submitted, monkeypatch, decided, years, disposal):
    _at(monkeypatch, decided)
    document = approve_all(submitted(amount=1_000, retention_years=years), town.chief, town.director)
    assert document.disposal_date == disposal


# --- visibility, notifications, audit, handlers ---------------------------------------------------


def test_visibility_follows_the_route(town, submitted):
    document = submitted(amount=50_000, consult=[town.kaikei])

    assert all(
        can_view(user=person, document=document)
        for person in (town.staff, town.chief, town.director, town.kaikei_director)
    )
    assert not any(
        can_view(user=person, document=document) for person in (town.staff2, town.kaikei_staff, town.mayor)
    )


def test_notifications_for_opened_steps_and_decisions(town, submitted):
    document = submitted(amount=50_000)
    assert Notification.objects.filter(recipient=town.chief, kind="approval_step_opened").count() == 1

    approve_all(document, town.chief)

    assert Notification.objects.filter(recipient=town.director, kind="approval_step_opened").count() == 1
    assert Notification.objects.filter(recipient=town.staff, kind="approval_approve").count() == 1


def test_every_action_is_audited_in_the_transaction(town, submitted):
    document = approve_all(submitted(amount=50_000), town.chief, town.director)
    services.document_comment(document=document, actor=town.chief, comment="了解")

    actions = list(AuditEvent.objects.filter(document=document).values_list("action", "actor_id"))
    assert actions == [
        ("create", town.staff.pk),
        ("submit", town.staff.pk),
        ("approve", town.chief.pk),
        ("approve", town.director.pk),
        ("decide", town.director.pk),
        ("comment", town.chief.pk),
    ]


def test_kind_handlers_run_inside_the_decision(town, kinds):
    seen = []
    register_kind(
        "overtime",
        label="時間外勤務命令",
        on_approved=lambda d: seen.append(("approved", d.pk, d.status)),
        on_rejected=lambda d: seen.append(("rejected", d.pk, d.status)),
    )
    first = services.document_create(kind="overtime", drafter=town.staff, title="残業", payload={"hours": 2})
    first = services.document_submit(document=first, actor=town.staff)
    first = services.document_approve(document=first, actor=town.director)
    second = services.document_create(kind="overtime", drafter=town.staff, title="残業2")
    second = services.document_submit(document=second, actor=town.staff)
    second = services.document_reject(document=second, actor=town.director)

    assert seen == [("approved", first.pk, "approved"), ("rejected", second.pk, "rejected")]
    assert first.payload == {"hours": 2}


def test_a_failing_handler_rolls_the_decision_back(town, kinds):
    def refuse(document):
        raise Conflict(code="month_closed")

    register_kind("timesheet", label="月次勤務表", on_approved=refuse)
    document = services.document_create(kind="timesheet", drafter=town.staff, title="2026年4月")
    document = services.document_submit(document=document, actor=town.staff)
    with pytest.raises(Conflict):
        services.document_approve(document=document, actor=town.director)

    document.refresh_from_db()
    assert (document.status, document.number) == (DocumentStatus.IN_REVIEW, "")
    assert not AuditEvent.objects.filter(document=document, action="approve").exists()


def test_route_builder_of_a_kind_overrides_the_rule(town, kinds):
    register_kind(
        "telework",
        label="テレワーク申請",
        route_builder=lambda d: [StepSpec(kind="final", approvers=(town.mayor.pk,))],
    )
    document = services.document_create(kind="telework", drafter=town.staff, title="在宅勤務")
    document = services.document_submit(document=document, actor=town.staff)

    assert document.route_rule_version is None
    assert route(document) == [(StepKind.FINAL, StepStatus.WAITING, [town.mayor.pk])]


def test_circulate_steps_after_the_final_open_on_approval_and_are_acknowledged(town):
    services.route_rule_publish(
        kind="general",
        steps=[
            {"kind": "final", "approver": "drafter_director"},
            {
                "kind": "circulate",
                "approvers": [{"employee": town.staff2.pk}, {"employee": town.kaikei_staff.pk}],
            },
        ],
        actor=None,
    )
    document = services.document_submit(
        document=services.document_create(
            kind="general", retention_years=5, drafter=town.staff, title="周知"
        ),
        actor=town.staff,
    )

    document = services.document_approve(document=document, actor=town.director)

    assert document.status == DocumentStatus.APPROVED
    assert inbox_for(user=town.staff2).get().step.kind == StepKind.CIRCULATE
    assert can_view(user=town.kaikei_staff, document=document)
    services.document_acknowledge(document=document, actor=town.staff2)
    assert document.steps.get(kind=StepKind.CIRCULATE).status == StepStatus.WAITING
    services.document_acknowledge(document=document, actor=town.kaikei_staff)
    assert document.steps.get(kind=StepKind.CIRCULATE).status == StepStatus.ACKNOWLEDGED
    with pytest.raises(Conflict) as error:
        services.document_acknowledge(document=document, actor=town.kaikei_staff)
    assert error.value.code == "already_decided"


def test_circulate_before_the_final_blocks_until_acknowledged(town):
    services.route_rule_publish(
        kind="general",
        steps=[
            {"kind": "circulate", "approver": "drafter_chief"},
            {"kind": "final", "approver": "drafter_director"},
        ],
        actor=None,
    )
    document = services.document_submit(
        document=services.document_create(
            kind="general", retention_years=5, drafter=town.staff, title="回覧"
        ),
        actor=town.staff,
    )
    with pytest.raises(Conflict) as error:
        services.document_approve(document=document, actor=town.director)
    assert error.value.code == "not_your_turn"

    services.document_acknowledge(document=document, actor=town.chief)

    assert inbox_for(user=town.director).get().step.kind == StepKind.FINAL


def test_demo_documents_load_once(db):
    from approvals import demo
    from org.demo import build_town as build_demo_town

    town = build_demo_town()
    demo.load(town)
    demo.load(town)

    statuses = sorted(Document.objects.values_list("status", flat=True))
    assert statuses == ["approved", "draft", "in_review", "returned"]
    assert Document.objects.get(status="approved").number == "南富総第1号"
