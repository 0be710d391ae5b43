"""The pure reminder rules: business minutes across weekends, holidays and the year-end closure; what is due."""

from datetime import UTC, date, datetime

import pytest

from approvals.reminders import (
    ESCALATION,
    LOCAL_TZ,
    POST_REVIEW,
    REMINDER,
    WaitingItem,
    business_minutes_between,
    due_approval_items,
    due_levels,
    due_post_reviews,
)
from org.calendar import BusinessCalendar

CALENDAR = BusinessCalendar()
FULL_DAY = 8 * 60 + 45  # 8:30–17:15


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        # the same working day, inside office hours
        (at(date(2026, 11, 16), 9), at(date(2026, 11, 16), 10, 30), 90),
        # before opening and after closing count nothing
        (at(date(2026, 11, 16), 6), at(date(2026, 11, 16), 22), FULL_DAY),
        # Monday 8:30 to Wednesday 17:15: three full days
        (at(date(2026, 11, 16), 8, 30), at(date(2026, 11, 18), 17, 15), 3 * FULL_DAY),
        # over a weekend: Friday 16:15 → Monday 9:30 is one hour on Friday and one on Monday
        (at(date(2026, 11, 13), 16, 15), at(date(2026, 11, 16), 9, 30), 120),
        # started on a Saturday: only Monday's hour counts
        (at(date(2026, 11, 14), 10), at(date(2026, 11, 16), 9, 30), 60),
        # over a national holiday: 文化の日 Tuesday 2026-11-03 counts nothing
        (at(date(2026, 11, 2), 17), at(date(2026, 11, 4), 8, 45), 30),
        # 勤労感謝の日 Monday 2026-11-23 after a weekend
        (at(date(2026, 11, 20), 17), at(date(2026, 11, 24), 9), 45),
        # over the year-end closure 12/29–1/3 and the New Year weekend
        (at(date(2026, 12, 28), 16, 15), at(date(2027, 1, 4), 9, 30), 120),
        # entirely inside the closure
        (at(date(2026, 12, 29), 9), at(date(2027, 1, 3), 17), 0),
        # end before start
        (at(date(2026, 11, 17), 9), at(date(2026, 11, 16), 9), 0),
    ],
)
def test_business_minutes_count_only_office_hours_of_working_days(start, end, minutes):
    assert business_minutes_between(start, end, CALENDAR) == minutes


def test_a_town_closed_day_counts_nothing():
    # given Wednesday 2026-11-18 closed by the town
    closed = BusinessCalendar(closed_days=frozenset({date(2026, 11, 18)}))
    start, end = at(date(2026, 11, 17), 8, 30), at(date(2026, 11, 19), 17, 15)

    assert business_minutes_between(start, end, CALENDAR) == 3 * FULL_DAY
    assert business_minutes_between(start, end, closed) == 2 * FULL_DAY


def test_times_in_another_zone_are_read_in_tokyo():
    # 00:00 UTC is 09:00 in Tokyo, 03:00 UTC is 12:00
    start = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)
    end = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)

    assert business_minutes_between(start, end, CALENDAR) == 180


def test_the_reminder_comes_at_eight_business_hours_and_the_escalation_at_twenty_four():
    item = WaitingItem(key=1, person=7, opened_at=at(date(2026, 11, 16), 8, 30))
    kwargs = {"calendar": CALENDAR, "reminder_minutes": 8 * 60, "escalation_minutes": 24 * 60}

    assert due_levels(item, now=at(date(2026, 11, 16), 16, 29), **kwargs) == ()
    assert due_levels(item, now=at(date(2026, 11, 16), 16, 30), **kwargs) == (REMINDER,)
    # Monday 8:30 + 24 business hours: Monday, Tuesday (17h30) and 6h30 of Wednesday → 15:00
    assert due_levels(item, now=at(date(2026, 11, 18), 14, 59), **kwargs) == (REMINDER,)
    assert due_levels(item, now=at(date(2026, 11, 18), 15, 0), **kwargs) == (REMINDER, ESCALATION)


def test_a_level_already_sent_is_not_due_again():
    sent = WaitingItem(key=1, person=7, opened_at=at(date(2026, 11, 16), 8, 30), sent=frozenset({REMINDER}))
    fresh = WaitingItem(key=2, person=8, opened_at=at(date(2026, 11, 19), 9))

    due = due_approval_items(
        [sent, fresh],
        now=at(date(2026, 11, 19), 10),
        calendar=CALENDAR,
        reminder_hours=8,
        escalation_hours=24,
    )

    assert [(item.key, level) for item, level in due] == [(1, ESCALATION)]


def test_a_waiting_post_review_is_due_after_two_business_days_once_its_approver_is_back():
    # given a 後閲 opened on Friday 2026-11-20 (Monday the 23rd is a holiday)
    item = WaitingItem(key=1, person=7, opened_at=at(date(2026, 11, 20), 10))
    done = WaitingItem(key=2, person=8, opened_at=at(date(2026, 11, 20), 10), sent=frozenset({POST_REVIEW}))

    def due(today, absent=()):
        return [
            i.key
            for i in due_post_reviews([item, done], today=today, calendar=CALENDAR, days=2, absent=absent)
        ]

    assert due(date(2026, 11, 24)) == []  # one business day (Tuesday)
    assert due(date(2026, 11, 25), absent={7}) == []  # two, but still away
    assert due(date(2026, 11, 25)) == [1]
