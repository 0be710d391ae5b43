"""Frozen clocks for tests: a time-machine travel that does not tick, so `timezone.now()`, `localdate()`, the
`default=timezone.now` fields and `time.time()` all read the same moment until `set` moves it.

A clock started in a test is stopped when the test ends (the autouse fixture `_clocks_stopped` in
tests/conftest.py), so no test sees another's time.
"""

from datetime import date, datetime

import time_machine

from attendance.worktime import LOCAL_TZ

_running: list[time_machine.travel] = []


class FrozenClock:
    """`now` stands still at `moment` until `set` moves it."""

    def __init__(self, moment: datetime):
        traveller = time_machine.travel(moment, tick=False)
        self._coordinates = traveller.start()
        _running.append(traveller)
        self.now = moment

    def set(self, moment: datetime) -> None:
        self._coordinates.move_to(moment, tick=False)
        self.now = moment

    @property
    def today(self) -> date:
        return self.now.astimezone(LOCAL_TZ).date()


def stop_all() -> None:
    """Stops every clock started since the last call, the latest first."""
    while _running:
        _running.pop().stop()
