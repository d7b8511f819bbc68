"""Token buckets per (seller, application, operation), refilled on the sandbox clock."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .constants import RatePlan


class RateLimiter:
    def __init__(
        self, clock: Callable[[], float], time_scale: float = 1.0, enabled: bool = True
    ) -> None:
        self._clock = clock
        self.time_scale = time_scale
        self.enabled = enabled
        self._buckets: dict[tuple[str, str, str], list[float]] = {}  # key -> [tokens, last]
        self._lock = threading.Lock()

    def scaled_rate(self, plan: RatePlan) -> float:
        return plan.rate * self.time_scale

    def header_value(self, plan: RatePlan) -> str:
        """x-amzn-RateLimit-Limit: the (scaled) refill rate, as Amazon prints it."""
        return f"{self.scaled_rate(plan):.4f}".rstrip("0").rstrip(".")

    def take(self, key: tuple[str, str, str], plan: RatePlan) -> bool:
        """Consume one token; False when the bucket is empty (throttled)."""
        if not self.enabled:
            return True
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = [float(plan.burst), now]
                self._buckets[key] = bucket
            elapsed = max(0.0, now - bucket[1])
            bucket[0] = min(float(plan.burst), bucket[0] + elapsed * self.scaled_rate(plan))
            bucket[1] = now
            if bucket[0] >= 1.0:
                bucket[0] -= 1.0
                return True
            return False

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
