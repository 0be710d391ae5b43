"""不在・委任 `/approvals/away/`: an approver records an absence (their deputy then decides for them, 代決) and
gives a delegation (委任) through the services of the API; every refusal next to its field with what was typed
kept and nothing created; cancels of their own only (anyone else's, or an absence of approved leave, is a 404 and
stays); the delegate sees what they received; a query count that does not grow with the rows; English."""

from datetime import timedelta

import pytest

from approvals import services as approvals
from approvals.models import Delegation, Document
from notifications.models import Notification
from org.models import Absence
from org.selectors import absent_employee_ids
from org.services import absence_create
from tests.factories import EmployeeFactory
from tests.portal.html import field_html, item_html, select_html
from tests.telework.town import MONDAY

pytestmark = pytest.mark.django_db

PAGE = "/approvals/away/"
FRIDAY = MONDAY + timedelta(days=4)


@pytest.fixture
def deputy(town):
    """総務課長's deputy (代決者) is the 係長."""
    town.director.deputy = town.chief
    town.director.save(update_fields=["deputy"])
    return town.chief


def absence_input(**values) -> dict:
    data = {"start": "2026-11-18", "end": "2026-11-19", "reason": "出張(札幌)"}
    data.update(values)
    return {f"absence-{name}": value for name, value in data.items()}


def delegation_input(delegate, **values) -> dict:
    data = {"delegate": delegate.pk, "start": "2026-11-16", "end": "2026-11-20"}
    data.update(values)
    return {f"delegation-{name}": value for name, value in data.items()}


# --- the page ---------------------------------------------------------------------------------------------


def test_the_page_names_the_deputy_and_offers_both_forms(town, page_client, deputy):
    inbox = page_client(town.director).get("/approvals/").content.decode()
    assert f'href="{PAGE}"' in inbox

    html = page_client(town.director).get(PAGE).content.decode()

    assert "代決者の総務係長さん" in html
    assert 'id="absence-form"' in html
    assert 'id="delegation-form"' in html
    delegates = select_html(html, "delegation-delegate")
    assert f'value="{town.chief.pk}"' in delegates
    assert f'value="{town.kikaku_director.pk}"' in delegates  # the town's 課長 are offered
    assert f'value="{town.kikaku_staff.pk}"' not in delegates  # another department's staff are not
    assert f'value="{town.director.pk}"' not in delegates
    assert "総務係長(総務課 係長)" in delegates


def test_without_a_deputy_the_page_says_so(town, page_client):
    html = page_client(town.director).get(PAGE).content.decode()
    assert "代決者が設定されていません" in html


def test_an_anonymous_visitor_is_sent_to_log_in(client, town):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert client.post(f"{PAGE}absences/", absence_input()).status_code == 302
    assert not Absence.objects.exists()


# --- absences -----------------------------------------------------------------------------------------


def test_an_absence_lets_the_deputy_decide(town, page_client, deputy, clock):
    response = page_client(town.director).post(f"{PAGE}absences/", absence_input(start="2026-11-16"))

    assert (response.status_code, response["Location"]) == (302, PAGE)
    absence = Absence.objects.get()
    assert (absence.employee, absence.start.isoformat(), absence.end.isoformat(), absence.reason) == (
        town.director,
        "2026-11-16",
        "2026-11-19",
        "出張(札幌)",
    )
    assert absence.created_by == town.director
    assert absent_employee_ids(on=MONDAY) == {town.director.pk}
    html = page_client(town.director).get(PAGE).content.decode()
    assert f'id="absence-{absence.pk}"' in html
    assert "11/16(月)〜11/19(木)" in html


def test_an_end_before_the_start_is_refused_next_to_the_end_with_the_input_kept(town, page_client):
    response = page_client(town.director).post(f"{PAGE}absences/", absence_input(end="2026-11-17"))

    assert response.status_code == 400
    html = response.content.decode()
    end = field_html(html, "absence-end")
    assert 'class="field-errors"' in end
    assert 'value="2026-11-17"' in end
    assert 'value="2026-11-18"' in field_html(html, "absence-start")
    assert not Absence.objects.exists()


def test_an_overlapping_absence_is_refused_above_the_form(town, page_client):
    absence_create(actor=town.director, employee=town.director, start=MONDAY, end=FRIDAY)

    response = page_client(town.director).post(f"{PAGE}absences/", absence_input())

    assert response.status_code == 409
    errors = response.content.decode().split('id="absence-form"')[1].split('<div class="field')[0]
    assert 'class="form-errors"' in errors
    assert Absence.objects.count() == 1


def test_only_an_absence_i_recorded_is_cancelled(town, page_client):
    mine = absence_create(actor=town.director, employee=town.director, start=MONDAY, end=MONDAY)
    by_leave = absence_create(
        actor=None, employee=town.director, start=FRIDAY, end=FRIDAY
    )  # as approved leave
    theirs = absence_create(actor=town.chief, employee=town.chief, start=MONDAY, end=MONDAY)
    client = page_client(town.director)
    html = client.get(PAGE).content.decode()
    assert f'action="{PAGE}absences/{mine.pk}/cancel/"' in html
    assert f'id="absence-{by_leave.pk}"' in html
    assert f'action="{PAGE}absences/{by_leave.pk}/cancel/"' not in html
    assert f'id="absence-{theirs.pk}"' not in html  # the 係長's own, though the 課長 may read it

    assert client.post(f"{PAGE}absences/{by_leave.pk}/cancel/").status_code == 404
    assert client.post(f"{PAGE}absences/{theirs.pk}/cancel/").status_code == 404
    assert client.get(f"{PAGE}absences/{mine.pk}/cancel/").status_code == 405
    cancelled = client.post(f"{PAGE}absences/{mine.pk}/cancel/")

    assert cancelled.status_code == 302
    assert set(Absence.objects.values_list("pk", flat=True)) == {by_leave.pk, theirs.pk}


# --- delegations --------------------------------------------------------------------------------------


def test_a_delegation_is_given_listed_on_both_sides_and_the_delegate_told(town, page_client):
    response = page_client(town.director).post(
        f"{PAGE}delegations/", delegation_input(town.chief, kinds=["telework", "timesheet"])
    )

    assert (response.status_code, response["Location"]) == (302, PAGE)
    given = Delegation.objects.get()
    assert (given.delegator, given.delegate, given.start, given.end, given.kinds) == (
        town.director,
        town.chief,
        MONDAY,
        FRIDAY,
        ["telework", "timesheet"],
    )
    assert given.created_by == town.director
    assert Notification.objects.filter(recipient=town.chief, kind="approval_delegated").count() == 1
    mine = page_client(town.director).get(PAGE).content.decode()
    item = item_html(mine, f"delegation-{given.pk}")
    assert "委任中" in item
    assert "総務係長さんへ" in item
    assert "テレワーク申請、月次勤務表" in item
    assert f'action="{PAGE}delegations/{given.pk}/revoke/"' in item
    received = page_client(town.chief).get(PAGE).content.decode()
    item = received.split('class="my-requests delegations-received"')[1].split("</li>")[0]
    assert "総務課長さんから" in item
    assert "/revoke/" not in item  # only the delegator revokes


def test_the_delegate_then_decides_the_delegators_items(town, page_client):
    """What the delegation is for: a general document waiting for the 課長 is decided by the delegate."""
    page_client(town.director).post(f"{PAGE}delegations/", delegation_input(town.kikaku_director))
    document = approvals.document_create(
        kind="general", drafter=town.staff[0], title="備品購入", amount=50_000, retention_years=5
    )
    approvals.document_submit(document=document, actor=town.staff[0])
    approvals.document_approve(document=document, actor=town.chief)

    approvals.document_approve(document=document, actor=town.kikaku_director)

    document = Document.objects.get(pk=document.pk)
    assert document.status == "approved"


@pytest.mark.parametrize(
    ("values", "field", "status"),
    [
        ({"end": "2026-11-15"}, "delegation-end", 422),  # before the start: the service's rule
        ({"start": ""}, "delegation-start", 400),
        ({"kinds": ["payroll"]}, "delegation-kinds", 400),
    ],
)
def test_a_refused_delegation_shows_next_to_its_field(town, page_client, values, field, status):
    response = page_client(town.director).post(f"{PAGE}delegations/", delegation_input(town.chief, **values))

    assert response.status_code == status
    html = response.content.decode()
    if field == "delegation-kinds":
        assert 'id="id_delegation-kinds_error"' in html
    else:
        assert 'class="field-errors"' in field_html(html, field)
    assert f'value="{town.chief.pk}" selected' in select_html(html, "delegation-delegate")
    assert not Delegation.objects.exists()


def test_a_delegate_not_offered_is_refused(town, page_client):
    for person in (town.kikaku_staff, town.director):
        response = page_client(town.director).post(f"{PAGE}delegations/", delegation_input(person))
        assert response.status_code == 400
        assert 'class="field-errors"' in field_html(response.content.decode(), "delegation-delegate")
    assert not Delegation.objects.exists()


def test_revoking_stops_a_running_delegation_and_deletes_one_to_come(town, page_client):
    running = approvals.delegation_create(
        delegator=town.director, delegate=town.chief, start=MONDAY, end=FRIDAY, actor=town.director
    )
    to_come = approvals.delegation_create(
        delegator=town.director,
        delegate=town.chief,
        start=FRIDAY + timedelta(days=3),
        end=FRIDAY + timedelta(days=4),
        actor=town.director,
    )
    by_delegate = page_client(town.chief).post(f"{PAGE}delegations/{running.pk}/revoke/")
    assert by_delegate.status_code == 404
    assert Delegation.objects.get(pk=running.pk).revoked_at is None

    client = page_client(town.director)
    assert client.post(f"{PAGE}delegations/{running.pk}/revoke/").status_code == 302
    assert client.post(f"{PAGE}delegations/{to_come.pk}/revoke/").status_code == 302

    assert Delegation.objects.get(pk=running.pk).revoked_at is not None
    assert not Delegation.objects.filter(pk=to_come.pk).exists()
    html = client.get(PAGE).content.decode()
    item = item_html(html, f"delegation-{running.pk}")
    assert "取消" in item
    assert "/revoke/" not in item
    again = client.post(f"{PAGE}delegations/{running.pk}/revoke/", follow=True)
    assert "この委任は既に終了しているか、取り消されています。" in again.content.decode()


# --- cost and language --------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_with_2_or_20_rows(town, page_client, django_assert_max_num_queries):
    def add(count: int, offset: int) -> None:
        for n in range(offset, offset + count):
            day = MONDAY + timedelta(days=7 * n)
            absence_create(actor=town.director, employee=town.director, start=day, end=day)
            approvals.delegation_create(
                delegator=town.director, delegate=town.chief, start=day, end=day, actor=town.director
            )

    add(2, 0)
    client = page_client(town.director)
    with django_assert_max_num_queries(30) as few:
        client.get(PAGE)
    add(18, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(PAGE).content.decode()
    assert html.count('class="request absence"') == 20
    assert html.count('class="request delegation"') == 20


def test_the_page_in_english(town, page_client, deputy):
    html = page_client(town.director, language="en").get(PAGE).content.decode()
    for words in (
        "Away and delegations",
        "Absences",
        "Record the absence",
        "Delegate decisions",
        "Leave all unticked to delegate every kind.",
    ):
        assert words in html, words


def test_a_past_absence_or_one_a_superior_recorded_is_not_cancelled_here(town, page_client, clock):
    past = absence_create(
        actor=town.chief,
        employee=town.chief,
        start=MONDAY - timedelta(days=7),
        end=MONDAY - timedelta(days=3),
    )
    by_director = absence_create(actor=town.director, employee=town.chief, start=FRIDAY, end=FRIDAY)
    client = page_client(town.chief)
    html = client.get(PAGE).content.decode()
    assert f'id="absence-{past.pk}"' in html  # listed, the record behind the deputy's decisions
    assert f'action="{PAGE}absences/{past.pk}/cancel/"' not in html
    assert f'action="{PAGE}absences/{by_director.pk}/cancel/"' not in html

    assert client.post(f"{PAGE}absences/{past.pk}/cancel/").status_code == 404
    assert client.post(f"{PAGE}absences/{by_director.pk}/cancel/").status_code == 404
    assert Absence.objects.count() == 2


def test_an_account_without_a_department_is_offered_the_towns_directors_only(town, page_client):
    root = EmployeeFactory(username="root", department=None, roles=["admin"])
    EmployeeFactory(username="system", department=None)
    html = page_client(root).get(PAGE).content.decode()
    delegates = select_html(html, "delegation-delegate")
    assert delegates.count("<option value=") == 3  # the empty choice, 総務課長, 企画課長
    assert f'value="{town.director.pk}"' in delegates
    assert f'value="{town.kikaku_director.pk}"' in delegates
