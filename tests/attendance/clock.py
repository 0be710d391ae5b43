"""A fixed "now" for the attendance tests, so none of them reads the wall clock (no flake near midnight, at a
month's or a fiscal year's end): the moment the frozen clock of tests/clock.py starts at."""

from datetime import datetime

from attendance.worktime import LOCAL_TZ

# A Wednesday morning after every day the tests record (they use June 2026).
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=LOCAL_TZ)
