"""What other apps do when the organisation changes: org owns the lists, higher apps register with them.

When an assignment takes effect (人事異動), approvals moves the waiting steps of the person who left a post to its
new holder; when a security event is recorded, notifications tells the account's owner; approvals tells which
vacant 課長 posts a person holds for the time being (職務代理者). Org imports none of them.
Listeners run inside the transaction that made the change, so an exception rolls it back too.
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


# --- Security events ----------------------------------------------------------------------------------
# listener(*, event) -> None, called inside the transaction that records the `org.SecurityEvent` (notifications
# tells the account's owner of a password reset, say). An exception rolls the recorded change back too.
SecurityEventListener = Callable[..., None]

_SECURITY_LISTENERS: dict[str, SecurityEventListener] = {}


def register_security_event_listener(name: str, listener: SecurityEventListener) -> None:
    """Register (or re-register) what `name` does when a security event is recorded."""
    _SECURITY_LISTENERS[name] = listener


def security_event_recorded(*, event: Any) -> None:
    for listener in _SECURITY_LISTENERS.values():
        listener(event=event)


# --- Departments led for the time being (職務代理者) ----------------------------------------------------------
# provider(*, employee, on) -> set of department ids: the departments whose vacant head's post (課長) the employee
# holds on the day by a designation (approvals keeps the designations: `ActingAppointment`). Org knows only the
# manager of their own department; what a provider returns makes the employee that department's manager too.
ActingDepartmentsProvider = Callable[..., set[int]]

_ACTING_PROVIDERS: dict[str, ActingDepartmentsProvider] = {}


def register_acting_departments(name: str, provider: ActingDepartmentsProvider) -> None:
    """Register (or re-register) how `name` tells which departments an employee leads for the time being."""
    _ACTING_PROVIDERS[name] = provider


def acting_departments(*, employee: Any, on: Any) -> set[int]:
    found: set[int] = set()
    for provider in _ACTING_PROVIDERS.values():
        found |= provider(employee=employee, on=on)
    return found
