"""api.core.serializers: every serializer instance gets fields of its own, copied from unbound prototypes (a leaf
shallowly, a field holding fields deeply), so two instances never share a binding, a nested child or an error; and a representation written out by hand is
what DRF's walk over the declared fields gives."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from api.approvals.serializers import DocumentCreateSerializer, DocumentSerializer
from api.attendance.serializers import ClockEventSerializer
from api.core import serializers
from attendance.models import ClockEvent
from tests.factories import EmployeeFactory


class _Nested(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    tags = serializers.ListField(child=serializers.CharField(max_length=3), required=False)


class _Outer(serializers.Serializer):
    title = serializers.CharField(max_length=5)
    inner = _Nested()
    items = _Nested(many=True, required=False)


def test_two_instances_bind_their_own_fields_and_the_prototypes_stay_unbound():
    first, second = DocumentSerializer(), DocumentSerializer()
    for name in ("title", "consult_departments", "status"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
    relation = first.fields["consult_departments"]  # a many relation: its child is bound to this copy only
    assert relation.child_relation is not second.fields["consult_departments"].child_relation
    assert relation.child_relation.parent is relation
    assert all(field.parent is None for field in DocumentCreateSerializer._declared_fields.values())
    bound = (
        DocumentCreateSerializer().fields
    )  # binding an instance's fields leaves the prototypes as they were
    assert bound["title"].parent is not None
    assert all(field.parent is None for field in DocumentCreateSerializer._declared_fields.values())


def test_nested_fields_are_bound_to_their_own_instance_and_validate_apart():
    first = _Outer(data={"title": "長すぎる題名です", "inner": {"name": "ok", "tags": ["abcd"]}})
    second = _Outer(data={"title": "題", "inner": {"name": "ok", "tags": ["ab"]}, "items": [{"name": "x"}]})

    assert not first.is_valid()
    assert second.is_valid(), second.errors
    assert set(first.errors) == {"title", "inner"}
    assert first.errors["inner"]["tags"][0][0].code == "max_length"
    assert first.fields["inner"].parent is first
    assert first.fields["inner"].fields["tags"].child.parent is first.fields["inner"].fields["tags"]
    assert first.fields["inner"] is not second.fields["inner"]
    assert second.validated_data["items"] == [{"name": "x"}]


def test_a_clock_events_representation_written_out_is_drfs_own(db, department):
    employee = EmployeeFactory(department=department)
    at = datetime(2026, 6, 10, 8, 31, 5, 123456, tzinfo=ZoneInfo("Asia/Tokyo"))
    first = ClockEvent.objects.create(
        employee=employee, kind="in", at=at, work_date=at.date(), location="home", source="web"
    )
    correction = ClockEvent.objects.create(
        employee=employee,
        kind="in",
        at=at,
        work_date=at.date(),
        location="office",
        source="correction",
        corrects=first,
        offline_replay=True,
    )
    first.replaced = True  # as the day's list marks it
    for event in (first, correction, ClockEvent.objects.get(pk=correction.pk)):
        serializer = ClockEventSerializer(event)
        assert serializer.data == serializers.ModelSerializer.to_representation(serializer, event)


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC", "America/St_Johns"])
def test_a_moment_written_out_is_what_drfs_datetime_field_gives_in_the_current_time_zone(zone):
    values = [
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Tokyo")),
        datetime(2027, 1, 1, 0, 0, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 3, 8, 6, 30, 0, tzinfo=ZoneInfo("America/New_York")),
    ]
    with timezone.override(zone):
        for value in values:
            assert serializers.moment(value) == serializers.DateTimeField().to_representation(value)
    assert serializers.moment(None) is None
