"""Telework days: what attendance must learn from the telework app, through a registry that attendance owns.

Attendance needs to know whether a day is an approved telework day (and where), must have the director told
of a clock-in away from the office without one, and tells the telework app of every clock event (for the
start/end report, 始業・終業報告, that the telework policy may ask for). The telework app registers both in its AppConfig.ready(), as
the document kinds register with `approvals.registry`; attendance imports nothing above itself.

With nothing registered there are no telework days: a clock-in away from the office is flagged
`telework_without_approval` (its alert row written once a day, as always) and nobody is told beyond that.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# approved_location(*, employee, on) -> "home" | "satellite" | "mobile", or None when the day is not an
# approved telework day. Runs inside the recomputation of the day, with the employee's row locked.
ApprovedLocation = Callable[..., str | None]
# without_approval_notify(*, employee, on, location) -> None: tells whom it must, inside the clocking's
# transaction (write an outbox notification, send nothing itself).
WithoutApprovalNotify = Callable[..., None]
# clocked(*, employee, on, kind, location, at) -> None: told of each clock event once it is recorded, inside the
# clocking's transaction (write an outbox notification, send nothing itself).
Clocked = Callable[..., None]


@dataclass(frozen=True)
class TeleworkDays:
    approved_location: ApprovedLocation
    without_approval_notify: WithoutApprovalNotify
    clocked: Clocked | None = None


_REGISTERED: dict[str, TeleworkDays] = {}


def register_telework_days(
    *,
    approved_location: ApprovedLocation,
    without_approval_notify: WithoutApprovalNotify,
    clocked: Clocked | None = None,
) -> TeleworkDays:
    """Register (or re-register, e.g. on a reload) the telework app's answers."""
    days = TeleworkDays(
        approved_location=approved_location, without_approval_notify=without_approval_notify, clocked=clocked
    )
    _REGISTERED["telework"] = days
    return days


def approved_telework_location(*, employee: Any, on: date) -> str | None:
    """Where the employee is approved to telework that day, or None (always None when nothing is registered)."""
    days = _REGISTERED.get("telework")
    return days.approved_location(employee=employee, on=on) if days else None


def telework_without_approval_notify(*, employee: Any, on: date, location: str) -> None:
    """Tell of a clock-in away from the office on a day without approved telework (nothing when unregistered)."""
    days = _REGISTERED.get("telework")
    if days:
        days.without_approval_notify(employee=employee, on=on, location=location)


def telework_clocked(*, employee: Any, on: date, kind: str, location: str, at: datetime) -> None:
    """Tell the telework app of a recorded clock event of the work day `on` (nothing when unregistered)."""
    days = _REGISTERED.get("telework")
    if days and days.clocked:
        days.clocked(employee=employee, on=on, kind=kind, location=location, at=at)
