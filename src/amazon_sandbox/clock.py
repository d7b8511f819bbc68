"""The sandbox clock: wall time plus an offset that tests move with POST /_sandbox/clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from functools import lru_cache


class SandboxClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        start_ts = start.timestamp() if start else time.time()
        self._offset = start_ts - time.time()

    def now(self) -> float:
        """Seconds since the epoch on the sandbox clock."""
        return time.time() + self._offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._offset += seconds
        return self.now()

    def set(self, when: float) -> float:
        with self._lock:
            self._offset = when - time.time()
        return self.now()


def iso(ts: float) -> str:
    """Amazon's timestamp form: ISO 8601 UTC, whole seconds, Z suffix."""
    return _iso(int(ts))


@lru_cache(maxsize=65536)
def _iso(seconds: int) -> str:
    # Cached: order windows fall on day boundaries and repeat across orders.
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> float | None:
    """Parse an ISO 8601 timestamp (Z or offset; a naive one is taken as UTC); None if invalid."""
    text = value.strip()
    if not text or len(text) < 10:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
