"""Django's Redis cache, failing open: with Redis down or stalled, the site goes on as
if the cache were empty.

Nothing the site keeps in the cache is needed to answer a page (the programs' content
is read again from the database, the sign-in rate limits count nothing while it is
away), so a cache error must never become a 500. Each operation that fails logs one
line and answers as a miss would. Short socket timeouts keep a paused Redis from
holding a request for seconds, and after a failure the cache is left alone for
:data:`RETRY_AFTER` seconds, so a page pays for one timeout at most, not one per read.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds: a command to Redis on the same network answers in well under a millisecond.
SOCKET_TIMEOUT = 0.25
RETRY_AFTER = 5.0


class _OneClientPerPool(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` for each connection pool: Django's
    made a new one for every command, building its table of reply callbacks (hundreds of
    entries) each time, which cost more than the command itself. A ``Redis`` takes its
    connections from the pool, command by command, as before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _OneClientPerPool
        self._skip_until = 0.0

    def _try(self, operation: str, missed, call):
        if time.monotonic() < self._skip_until:
            return missed
        try:
            return call()
        except (RedisError, OSError) as exc:
            self._skip_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "Cache unavailable (%s failed: %r); going on without it for %.0f s",
                operation,
                exc,
                RETRY_AFTER,
            )
            return missed

    def get(self, key, default=None, version=None):
        return self._try("get", default, lambda: super(RedisCache, self).get(key, default, version))

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, lambda: super(RedisCache, self).get_many(keys, version))

    def has_key(self, key, version=None):
        return self._try("has_key", False, lambda: super(RedisCache, self).has_key(key, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(
            "set", None, lambda: super(RedisCache, self).set(key, value, timeout, version)
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's answer: the keys that were not stored.
        return self._try(
            "set_many", list(data), lambda: super(RedisCache, self).set_many(data, timeout, version)
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # As if it were stored: a caller holding a lock this way (the rate limits) goes on
        # rather than waiting for a cache that does not answer.
        return self._try(
            "add", True, lambda: super(RedisCache, self).add(key, value, timeout, version)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(
            "touch", False, lambda: super(RedisCache, self).touch(key, timeout, version)
        )

    def delete(self, key, version=None):
        return self._try("delete", False, lambda: super(RedisCache, self).delete(key, version))

    def delete_many(self, keys, version=None):
        return self._try(
            "delete_many", None, lambda: super(RedisCache, self).delete_many(keys, version)
        )

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")

        result = self._try(
            "incr", missing, lambda: super(RedisCache, self).incr(key, delta, version)
        )
        return result() if result is missing else result

    def clear(self):
        return self._try("clear", False, lambda: super(RedisCache, self).clear())

    def ping(self) -> None:
        """Ask Redis now, whatever the last failure; raises what the client raised."""
        self._cache.get_client(write=False).ping()
