"""Retry timing of deliveries."""

from datetime import timedelta

import pytest

from notifications.backoff import MAX_ATTEMPTS, gives_up, retry_delay


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (7, 60), (20, 60)]
)
def test_retry_delay_doubles_up_to_an_hour(attempts, minutes):
    assert retry_delay(attempts) == timedelta(minutes=minutes)


def test_gives_up_at_the_last_attempt():
    assert not gives_up(MAX_ATTEMPTS - 1)
    assert gives_up(MAX_ATTEMPTS)
