"""The API's `serializers`: a drop-in for `rest_framework.serializers` whose fields hold every input to the bounds of
`api.core.limits`, and whose serializers refuse the fields they do not know.

Every module of `api/` imports `from api.core import serializers` (tests/api/test_core_limits.py checks it) and
writes `serializers.Serializer`, `serializers.IntegerField`... as with DRF. What differs:
- `IntegerField` is 64-bit unless it says less; `ModelSerializer` builds its integer fields with the bounds of the
  model column (the same on every database), and its relations with a bounded primary key;
- `DateField`, `DateTimeField` accept years 2000–2100 unless the field says otherwise (`min_date=`, `max_date=`);
- `ListField`, `many=True` serializers and relations take at most `API_MAX_LIST_LENGTH` items unless they say;
- a body with a field the serializer does not write (unknown, misplaced or read-only) is refused with a 400 that
  names it (`unknown_field`), never silently dropped. Query parameters are not held to this (pagination and
  format parameters are not the query serializer's).
"""

import copy
from collections.abc import Mapping
from datetime import date, datetime, tzinfo

from django.core.validators import EmailValidator, validate_email
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import relations
from rest_framework import serializers as drf
from rest_framework.fields import empty
from rest_framework.serializers import *  # noqa: F403  (the drop-in re-exports every DRF name)

from api.core import limits
from api.core.codes import ApiError
from api.core.parsers import BodyQueryDict
from core.errors import CoreError


class IntegerField(drf.IntegerField):
    """An integer within 64 bits unless `min_value`/`max_value` say less."""

    def __init__(self, **kwargs):
        kwargs["min_value"] = max(_bound(kwargs.get("min_value"), limits.INT_MIN), limits.INT_MIN)
        kwargs["max_value"] = min(_bound(kwargs.get("max_value"), limits.INT_MAX), limits.INT_MAX)
        super().__init__(**kwargs)


def _bound(value, default):
    return default if value is None else value


class _DateRangeMixin:
    """Years API_MIN_YEAR..API_MAX_YEAR unless the field gives `min_date` / `max_date`."""

    def __init__(self, *args, min_date: date | None = None, max_date: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_date = min_date
        self.max_date = max_date

    def run_validation(self, data=empty):
        value = super().run_validation(data)
        if value is None:
            return value
        day = value.date() if isinstance(value, datetime) else value
        low, high = self.min_date or limits.min_date(), self.max_date or limits.max_date()
        if not low <= day <= high:
            raise drf.ValidationError(
                _("%(min)s から %(max)s までの日付を指定してください。") % {"min": low, "max": high},
                code=ApiError.DATE_OUT_OF_RANGE,
            )
        return value


class DateField(_DateRangeMixin, drf.DateField):
    pass


class DateTimeField(_DateRangeMixin, drf.DateTimeField):
    pass


class ListField(drf.ListField):
    """At most API_MAX_LIST_LENGTH items unless `max_length` says."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", limits.max_list_length())
        super().__init__(**kwargs)


class ManyRelatedField(relations.ManyRelatedField):
    """A list of related objects, at most `max_length` of them (checked before any is looked up)."""

    default_error_messages = {"max_length": drf.ListField.default_error_messages["max_length"]}

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length or limits.max_list_length()

    def to_internal_value(self, data):
        if hasattr(data, "__len__") and not isinstance(data, str) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class _BoundedManyMixin:
    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in relations.MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return ManyRelatedField(**list_kwargs)


class PrimaryKeyRelatedField(_BoundedManyMixin, drf.PrimaryKeyRelatedField):
    """A primary key within 64 bits (a larger number is no key of ours: `does_not_exist`, never an overflow)."""

    def to_internal_value(self, data):
        if self.pk_field is None and isinstance(data, int | str) and not isinstance(data, bool):
            try:
                number = int(data)
            except ValueError:
                number = None
            if number is not None and not limits.INT_MIN <= number <= limits.INT_MAX:
                self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class SlugRelatedField(_BoundedManyMixin, drf.SlugRelatedField):
    pass


def _email_or_empty(value: str) -> None:
    if value:
        validate_email(value)


@extend_schema_field({"type": "string", "description": "an e-mail address, or empty"})
class BlankableEmailField(drf.CharField):
    """An e-mail address that may be empty: validated when given, no `format: email` in the schema (a function,
    not an EmailValidator, so the schema does not add it), since "" is no address."""

    def __init__(self, **kwargs):
        # the model's EmailValidator is replaced by the one that lets "" through
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if not isinstance(v, EmailValidator)]
        super().__init__(**kwargs)
        self.validators.append(_email_or_empty)


def _model_integer_range(model_field) -> tuple[int, int]:
    """The range of the column on every database we run on (Django's portable ranges; SQLite allows more)."""
    internal = model_field.get_internal_type()
    return BaseDatabaseOperations.integer_field_ranges.get(internal, (limits.INT_MIN, limits.INT_MAX))


class _StrictMixin:
    """Refuses body fields that the serializer does not write, naming each one (`unknown_field`)."""

    def to_internal_value(self, data):
        unknown = self._unknown_fields(data)
        try:
            value = super().to_internal_value(data)
        except drf.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                error.detail.update(unknown)
            raise
        if unknown:
            raise drf.ValidationError(unknown)
        return value

    def _unknown_fields(self, data) -> dict:
        # A query string is not a body: the query serializer knows only its own parameters.
        if not isinstance(data, Mapping) or (
            isinstance(data, QueryDict) and not isinstance(data, BodyQueryDict)
        ):
            return {}
        writable = {field.field_name for field in self._writable_fields}
        return {
            name: [drf.ErrorDetail(str(CoreError.UNKNOWN_FIELD.message), code=CoreError.UNKNOWN_FIELD)]
            for name in data
            if name not in writable
        }

    @classmethod
    def many_init(cls, *args, **kwargs):
        kwargs.setdefault("max_length", limits.max_list_length())
        return super().many_init(*args, **kwargs)


def moment(value: datetime | None, tz: tzinfo | None = None) -> str | None:
    """A moment as every `DateTimeField` of the API gives it (DRF's ISO 8601 in the current time zone), for
    representations written out by hand, without DRF's field for each value (a page of fifty documents has 150
    moments). `tz` is the current time zone when the caller already has it: a row's moments look it up once,
    not once each (the look-up goes through the request's context-local storage). The values are aware."""
    if value is None:
        return None
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _holds_fields(field) -> bool:
    """A nested serializer, a list's or a dict's child, a many relation's child relation: fields bound below it."""
    return (
        isinstance(field, drf.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation")
    )


def _instance_fields(prototypes: dict) -> dict:
    """Each serializer instance's own fields, from unbound prototypes. DRF deep-copies every field (each one
    rebuilt from its arguments, validators and choices included: most of a small request's serializer cost,
    bench/README.md); binding sets only a field's own attributes (name, parent, source), so a field holding
    no fields is copied shallowly and shares its arguments, validators and messages, built once and only read.
    A field holding fields is deep-copied, as DRF does: its children are bound to it."""
    return {
        name: copy.deepcopy(field) if _holds_fields(field) else copy.copy(field)
        for name, field in prototypes.items()
    }


class Serializer(_StrictMixin, drf.Serializer):
    def get_fields(self):
        return _instance_fields(self._declared_fields)


_FIELD_PROTOTYPES: dict[type, dict] = {}


class ModelSerializer(_StrictMixin, drf.ModelSerializer):
    serializer_field_mapping = {
        **drf.ModelSerializer.serializer_field_mapping,
        models.AutoField: IntegerField,
        models.BigAutoField: IntegerField,
        models.SmallAutoField: IntegerField,
        models.IntegerField: IntegerField,
        models.BigIntegerField: IntegerField,
        models.SmallIntegerField: IntegerField,
        models.PositiveIntegerField: IntegerField,
        models.PositiveBigIntegerField: IntegerField,
        models.PositiveSmallIntegerField: IntegerField,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }
    serializer_related_field = PrimaryKeyRelatedField

    def get_fields(self):
        """The fields built from the model once per class (introspection, labels, validators: the largest part of
        a small request's serializer cost, bench/README.md), then copied for each instance (`_instance_fields`).
        What is built depends on the class alone (its Meta and declared fields)."""
        prototype = _FIELD_PROTOTYPES.get(type(self))
        if prototype is None:
            prototype = _FIELD_PROTOTYPES[type(self)] = super().get_fields()
        return _instance_fields(prototype)

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.EmailField) and model_field.blank:
            field_class = BlankableEmailField
        if isinstance(model_field, models.IntegerField) and "choices" not in field_kwargs:
            low, high = _model_integer_range(model_field)
            field_kwargs["min_value"] = max(field_kwargs.get("min_value", low), low)
            field_kwargs["max_value"] = min(field_kwargs.get("max_value", high), high)
        return field_class, field_kwargs
