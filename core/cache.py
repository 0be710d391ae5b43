"""The Redis cache that fails open: with Redis unreachable the request is served as if the cache were empty.

What the cache holds here can be lost without harm (throttle counters, the audit walk's outcome): a read
misses, a write is dropped, and a warning is logged (at most once per `WARNING_INTERVAL` per process). After a
failure the cache is not asked again for `RETRY_SECONDS` (`CACHE_RETRY_SECONDS`), so an outage costs each
request nothing, not a connection timeout per call. The breaker is per process; nothing else is kept in memory.
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARNING_INTERVAL = 60.0


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache whose every call answers as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._warned_at = -WARNING_INTERVAL

    @property
    def retry_seconds(self) -> float:
        return float(getattr(settings, "CACHE_RETRY_SECONDS", 5))  # unset in embedded mode

    @property
    def available(self) -> bool:
        """False while the breaker is open (Redis failed less than `retry_seconds` ago)."""
        return time.monotonic() >= self._down_until

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + self.retry_seconds
        if now - self._warned_at >= WARNING_INTERVAL:
            self._warned_at = now
            logger.warning("cache unreachable (%s: %s); serving without it", operation, error)

    def _call(self, operation: str, fallback, *args, **kwargs):
        if not self.available:
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable(operation, error)
            return fallback

    def ping(self) -> bool:
        """Whether Redis answers now (for /readyz); closes the breaker when it does."""
        try:
            self._cache.get_client(write=False).ping()
        except UNREACHABLE as error:
            self._unreachable("ping", error)
            return False
        self._down_until = 0.0
        return True

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
