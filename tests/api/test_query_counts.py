"""Issue 17: the busiest requests in a fixed number of SQL round trips, the token's look-up included, whatever the
number of rows: the clock-in, the inbox (of the approver, of a delegate, of a deputy) and the document list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from approvals import services as approvals
from attendance.models import ClockEvent, DaySummary
from core import batch
from org.models import AccessToken
from org.services import absence_create
from tests.approvals.town import build_town, submit_general
from tests.factories import EmployeeFactory

DOCS = "/api/v1/approvals/documents/"
INBOX = "/api/v1/approvals/inbox/"
CLOCK = "/api/v1/attendance/clock/"
# the test's transaction turns each service's atomic block into a savepoint: not a round trip of production
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")

pytestmark = pytest.mark.django_db


def token_client(employee) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AccessToken.objects.create(user=employee, name='t')[1]}")
    return client


def round_trips(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(SAVEPOINTS)]


@pytest.mark.parametrize("others", [0, 30])
def test_a_clock_in_takes_three_round_trips(department, others):
    for _n in range(others):  # other people's days do not change the count
        ClockEvent.objects.create(
            employee=EmployeeFactory(department=department),
            kind="in",
            at=timezone.now(),
            work_date=timezone.localdate(),
            location="office",
            source="web",
        )
    employee = EmployeeFactory(department=department)
    client = token_client(employee)

    with CaptureQueriesContext(connection) as captured:
        response = client.post(CLOCK, {"kind": "in", "location": "office"}, format="json")

    assert response.status_code == 201
    # the token; the lock, the state and the day's facts; the event and the day's snapshot (SQLite, in process,
    # runs the statements of each batch one by one: two and two)
    assert len(round_trips(captured)) == (3 if batch.batches_statements() else 5)
    day = DaySummary.objects.get(employee=employee, date=timezone.localdate())
    assert day.open_shift
    assert day.first_in is not None
    assert ClockEvent.objects.filter(employee=employee).count() == 1


@pytest.fixture
def town(db):
    return build_town()


def waiting_for_kikaku_director(town, count):
    """`count` documents of 企画課 staff waiting for 企画課長 (the final step)."""
    staff = EmployeeFactory(username="kikaku_staff", department=town.kikaku)
    for n in range(count):
        submit_general(town, drafter=staff, amount=50_000, title=f"文書{n}")
    return staff


@pytest.mark.parametrize("count", [2, 25])
def test_the_inbox_takes_three_round_trips_for_the_approver(town, django_assert_max_num_queries, count):
    waiting_for_kikaku_director(town, count)
    client = token_client(town.kikaku_director)

    with django_assert_max_num_queries(3):  # the token and roles; the principals; the page with its total
        response = client.get(INBOX, {"page_size": 10})

    body = response.json()
    assert body["count"] == count
    assert len(body["results"]) == min(count, 10)
    assert {item["acting_as"] for item in body["results"]} == {"self"}


@pytest.mark.parametrize("count", [2, 25])
def test_the_inbox_takes_three_round_trips_for_a_delegate_and_deputy(
    town, django_assert_max_num_queries, count
):
    today = timezone.localdate()
    waiting_for_kikaku_director(town, count)
    approvals.delegation_create(
        delegator=town.kikaku_director,
        delegate=town.director,
        start=today,
        end=today,
        actor=town.kikaku_director,
    )
    submit_general(town, drafter=town.kikaku_director, amount=500_000)  # waits for the deputy mayor
    absence_create(actor=town.deputy_mayor, employee=town.deputy_mayor, start=today, end=today)
    client = token_client(town.director)

    with django_assert_max_num_queries(3):
        response = client.get(INBOX, {"page_size": 100})

    body = response.json()
    assert body["count"] == count + 1
    acting = [item["acting_as"] for item in body["results"]]
    assert acting.count("delegate") == count
    assert acting.count("proxy") == 1


def test_a_page_past_the_end_of_the_inbox_is_a_404(town):
    waiting_for_kikaku_director(town, 3)
    client = token_client(town.kikaku_director)

    assert client.get(INBOX, {"page_size": 2, "page": 2}).json()["count"] == 3
    assert client.get(INBOX, {"page_size": 2, "page": 3}).status_code == 404
    assert client.get(INBOX, {"page": "x"}).status_code == 404
    empty = token_client(town.kaikei_staff).get(INBOX).json()
    assert (empty["count"], empty["results"], empty["next"]) == (0, [], None)


@pytest.mark.parametrize("count", [2, 25])
def test_the_document_list_takes_three_round_trips(town, django_assert_max_num_queries, count):
    today = timezone.localdate()
    staff = waiting_for_kikaku_director(town, count)
    approvals.delegation_create(
        delegator=town.kikaku_director,
        delegate=town.director,
        start=today,
        end=today,
        actor=town.kikaku_director,
    )

    for viewer, expected in ((staff, count), (town.kikaku_director, count)):
        client = token_client(viewer)
        with django_assert_max_num_queries(3):  # the token and roles; the kinds the roles handle; the page
            response = client.get(DOCS, {"page_size": 10})
        assert response.json()["count"] == expected
        assert len(response.json()["results"]) == min(expected, 10)
    mine = token_client(staff).get(DOCS, {"mine": "true"}).json()
    assert mine["count"] == count


@pytest.mark.parametrize("url", [INBOX, "/api/v1/approvals/documents/"])
def test_a_page_so_far_past_the_end_that_its_offset_overflows_64_bits_is_a_404(town, url):
    """The fuzzer's finding: `page=23531060393763632&page_size=500` is an offset beyond 2**63 (no database takes it)."""
    waiting_for_kikaku_director(town, 1)
    client = token_client(town.kikaku_director)

    response = client.get(url, {"page_size": 5117156674160, "page": 23531060393763632})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
