"""Issue 17: the inbox and the document list read their page as rows (`QuerySet.values`), not model instances,
and what they answer from a row is what DRF's walk over the declared fields gives for the same item read as
instances."""

from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from django.db.models.signals import pre_init
from django.utils import timezone

from api.approvals.serializers import DocumentSummarySerializer, InboxItemSerializer
from api.core import serializers
from approvals import selectors
from approvals import services as approvals
from org.services import absence_create
from tests.api.test_query_counts import DOCS, INBOX, token_client, waiting_for_kikaku_director
from tests.approvals.town import build_town, submit_general

pytestmark = pytest.mark.django_db
ZONES = ["Asia/Tokyo", "UTC", "America/St_Johns"]


@pytest.fixture
def town(db):
    return build_town()


@contextmanager
def instances_built():
    """The models of every instance built meanwhile (Django sends `pre_init` from each model's __init__)."""
    built = []

    def count(sender, **kwargs):
        built.append(sender.__name__)

    pre_init.connect(count, weak=False)
    try:
        yield built
    finally:
        pre_init.disconnect(count)


@pytest.mark.parametrize("count", [2, 25])
def test_an_inbox_page_builds_no_model_instance_for_its_items(town, count):
    waiting_for_kikaku_director(town, count)
    client = token_client(town.kikaku_director)

    with instances_built() as built:
        response = client.get(INBOX, {"page_size": 100})

    assert response.json()["count"] == count
    # the caller, their token and their roles (the authentication's), whatever the page holds
    assert set(built) <= {"AccessToken", "Employee", "Role"}
    assert (built.count("AccessToken"), built.count("Employee")) == (1, 1)


@pytest.mark.parametrize("count", [2, 25])
def test_a_document_list_page_builds_no_model_instance_for_its_documents(town, count):
    staff = waiting_for_kikaku_director(town, count)
    client = token_client(staff)

    with instances_built() as built:
        response = client.get(DOCS, {"mine": "true", "page_size": 100})

    assert [document["title"] for document in response.json()["results"]][-1] == "文書0"
    assert response.json()["count"] == count
    assert set(built) <= {"AccessToken", "Employee", "Role"}
    assert (built.count("AccessToken"), built.count("Employee")) == (1, 1)


def _busy_inbox(town):
    """The director's inbox with an item of each capacity: their own, a delegator's and an absent deputy's."""
    today = timezone.localdate()
    submit_general(town, drafter=town.chief, amount=50_000)
    approvals.delegation_create(
        delegator=town.kikaku_director,
        delegate=town.director,
        start=today,
        end=today,
        actor=town.kikaku_director,
    )
    waiting_for_kikaku_director(town, 2)
    submit_general(town, drafter=town.kikaku_director, amount=500_000)  # waits for the deputy mayor
    absence_create(actor=town.deputy_mayor, employee=town.deputy_mayor, start=today, end=today)


@pytest.mark.parametrize("zone", ZONES)
def test_an_inbox_item_from_its_row_is_what_drfs_walk_gives_for_the_instances(town, zone):
    _busy_inbox(town)
    rows = list(selectors.inbox_for(user=town.director).values(*InboxItemSerializer.columns()))
    items = {item.pk: item for item in selectors.inbox_for(user=town.director)}
    assert {row["acting_as"] for row in rows} == {"self", "delegate", "proxy"}

    with timezone.override(zone):
        for row in rows:
            item = items[row["id"]]
            document = DocumentSummarySerializer()
            assert InboxItemSerializer().to_representation(row) == {
                "id": item.pk,
                "document": serializers.ModelSerializer.to_representation(document, item.step.document),
                "step": item.step.order,
                "step_kind": item.step.kind,
                "opened_at": serializers.DateTimeField().to_representation(item.step.opened_at),
                "approver": item.approver_id,
                "acting_as": item.acting_as,
                "on_behalf_of": None if item.acting_as == "self" else item.approver_id,
            }


@pytest.mark.parametrize("zone", ZONES)
def test_a_document_summary_written_out_is_drfs_own_from_an_instance_and_from_a_row(town, zone):
    _busy_inbox(town)
    document = selectors.inbox_for(user=town.director).first().step.document
    approvals.document_approve(document=document, actor=town.director)  # a decided document: every moment set
    for instance in selectors.documents_visible_to(user=town.director):
        row = type(instance).objects.values(*DocumentSummarySerializer.columns()).get(pk=instance.pk)
        serializer = DocumentSummarySerializer(instance)
        with timezone.override(zone):
            expected = serializers.ModelSerializer.to_representation(serializer, instance)
            assert serializer.data == expected
            assert DocumentSummarySerializer.row_representation(row) == expected
            assert DocumentSummarySerializer.row_representation(row, tz=ZoneInfo(zone)) == expected
