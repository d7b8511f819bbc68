"""Token buckets shared by every worker: one per (seller, application, operation).

Amazon limits each (selling partner, application) pair per operation with a token bucket
(a refill `rate` in requests per second and a `burst`). colis keeps a mirror of each bucket
where every worker sees it: in the database by default, in Redis (one Lua script, atomic)
when `REDIS_URL` is set.

Reservation semantics: `acquire()` takes a token at once, letting the bucket go below zero,
and answers how long the caller must wait before sending. The caller sleeps *outside* any
transaction. Two workers asking at once get waits one interval apart, so together they pace
exactly at the plan's rate: no busy loop, no thundering herd.

The rate is seeded from Amazon's published plan and corrected from each response's
`x-amzn-RateLimit-Limit`; a 429 drains the bucket (Amazon knows better than our mirror).
"""

from __future__ import annotations

import functools
import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger("colis.ratelimit")

# Pace a hair below the plan so that network jitter between two calls cannot put a
# request ahead of Amazon's refill (2 % slower; the import benchmark allows 10 %).
SAFETY = 0.98
# Redis keys and idle rows are forgotten after a day: a fresh bucket starts full, like Amazon's.
IDLE_SECONDS = 86400
LOCK_RETRIES = 500


@dataclass(frozen=True, slots=True)
class RatePlan:
    rate: float  # tokens per second
    burst: float


class RateLimiter(Protocol):
    def acquire(self, key: str, plan: RatePlan) -> float:
        """Reserve one token; the seconds to wait before sending (0 when one was there)."""
        ...

    def set_rate(self, key: str, plan: RatePlan, rate: float) -> None:
        """Correct the bucket's refill rate (from `x-amzn-RateLimit-Limit`)."""
        ...

    def drain(self, key: str, plan: RatePlan) -> None:
        """Empty the bucket (after a 429): the next caller waits one interval."""
        ...


def _refill(tokens: float, stamp: float, now: float, rate: float, burst: float) -> float:
    return min(burst, tokens + max(0.0, now - stamp) * rate * SAFETY)


def _wait(tokens: float, rate: float) -> float:
    return 0.0 if tokens >= 0 else -tokens / (rate * SAFETY)


class MemoryRateLimiter:
    """One process only: for unit tests and tools, never for workers."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, list[float]] = {}  # key -> [tokens, stamp, rate, burst]

    def _bucket(self, key: str, plan: RatePlan, now: float) -> list[float]:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = [plan.burst, now, plan.rate, plan.burst]
        bucket[0] = _refill(bucket[0], bucket[1], now, bucket[2], bucket[3])
        bucket[1] = now
        return bucket

    def acquire(self, key: str, plan: RatePlan) -> float:
        with self._lock:
            bucket = self._bucket(key, plan, self._clock())
            bucket[0] -= 1
            return _wait(bucket[0], bucket[2])

    def set_rate(self, key: str, plan: RatePlan, rate: float) -> None:
        with self._lock:
            self._bucket(key, plan, self._clock())[2] = rate

    def drain(self, key: str, plan: RatePlan) -> None:
        with self._lock:
            bucket = self._bucket(key, plan, self._clock())
            bucket[0] = min(bucket[0], 0.0)


class DatabaseRateLimiter:
    """Buckets as rows (`marketplaces.RateBucket`), updated under a row lock.

    On PostgreSQL `SELECT ... FOR UPDATE` serialises the workers; on SQLite colis opens
    every transaction IMMEDIATE, which takes the database's write lock up front.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def _apply(self, key: str, plan: RatePlan, change: Callable[[Any], float]) -> float:
        from django.db import IntegrityError, OperationalError, transaction

        from colis.marketplaces.models import RateBucket

        for attempt in range(LOCK_RETRIES):
            try:
                with transaction.atomic():
                    row = RateBucket.objects.select_for_update().filter(key=key).first()
                    now = self._clock()
                    if row is None:
                        row = RateBucket(
                            key=key, rate=plan.rate, burst=plan.burst, tokens=plan.burst, stamp=now
                        )
                        with transaction.atomic():
                            row.save(force_insert=True)
                    row.tokens = _refill(row.tokens, row.stamp, now, row.rate, row.burst)
                    row.stamp = now
                    result = change(row)
                    row.save(update_fields=["tokens", "stamp", "rate"])
                    return result
            except IntegrityError:
                continue  # another worker created the row first: read it again
            except OperationalError as exc:
                # SQLite under contention ("database is locked" / shared-cache "table is
                # locked"): the write lock is held for microseconds, so wait a moment.
                if "locked" not in str(exc) or attempt + 1 == LOCK_RETRIES:
                    raise
                time.sleep(0.002 + random.random() * 0.008)
        raise RuntimeError("rate bucket could not be updated")

    def acquire(self, key: str, plan: RatePlan) -> float:
        def take(row: Any) -> float:
            row.tokens -= 1
            return _wait(row.tokens, row.rate)

        return self._apply(key, plan, take)

    def set_rate(self, key: str, plan: RatePlan, rate: float) -> None:
        def update(row: Any) -> float:
            row.rate = rate
            return 0.0

        self._apply(key, plan, update)

    def drain(self, key: str, plan: RatePlan) -> None:
        def empty(row: Any) -> float:
            row.tokens = min(row.tokens, 0.0)
            return 0.0

        self._apply(key, plan, empty)


# The same arithmetic as above, atomic inside Redis, on Redis' own clock (no skew between hosts).
_LUA = """
pcall(redis.replicate_commands)
local key = KEYS[1]
local plan_rate = tonumber(ARGV[1])
local plan_burst = tonumber(ARGV[2])
local op = ARGV[3]
local new_rate = tonumber(ARGV[4])
local safety = tonumber(ARGV[5])
local idle = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local d = redis.call('HMGET', key, 'tokens', 'stamp', 'rate', 'burst')
local tokens, stamp, rate, burst = tonumber(d[1]), tonumber(d[2]), tonumber(d[3]), tonumber(d[4])
if tokens == nil then
  tokens, stamp, rate, burst = plan_burst, now, plan_rate, plan_burst
end
local elapsed = now - stamp
if elapsed < 0 then elapsed = 0 end
tokens = math.min(burst, tokens + elapsed * rate * safety)
local wait = 0
if op == 'acquire' then
  tokens = tokens - 1
  if tokens < 0 then wait = -tokens / (rate * safety) end
elseif op == 'rate' then
  rate = new_rate
elseif op == 'drain' then
  if tokens > 0 then tokens = 0 end
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'stamp', tostring(now),
           'rate', tostring(rate), 'burst', tostring(burst))
redis.call('EXPIRE', key, idle)
return tostring(wait)
"""


class RedisRateLimiter:
    def __init__(self, url: str, prefix: str = "colis:rate:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_LUA)
        self._prefix = prefix

    def _run(self, key: str, plan: RatePlan, op: str, rate: float = 0.0) -> float:
        import redis

        try:
            result = self._script(
                keys=[self._prefix + key],
                args=[plan.rate, plan.burst, op, rate, SAFETY, IDLE_SECONDS],
            )
        except redis.RedisError:
            # Redis away: the database holds the same buckets, so workers stay paced.
            log.warning("rate limiter: Redis unavailable, using the database buckets")
            fallback = DatabaseRateLimiter()
            if op == "acquire":
                return fallback.acquire(key, plan)
            if op == "rate":
                fallback.set_rate(key, plan, rate)
            else:
                fallback.drain(key, plan)
            return 0.0
        return float(result.decode() if isinstance(result, bytes) else result)

    def acquire(self, key: str, plan: RatePlan) -> float:
        return self._run(key, plan, "acquire")

    def set_rate(self, key: str, plan: RatePlan, rate: float) -> None:
        self._run(key, plan, "rate", rate)

    def drain(self, key: str, plan: RatePlan) -> None:
        self._run(key, plan, "drain")


@functools.cache
def _redis_limiter(url: str) -> RedisRateLimiter:
    return RedisRateLimiter(url)


def rate_limiter() -> RateLimiter:
    """The shared limiter: Redis when REDIS_URL is set, else the database."""
    from django.conf import settings

    url = getattr(settings, "COLIS_RATE_LIMIT_REDIS_URL", None) or os.environ.get("REDIS_URL", "")
    if url:
        return _redis_limiter(url)
    return DatabaseRateLimiter()


def bucket_key(*parts: str) -> str:
    return ":".join(p.replace(":", "_") for p in parts)
