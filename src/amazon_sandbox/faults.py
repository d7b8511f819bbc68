"""Faults injected per operation: server errors, latency, dropped connections, malformed
JSON and silently dropped shipment confirmations."""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass

FAULT_KINDS = ("500", "503", "latency", "disconnect", "malformed", "silent_drop")


class FaultSpecError(ValueError):
    pass


@dataclass(slots=True)
class Fault:
    operation: str  # operation name or "*" for every operation
    kind: str  # one of FAULT_KINDS
    value: float  # probability (0..1), or seconds for "latency"

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def parse_fault(spec: str) -> Fault:
    """Parse the CLI form OP:KIND:VALUE, e.g. getOrders:503:0.25 or searchOrders:latency:1.5."""
    parts = spec.rsplit(":", 2)
    if len(parts) != 3:
        raise FaultSpecError(f"fault {spec!r} is not OP:KIND:VALUE")
    return make_fault(parts[0], parts[1], parts[2])


def make_fault(operation: str, kind: str, value: object) -> Fault:
    if kind not in FAULT_KINDS:
        raise FaultSpecError(
            f"unknown fault kind {kind!r}; expected one of {', '.join(FAULT_KINDS)}"
        )
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise FaultSpecError(f"fault value {value!r} is not a number") from exc
    if number < 0 or (kind != "latency" and number > 1):
        raise FaultSpecError(f"fault value {number} out of range for {kind}")
    if not operation:
        raise FaultSpecError("fault needs an operation (or '*')")
    return Fault(operation, kind, number)


class FaultTable:
    def __init__(self, seed: int) -> None:
        self._faults: list[Fault] = []
        self._rng = random.Random(seed ^ 0x5EED)
        self._lock = threading.Lock()

    def set(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults = list(faults)

    def add(self, fault: Fault) -> None:
        with self._lock:
            # One fault per (operation, kind): a new one replaces the old.
            self._faults = [
                f for f in self._faults if (f.operation, f.kind) != (fault.operation, fault.kind)
            ]
            if fault.value > 0:
                self._faults.append(fault)

    def clear(self) -> None:
        self.set([])

    def list(self) -> list[Fault]:
        return list(self._faults)

    def roll(self, operation: str, kind: str) -> bool:
        """Whether the fault `kind` fires for this call of `operation`."""
        if not self._faults:
            return False
        for fault in self._faults:
            if fault.kind == kind and fault.operation in (operation, "*"):
                with self._lock:
                    return self._rng.random() < fault.value
        return False

    def latency(self, operation: str) -> float:
        return sum(
            f.value for f in self._faults if f.kind == "latency" and f.operation in (operation, "*")
        )
