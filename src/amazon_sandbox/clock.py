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
    seconds = int(ts)
    if seconds < 0:
        return _iso(seconds)
    day, rest = divmod(seconds, 86400)
    # Two table look-ups, not strftime: every order has its own creation time.
    return (_DAYS.get(day) or _day(day)) + _TIMES[rest]


_DAYS: dict[int, str] = {}
_TWO = [f"{n:02d}" for n in range(60)]
_TIMES = tuple(f"T{h}:{m}:{s}Z" for h in _TWO[:24] for m in _TWO for s in _TWO)  # ~5 MB


def _day(day: int) -> str:
    date = datetime.fromtimestamp(day * 86400, tz=UTC).strftime("%Y-%m-%d")
    if len(_DAYS) < 100_000:
        _DAYS[day] = date
    return date


@lru_cache(maxsize=1024)
def _iso(seconds: int) -> str:
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
