"""Cache backends that fail soft: a cache that is down, refusing or hung costs one short timeout,
then is left alone for a few seconds (a circuit breaker), and never turns a page into a 500.

- Reads of a cache that is unavailable return the default (a miss); writes are dropped.
- `incr`, which callers cannot treat as a miss, raises `CacheUnavailable` instead.
- A warning is logged when an outage starts in this process and a line when it ends, not one per
  request.
"""

import logging
import sqlite3
import threading
import time

from diskcache import DjangoCache, Timeout
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("coverage_site.cache")

DEFAULT_COOLDOWN = 3.0


class CacheUnavailable(Exception):
    """The cache did not answer (or is being left alone after it failed)."""


class CircuitBreaker:
    """Remember that a service failed, and stay away from it for `cooldown` seconds."""

    def __init__(self, name, cooldown=DEFAULT_COOLDOWN):
        self.name = name
        self.cooldown = cooldown
        self.open_until = 0.0
        self.outage_started = None
        self.lock = threading.Lock()

    def allows(self):
        """True when the service may be tried: it has not failed lately, or the pause is over."""
        return time.monotonic() >= self.open_until

    @property
    def in_outage(self):
        return self.outage_started is not None

    def failed(self, error):
        with self.lock:
            self.open_until = time.monotonic() + self.cooldown
            if self.outage_started is None:
                self.outage_started = time.monotonic()
                logger.warning(
                    "%s is unavailable (%s: %s); serving without it, retrying every %.0f s",
                    self.name,
                    type(error).__name__,
                    error,
                    self.cooldown,
                )

    def succeeded(self):
        """Close the breaker; True if this ended an outage (so the caller can catch up)."""
        if self.outage_started is None:
            return False
        with self.lock:
            if self.outage_started is None:
                return False
            lasted = time.monotonic() - self.outage_started
            self.outage_started = None
            self.open_until = 0.0
        logger.warning("%s is back after %.1f s", self.name, lasted)
        return True


class FailSoftMixin:
    """Wrap a Django cache backend's operations with a circuit breaker."""

    # What an outage looks like; anything else (a missing key for incr, a bug) is not hidden.
    failures = (OSError,)
    recovery_callbacks = []

    def __init__(self, location, params):
        super().__init__(location, params)
        self.breaker = CircuitBreaker(
            f"The cache ({type(self).__name__})",
            cooldown=float(params.get("BREAKER_SECONDS", DEFAULT_COOLDOWN)),
        )

    def attempt(self, operation, *args, **kwargs):
        if not self.breaker.allows():
            raise CacheUnavailable(self.breaker.name)
        try:
            result = operation(*args, **kwargs)
        except self.failures as error:
            self.breaker.failed(error)
            raise CacheUnavailable(str(error)) from error
        if self.breaker.in_outage and self.breaker.succeeded():
            for callback in list(self.recovery_callbacks):
                callback(self)
        return result

    def is_available(self):
        """True unless the cache failed in the last few seconds."""
        return self.breaker.allows()

    def get(self, key, default=None, version=None):
        try:
            return self.attempt(super().get, key, default, version)
        except CacheUnavailable:
            return default

    def get_many(self, keys, version=None):
        try:
            return self.attempt(super().get_many, keys, version)
        except CacheUnavailable:
            return {}

    def set(self, key, value, timeout=None, version=None):
        return self.soft(super().set, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self.soft(super().set_many, data, timeout, version) or []

    def add(self, key, value, timeout=None, version=None):
        return bool(self.soft(super().add, key, value, timeout, version))

    def delete(self, key, version=None):
        return bool(self.soft(super().delete, key, version))

    def delete_many(self, keys, version=None):
        return self.soft(super().delete_many, keys, version)

    def touch(self, key, timeout=None, version=None):
        return bool(self.soft(super().touch, key, timeout, version))

    def clear(self):
        return self.soft(super().clear)

    def incr(self, key, delta=1, version=None):
        """Add `delta`: ValueError if the key is missing, CacheUnavailable if the cache is."""
        return self.attempt(super().incr, key, delta, version)

    def soft(self, operation, *args):
        try:
            return self.attempt(operation, *args)
        except CacheUnavailable:
            return None


class FailSoftRedisCache(FailSoftMixin, RedisCache):
    """Django's Redis cache with short socket timeouts (set in OPTIONS) and a circuit breaker."""

    failures = (RedisError, OSError)


class FailSoftDiskCache(FailSoftMixin, DjangoCache):
    """diskcache's Django backend (SQLite files shared by every process on the machine), with a
    circuit breaker for a full or unwritable disk."""

    failures = (sqlite3.Error, Timeout, OSError)

    def close(self, **kwargs):
        """Keep the SQLite connections open between requests.

        Django closes caches when a request finishes; for diskcache that would mean opening
        eight SQLite files (and running their PRAGMAs) again on every request, which cost more
        than the rest of a cache hit. diskcache reopens them itself in a forked worker.
        """
