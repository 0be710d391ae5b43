"""督促とエスカレーション: which waiting approval items are due for a reminder, an escalation or a 後閲 reminder.

Pure: plain values and the business calendar in, plain values out, no ORM. Waiting time is counted in business
minutes: only working days (開庁日) and only inside the office hours 8:30–17:15, Asia/Tokyo.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from org.calendar import BusinessCalendar

LOCAL_TZ = ZoneInfo("Asia/Tokyo")
OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(17, 15)

REMINDER = "reminder"  # 督促: the approver (and their delegates)
ESCALATION = "escalation"  # エスカレーション: the approver's superior (and their deputy if they are away)
POST_REVIEW = "post_review"  # 後閲の督促: the absent approver, once back


def _office_window(day: date, opens: time, closes: time, tz: tzinfo) -> tuple[datetime, datetime]:
    return datetime.combine(day, opens, tz), datetime.combine(day, closes, tz)


def business_minutes_between(
    start: datetime,
    end: datetime,
    calendar: BusinessCalendar,
    *,
    opens: time = OFFICE_OPENS,
    closes: time = OFFICE_CLOSES,
    tz: tzinfo = LOCAL_TZ,
) -> int:
    """営業時間(分): whole minutes between two aware datetimes that fall on working days within office hours.

    0 when `end` is not after `start`. Days between the first and the last count as full office days.
    """
    if end <= start:
        return 0
    start, end = start.astimezone(tz), end.astimezone(tz)
    first, last = start.date(), end.date()
    seconds = 0.0
    for day in {first, last}:
        if calendar.is_working_day(day):
            window_start, window_end = _office_window(day, opens, closes, tz)
            overlap = min(end, window_end) - max(start, window_start)
            seconds += max(overlap.total_seconds(), 0)
    if (last - first).days > 1:
        full_day = _office_window(first, opens, closes, tz)
        middle_days = sum(
            1 for _ in calendar.working_days(first + timedelta(days=1), last - timedelta(days=1))
        )
        seconds += middle_days * (full_day[1] - full_day[0]).total_seconds()
    return int(seconds // 60)


@dataclass(frozen=True)
class WaitingItem:
    """One undecided item: its key (the StepApprover id), its person, when its step opened, the levels sent."""

    key: int
    person: int
    opened_at: datetime
    sent: frozenset[str] = field(default_factory=frozenset)


def due_levels(
    item: WaitingItem,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    reminder_minutes: int,
    escalation_minutes: int,
) -> tuple[str, ...]:
    """The levels not yet sent whose threshold the item's business-minute wait has reached (reminder first)."""
    waited = business_minutes_between(item.opened_at, now, calendar)
    thresholds = ((REMINDER, reminder_minutes), (ESCALATION, escalation_minutes))
    return tuple(level for level, limit in thresholds if waited >= limit and level not in item.sent)


def due_approval_items(
    items: Iterable[WaitingItem],
    *,
    now: datetime,
    calendar: BusinessCalendar,
    reminder_hours: int,
    escalation_hours: int,
) -> list[tuple[WaitingItem, str]]:
    """督促・エスカレーション: (item, level) pairs to send now, in the order of the items."""
    return [
        (item, level)
        for item in items
        for level in due_levels(
            item,
            now=now,
            calendar=calendar,
            reminder_minutes=reminder_hours * 60,
            escalation_minutes=escalation_hours * 60,
        )
    ]


def due_post_reviews(
    items: Iterable[WaitingItem],
    *,
    today: date,
    calendar: BusinessCalendar,
    days: int,
    absent: Collection[int],
    tz: tzinfo = LOCAL_TZ,
) -> list[WaitingItem]:
    """後閲の督促: items waiting `days` business days or more whose person is back (not absent today), unsent."""
    return [
        item
        for item in items
        if POST_REVIEW not in item.sent
        and item.person not in absent
        and calendar.business_days_between(item.opened_at.astimezone(tz).date(), today) >= days
    ]
