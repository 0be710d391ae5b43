"""/api/v1/telework/: policy, requests, reports, calendar and feed, continuity, blackout dates.

Authorisation: staff their own requests and their department's calendar; managers their department's
requests; the secretariat the policy but no individual's request."""

import re
from datetime import date, time

import pytest

from approvals.models import DocumentStatus
from notifications.models import Notification
from telework import services
from telework.models import (
    BlackoutDate,
    ContinuityPeriod,
    DayReport,
    RequestStatus,
    TeleworkPolicy,
    TeleworkRequest,
)
from tests.api.schema_codes import assert_codes_documented
from tests.telework.town import Clock, build_town

BASE = "/api/v1/telework"
TUE, WED, THU, FRI = date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def town(db, clock):
    return build_town()


def apply(employee, dates, location="home"):
    return services.telework_request_create(
        employee=employee, dates=dates, location=location, work_plan="資料作成"
    )


def approve_via_api(as_user, town, request, **body):
    for approver in (town.chief, town.director):
        response = as_user(approver).post(
            f"/api/v1/approvals/documents/{request.document_id}/approve/", body, format="json"
        )
        assert response.status_code == 200, response.json()
    request.refresh_from_db()
    return request


# --- policy -----------------------------------------------------------------------------------------


def test_everyone_reads_the_town_policy(as_user, town):
    response = as_user(town.staff[0]).get(f"{BASE}/policy/")
    assert response.status_code == 200
    data = response.json()
    assert data["max_days_per_week"] == 2
    assert data["allowed_locations"] == ["home", "satellite", "mobile"]
    assert data["eligible_employment_types"] == ["regular"]
    assert data["require_day_report"] is True
    assert data["versions"] == {"default": 1, "department": None}
    assert data["blackout_dates"] == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("staff", 403), ("director", 403), ("hr", 403), ("secretariat", 200)],
)
def test_patch_department_policy_authorisation(api_client, as_user, town, who, expected):
    client = (
        api_client
        if who == "anonymous"
        else as_user(
            {
                "staff": town.staff[0],
                "director": town.director,
                "hr": town.hr,
                "secretariat": town.secretariat,
            }[who]
        )
    )
    response = client.patch(f"{BASE}/policies/somu/", {"max_days_per_week": 1}, format="json")

    assert response.status_code == expected
    override = TeleworkPolicy.objects.filter(department=town.somu).first()
    if expected == 200:
        assert override.max_days_per_week == 1
        data = response.json()
        assert (data["max_days_per_week"], data["max_days_per_month"]) == (1, 8)  # the rest is inherited
        assert data["override"]["max_days_per_week"] == 1
        assert data["override"]["max_days_per_month"] is None
        assert data["versions"] == {"default": 1, "department": 1}
        assert data["phase"] == "formal"
    else:
        assert override is None


def test_patch_null_on_an_override_inherits_again(as_user, town):
    client = as_user(town.secretariat)
    client.patch(f"{BASE}/policies/somu/", {"max_days_per_week": 1}, format="json")
    response = client.patch(f"{BASE}/policies/somu/", {"max_days_per_week": None}, format="json")
    assert response.json()["max_days_per_week"] == 2
    assert response.json()["versions"]["department"] == 2


def test_patch_default_policy_validates_shape(as_user, town):
    response = as_user(town.secretariat).patch(
        f"{BASE}/policy/", {"allowed_locations": ["beach"], "severities": {"nope": "soft"}}, format="json"
    )
    assert response.status_code == 400
    assert {e["field"].split(".")[0] for e in response.json()["errors"]} == {
        "allowed_locations",
        "severities",
    }
    assert TeleworkPolicy.objects.get(department=None).version == 1


def test_unknown_department_policy_is_404(as_user, town):
    assert as_user(town.staff[0]).get(f"{BASE}/policies/nowhere/").status_code == 404


# --- applying ---------------------------------------------------------------------------------------


def test_apply_returns_201_with_the_document_and_warnings(as_user, town):
    services.policy_update(actor=town.secretariat, severities={"max_days_per_week": "soft"})
    response = as_user(town.staff[0]).post(
        f"{BASE}/requests/",
        {
            "dates": ["2026-11-17", "2026-11-19", "2026-11-20"],
            "location": "home",
            "work_plan": "例規集の改訂",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 201
    data = response.json()
    request = TeleworkRequest.objects.get()
    assert (data["id"], data["status"], data["document"]) == (request.pk, "submitted", request.document_id)
    assert data["dates"] == ["2026-11-17", "2026-11-19", "2026-11-20"]
    assert data["warnings"] == [
        {
            "field": "dates",
            "code": "max_days_per_week",
            "message": "Telework is limited to 2 day(s) per week; 2026-W47 would have 3.",
            "params": {"limit": 2, "requested": 3, "week": "2026-W47"},
        }
    ]


def test_apply_breaking_three_rules_returns_422_with_all_three(as_user, town):
    services.blackout_date_create(actor=town.secretariat, date=TUE, reason="議会")
    services.policy_update(actor=town.secretariat, department=town.somu, allowed_locations=["home"])
    staff = town.staff[0]
    staff.security_pledge_signed = False
    staff.save()

    response = as_user(staff).post(
        f"{BASE}/requests/",
        {"dates": ["2026-11-17"], "location": "satellite", "work_plan": "x"},
        format="json",
    )

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert [e["code"] for e in body["errors"]] == [
        "location_not_allowed",
        "blackout_date",
        "security_pledge_required",
    ]
    assert body["errors"][1]["params"] == {"date": "2026-11-17", "reason": "議会"}
    assert body["errors"][1]["message"] == "2026-11-17 はテレワーク実施不可日です(議会)。"
    assert_codes_documented(response)
    assert TeleworkRequest.objects.count() == 0


def test_apply_validates_the_shape(as_user, town):
    response = as_user(town.staff[0]).post(
        f"{BASE}/requests/", {"dates": [], "location": "office", "work_plan": ""}, format="json"
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"dates", "location", "work_plan"}


def test_apply_is_idempotent(as_user, town):
    client = as_user(town.staff[0])
    body = {"dates": ["2026-11-17"], "location": "home", "work_plan": "x"}
    first = client.post(f"{BASE}/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(f"{BASE}/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert TeleworkRequest.objects.count() == 1


def test_apply_notifies_the_chief(as_user, town):
    as_user(town.staff[0]).post(
        f"{BASE}/requests/", {"dates": ["2026-11-17"], "location": "home", "work_plan": "x"}, format="json"
    )
    assert Notification.objects.filter(recipient=town.chief, kind="approval_step_opened").count() == 1


# --- reading requests -------------------------------------------------------------------------------


def test_mine_lists_only_the_callers_requests(as_user, town):
    own = apply(town.staff[0], [TUE])
    apply(town.staff[1], [TUE])
    response = as_user(town.staff[0]).get(f"{BASE}/requests/?mine=true")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [own.pk]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("staff", 403), ("other_director", 403), ("secretariat", 403), ("chief", 200)],
)
def test_department_list_is_for_its_managers(api_client, as_user, town, who, expected):
    apply(town.staff[0], [TUE])
    people = {
        "staff": town.staff[1],
        "other_director": town.kikaku_director,
        "secretariat": town.secretariat,
        "chief": town.chief,
    }
    client = api_client if who == "anonymous" else as_user(people[who])
    response = client.get(f"{BASE}/requests/?department=somu")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["count"] == 1


@pytest.mark.parametrize("count", [1, 5])
def test_department_list_query_count_is_fixed(as_user, town, django_assert_max_num_queries, count):
    for person in town.staff[:count]:
        apply(person, [TUE] if person is town.staff[0] else [WED])
    client = as_user(town.director)
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/requests/?department=somu")
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    ("who", "expected", "with_check"),
    [
        ("applicant", 200, False),
        ("chief", 200, True),
        ("director", 200, True),
        ("colleague", 404, False),
        ("other_director", 404, False),
        ("secretariat", 404, False),
    ],
)
def test_request_detail_visibility_and_the_check_for_approvers(as_user, town, who, expected, with_check):
    request = apply(town.staff[0], [TUE])
    people = {
        "applicant": town.staff[0],
        "chief": town.chief,
        "director": town.director,
        "colleague": town.staff[1],
        "other_director": town.kikaku_director,
        "secretariat": town.secretariat,
    }
    response = as_user(people[who]).get(f"{BASE}/requests/{request.pk}/")
    assert response.status_code == expected
    if expected == 200:
        check = response.json()["check"]
        assert (check is not None) == with_check
        if with_check:
            assert check["ok"] is True
            assert check["violations"] == []


def test_the_approvers_check_reflects_staffing_now(as_user, town):
    # given four requests for Tuesday and three of them approved
    requests = [apply(person, [TUE]) for person in town.staff[:4]]
    for request in requests[:3]:
        approve_via_api(as_user, town, request)

    # when the director looks at the fourth, then the check says the counter would break
    response = as_user(town.director).get(f"{BASE}/requests/{requests[3].pk}/")
    check = response.json()["check"]
    assert check["ok"] is False
    assert [v["code"] for v in check["violations"]] == ["min_office_staff"]

    # and approving it is refused with 422, the document still waiting
    refused = as_user(town.chief).post(f"/api/v1/approvals/documents/{requests[3].document_id}/approve/", {})
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["min_office_staff"]
    assert_codes_documented(refused)
    requests[3].refresh_from_db()
    assert requests[3].status == RequestStatus.SUBMITTED
    assert requests[3].document.status == DocumentStatus.IN_REVIEW


def test_warnings_must_be_acknowledged_when_approving(as_user, town):
    services.policy_update(actor=town.secretariat, severities={"max_days_per_week": "soft"})
    request = apply(town.staff[0], [TUE, THU, FRI])
    url = f"/api/v1/approvals/documents/{request.document_id}/approve/"

    refused = as_user(town.chief).post(url, {}, format="json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "warnings_not_acknowledged"
    assert_codes_documented(refused)

    approve_via_api(as_user, town, request, acknowledge_warnings=True)
    assert request.status == RequestStatus.APPROVED


# --- cancel -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), [("colleague", 404), ("chief", 403), ("applicant", 200)])
def test_cancel_authorisation(as_user, town, who, expected):
    request = apply(town.staff[0], [TUE])
    people = {"colleague": town.staff[1], "chief": town.chief, "applicant": town.staff[0]}
    response = as_user(people[who]).post(f"{BASE}/requests/{request.pk}/cancel/")
    assert response.status_code == expected
    request.refresh_from_db()
    if expected == 200:
        assert response.json()["status"] == "cancelled"
        assert request.document.status == DocumentStatus.WITHDRAWN
    else:
        assert request.status == RequestStatus.SUBMITTED


def test_cancel_on_the_day_is_a_conflict(as_user, town, clock):
    request = apply(town.staff[0], [TUE])
    clock.set(TUE)
    response = as_user(town.staff[0]).post(f"{BASE}/requests/{request.pk}/cancel/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["code"] == "already_started"
    assert_codes_documented(response)
    assert response.json()["detail"] == "A request cannot be cancelled on or after its first day."


# --- the full path ----------------------------------------------------------------------------------


def test_apply_approve_clock_in_at_home_and_report(as_user, town, clock):
    staff = town.staff[0]
    client = as_user(staff)

    # apply on Monday for Tuesday
    created = client.post(
        f"{BASE}/requests/",
        {"dates": ["2026-11-17"], "location": "home", "work_plan": "予算資料"},
        format="json",
    )
    assert created.status_code == 201
    request = TeleworkRequest.objects.get(pk=created.json()["id"])

    # the chief finds it in the inbox; the chief and the director approve through the approvals API
    inbox = as_user(town.chief).get("/api/v1/approvals/inbox/").json()["results"]
    assert [(item["document"]["id"], item["document"]["kind"]) for item in inbox] == [
        (request.document_id, "telework")
    ]
    approve_via_api(as_user, town, request)
    assert client.get(f"{BASE}/requests/{request.pk}/").json()["status"] == "approved"

    # on Tuesday morning the staff member clocks in at home
    clock.set(TUE, time(8, 30))
    clocked = client.post("/api/v1/attendance/clock/", {"kind": "in", "location": "home"}, format="json")
    assert clocked.status_code == 201
    assert clocked.json()["location"] == "home"

    # and reports the day in the evening
    clock.set(TUE, time(17, 30))
    reported = client.post(
        f"{BASE}/requests/{request.pk}/report/", {"date": "2026-11-17", "summary": "予算資料を作成"}
    )
    assert reported.status_code == 201
    assert reported.json()["date"] == "2026-11-17"
    assert DayReport.objects.get().summary == "予算資料を作成"
    days = client.get(f"{BASE}/requests/{request.pk}/").json()["days"]
    assert days == [{"date": "2026-11-17", "unit": "day", "status": "approved", "reported": True}]


def test_report_by_someone_else_is_refused(as_user, town, clock):
    request = apply(town.staff[0], [TUE])
    approve_via_api(as_user, town, request)
    clock.set(TUE)
    response = as_user(town.chief).post(
        f"{BASE}/requests/{request.pk}/report/", {"date": "2026-11-17", "summary": "x"}
    )
    assert response.status_code == 403
    assert DayReport.objects.count() == 0


# --- calendar ---------------------------------------------------------------------------------------


def test_calendar_shows_who_is_where_and_the_counter(as_user, town):
    requests = [apply(person, [TUE]) for person in town.staff[:4]]
    for request in requests[:3]:
        approve_via_api(as_user, town, request)
    services.policy_update(actor=town.secretariat, department=town.somu, min_office_staff=5)

    response = as_user(town.staff[4]).get(f"{BASE}/calendar/?from=2026-11-16&to=2026-11-23")

    assert response.status_code == 200
    days = {day["date"]: day for day in response.json()["days"]}
    tuesday = days["2026-11-17"]
    assert [p["id"] for p in tuesday["teleworking"]] == [p.pk for p in town.staff[:3]]
    assert {p["location"] for p in tuesday["teleworking"]} == {"home"}
    assert [p["id"] for p in tuesday["pending"]] == [town.staff[3].pk]
    assert tuesday["office_count"] == 4
    assert (tuesday["min_office_staff"], tuesday["counter_ok"]) == (5, False)
    assert days["2026-11-16"]["counter_ok"] is True
    assert days["2026-11-23"]["is_working_day"] is False
    assert days["2026-11-23"]["closure_reason"] == "勤労感謝の日"


@pytest.mark.parametrize(
    ("who", "department", "expected"),
    [
        ("anonymous", "somu", 401),
        ("other_staff", "somu", 403),
        ("secretariat", "somu", 403),
        ("staff", "somu", 200),
        ("staff", "", 200),
    ],
)
def test_calendar_authorisation(api_client, as_user, town, who, department, expected):
    people = {"other_staff": town.kikaku_staff, "secretariat": town.secretariat, "staff": town.staff[0]}
    client = api_client if who == "anonymous" else as_user(people[who])
    response = client.get(f"{BASE}/calendar/?department={department}&from=2026-11-16&to=2026-11-20")
    assert response.status_code == expected


@pytest.mark.parametrize("count", [1, 5])
def test_calendar_query_count_is_fixed(as_user, town, django_assert_max_num_queries, count):
    for person in town.staff[:count]:
        apply(person, [TUE])
    with django_assert_max_num_queries(9):
        response = as_user(town.director).get(f"{BASE}/calendar/?from=2026-11-01&to=2026-11-30")
    assert len(response.json()["days"]) == 30


def test_calendar_range_is_validated(as_user, town):
    response = as_user(town.staff[0]).get(f"{BASE}/calendar/?from=2026-11-20&to=2026-11-16")
    assert response.status_code == 400


# --- iCalendar feed ---------------------------------------------------------------------------------


def test_ics_feed_with_a_rotating_token(api_client, as_user, town):
    request = apply(town.staff[0], [TUE, WED], location="satellite")
    approve_via_api(as_user, town, request)
    apply(town.staff[0], [date(2026, 11, 24)])  # still submitted: not in the feed

    issued = as_user(town.staff[0]).post(f"{BASE}/calendar-token/")
    assert issued.status_code == 201
    token = issued.json()["token"]
    assert issued.json()["url"].endswith(f"/api/v1/telework/calendar.ics?token={token}")

    feed = api_client.get(f"{BASE}/calendar.ics?token={token}")
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    text = feed.content.decode()
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20261117" in text
    assert "DTEND;VALUE=DATE:20261118" in text
    assert "SUMMARY:テレワーク(サテライトオフィス)" in text
    assert "20261124" not in text

    rotated = as_user(town.staff[0]).post(f"{BASE}/calendar-token/").json()["token"]
    assert api_client.get(f"{BASE}/calendar.ics?token={token}").status_code == 404
    assert api_client.get(f"{BASE}/calendar.ics?token={rotated}").status_code == 200


def test_ics_feed_needs_a_token(api_client, town):
    assert api_client.get(f"{BASE}/calendar.ics").status_code == 400
    assert api_client.get(f"{BASE}/calendar.ics?token=guess").status_code == 404


# --- continuity and blackout dates ------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), [("staff", 403), ("director", 403), ("secretariat", 201)])
def test_continuity_is_declared_by_the_secretariat(as_user, town, who, expected):
    person = {"staff": town.staff[0], "director": town.director, "secretariat": town.secretariat}[who]
    response = as_user(person).post(
        f"{BASE}/continuity/",
        {"start": "2026-11-17", "end": "2026-11-20", "departments": ["somu"], "reason": "大雪"},
        format="json",
    )
    assert response.status_code == expected
    assert ContinuityPeriod.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert response.json()["departments"] == ["somu"]


def test_continuity_lifts_the_caps_for_its_days(as_user, town):
    as_user(town.secretariat).post(
        f"{BASE}/continuity/", {"start": "2026-11-17", "end": "2026-11-20", "reason": "感染症"}, format="json"
    )
    response = as_user(town.staff[0]).post(
        f"{BASE}/requests/",
        {"dates": ["2026-11-17", "2026-11-18", "2026-11-19"], "location": "home", "work_plan": "x"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["warnings"] == []


def test_blackout_dates_read_by_all_and_added_by_the_secretariat(as_user, town):
    denied = as_user(town.director).post(f"{BASE}/blackout-dates/", {"date": "2026-12-01", "reason": "議会"})
    assert denied.status_code == 403
    assert BlackoutDate.objects.count() == 0

    created = as_user(town.secretariat).post(
        f"{BASE}/blackout-dates/",
        {"date": "2026-12-01", "reason": "議会", "department": "somu"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["department"] == "somu"

    listed = as_user(town.staff[0]).get(f"{BASE}/blackout-dates/?department=somu").json()
    assert [(b["date"], b["reason"]) for b in listed["results"]] == [("2026-12-01", "議会")]
    other = as_user(town.staff[0]).get(f"{BASE}/blackout-dates/?department=kikaku").json()
    assert other["count"] == 0


# --- unknown fields, blackout dates in the policy, partial cancel, the feed's media type (issue 13) -----


@pytest.mark.parametrize("path", ["/policy/", "/policies/somu/"])
def test_policy_patch_refuses_a_misspelled_field_and_changes_nothing(as_user, town, path):
    response = as_user(town.secretariat).patch(
        f"{BASE}{path}", {"max_days_per_weak": 1, "max_days_per_month": 3}, format="json"
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("max_days_per_weak", "unknown_field")
    ]
    assert TeleworkPolicy.objects.get(department=None).version == 1
    assert TeleworkPolicy.objects.filter(department=town.somu).count() == 0
    assert TeleworkPolicy.objects.get(department=None).max_days_per_month == 8


def test_policy_patch_with_blackout_dates_replaces_the_departments_own_upcoming_list(as_user, town, clock):
    services.blackout_date_create(actor=town.secretariat, date=date(2026, 12, 1), reason="議会(全庁)")
    services.blackout_date_create(
        actor=town.secretariat, date=date(2026, 12, 2), reason="繁忙期", department=town.somu
    )
    services.blackout_date_create(
        actor=town.secretariat, date=date(2026, 11, 13), reason="過去の実施不可日", department=town.somu
    )

    response = as_user(town.secretariat).patch(
        f"{BASE}/policies/somu/",
        {
            "blackout_dates": [
                {"date": "2026-12-03", "reason": "窓口繁忙"},
                {"date": "2026-12-04", "reason": "監査"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    data = response.json()
    assert [(b["date"], b["department"]) for b in data["blackout_dates"]] == [
        ("2026-12-01", None),
        ("2026-12-03", "somu"),
        ("2026-12-04", "somu"),
    ]
    own = BlackoutDate.objects.filter(department=town.somu).order_by("date").values_list("date", "reason")
    assert list(own) == [
        (date(2026, 11, 13), "過去の実施不可日"),
        (date(2026, 12, 3), "窓口繁忙"),
        (date(2026, 12, 4), "監査"),
    ]
    assert data["versions"] == {"default": 1, "department": None}  # the dates are not a version of the rules
    refused = as_user(town.staff[0]).post(
        f"{BASE}/requests/", {"dates": ["2026-12-03"], "location": "home", "work_plan": "x"}, format="json"
    )
    assert [e["code"] for e in refused.json()["errors"]] == ["blackout_date"]


def test_policy_patch_blackout_items_are_checked(as_user, town):
    response = as_user(town.secretariat).patch(
        f"{BASE}/policy/",
        {"blackout_dates": [{"date": "2026-12-03", "reason": "議会", "department": "somu"}, {"date": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    # (the item index is written as the API's error handler writes it)
    fields = sorted(
        (re.split(r"[.\[]", e["field"])[0], e["field"].split(".")[-1], e["code"])
        for e in response.json()["errors"]
    )
    assert fields == [
        ("blackout_dates", "date", "invalid"),
        ("blackout_dates", "department", "unknown_field"),
        ("blackout_dates", "reason", "required"),
    ]
    assert BlackoutDate.objects.count() == 0


def test_a_patch_that_changes_nothing_writes_no_version(as_user, town):
    client = as_user(town.secretariat)
    assert client.patch(f"{BASE}/policy/", {"max_days_per_week": 2}, format="json").status_code == 200
    assert client.patch(f"{BASE}/policy/", {}, format="json").status_code == 200
    assert TeleworkPolicy.objects.get(department=None).version == 1


def test_new_policy_fields_are_read_and_patched(as_user, town):
    response = as_user(town.secretariat).patch(
        f"{BASE}/policy/",
        {"allow_half_days": True, "after_the_fact_business_days": 2, "require_start_end_report": True},
        format="json",
    )
    data = response.json()
    assert (
        data["allow_half_days"],
        data["after_the_fact_business_days"],
        data["require_start_end_report"],
    ) == (
        True,
        2,
        True,
    )
    assert data["versions"]["default"] == 2


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/requests/", {"dates": ["2026-11-17"], "location": "home", "work_plan": "x", "loaction": "home"}),
        ("/continuity/", {"start": "2026-11-17", "end": "2026-11-18", "reason": "雪", "depts": []}),
        ("/blackout-dates/", {"date": "2026-12-01", "reason": "議会", "scope": "all"}),
    ],
)
def test_write_endpoints_refuse_unknown_fields(as_user, town, path, body):
    person = town.staff[0] if path == "/requests/" else town.secretariat
    response = as_user(person).post(f"{BASE}{path}", body, format="json")
    assert response.status_code == 400
    unknown = [e["field"] for e in response.json()["errors"] if e["code"] == "unknown_field"]
    assert unknown == [
        next(
            name
            for name in body
            if name not in {"dates", "location", "work_plan", "start", "end", "reason", "date"}
        )
    ]
    assert (
        TeleworkRequest.objects.count(),
        ContinuityPeriod.objects.count(),
        BlackoutDate.objects.count(),
    ) == (0, 0, 0)


def test_report_and_cancel_refuse_unknown_fields(as_user, town):
    request = apply(town.staff[0], [TUE])
    client = as_user(town.staff[0])
    cancel = client.post(f"{BASE}/requests/{request.pk}/cancel/", {"date": "2026-11-17"}, format="json")
    report = client.post(
        f"{BASE}/requests/{request.pk}/report/", {"date": "2026-11-17", "sumary": "x"}, format="json"
    )
    assert [e["code"] for e in cancel.json()["errors"]] == ["unknown_field"]
    assert ("sumary", "unknown_field") in [(e["field"], e["code"]) for e in report.json()["errors"]]
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_partial_cancel_through_the_api(as_user, town):
    request = apply(town.staff[0], [TUE, THU])
    approve_via_api(as_user, town, request)
    client = as_user(town.staff[0])

    response = client.post(f"{BASE}/requests/{request.pk}/cancel/", {"dates": ["2026-11-19"]}, format="json")

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["dates"]) == ("approved", ["2026-11-17"])
    assert [(d["date"], d["status"]) for d in data["days"]] == [
        ("2026-11-17", "approved"),
        ("2026-11-19", "cancelled"),
    ]
    wrong = client.post(f"{BASE}/requests/{request.pk}/cancel/", {"dates": ["2026-11-18"]}, format="json")
    assert (wrong.status_code, wrong.json()["errors"][0]["code"]) == (400, "not_a_telework_day")


def test_the_approvers_check_names_the_policy_version_it_used(as_user, town):
    request = apply(town.staff[0], [WED])
    services.policy_update(actor=town.secretariat, advance_notice_business_days=5)
    check = as_user(town.director).get(f"{BASE}/requests/{request.pk}/").json()["check"]
    assert (check["ok"], check["policy_version"]) == (True, {"default": 1, "department": None})


def test_a_half_day_request_through_the_api(as_user, town):
    services.policy_update(actor=town.secretariat, allow_half_days=True)
    response = as_user(town.staff[0]).post(
        f"{BASE}/requests/",
        {"dates": ["2026-11-17"], "location": "home", "unit": "pm", "work_plan": "x"},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["unit"], response.json()["days"][0]["unit"]) == ("pm", "pm")


@pytest.mark.parametrize("accept", ["text/calendar", "*/*", "text/calendar, application/json;q=0.5"])
def test_the_feed_answers_accept_text_calendar(api_client, as_user, town, accept):
    approve_via_api(as_user, town, apply(town.staff[0], [TUE]))
    token = as_user(town.staff[0]).post(f"{BASE}/calendar-token/").json()["token"]
    feed = api_client.get(f"{BASE}/calendar.ics?token={token}", HTTP_ACCEPT=accept)
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed.content.decode().count("BEGIN:VEVENT") == 1
    missing = api_client.get(f"{BASE}/calendar.ics?token=guess", HTTP_ACCEPT=accept)
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/problem+json")
