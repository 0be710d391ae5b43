"""Telework services: policy versions, applying, approving through the approvals core, cancel, reports."""

from datetime import date

import pytest

from approvals import services as approvals
from approvals.models import DocumentStatus
from core.errors import Conflict, PermissionDenied, RuleViolation, ValidationFailed
from notifications.models import Notification
from org.models import Absence
from rollout import services as rollout_services
from telework import selectors, services
from telework.models import PolicyVersion, RequestStatus, TeleworkDay, TeleworkPolicy, TeleworkRequest

TUE, WED, THU, FRI = date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)


def apply(employee, dates, location="home"):
    return services.telework_request_create(
        employee=employee, dates=dates, location=location, work_plan="資料作成"
    )


def approve(town, request, acknowledge_warnings=False):
    """The chief reviews, the director decides."""
    document = request.document
    for approver in (town.chief, town.director):
        document = approvals.document_approve(
            document=document, actor=approver, acknowledge_warnings=acknowledge_warnings
        )
    request.refresh_from_db()
    return request


def codes(excinfo) -> list[str]:
    return [error["code"] for error in excinfo.value.errors]


# --- policy -----------------------------------------------------------------------------------------


def test_policy_update_versions_each_change_and_overrides_inherit(town):
    # given the town default (v1 from the fixture), when the secretariat overrides one field for 総務課
    services.policy_update(actor=town.secretariat, department=town.somu, max_days_per_week=1)
    services.policy_update(actor=town.secretariat, department=town.somu, min_office_staff=4)

    # then the override is at v2 with a snapshot per version, and the effective policy merges both
    override = TeleworkPolicy.objects.get(department=town.somu)
    assert override.version == 2
    assert list(PolicyVersion.objects.filter(policy=override).values_list("version", flat=True)) == [2, 1]
    assert PolicyVersion.objects.get(policy=override, version=1).values["min_office_staff"] is None
    effective = selectors.effective_policy(town.somu).values
    assert (
        effective["max_days_per_week"],
        effective["min_office_staff"],
        effective["max_days_per_month"],
    ) == (1, 4, 8)
    assert selectors.effective_policy(town.kikaku).values["max_days_per_week"] == 2


def test_policy_update_is_for_the_secretariat_only(town):
    with pytest.raises(PermissionDenied):
        services.policy_update(actor=town.director, max_days_per_week=5)
    assert TeleworkPolicy.objects.get(department=None).max_days_per_week == 2


def test_policy_update_rejects_unknown_values(town):
    with pytest.raises(ValidationFailed) as excinfo:
        services.policy_update(
            actor=town.secretariat, allowed_locations=["beach"], severities={"max_days_per_week": "maybe"}
        )
    assert sorted(e["field"] for e in excinfo.value.errors) == ["allowed_locations", "severities"]


# --- applying ---------------------------------------------------------------------------------------


def test_apply_creates_a_submitted_request_routed_to_chief_then_director(town):
    staff = town.staff[0]
    request = apply(staff, [WED, TUE])

    assert request.status == RequestStatus.SUBMITTED
    assert sorted(request.days.values_list("date", flat=True)) == [TUE, WED]
    assert request.document.kind == "telework"
    assert request.document.status == DocumentStatus.IN_REVIEW
    steps = list(request.document.steps.order_by("order").values_list("kind", "approvers__approver"))
    assert steps == [("review", town.chief.pk), ("final", town.director.pk)]
    assert Notification.objects.filter(recipient=town.chief, kind="approval_step_opened").count() == 1
    assert request.policy_version == PolicyVersion.objects.get(policy__department=None, version=1)
    assert request.department_policy_version is None


def test_apply_with_three_broken_rules_refuses_with_all_three_codes(town):
    services.policy_update(actor=town.secretariat, department=town.somu, allowed_locations=["home", "mobile"])
    services.blackout_date_create(actor=town.secretariat, date=TUE, reason="議会")
    staff = town.staff[0]
    staff.security_pledge_signed = False
    staff.save()

    with pytest.raises(RuleViolation) as excinfo:
        apply(staff, [TUE], location="satellite")

    assert codes(excinfo) == ["location_not_allowed", "blackout_date", "security_pledge_required"]
    assert TeleworkRequest.objects.count() == 0


def test_soft_rule_is_stored_as_a_warning_and_approval_needs_acknowledgement(town):
    services.policy_update(actor=town.secretariat, severities={"max_days_per_week": "soft"})
    staff = town.staff[0]
    request = apply(staff, [TUE, THU, FRI])
    assert [w["code"] for w in request.warnings] == ["max_days_per_week"]

    approvals.document_approve(document=request.document, actor=town.chief, acknowledge_warnings=True)
    with pytest.raises(RuleViolation) as excinfo:
        approvals.document_approve(document=request.document, actor=town.director)
    assert excinfo.value.code == "warnings_not_acknowledged"
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED

    approvals.document_approve(document=request.document, actor=town.director, acknowledge_warnings=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert set(request.days.values_list("status", flat=True)) == {RequestStatus.APPROVED}


def test_overlapping_request_is_refused(town):
    apply(town.staff[0], [TUE])
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [TUE, WED])
    assert codes(excinfo) == ["overlapping_request"]


def test_pending_requests_count_towards_the_weekly_cap(town):
    apply(town.staff[0], [TUE, WED])
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [FRI])
    assert codes(excinfo) == ["max_days_per_week"]
    assert excinfo.value.errors[0]["params"] == {"limit": 2, "requested": 3, "week": "2026-W47"}


def test_messages_follow_the_active_language(town):
    from django.utils import translation

    staff = town.staff[0]
    with translation.override("en"), pytest.raises(RuleViolation) as excinfo:
        apply(staff, [date(2026, 11, 21)])
    assert excinfo.value.errors[0]["message"] == "2026-11-21 is not a working day."


def test_phase_gate_uses_the_department_phase(town):
    rollout_services.phase_move(
        actor=town.secretariat, department=town.somu, phase="partial", on=date(2026, 11, 1)
    )
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [TUE])
    assert codes(excinfo) == ["phase_not_open"]
    assert apply(town.staff[0], [TUE], location="mobile").status == RequestStatus.SUBMITTED


# --- approving: the counter re-check ----------------------------------------------------------------


def test_approval_rechecks_the_counter_with_staffing_as_of_now(town):
    # given 7 staff and a minimum of 4 in the office: three approved teleworkers leave 4 in the office
    first = [apply(person, [TUE]) for person in town.staff[:4]]
    for request in first[:3]:
        assert approve(town, request).status == RequestStatus.APPROVED

    # when the chief approves the fourth
    with pytest.raises(RuleViolation) as excinfo:
        approvals.document_approve(document=first[3].document, actor=town.chief)

    # then the approval is refused and nothing changed
    assert codes(excinfo) == ["min_office_staff"]
    assert excinfo.value.errors[0]["params"] == {"date": "2026-11-17", "minimum": 4, "remaining": 3}
    first[3].refresh_from_db()
    assert first[3].status == RequestStatus.SUBMITTED
    assert first[3].document.steps.filter(status="approved").count() == 0


def test_absences_count_against_the_counter(town):
    Absence.objects.create(employee=town.director, start=TUE, end=TUE)
    Absence.objects.create(employee=town.chief, start=TUE, end=TUE)
    approve(town, apply(town.staff[0], [TUE]))
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[1], [TUE])
    assert codes(excinfo) == ["min_office_staff"]


def test_final_approval_refused_when_the_counter_broke_after_the_chief(town):
    # the chief approved request B while only two others were out; then two more approvals leave no room
    requests = [apply(person, [WED]) for person in town.staff[:4]]
    approvals.document_approve(document=requests[3].document, actor=town.chief)
    for request in requests[:3]:
        approve(town, request)

    with pytest.raises(RuleViolation) as excinfo:
        approvals.document_approve(document=requests[3].document, actor=town.director)

    assert codes(excinfo) == ["min_office_staff"]
    requests[3].refresh_from_db()
    assert requests[3].status == RequestStatus.SUBMITTED
    assert requests[3].document.status == DocumentStatus.IN_REVIEW


def test_on_approved_refuses_under_the_lock_when_hard_rules_fail(town):
    # given a request reviewed by the chief, then three colleagues approved for the same day
    request = apply(town.staff[0], [TUE])
    approvals.document_approve(document=request.document, actor=town.chief)
    for person in town.staff[1:4]:
        approve(town, apply(person, [TUE]))

    # when the approval handler runs (as it does inside the director's decision), then it refuses
    with pytest.raises(RuleViolation) as excinfo:
        services.on_approved(request.document)
    assert codes(excinfo) == ["min_office_staff"]
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert TeleworkDay.objects.filter(date=TUE, status=RequestStatus.APPROVED).count() == 3


def test_reject_and_withdraw_through_the_document(town):
    rejected = apply(town.staff[0], [TUE])
    approvals.document_reject(document=rejected.document, actor=town.chief, comment="窓口繁忙")
    rejected.refresh_from_db()
    assert rejected.status == RequestStatus.REJECTED
    assert set(rejected.days.values_list("status", flat=True)) == {RequestStatus.REJECTED}

    withdrawn = apply(town.staff[0], [TUE])  # the rejected day is free again
    approvals.document_withdraw(document=withdrawn.document, actor=town.staff[0])
    withdrawn.refresh_from_db()
    assert withdrawn.status == RequestStatus.WITHDRAWN


# --- cancel -----------------------------------------------------------------------------------------


def test_cancel_a_submitted_request_withdraws_its_document(town):
    request = apply(town.staff[0], [TUE])
    services.telework_request_cancel(request=request, actor=town.staff[0])
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert request.document.status == DocumentStatus.WITHDRAWN
    assert set(request.days.values_list("status", flat=True)) == {RequestStatus.CANCELLED}


def test_cancel_an_approved_request_frees_the_day_for_the_counter(town):
    requests = [apply(person, [TUE]) for person in town.staff[:4]]
    for request in requests[:3]:
        approve(town, request)
    services.telework_request_cancel(request=requests[0], actor=town.staff[0])

    assert approve(town, requests[3]).status == RequestStatus.APPROVED
    assert Notification.objects.filter(recipient=town.director, kind="telework_cancelled").count() == 1


def test_cancel_only_by_the_applicant_and_before_the_day(town, clock):
    request = apply(town.staff[0], [TUE])
    with pytest.raises(PermissionDenied):
        services.telework_request_cancel(request=request, actor=town.director)
    clock.set(TUE)
    with pytest.raises(Conflict) as excinfo:
        services.telework_request_cancel(request=request, actor=town.staff[0])
    assert excinfo.value.code == "already_started"
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


# --- day reports and reminders ----------------------------------------------------------------------


def test_day_report_on_or_after_the_day_once(town, clock):
    request = approve(town, apply(town.staff[0], [TUE, WED]))
    with pytest.raises(Conflict) as excinfo:
        services.day_report_submit(request=request, actor=town.staff[0], date=TUE, summary="資料作成")
    assert excinfo.value.code == "day_not_reached"

    clock.set(TUE)
    report = services.day_report_submit(request=request, actor=town.staff[0], date=TUE, summary="資料作成")
    assert report.day.date == TUE
    with pytest.raises(Conflict) as excinfo:
        services.day_report_submit(request=request, actor=town.staff[0], date=TUE, summary="again")
    assert excinfo.value.code == "already_reported"
    with pytest.raises(ValidationFailed):
        services.day_report_submit(request=request, actor=town.staff[0], date=THU, summary="x")


def test_reminder_for_missing_reports_is_sent_once(town, clock):
    request = approve(town, apply(town.staff[0], [TUE, WED]))
    clock.set(WED)
    services.day_report_submit(request=request, actor=town.staff[0], date=WED, summary="済")

    clock.set(THU)
    assert services.day_report_reminders_send() == 1  # TUE only: WED is reported
    assert services.day_report_reminders_send() == 0
    reminders = Notification.objects.filter(recipient=town.staff[0], kind="telework_day_report_missing")
    assert [n.data["date"] for n in reminders] == ["2026-11-17"]


def test_no_reminder_when_the_policy_does_not_ask_for_reports(town, clock):
    services.policy_update(actor=town.secretariat, department=town.somu, require_day_report=False)
    approve(town, apply(town.staff[0], [TUE]))
    clock.set(THU)
    assert services.day_report_reminders_send() == 0


# --- the day itself ---------------------------------------------------------------------------------


def test_approved_telework_location_for_attendance(town):
    request = apply(town.staff[0], [TUE], location="satellite")
    assert selectors.approved_telework_location(employee=town.staff[0], on=TUE) is None
    approve(town, request)
    assert selectors.approved_telework_location(employee=town.staff[0], on=TUE) == "satellite"
    assert selectors.approved_telework_location(employee=town.staff[0], on=WED) is None


def test_telework_without_approval_notifies_the_director(town):
    services.telework_without_approval_notify(employee=town.staff[0], on=TUE, location="home")
    notification = Notification.objects.get(recipient=town.director, kind="telework_without_approval")
    assert notification.data == {"employee": town.staff[0].pk, "date": "2026-11-17", "location": "home"}


# --- continuity and calendar token ------------------------------------------------------------------


def test_continuity_period_lifts_the_weekly_cap_for_its_department(town):
    services.continuity_period_create(
        actor=town.secretariat, start=TUE, end=FRI, departments=[town.somu], reason="大雪"
    )
    request = apply(town.staff[0], [TUE, WED, THU])
    assert request.warnings == []
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.kikaku_staff, [TUE, WED, THU])
    assert "max_days_per_week" in codes(excinfo)


def test_calendar_token_rotation_invalidates_the_old_token(town):
    first = services.calendar_token_rotate(employee=town.staff[0])
    assert selectors.employee_for_feed_token(first) == town.staff[0]
    second = services.calendar_token_rotate(employee=town.staff[0])
    assert selectors.employee_for_feed_token(first) is None
    assert selectors.employee_for_feed_token(second) == town.staff[0]
