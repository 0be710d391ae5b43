"""Retry timing of deliveries (pure): exponential backoff 1, 2, 4, 8 … minutes, capped."""

from datetime import timedelta

MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1 → 1 min, 2 → 2 min, 3 → 4 min …)."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)


def gives_up(attempts: int) -> bool:
    """Whether a delivery that failed `attempts` times is marked failed instead of retried."""
    return attempts >= MAX_ATTEMPTS
