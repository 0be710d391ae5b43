"""What leave must learn from attendance (above it), through a registry that leave owns.

Attendance registers, in its AppConfig.ready(), the length of an employee's scheduled day (so that hours of
leave convert at the schedule's length, 7h45m = 1 day unless the schedule says otherwise), a listener told of
the days whose approved leave changed (so that the attendance days are recomputed) and the refusal of a change
on days whose month is closed or signed (a timesheet submitted or approved). With nothing registered the day is
`settings.LEAVE_DAY_MINUTES` long, nobody is told and nothing is refused.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

# day_minutes(*, employee, on) -> int: the scheduled minutes of the employee's working day on `on`.
DayMinutes = Callable[..., int]
# days_changed(*, employee, dates) -> None: approved leave began or ended on those dates; runs inside the
# transaction that changed it (after the leave rows' locks).
DaysChanged = Callable[..., None]
# days_refusal(*, employee, dates) -> DomainError | None: why approved leave may not begin or end on those dates
# (their month closed, or its timesheet signed), or None.
DaysRefusal = Callable[..., Any]


@dataclass(frozen=True)
class LeaveHooks:
    day_minutes: DayMinutes | None = None
    days_changed: DaysChanged | None = None
    days_refusal: DaysRefusal | None = None


_REGISTERED: dict[str, LeaveHooks] = {}


def register_leave_hooks(
    *,
    day_minutes: DayMinutes | None = None,
    days_changed: DaysChanged | None = None,
    days_refusal: DaysRefusal | None = None,
) -> LeaveHooks:
    """Register (or re-register, e.g. on a reload) attendance's answers."""
    hooks = LeaveHooks(day_minutes=day_minutes, days_changed=days_changed, days_refusal=days_refusal)
    _REGISTERED["attendance"] = hooks
    return hooks


def scheduled_day_minutes(*, employee: Any, on: date) -> int:
    hooks = _REGISTERED.get("attendance")
    if hooks and hooks.day_minutes:
        return hooks.day_minutes(employee=employee, on=on) or settings.LEAVE_DAY_MINUTES
    return settings.LEAVE_DAY_MINUTES


def leave_days_changed(*, employee: Any, dates: Iterable[date]) -> None:
    hooks = _REGISTERED.get("attendance")
    dates = sorted(set(dates))
    if hooks and hooks.days_changed and dates:
        hooks.days_changed(employee=employee, dates=dates)


def ensure_days_changeable(*, employee: Any, dates: Iterable[date]) -> None:
    """Raises attendance's refusal when approved leave may not begin or end on these dates."""
    hooks = _REGISTERED.get("attendance")
    dates = sorted(set(dates))
    refusal = (
        hooks.days_refusal(employee=employee, dates=dates) if hooks and hooks.days_refusal and dates else None
    )
    if refusal is not None:
        raise refusal
