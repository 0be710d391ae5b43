"""A fixed "now" for the attendance tests, so none of them reads the wall clock (no flake near midnight, at a
month's or a fiscal year's end). The code under test reads `django.utils.timezone.now`, which this replaces."""

from datetime import date, datetime

from django.utils import timezone

from attendance.worktime import LOCAL_TZ

# A Wednesday morning after every day the tests record (they use June 2026).
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=LOCAL_TZ)


class FrozenClock:
    """`now` stands still until `set` moves it."""

    def __init__(self, monkeypatch, moment: datetime = NOW):
        self.monkeypatch = monkeypatch
        self.set(moment)

    def set(self, moment: datetime) -> None:
        self.now = moment
        self.monkeypatch.setattr(timezone, "now", lambda: moment)

    @property
    def today(self) -> date:
        return self.now.astimezone(LOCAL_TZ).date()
