"""/approvals/: the inbox of every kind (what each item is), approve / reject / send back with a comment, bulk
approval through the API's service, a document's page (route, 決裁欄, print link, the rule check now) and 404
for anyone who may not see it; the number of queries does not grow with the items."""

from datetime import date

import pytest

from approvals.models import Document, DocumentStatus
from telework import services as telework_services
from telework.models import RequestStatus, TeleworkRequest
from tests.telework.town import Clock, build_town

TUE, WED, THU = date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)
INBOX = "/approvals/"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def town(db, clock):
    return build_town()


def apply(employee, dates, location="home") -> TeleworkRequest:
    return telework_services.telework_request_create(
        employee=employee, dates=dates, location=location, work_plan="予算資料の作成"
    )


def state(request: TeleworkRequest) -> tuple[str, str]:
    request.refresh_from_db()
    return request.status, request.document.status


def test_the_inbox_needs_a_login(client, town):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_chief_sees_what_a_telework_request_is(page_client, town):
    request = apply(town.staff[0], [TUE])

    html = page_client(town.chief).get(INBOX).content.decode()

    assert f'id="item-{request.document_id}"' in html
    assert "テレワーク申請" in html
    assert "総務主事1" in html  # who
    assert "2026-11-17" in html  # the dates
    assert "在宅" in html  # the place
    assert "申請時の確認: 違反なし" in html  # the rule check
    assert f'name="documents" value="{request.document_id}"' in html  # bulk approvable


def test_a_colleague_sees_neither_the_item_nor_the_document(page_client, town):
    request = apply(town.staff[0], [TUE])
    client = page_client(town.staff[1])

    assert f'id="item-{request.document_id}"' not in client.get(INBOX).content.decode()
    assert client.get(f"/approvals/documents/{request.document_id}/").status_code == 404
    refused = client.post(f"/approvals/documents/{request.document_id}/decide/", {"decision": "approve"})
    assert refused.status_code == 404
    assert state(request) == (RequestStatus.SUBMITTED, DocumentStatus.IN_REVIEW)


def test_the_document_page_shows_route_print_link_and_the_check_now(page_client, town):
    request = apply(town.staff[0], [TUE])

    response = page_client(town.chief).get(f"/approvals/documents/{request.document_id}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "決裁欄" in html
    assert "総務係長" in html  # the route's approvers
    assert "総務課長" in html
    assert f"/api/v1/approvals/documents/{request.document_id}/print/" in html
    assert 'id="rule-ok"' in html
    assert f'action="/approvals/documents/{request.document_id}/decide/"' in html


def test_the_chief_approves_and_the_director_bulk_approves(page_client, town):
    first, second = apply(town.staff[0], [TUE]), apply(town.staff[1], [WED])
    chief = page_client(town.chief)
    for request in (first, second):
        done = chief.post(
            f"/approvals/documents/{request.document_id}/decide/", {"decision": "approve", "comment": "確認"}
        )
        assert done.status_code == 302
    assert state(first) == (RequestStatus.SUBMITTED, DocumentStatus.IN_REVIEW)

    director = page_client(town.director)
    bulk = director.post(
        "/approvals/bulk/", {"documents": [first.document_id, second.document_id], "comment": "一括"}
    )

    assert bulk.status_code == 302
    assert state(first) == (RequestStatus.APPROVED, DocumentStatus.APPROVED)
    assert state(second) == (RequestStatus.APPROVED, DocumentStatus.APPROVED)
    page = director.get(INBOX).content.decode()
    assert "2件を承認しました。" in page


def test_bulk_reports_what_it_could_not_approve(page_client, town):
    request = apply(town.staff[0], [TUE])
    # the director's turn has not come: the chief decides first
    response = page_client(town.director).post(
        "/approvals/bulk/", {"documents": [request.document_id]}, follow=True
    )

    assert "まだ処理の順番ではありません。" in response.content.decode()
    assert state(request) == (RequestStatus.SUBMITTED, DocumentStatus.IN_REVIEW)


def test_bulk_without_a_document_ticked_is_refused_next_to_the_list(page_client, town):
    apply(town.staff[0], [TUE])
    response = page_client(town.chief).post("/approvals/bulk/", {"comment": "x"})

    assert response.status_code == 400
    assert "一括承認する文書を選んでください。" in response.content.decode()


def test_reject_needs_a_reason_and_keeps_what_was_typed(page_client, town):
    request = apply(town.staff[0], [TUE])
    url = f"/approvals/documents/{request.document_id}/decide/"

    refused = page_client(town.chief).post(url, {"decision": "reject", "comment": "  "})

    assert refused.status_code == 400
    assert "否決・差戻しの理由を入力してください。" in refused.content.decode()
    assert state(request) == (RequestStatus.SUBMITTED, DocumentStatus.IN_REVIEW)

    done = page_client(town.chief).post(url, {"decision": "reject", "comment": "窓口の人数が足りません"})
    assert done.status_code == 302
    assert state(request) == (RequestStatus.REJECTED, DocumentStatus.REJECTED)


def test_send_back_returns_the_document_to_the_drafter(page_client, town):
    request = apply(town.staff[0], [TUE])
    done = page_client(town.chief).post(
        f"/approvals/documents/{request.document_id}/decide/",
        {"decision": "return", "comment": "計画を詳しく"},
    )
    assert done.status_code == 302
    assert Document.objects.get(pk=request.document_id).status == DocumentStatus.RETURNED


def test_a_rule_broken_since_the_application_is_shown_and_changes_nothing(page_client, town):
    # four requests for Tuesday; once three are approved the fourth would leave too few at the counter
    requests = [apply(person, [TUE]) for person in town.staff[:4]]
    chief, director = page_client(town.chief), page_client(town.director)
    for request in requests[:3]:
        chief.post(f"/approvals/documents/{request.document_id}/decide/", {"decision": "approve"})
        director.post(f"/approvals/documents/{request.document_id}/decide/", {"decision": "approve"})
    assert [state(r)[0] for r in requests] == [RequestStatus.APPROVED] * 3 + [RequestStatus.SUBMITTED]

    page = chief.get(f"/approvals/documents/{requests[3].document_id}/").content.decode()
    assert 'id="rule-violations"' in page
    response = chief.post(
        f"/approvals/documents/{requests[3].document_id}/decide/", {"decision": "approve", "comment": "typed"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert "typed" in html  # what was typed is kept
    assert state(requests[3]) == (RequestStatus.SUBMITTED, DocumentStatus.IN_REVIEW)


def test_the_inbox_answers_in_english(page_client, town):
    apply(town.staff[0], [TUE])
    html = page_client(town.chief, language="en").get(INBOX).content.decode()
    assert "Telework request" in html or "Telework application" in html
    assert "Approve the selected documents" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_inbox_takes_the_same_queries_for_3_or_30_items(
    page_client, town, clock, count, django_assert_max_num_queries
):
    from tests.factories import EmployeeFactory

    people = [
        EmployeeFactory(
            username=f"extra{i}",
            department=town.somu,
            hired_on=date(2020, 4, 1),
            security_training_fy=2026,
            security_pledge_signed=True,
        )
        for i in range(count)
    ]
    telework_services.policy_update(actor=town.secretariat, min_office_staff=0, max_days_per_week=5)
    for index, person in enumerate(people):
        apply(person, [[TUE, WED, THU][index % 3]])
    client = page_client(town.chief)

    with django_assert_max_num_queries(18):
        response = client.get(INBOX)

    assert response.content.decode().count('class="card inbox-item"') == count


def test_a_busy_inbox_is_paged_and_names_its_total(page_client, town, clock, monkeypatch):
    """A 課長 with hundreds of items gets them a page at a time (the benchmark's 594 items took 1.4 s on one page),
    and the heading still counts all of them."""
    from portal.approvals import views
    from tests.factories import EmployeeFactory

    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 2)
    telework_services.policy_update(actor=town.secretariat, min_office_staff=0, max_days_per_week=5)
    for index in range(5):
        person = EmployeeFactory(
            username=f"paged{index}", department=town.somu, hired_on=date(2020, 4, 1),
            security_training_fy=2026, security_pledge_signed=True,
        )  # fmt: skip
        apply(person, [[TUE, WED, THU][index % 3]])
    client = page_client(town.chief)

    pages = [client.get(INBOX, {"page": number}).content.decode() for number in (1, 2, 3)]

    assert [page.count('class="card inbox-item"') for page in pages] == [2, 2, 1]
    assert all("承認待ち（5件）" in page for page in pages)
    assert 'rel="next"' in pages[0]
    assert 'rel="next"' not in pages[2]


def test_a_delegate_sees_and_decides_the_delegators_items(page_client, town, clock):
    from approvals import services as approvals_services

    request = apply(town.staff[0], [TUE])
    approvals_services.document_approve(document=request.document, actor=town.chief)
    approvals_services.delegation_create(
        actor=town.director, delegator=town.director, delegate=town.staff[4], start=clock.today, end=TUE
    )
    delegate = page_client(town.staff[4])

    html = delegate.get(INBOX).content.decode()

    assert f'id="item-{request.document_id}"' in html
    assert "総務課長さんの分（委任）" in html
    done = delegate.post(f"/approvals/documents/{request.document_id}/decide/", {"decision": "approve"})
    assert done.status_code == 302
    assert state(request) == (RequestStatus.APPROVED, DocumentStatus.APPROVED)


def test_a_correction_shows_the_days_figures_and_the_events_asked_for(page_client, town, clock):
    from datetime import datetime, time

    from attendance import services as attendance_services
    from attendance.worktime import LOCAL_TZ

    friday = date(2026, 11, 13)
    for kind, at in (("in", time(9, 40)), ("out", time(17, 15))):
        attendance_services.clock_event_record(
            employee=town.staff[0],
            kind=kind,
            location="office",
            source="web",
            at=datetime.combine(friday, at, tzinfo=LOCAL_TZ),
        )
    correction = attendance_services.correction_request(
        employee=town.staff[0],
        day=friday,
        events=[
            {"kind": "in", "at": datetime.combine(friday, time(8, 30), tzinfo=LOCAL_TZ), "location": "office"}
        ],
        reason="出勤の打刻を忘れたため",
    )

    html = page_client(town.director).get(INBOX).content.decode()

    assert f'id="item-{correction.document_id}"' in html
    assert "2026-11-13" in html
    assert "出勤 09:40・退勤 17:15" in html  # the day as recorded
    assert "出勤 08:30（庁舎）" in html  # what is asked for
    page = page_client(town.director).get(f"/approvals/documents/{correction.document_id}/").content.decode()
    assert "2026-11-13 (金) の勤務" in page


def test_a_timesheet_shows_its_month_and_totals_and_is_bulk_approved(page_client, town):
    from datetime import datetime, time

    from attendance import services as attendance_services
    from attendance.models import MonthClosing, MonthStatus
    from attendance.worktime import LOCAL_TZ

    october_30 = date(2026, 10, 30)
    for kind, at in (("in", time(8, 30)), ("out", time(18, 15))):
        attendance_services.clock_event_record(
            employee=town.staff[0],
            kind=kind,
            location="office",
            source="web",
            at=datetime.combine(october_30, at, tzinfo=LOCAL_TZ),
        )
    closing = attendance_services.timesheet_submit(employee=town.staff[0], month=date(2026, 10, 1))
    director = page_client(town.director)

    html = director.get(INBOX).content.decode()

    assert f'id="item-{closing.document_id}"' in html
    assert "2026-10" in html
    assert "出勤 1日・勤務 525分・時間外 60分" in html
    assert f'name="documents" value="{closing.document_id}"' in html
    director.post("/approvals/bulk/", {"documents": [closing.document_id]})
    assert MonthClosing.objects.get(pk=closing.pk).status == MonthStatus.APPROVED


def test_warnings_are_acknowledged_with_the_box_next_to_the_decision(page_client, town):
    telework_services.policy_update(actor=town.secretariat, severities={"max_days_per_week": "soft"})
    request = apply(town.staff[0], [TUE, THU, date(2026, 11, 20)])
    url = f"/approvals/documents/{request.document_id}/decide/"
    chief = page_client(town.chief)
    assert (
        'name="acknowledge_warnings"'
        in chief.get(f"/approvals/documents/{request.document_id}/").content.decode()
    )

    refused = chief.post(url, {"decision": "approve"})

    assert refused.status_code == 422
    assert 'class="form-errors"' in refused.content.decode()
    assert Document.objects.get(pk=request.document_id).current_step_order == 1
    done = chief.post(url, {"decision": "approve", "acknowledge_warnings": "on"})
    assert done.status_code == 302
    assert Document.objects.get(pk=request.document_id).current_step_order == 2


def test_a_general_document_has_no_warnings_box(page_client, town):
    from approvals import services as approvals_services

    document = approvals_services.document_create(
        kind="general", drafter=town.staff[0], title="備品購入", retention_years=5
    )
    approvals_services.document_submit(document=document, actor=town.staff[0])
    html = page_client(town.chief).get(f"/approvals/documents/{document.pk}/").content.decode()
    assert f'action="/approvals/documents/{document.pk}/decide/"' in html
    assert 'name="acknowledge_warnings"' not in html
