"""GET …/documents/{id}/print/: a printable page with the 決裁欄 (every step, who decided, when, for whom)."""

import re

import pytest
from django.utils import timezone

from approvals.models import Step, StepKind
from approvals.models_record import AuditEvent
from tests.approvals.record_helpers import decide, make_draft, make_office, make_submitted


@pytest.fixture
def office(db):
    return make_office()


def _print(client, document):
    return client.get(f"/api/v1/approvals/documents/{document.pk}/print/", HTTP_ACCEPT="text/html")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_print_page_of_a_proxy_decision_shows_the_whole_route(office, as_user):
    # given a document decided by the deputy while the 課長 was away (代決, then a 後閲 step)
    document = decide(office, make_submitted(office), by_proxy=True)
    document.refresh_from_db()
    # when
    response = _print(as_user(office.drafter), document)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = _text(response)
    assert "決裁欄" in html
    assert "@page { size: A4" in html
    assert document.number
    assert document.number in html
    assert "備品購入について" in html
    assert "総務課" in html
    for person in (office.drafter, office.chief, office.director, office.deputy):
        assert person.name in html
    assert "代決(課長 太郎)" in html
    assert "後閲" in html
    assert "保存年限</th><td>5年" in html
    assert document.disposal_date is not None
    assert (
        f"{document.disposal_date.year}年{document.disposal_date.month}月{document.disposal_date.day}日"
        in html
    )
    decided = timezone.localtime(document.decided_at)
    assert f"{decided.year}年{decided.month}月{decided.day}日 {decided:%H:%M}" in html
    # the paper is tied to the audit chain by its last event
    last = AuditEvent.objects.filter(document=document).latest("seq")
    assert last.hash in html


def test_every_step_of_the_route_gets_a_row(office, as_user):
    document = decide(office, make_submitted(office), by_proxy=True)
    steps = Step.objects.filter(document=document, round=document.round)
    html = _text(_print(as_user(office.drafter), document))
    table = html.split("決裁経過", 1)[1].split("本文", 1)[0]
    rows = table.count("<tr>") - 1  # the header row
    assert rows == sum(step.approvers.count() for step in steps)
    assert StepKind.POST_REVIEW in steps.values_list("kind", flat=True)


def test_a_draft_prints_without_a_number_or_route(office, as_user):
    document = make_draft(office)
    html = _text(_print(as_user(office.drafter), document))
    assert "(未採番)" in html
    assert "回議前の文書です。" in html


def test_print_authorisation_matrix(office, api_client, as_user):
    document = make_submitted(office)
    assert _print(api_client, document).status_code == 401
    outsider = _print(as_user(office.outsider), document)
    assert outsider.status_code == 404
    assert outsider["Content-Type"] == "application/problem+json"
    assert _print(as_user(office.director), document).status_code == 200


def test_print_query_count_is_bounded(office, as_user, django_assert_max_num_queries):
    document = decide(office, make_submitted(office), by_proxy=True)
    with django_assert_max_num_queries(12):
        response = _print(as_user(office.drafter), document)
    assert response.status_code == 200
