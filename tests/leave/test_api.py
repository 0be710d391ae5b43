"""The leave API: types, balance (who may read whose), every 422 code at its boundary, the cancel rules, the list's
fixed query count, English messages, and the full path (apply → approve → a deputy decides during the leave → the
day shows the leave → the payroll CSV shows it)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services as approvals_services
from approvals.models import Document
from leave.models import LeaveRequest
from org.models import Absence
from tests.leave.helpers import apply, approve_all, waiting_approvers

URL = "/api/v1/leave/requests/"


def post(client, **body):
    body.setdefault("type", "annual")
    return client.post(URL, body, format="json")


def codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def test_types_are_data(as_user, town):
    response = as_user(town.staff[0]).get("/api/v1/leave/types/")
    by_code = {row["code"]: row for row in response.json()}
    assert {
        "annual",
        "sick",
        "summer",
        "marriage",
        "bereavement",
        "child_care",
        "care",
        "duty_exemption",
    } <= set(by_code)
    assert by_code["annual"]["units"] == ["day", "half_day", "hour"]
    assert by_code["annual"]["balance"] is True
    assert by_code["summer"]["window"] == {"start": "07-01", "end": "09-30"}
    assert by_code["sick"]["needs_attachment_after_days"] == 7


def test_apply_answers_201_submitted_with_its_document(as_user, town):
    response = post(as_user(town.staff[0]), start_date="2026-11-24", end_date="2026-11-25", reason="私用")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["days"], body["hours"], body["warnings"]) == ("submitted", 2.0, 0.0, [])
    document = Document.objects.get(pk=body["document"])
    assert (document.kind, document.status) == ("leave", "in_review")
    assert town.director in waiting_approvers(document) or town.chief in waiting_approvers(document)


def test_hours_answer_their_hours(as_user, town):
    response = post(
        as_user(town.staff[0]), start_date="2026-11-24", unit="hours", start_time="13:00", end_time="15:00"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["days"], response.json()["hours"]) == (0.0, 2.0)


def test_unknown_fields_and_bad_shapes_are_400(as_user, town):
    client = as_user(town.staff[0])
    assert post(client, start_date="2026-11-24", colour="red").status_code == 400
    unknown = post(client, type="holiday", start_date="2026-11-24")
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (400, "type")
    response = post(client, start_date="2026-11-25", end_date="2026-11-24")
    assert (response.status_code, codes(response)) == (400, ["end_before_start"])
    response = post(client, start_date="2026-11-24", end_date="2026-11-25", unit="am")
    assert (response.status_code, codes(response)) == (400, ["one_day_required"])
    response = post(client, start_date="2026-11-24", unit="hours", start_time="09:00", end_time="09:30")
    assert (response.status_code, codes(response)) == (400, ["whole_hours"])
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a Saturday only: no working day to take (the Friday before is fine)
        ({"start_date": "2026-11-28"}, ["not_working_day"]),
        ({"start_date": "2026-11-27"}, []),
        # 3 working days after the fact are allowed (today is Mon 16 Nov: back to Wed 11 Nov), not 4
        ({"start_date": "2026-11-11"}, []),
        ({"start_date": "2026-11-10"}, ["past_date"]),
        # summer leave inside July–September only
        ({"type": "summer", "start_date": "2027-09-30"}, []),
        ({"type": "summer", "start_date": "2027-10-01"}, ["outside_window"]),
        # 20 working days of annual leave are there, 21 are not (2026-11-24 .. 2026-12-22 is 20 working days)
        ({"start_date": "2026-11-24", "end_date": "2026-12-21"}, []),
        ({"start_date": "2026-11-24", "end_date": "2026-12-22"}, ["insufficient_balance"]),
        # 結婚休暇: 5 days an event
        ({"type": "marriage", "start_date": "2026-11-24", "end_date": "2026-11-30"}, []),
        (
            {"type": "marriage", "start_date": "2026-11-24", "end_date": "2026-12-01"},
            ["insufficient_balance"],
        ),
        # a unit the type does not allow
        ({"type": "summer", "start_date": "2027-08-02", "unit": "am"}, ["unit_not_allowed"]),
    ],
)
def test_every_rule_code_at_its_boundary(as_user, town, body, expected):
    response = post(as_user(town.staff[0]), **body)
    if expected:
        assert (response.status_code, codes(response)) == (422, expected), response.json()
        assert LeaveRequest.objects.count() == 0
    else:
        assert response.status_code == 201, response.json()


def test_overlapping_leave_and_halves(as_user, town):
    client = as_user(town.staff[0])
    assert post(client, start_date="2026-11-24", unit="am").status_code == 201
    assert post(client, start_date="2026-11-24", unit="pm").status_code == 201
    response = post(client, start_date="2026-11-24", end_date="2026-11-25")
    assert (response.status_code, codes(response)) == (422, ["overlapping_leave"])
    assert response.json()["errors"][0]["params"]["dates"] == ["2026-11-24"]


def test_every_violation_at_once(as_user, town):
    response = post(
        as_user(town.staff[0]),
        type="summer",
        start_date="2026-11-07",
        unit="hours",
        start_time="09:00",
        end_time="10:00",
    )
    assert response.status_code == 422
    assert set(codes(response)) == {"unit_not_allowed", "not_working_day", "past_date", "outside_window"}


def test_hourly_limit_through_the_api(as_user, town):
    client = as_user(town.staff[0])
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"):
        assert (
            post(client, start_date=day, unit="hours", start_time="09:00", end_time="17:00").status_code
            == 201
        )
    assert (
        post(client, start_date="2026-12-01", unit="hours", start_time="09:00", end_time="12:00").status_code
        == 201
    )
    response = post(client, start_date="2026-12-02", unit="hours", start_time="09:00", end_time="10:00")
    assert (response.status_code, codes(response)) == (422, ["hourly_limit"])


@pytest.mark.parametrize(("end", "refused"), [("2026-11-25", False), ("2026-11-26", True)])
def test_attachment_required_beyond_seven_days_at_the_decision(as_user, town, end, refused):
    # 7 working days (17–25 Nov, 23 Nov a holiday) need no 診断書; 8 do
    response = post(as_user(town.staff[0]), type="sick", start_date="2026-11-16", end_date=end)
    assert response.status_code == 201, response.json()
    warnings = [w["code"] for w in response.json()["warnings"]]
    assert warnings == (["attachment_required"] if refused else [])
    document = Document.objects.get(pk=response.json()["document"])
    while document.status == "in_review" and waiting_approvers(document)[0] != town.director:
        approvals_services.document_approve(document=document, actor=waiting_approvers(document)[0])
        document.refresh_from_db()
    answer = as_user(town.director).post(
        f"/api/v1/approvals/documents/{document.pk}/approve/", {}, format="json"
    )
    if refused:
        assert (answer.status_code, codes(answer)) == (422, ["attachment_required"])
        assert LeaveRequest.objects.get().status == "submitted"
    else:
        assert answer.status_code == 200, answer.json()
        assert LeaveRequest.objects.get().status == "approved"


def test_with_the_file_attached_after_a_return_the_long_sick_leave_is_approved(as_user, town):
    staff = town.staff[0]
    request = apply(staff, code="sick", start=date(2026, 11, 16), end=date(2026, 11, 26))
    document = request.document
    approver = waiting_approvers(document)[0]
    approvals_services.document_return(document=document, actor=approver, comment="診断書を添付してください")
    client = as_user(staff)
    upload = SimpleUploadedFile("shindansho.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attached = client.post(f"/api/v1/approvals/documents/{document.pk}/attachments/", {"file": upload})
    assert attached.status_code == 201, attached.json()
    approvals_services.document_resubmit(document=document, actor=staff)
    assert approve_all(document).status == "approved"
    request.refresh_from_db()
    assert request.status == "approved"


def test_a_long_sick_leave_is_decided_by_the_deputy_mayor(town):
    # 31 working days > 30: the document category is sick_long and the rule sends it to the 副町長
    request = apply(town.staff[0], code="sick", start=date(2026, 11, 16), end=date(2027, 1, 8))
    assert request.document.category == "sick_long"
    finals = request.document.steps.filter(kind="final").values_list("approvers__approver", flat=True)
    assert list(finals) == [town.deputy_mayor.pk]


def test_balance_by_whom(as_user, town):
    staff = town.staff[0]
    apply(staff, start=date(2026, 11, 24))
    own = as_user(staff).get("/api/v1/leave/balance/")
    assert own.status_code == 200
    assert {key: own.json()[key]["days"] for key in ("granted", "carried_over", "used", "remaining")} == {
        "granted": 20,
        "carried_over": 0,
        "used": 1,
        "remaining": 19,
    }
    url = f"/api/v1/leave/balance/?employee={staff.pk}"
    assert as_user(town.director).get(url).json()["remaining"]["days"] == 19
    assert as_user(town.hr).get(url).status_code == 200
    assert as_user(town.staff[1]).get(url).status_code == 404
    assert as_user(town.kikaku_director).get(url).status_code == 404


def test_cancel_before_the_day_by_the_owner_after_it_by_hr(as_user, town, clock):
    staff = town.staff[0]
    pending = apply(staff, start=date(2026, 11, 24))
    assert as_user(town.staff[1]).post(f"{URL}{pending.pk}/cancel/").status_code == 404
    response = as_user(staff).post(f"{URL}{pending.pk}/cancel/")
    assert response.json()["status"] == "cancelled"
    assert Document.objects.get(pk=pending.document_id).status == "withdrawn"
    approved = apply(staff, start=date(2026, 11, 25))
    approve_all(approved.document)
    assert Absence.objects.filter(employee=staff, start=date(2026, 11, 25)).exists()
    clock.set(date(2026, 11, 25))
    late = as_user(staff).post(f"{URL}{approved.pk}/cancel/")
    assert (late.status_code, late.json()["code"]) == (409, "leave_started")
    by_hr = as_user(town.hr).post(f"{URL}{approved.pk}/cancel/")
    assert by_hr.json()["status"] == "cancelled"
    assert not Absence.objects.filter(employee=staff).exists()
    again = as_user(town.hr).post(f"{URL}{approved.pk}/cancel/")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_state")


def test_idempotent_apply(as_user, town):
    client = as_user(town.staff[0])
    first = client.post(
        URL, {"type": "annual", "start_date": "2026-11-24"}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    second = client.post(
        URL, {"type": "annual", "start_date": "2026-11-24"}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert LeaveRequest.objects.count() == 1


def test_english_messages(as_user, town):
    response = as_user(town.staff[0]).post(
        URL, {"type": "annual", "start_date": "2026-11-28"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    message = response.json()["errors"][0]["message"]
    assert "working day" in message, message


def test_the_department_list_is_for_its_managers_and_hr(as_user, town):
    apply(town.staff[0], start=date(2026, 11, 24))
    assert as_user(town.director).get(f"{URL}?department=somu").json()["count"] == 1
    assert as_user(town.hr).get(f"{URL}?department=somu").json()["count"] == 1
    assert as_user(town.staff[1]).get(f"{URL}?department=somu").status_code == 403
    assert as_user(town.staff[1]).get(f"{URL}?mine=true").json()["count"] == 0


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_costs_a_fixed_number_of_queries(as_user, town, django_assert_max_num_queries, rows):
    staff = town.staff[0]
    for _n in range(rows):
        LeaveRequest.objects.create(
            employee=staff,
            department=town.somu,
            leave_type_id=1,
            start_date=date(2026, 12, 1),
            end_date=date(2026, 12, 1),
            unit="day",
            year=2026,
            days=1,
            minutes=465,
        )
    client = as_user(town.director)
    with django_assert_max_num_queries(5):
        response = client.get(f"{URL}?department=somu&page_size=100")
    assert response.json()["count"] == rows


def test_leave_documents_are_bulk_approvable(as_user, town):
    requests = [apply(person, start=date(2026, 11, 24)) for person in town.staff[:2]]
    documents = [request.document_id for request in requests]
    for _round in range(3):
        pending = [d for d in documents if Document.objects.get(pk=d).status == "in_review"]
        if not pending:
            break
        approver = waiting_approvers(Document.objects.get(pk=pending[0]))[0]
        answer = as_user(approver).post(
            "/api/v1/approvals/bulk-approve/", {"documents": pending, "comment": ""}, format="json"
        )
        assert answer.status_code == 200, answer.json()
        assert sorted(answer.json()["approved"]) == sorted(pending)
    assert set(LeaveRequest.objects.values_list("status", flat=True)) == {"approved"}
