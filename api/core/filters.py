"""The API's filters: a drop-in for `django_filters.rest_framework` (`from api.core import filters`) whose filters hold
every query parameter to the bounds of `api.core.limits`, and the filter backend of DEFAULT_FILTER_BACKENDS.

- `IntegerFilter` (integer columns and keys): whole numbers within 64 bits; `NumberFilter`: numbers within 64 bits;
- `ModelChoiceFilter` on an integer key: a number beyond 64 bits is `invalid_choice`, never an overflow;
- `DateFilter`, `DateTimeFilter`, `IsoDateTimeFilter`: years 2000–2100 (`date_out_of_range`);
- `FilterSet` maps model fields to those filters when it builds them (`Meta.fields`, `filterset_fields`), and
  `DjangoFilterBackend` builds its automatic filter sets from it.
"""

from datetime import datetime

from django import forms
from django.core.validators import EMPTY_VALUES
from django.db import models
from django_filters import fields as filter_fields
from django_filters import rest_framework as drf_filters
from django_filters.rest_framework import *  # noqa: F403  (the drop-in re-exports every django-filter name)
from django_filters.rest_framework.filterset import FILTER_FOR_DBFIELD_DEFAULTS

from api.core import limits
from api.core.codes import ApiError
from core.errors import CoreError


def _check_year(value):
    if value in EMPTY_VALUES:
        return value
    day = value.date() if isinstance(value, datetime) else value
    if not limits.min_date() <= day <= limits.max_date():
        raise forms.ValidationError(ApiError.DATE_OUT_OF_RANGE.message, code=ApiError.DATE_OUT_OF_RANGE)
    return value


class _BoundedDateField(forms.DateField):
    def clean(self, value):
        return _check_year(super().clean(value))


class _BoundedDateTimeField(forms.DateTimeField):
    def clean(self, value):
        return _check_year(super().clean(value))


class _BoundedIsoDateTimeField(filter_fields.IsoDateTimeField):
    def clean(self, value):
        return _check_year(super().clean(value))


class _BoundedModelChoiceField(filter_fields.ModelChoiceField):
    def to_python(self, value):
        model = self.queryset.model
        key = (
            model._meta.pk
            if self.to_field_name in (None, "pk")
            else model._meta.get_field(self.to_field_name)
        )
        if isinstance(key, models.IntegerField) and value not in self.empty_values:
            try:
                number = int(str(value))
            except ValueError:
                number = None  # not a number: the parent refuses it
            if number is not None and not limits.INT_MIN <= number <= limits.INT_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code=CoreError.INVALID_CHOICE
                )
        return super().to_python(value)


class _BoundsMixin:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", limits.INT_MIN)
        kwargs.setdefault("max_value", limits.INT_MAX)
        super().__init__(*args, **kwargs)


class NumberFilter(_BoundsMixin, drf_filters.NumberFilter):
    pass


class IntegerFilter(_BoundsMixin, drf_filters.NumberFilter):
    field_class = forms.IntegerField


class DateFilter(drf_filters.DateFilter):
    field_class = _BoundedDateField


class DateTimeFilter(drf_filters.DateTimeFilter):
    field_class = _BoundedDateTimeField


class IsoDateTimeFilter(drf_filters.IsoDateTimeFilter):
    field_class = _BoundedIsoDateTimeField


class ModelChoiceFilter(drf_filters.ModelChoiceFilter):
    field_class = _BoundedModelChoiceField


def _replaced(defaults: dict) -> dict:
    """django-filter's model-field defaults with the bounded filters in place of its own."""
    ours = {
        drf_filters.NumberFilter: NumberFilter,
        drf_filters.DateFilter: DateFilter,
        drf_filters.DateTimeFilter: DateTimeFilter,
        drf_filters.IsoDateTimeFilter: IsoDateTimeFilter,
        drf_filters.ModelChoiceFilter: ModelChoiceFilter,
    }
    mapped = {
        field: {**spec, "filter_class": ours.get(spec["filter_class"], spec["filter_class"])}
        for field, spec in defaults.items()
    }
    for integer in (
        models.AutoField,
        models.BigAutoField,
        models.SmallIntegerField,
        models.IntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
    ):
        mapped[integer] = {"filter_class": IntegerFilter}
    return mapped


class FilterSet(drf_filters.FilterSet):
    FILTER_DEFAULTS = _replaced(FILTER_FOR_DBFIELD_DEFAULTS)


class DjangoFilterBackend(drf_filters.DjangoFilterBackend):
    filterset_base = FilterSet
