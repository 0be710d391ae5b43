"""What other apps do when an assignment takes effect (人事異動): org owns the list, higher apps register with it.

Approvals moves the waiting steps of the person who left a post to its new holder; org imports none of them.
Listeners run inside the transaction that applies the assignment, so an exception rolls the transfer back too.
"""

from collections.abc import Callable
from typing import Any

# listener(*, employee, assignment, previous) -> None: `employee` already holds the new department, section and
# position; `previous` is the assignment that just ended (None for the first one).
TransferListener = Callable[..., None]

_LISTENERS: dict[str, TransferListener] = {}


def register_transfer_listener(name: str, listener: TransferListener) -> None:
    """Register (or re-register, e.g. on a reload) what `name` does when an assignment takes effect."""
    _LISTENERS[name] = listener


def transfer_took_effect(*, employee: Any, assignment: Any, previous: Any) -> None:
    for listener in _LISTENERS.values():
        listener(employee=employee, assignment=assignment, previous=previous)
