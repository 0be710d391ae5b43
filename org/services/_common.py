"""What the organisation's services share: the UNSET marker of `*_update` arguments and the error raising."""

from enum import Enum
from typing import Any

from core.errors import ValidationFailed


class Unset(Enum):
    """The marker of an argument that was not given."""

    UNSET = "UNSET"


UNSET = Unset.UNSET


def _raise_invalid(errors: list[dict]) -> None:
    if errors:
        raise ValidationFailed(errors=errors)


def _apply(instance, changes: dict[str, Any]) -> list[str]:
    """Set the given (not UNSET) values and save only the fields that really changed."""
    changed = []
    for field, value in changes.items():
        if value is not UNSET and getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    if changed:
        instance.save(update_fields=changed)
    return changed
