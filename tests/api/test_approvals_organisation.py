"""The organisation as it is, through the approvals API (issue 11): vacant posts and their acting holders, routing
by the drafter's section chief, 専決 by the drafter's rank, positions within the drafter's department, 人事異動
moving waiting steps to the post's new holder, and the reassignment of a waiting step."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import ActingAppointment, AuditEvent, Document, StepApprover, StepStatus
from attendance.worktime import LOCAL_TZ
from core.errors import RuleViolation
from notifications.models import Notification
from org.models import Position, Section
from org.services import employee_deactivate, employee_transfer, transfers_apply_due
from tests.approvals.town import build_town, submit_general
from tests.clock import FrozenClock
from tests.factories import EmployeeFactory

DOCS = "/api/v1/approvals/documents/"
INBOX = "/api/v1/approvals/inbox/"


@pytest.fixture
def town(db):
    return build_town()


def create(client, **body):
    body = {"title": "備品購入", "retention_years": 5, **body}
    response = client.post(DOCS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def waiting(document_id):
    """[(kind, [approver ids])] of the open steps."""
    document = Document.objects.get(pk=document_id)
    steps = document.steps.filter(round=document.round, status=StepStatus.WAITING).order_by("order")
    return [(s.kind, [a.approver_id for a in s.approvers.order_by("id")]) for s in steps]


def inbox_ids(client):
    return [item["document"]["id"] for item in client.get(INBOX).json()["results"]]


# --- vacant posts -----------------------------------------------------------------------------------


def test_a_consult_department_without_a_director_refuses_submission_naming_it(as_user, town):
    # given 会計課's 課長 retired; a document consults 会計課
    employee_deactivate(actor=None, employee=town.kaikei_director)
    client = as_user(town.staff)
    document_id = create(client, amount=500_000, consult_departments=["kaikei", "kikaku"])
    # when it is submitted
    response = client.post(f"{DOCS}{document_id}/submit/", {}, format="json")
    # then it is refused, naming the step and the department; nothing was routed
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "vacant_post"
    assert [(e["code"], e["params"]["department"], e["params"]["kind"]) for e in body["errors"]] == [
        ("vacant_post", "kaikei", "consult")
    ]
    assert body["errors"][0]["params"]["step"] == 3
    assert "会計課 課長" in body["detail"]
    document = Document.objects.get(pk=document_id)
    assert (document.status, document.steps.count()) == ("draft", 0)


def test_an_acting_holder_takes_the_vacant_consult_post(as_user, town):
    # given 会計課's 課長 retired and a 会計課 member designated as its acting holder (事務取扱)
    employee_deactivate(actor=None, employee=town.kaikei_director)
    ActingAppointment.objects.create(
        department=town.kaikei,
        position=Position.DIRECTOR,
        acting=town.kaikei_staff,
        start=timezone.localdate(),
    )
    client = as_user(town.staff)
    document_id = create(client, amount=500_000, consult_departments=["kaikei"])
    assert client.post(f"{DOCS}{document_id}/submit/", {}, format="json").status_code == 200
    for person in (town.chief, town.director):
        assert as_user(person).post(f"{DOCS}{document_id}/approve/", {}, format="json").status_code == 200
    # then the 合議 waits for the acting holder, for 会計課
    assert waiting(document_id) == [("consult", [town.kaikei_staff.pk])]
    row = StepApprover.objects.get(step__document_id=document_id, approver=town.kaikei_staff)
    assert (row.post_position, row.post_department_id) == ("director", town.kaikei.pk)
    assert document_id in inbox_ids(as_user(town.kaikei_staff))


def test_a_vacant_director_passes_the_small_decision_to_the_deputy_mayor(as_user, town):
    employee_deactivate(actor=None, employee=town.director)
    client = as_user(town.staff)
    document_id = create(client, amount=50_000)
    client.post(f"{DOCS}{document_id}/submit/", {}, format="json")
    as_user(town.chief).post(f"{DOCS}{document_id}/approve/", {}, format="json")
    assert waiting(document_id) == [("final", [town.deputy_mayor.pk])]


def test_a_vacant_director_of_a_kind_without_a_fallback_refuses_a_correction(as_user, town):
    """The 課長's own post vacant: an 打刻修正申請 (final 課長, no fallback in the rule) is refused, not dropped."""
    employee_deactivate(actor=None, employee=town.director)
    from attendance.services import correction_request

    with pytest.raises(RuleViolation) as refused:
        correction_request(
            employee=town.staff,
            day=timezone.localdate(),
            events=[{"kind": "in", "at": timezone.now() - timedelta(minutes=5), "location": "office"}],
            reason="打刻漏れ",
        )
    assert refused.value.code == "no_final_approver"
    assert refused.value.errors[0]["code"] == "vacant_post"
    assert refused.value.errors[0]["params"]["department"] == "somu"


# --- routing by section, rank, department -------------------------------------------------------------


def test_a_members_document_goes_to_their_own_sections_chief(as_user, town):
    # given 総務課 has two sections; the first chief (by id) heads 総務係, a later one デジタル推進係
    somu_section = Section.objects.create(department=town.somu, code="somu", name="総務係", chief=town.chief)
    digital_chief = EmployeeFactory(username="digital_chief", department=town.somu, position=Position.CHIEF)
    digital = Section.objects.create(
        department=town.somu, code="digital", name="デジタル推進係", chief=digital_chief
    )
    member = EmployeeFactory(username="digital_staff", department=town.somu, section=digital)
    assert town.chief.pk < digital_chief.pk
    assert somu_section.chief == town.chief
    # when a デジタル推進係 member submits
    client = as_user(member)
    document_id = create(client, amount=50_000)
    client.post(f"{DOCS}{document_id}/submit/", {}, format="json")
    # then it waits for the デジタル推進係長, not the 総務係長
    assert waiting(document_id) == [("review", [digital_chief.pk])]
    assert document_id in inbox_ids(as_user(digital_chief))
    assert document_id not in inbox_ids(as_user(town.chief))


def test_a_section_less_drafter_in_a_department_of_several_chiefs_skips_the_chief_review(as_user, town):
    EmployeeFactory(username="second_chief", department=town.somu, position=Position.CHIEF)
    client = as_user(town.staff)
    document_id = create(client, amount=50_000)
    client.post(f"{DOCS}{document_id}/submit/", {}, format="json")
    assert waiting(document_id) == [("final", [town.director.pk])]


def test_the_assistant_director_is_a_step_of_the_towns_rule(as_user, town):
    from approvals.routing import TOWN_GENERAL_TEMPLATE

    services.route_rule_publish(kind="general", steps=TOWN_GENERAL_TEMPLATE, actor=None)
    assistant = EmployeeFactory(username="hosa", department=town.somu, position=Position.ASSISTANT_DIRECTOR)
    client = as_user(town.staff)
    document_id = create(client, amount=50_000)
    client.post(f"{DOCS}{document_id}/submit/", {}, format="json")
    as_user(town.chief).post(f"{DOCS}{document_id}/approve/", {}, format="json")
    assert waiting(document_id) == [("review", [assistant.pk])]
    as_user(assistant).post(f"{DOCS}{document_id}/approve/", {}, format="json")
    assert waiting(document_id) == [("final", [town.director.pk])]


@pytest.mark.parametrize("drafter", ["mayor", "deputy_mayor"])
def test_the_mayors_and_deputy_mayors_small_documents_are_decided_by_the_mayor(as_user, town, drafter):
    # given the executives belong to 町長室 here; before issue 11 the department's 課長 decided them
    person = getattr(town, drafter)
    client = as_user(person)
    document_id = create(client, amount=50_000)
    body = client.post(f"{DOCS}{document_id}/submit/", {}, format="json").json()
    if drafter == "mayor":
        # the 町長's own matter: nobody above, decided on submission, never by a subordinate
        assert body["status"] == "approved"
        assert [s["approvers"] for s in body["steps"] if s["status"] != "skipped"] == []
    else:
        assert waiting(document_id) == [("final", [town.mayor.pk])]


def test_a_position_selector_resolves_within_the_drafters_department(as_user, town):
    # given a rule naming {"position": "director"}; the 総務課長 has the lowest id of every 課長
    services.route_rule_publish(
        kind="general", steps=[{"kind": "final", "approver": {"position": "director"}}], actor=None
    )
    client = as_user(town.kaikei_staff)
    document_id = create(client)
    client.post(f"{DOCS}{document_id}/submit/", {}, format="json")
    assert waiting(document_id) == [("final", [town.kaikei_director.pk])]


# --- the drafter's own step, for every kind -----------------------------------------------------------


def test_a_directors_own_correction_and_timesheet_go_to_the_deputy_mayor(as_user, town):
    # a correction of 10/15, and September's timesheet (October's waits for the correction: pending_requests)
    clock = FrozenClock(datetime(2026, 10, 15, 10, 0, tzinfo=LOCAL_TZ))
    month = "2026-09"
    director = as_user(town.director)
    at = clock.now.replace(hour=8, minute=30)
    correction = director.post(
        "/api/v1/attendance/corrections/",
        {
            "date": clock.today.isoformat(),
            "events": [{"kind": "in", "at": at.isoformat(), "location": "office"}],
            "reason": "打刻漏れ",
        },
        format="json",
    )
    assert correction.status_code == 201, correction.json()
    sheet = director.post(f"/api/v1/attendance/timesheets/{month}/submit/", {}, format="json")
    assert sheet.status_code in (200, 201), sheet.json()
    for body in (correction.json(), sheet.json()):
        document = Document.objects.get(pk=body["document"])
        assert document.status == "in_review"
        assert waiting(document.pk) == [("final", [town.deputy_mayor.pk])]
    assert {correction.json()["document"], sheet.json()["document"]} <= set(
        inbox_ids(as_user(town.deputy_mayor))
    )


# --- 人事異動 and reassignment ------------------------------------------------------------------------


def test_on_a_transfers_day_waiting_steps_move_to_the_posts_new_holder(as_user, town):
    # given a 会計課 document consulting 企画課 waits for the 企画課長
    kikaku_chief = EmployeeFactory(username="kikaku_chief", department=town.kikaku, position=Position.CHIEF)
    document = submit_general(town, drafter=town.kaikei_director, amount=500_000, consult=[town.kikaku])
    assert waiting(document.pk) == [("consult", [town.kikaku_director.pk])]
    hr = EmployeeFactory(username="jinji", department=town.somu, roles=["hr"])
    # when HR moves the 企画課長 to 総務課 and promotes the 企画係長 to 企画課長, both from today
    client = as_user(hr)
    moves = [
        {"employee": town.kikaku_director.pk, "department": "somu", "position": "assistant_director"},
        {"employee": kikaku_chief.pk, "department": "kikaku", "position": "director"},
    ]
    for move in moves:
        response = client.post(
            "/api/v1/org/transfers/",
            {**move, "effective_on": timezone.localdate().isoformat(), "section": None},
            format="json",
        )
        assert response.status_code == 201, response.json()
    # then the 合議 waits for the new 企画課長, in their inbox and no longer in the old one's
    assert waiting(document.pk) == [("consult", [kikaku_chief.pk])]
    assert document.pk in inbox_ids(as_user(kikaku_chief))
    assert document.pk not in inbox_ids(as_user(town.kikaku_director))
    event = AuditEvent.objects.filter(document=document, action="reassign").get()
    assert (event.data["from"], event.data["to"], event.data["cause"]) == (
        town.kikaku_director.pk,
        kikaku_chief.pk,
        "transfer",
    )
    assert Notification.objects.filter(recipient=kikaku_chief, kind="approval_step_opened").exists()
    assert as_user(kikaku_chief).get(f"{DOCS}{document.pk}/").status_code == 200


def test_a_transfer_dated_later_moves_the_steps_on_its_day(town):
    clock = FrozenClock(timezone.now())
    document = submit_general(town, amount=50_000)  # waits for the 総務係長
    new_chief = EmployeeFactory(username="new_chief", department=town.kaikei, position=Position.STAFF)
    day = clock.today + timedelta(days=3)
    employee_transfer(
        actor=None, employee=town.chief, effective_on=day, department=town.kaikei, position="chief"
    )
    employee_transfer(
        actor=None, employee=new_chief, effective_on=day, department=town.somu, position="chief"
    )
    assert waiting(document.pk) == [("review", [town.chief.pk])]
    clock.set(clock.now + timedelta(days=3))
    assert transfers_apply_due() == 2
    assert waiting(document.pk) == [("review", [new_chief.pk])]


def reassign(client, document, **body):
    return client.post(f"{DOCS}{document.pk}/reassign/", body, format="json")


def test_an_admin_reassigns_the_step_of_a_retired_approver(as_user, town):
    # given the 総務係長 retired while the document waited for them
    document = submit_general(town, amount=50_000)
    employee_deactivate(actor=None, employee=town.chief)
    admin = EmployeeFactory(username="sysadmin", department=None, roles=["admin"])
    # when the admin (not on the route) hands the step to the 主事2
    response = reassign(as_user(admin), document, step=1, to=town.staff2.pk, reason="係長の退職")
    # then
    assert response.status_code == 200, response.json()
    assert waiting(document.pk) == [("review", [town.staff2.pk])]
    event = AuditEvent.objects.filter(document=document, action="reassign").get()
    assert (event.actor, event.comment, event.data["from"], event.data["to"]) == (
        admin,
        "係長の退職",
        town.chief.pk,
        town.staff2.pk,
    )
    assert document.pk in inbox_ids(as_user(town.staff2))
    assert as_user(town.staff2).post(f"{DOCS}{document.pk}/approve/", {}, format="json").status_code == 200


def test_reassign_authorisation_matrix(as_user, api_client, town):
    document = submit_general(town, amount=50_000)
    officer = EmployeeFactory(username="bunsho", department=town.somu, roles=["document_officer"])
    other_officer = EmployeeFactory(username="bunsho2", department=town.kaikei, roles=["document_officer"])
    body = {"step": 1, "to": town.staff2.pk, "reason": "業務分担の変更"}
    before = (waiting(document.pk), AuditEvent.objects.count())
    assert reassign(api_client, document, **body).status_code == 401
    assert reassign(as_user(town.kaikei_staff), document, **body).status_code == 404
    assert reassign(as_user(other_officer), document, **body).status_code == 404
    response = reassign(as_user(town.chief), document, **body)  # on the route, but no officer
    assert (response.status_code, response.json()["code"]) == (403, "not_document_officer")
    assert (waiting(document.pk), AuditEvent.objects.count()) == before
    assert reassign(as_user(officer), document, **body).status_code == 200
    assert waiting(document.pk) == [("review", [town.staff2.pk])]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"step": 9, "reason": "x"}, 422, "unknown_step"),
        ({"step": 1, "reason": ""}, 400, "invalid"),
        ({"step": 1, "reason": "x", "to": "drafter"}, 422, "rule_violation"),
        ({"step": 1, "reason": "x", "to": "chief"}, 422, "rule_violation"),
        ({"step": 2, "reason": "x"}, 409, "step_not_open"),
    ],
)
def test_reassign_refusals(as_user, town, body, status, code):
    document = submit_general(town, amount=50_000)  # 1: 係長 waiting, 2: 課長 review skipped, 3: 決裁
    admin = EmployeeFactory(username="sysadmin", department=None, roles=["admin"])
    people = {"drafter": town.staff.pk, "chief": town.chief.pk}
    body = {**body, "to": people.get(body.get("to"), town.staff2.pk)}
    before = (waiting(document.pk), AuditEvent.objects.count())
    response = reassign(as_user(admin), document, **body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (waiting(document.pk), AuditEvent.objects.count()) == before
