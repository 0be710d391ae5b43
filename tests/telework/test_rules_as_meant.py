"""The rules as a 実施要綱 means them (issue 13): continuity days outside the caps, the approval against the policy
version the request was filed under, notice from the first business day, past dates and 事後申請, leave, partial
cancel and half days — through the services, on the telework test town (today Monday 2026-11-16)."""

from datetime import date

import pytest

from approvals import services as approvals
from core.errors import Conflict, RuleViolation, ValidationFailed
from notifications.models import Notification
from org.models import Absence
from rollout import services as rollout_services
from telework import selectors, services
from telework.models import RequestStatus, TeleworkDay, TeleworkRequest

SUN, MON = date(2026, 11, 15), date(2026, 11, 16)
TUE, WED, THU, FRI = date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)
NEXT_TUE = date(2026, 11, 24)


def apply(employee, dates, location="home", unit="day"):
    return services.telework_request_create(
        employee=employee, dates=dates, location=location, work_plan="資料作成", unit=unit
    )


def approve(town, request, acknowledge_warnings=False):
    for approver in (town.chief, town.director):
        approvals.document_approve(
            document=request.document, actor=approver, acknowledge_warnings=acknowledge_warnings
        )
    request.refresh_from_db()
    return request


def codes(excinfo) -> list[str]:
    return [error["code"] for error in excinfo.value.errors]


# --- continuity days are outside the caps of other requests ----------------------------------------


def test_continuity_days_do_not_count_against_a_normal_request_in_the_same_week(town):
    # given a BCP period on Tue–Wed and two approved telework days inside it
    services.continuity_period_create(
        actor=town.secretariat, start=TUE, end=WED, departments=[town.somu], reason="大雪"
    )
    staff = town.staff[0]
    approve(town, apply(staff, [TUE, WED]))

    # when the same employee asks for a normal Friday the same week (cap 2 a week, 2 consecutive)
    request = apply(staff, [FRI])

    # then it is accepted: the BCP days weigh nothing in the week, the month or the run
    assert request.status == RequestStatus.SUBMITTED
    assert request.warnings == []


# --- the approval re-checks the version the request was filed under --------------------------------


def test_raising_the_notice_after_filing_does_not_make_a_request_unapprovable(town):
    # given a request filed Monday for Wednesday under a notice of 1 business day (version 1)
    request = apply(town.staff[0], [WED])
    # when the secretariat raises the notice to 3 days (version 2) and the chief and director approve
    services.policy_update(actor=town.secretariat, advance_notice_business_days=3)
    assert selectors.effective_policy(town.somu).values["advance_notice_business_days"] == 3
    approve(town, request)
    # then the request is approved against version 1, as the check says
    assert request.status == RequestStatus.APPROVED
    assert request.policy_version.version == 1
    assert selectors.checked_versions(request) == {"default": 1, "department": None}


def test_a_new_request_after_the_change_is_checked_against_the_new_version(town):
    services.policy_update(actor=town.secretariat, advance_notice_business_days=3)
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [WED])
    assert codes(excinfo) == ["advance_notice"]


def test_a_department_override_created_after_filing_binds_only_later_requests(town):
    request = apply(town.staff[0], [TUE])
    services.policy_update(actor=town.secretariat, department=town.somu, allowed_locations=["mobile"])
    assert selectors.request_check(request) == []
    assert selectors.checked_versions(request) == {"default": 1, "department": None}
    assert approve(town, request).status == RequestStatus.APPROVED


@pytest.mark.parametrize("change", ["phase", "pledge", "staffing"])
def test_the_approval_rechecks_what_can_change_and_names_the_version(town, change):
    # given a compliant request
    request = apply(town.staff[0], [TUE])
    # when, before the decision, the department goes back to preparing, the pledge is withdrawn, or three
    # colleagues are approved for the day (7 staff, a minimum of 4 in the office)
    if change == "phase":
        rollout_services.phase_move(
            actor=town.secretariat, department=town.somu, phase="preparing", on=date(2026, 11, 16)
        )
    elif change == "pledge":
        town.staff[0].security_pledge_signed = False
        town.staff[0].save(update_fields=["security_pledge_signed"])
    else:
        for person in town.staff[1:4]:
            approve(town, apply(person, [TUE]))
    # then the chief's approval is refused with the rule that now breaks, naming the version it used
    with pytest.raises(RuleViolation) as excinfo:
        approvals.document_approve(document=request.document, actor=town.chief)
    expected = {
        "phase": "phase_not_open",
        "pledge": "security_pledge_required",
        "staffing": "min_office_staff",
    }
    assert codes(excinfo) == [expected[change]]
    assert excinfo.value.params == {"policy_version": {"default": 1, "department": None}}
    assert "全庁 v1" in str(excinfo.value.detail)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


# --- notice, past dates and 事後申請 ----------------------------------------------------------------


def test_applying_on_sunday_for_monday_breaks_a_one_day_notice(town, clock):
    clock.set(SUN)
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [MON])
    assert codes(excinfo) == ["advance_notice"]
    assert excinfo.value.errors[0]["params"]["notice"] == 0


def test_applying_on_showa_day_for_the_day_after_golden_week_breaks_a_three_day_notice(town, clock):
    services.policy_update(actor=town.secretariat, advance_notice_business_days=3)
    clock.set(date(2026, 4, 29))
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [date(2026, 5, 7)])
    assert "advance_notice" in codes(excinfo)


def test_with_no_notice_today_is_valid_and_yesterday_is_past(town):
    services.policy_update(actor=town.secretariat, advance_notice_business_days=0)
    assert apply(town.staff[0], [MON]).status == RequestStatus.SUBMITTED
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[1], [date(2026, 11, 13)])
    assert codes(excinfo) == ["past_date"]
    assert TeleworkRequest.objects.count() == 1


def test_a_past_date_is_refused_inside_a_continuity_period_too(town):
    services.continuity_period_create(
        actor=town.secretariat, start=date(2026, 11, 13), end=FRI, reason="感染症"
    )
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [date(2026, 11, 13)])
    assert codes(excinfo) == ["past_date"]


def test_after_the_fact_requests_within_the_policy_limit_are_marked(town):
    # given a policy that admits 事後申請 within 1 business day
    services.policy_update(actor=town.secretariat, after_the_fact_business_days=1)
    # when Friday's telework is applied for on Monday, then it is accepted and marked
    request = apply(town.staff[0], [date(2026, 11, 13)])
    assert (request.status, request.after_the_fact) == (RequestStatus.SUBMITTED, True)
    # and Thursday's (2 business days late) is refused
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[1], [date(2026, 11, 12)])
    assert codes(excinfo) == ["past_date"]
    assert excinfo.value.errors[0]["params"]["after_the_fact_business_days"] == 1


def test_an_approval_after_the_day_is_refused_unless_the_version_admits_it(town, clock):
    late = apply(town.staff[0], [TUE])
    lenient_policy = apply(town.staff[1], [TUE])
    # (the second request is filed under a version that admits 事後申請 within 1 business day)
    services.policy_update(actor=town.secretariat, after_the_fact_business_days=1)
    lenient = apply(town.staff[2], [WED])
    clock.set(THU)
    with pytest.raises(RuleViolation) as excinfo:
        approvals.document_approve(document=late.document, actor=town.chief)
    assert codes(excinfo) == ["past_date"]
    with pytest.raises(RuleViolation):
        approvals.document_approve(document=lenient_policy.document, actor=town.chief)
    approved = approve(town, lenient)
    assert (approved.status, approved.approved_after_the_day) == (RequestStatus.APPROVED, True)
    assert (late.after_the_fact, approved.after_the_fact) == (False, False)


# --- leave ------------------------------------------------------------------------------------------


def test_a_day_on_leave_is_refused_at_filing_and_at_approval(town):
    Absence.objects.create(employee=town.staff[0], start=WED, end=THU, reason="年休")
    with pytest.raises(RuleViolation) as excinfo:
        apply(town.staff[0], [TUE, WED])
    assert codes(excinfo) == ["on_leave"]
    assert excinfo.value.errors[0]["params"] == {"date": "2026-11-18"}

    request = apply(town.staff[1], [FRI])
    Absence.objects.create(employee=town.staff[1], start=FRI, end=FRI, reason="出張")
    with pytest.raises(RuleViolation) as excinfo:
        approvals.document_approve(document=request.document, actor=town.chief)
    assert codes(excinfo) == ["on_leave"]


# --- partial cancel -----------------------------------------------------------------------------------


def test_partial_cancel_of_an_approved_request_frees_only_those_days(town):
    staff = town.staff[0]
    request = approve(town, apply(staff, [TUE, THU]))

    services.telework_request_cancel(request=request, actor=staff, dates=[THU])

    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert dict(request.days.values_list("date", "status")) == {
        TUE: RequestStatus.APPROVED,
        THU: RequestStatus.CANCELLED,
    }
    note = Notification.objects.get(recipient=town.director, kind="telework_cancelled")
    assert note.data["dates"] == ["2026-11-19"]
    assert apply(staff, [THU]).status == RequestStatus.SUBMITTED  # the day is free again
    assert selectors.approved_telework_location(employee=staff, on=THU) is None


def test_partial_cancel_of_a_submitted_request_then_approval_approves_the_rest(town):
    staff = town.staff[0]
    request = apply(staff, [TUE, THU])
    services.telework_request_cancel(request=request, actor=staff, dates=[TUE])
    apply(staff, [TUE])  # another request takes the freed day

    approved = approve(town, request)

    assert approved.status == RequestStatus.APPROVED
    days = dict(approved.days.values_list("date", "status"))
    assert days == {TUE: RequestStatus.CANCELLED, THU: RequestStatus.APPROVED}
    assert request.document.status == "approved"


def test_cancelling_the_remaining_days_cancels_the_request_and_withdraws_its_document(town):
    staff = town.staff[0]
    request = apply(staff, [TUE, THU])
    services.telework_request_cancel(request=request, actor=staff, dates=[TUE])
    services.telework_request_cancel(request=request, actor=staff, dates=[THU])
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert request.document.status == "withdrawn"
    assert set(request.days.values_list("status", flat=True)) == {RequestStatus.CANCELLED}


def test_partial_cancel_refuses_dates_outside_the_request_and_days_begun(town, clock):
    staff = town.staff[0]
    request = approve(town, apply(staff, [TUE, THU]))
    with pytest.raises(ValidationFailed) as excinfo:
        services.telework_request_cancel(request=request, actor=staff, dates=[WED])
    assert codes(excinfo) == ["not_a_telework_day"]
    clock.set(TUE)
    with pytest.raises(Conflict) as excinfo:
        services.telework_request_cancel(request=request, actor=staff, dates=[TUE])
    assert excinfo.value.code == "already_started"
    # on Tuesday the later Thursday can still be cancelled
    services.telework_request_cancel(request=request, actor=staff, dates=[THU])
    assert TeleworkDay.objects.get(request=request, date=THU).status == RequestStatus.CANCELLED


# --- half days ------------------------------------------------------------------------------------------


def test_half_days_are_a_policy_option_counted_half_by_the_caps(town):
    staff = town.staff[0]
    with pytest.raises(RuleViolation) as excinfo:
        apply(staff, [TUE], unit="am")
    assert codes(excinfo) == ["half_day_not_allowed"]

    services.policy_update(actor=town.secretariat, allow_half_days=True)
    # a whole day and two half days make 2 days in the week: at the cap
    approve(town, apply(staff, [TUE]))
    morning = apply(staff, [THU], unit="am")
    afternoon = apply(staff, [FRI], unit="pm")
    assert (morning.unit, afternoon.unit) == ("am", "pm")
    assert list(morning.days.values_list("unit", flat=True)) == ["am"]
    # one more half day is 2.5
    with pytest.raises(RuleViolation) as excinfo:
        apply(staff, [WED], unit="pm")
    assert "max_days_per_week" in codes(excinfo)
    week = next(e for e in excinfo.value.errors if e["code"] == "max_days_per_week")
    assert week["params"]["requested"] == 2.5
