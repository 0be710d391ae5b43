"""Write bodies refuse fields they do not declare (400 `unknown_field`, one item of `errors` per field).

Telework's and rollout's write serializers derive from `StrictSerializer` until the project-wide refusal of
unknown fields lands in `api/core` (issue 14): then they derive from that base instead and this module goes.
"""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from telework.codes import TeleworkError


class StrictSerializer(serializers.Serializer):
    """A serializer whose input may hold only its writable fields; the others are refused with every other
    error of the body, never dropped."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(str(name) for name in set(data) - writable)
        if not unknown:
            return super().to_internal_value(data)
        errors: dict = {}
        try:
            super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors = dict(exc.detail) if isinstance(exc.detail, Mapping) else {}
        message = str(TeleworkError.UNKNOWN_FIELD.message)
        for name in unknown:
            errors[name] = [ErrorDetail(message, code=TeleworkError.UNKNOWN_FIELD.value)]
        raise serializers.ValidationError(errors)
