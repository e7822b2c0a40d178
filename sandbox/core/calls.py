"""Counting API calls, so tests and benchmarks can assert "this run cost N calls"."""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

_LOG_LIMIT = 100_000


@dataclass(frozen=True)
class CallRecord:
    seq: int
    listener: str
    path: str
    operations: tuple[str, ...]
    tenant: str | None
    fault: str | None


class CallLog:
    """Thread-safe counters: HTTP requests, operations/functions by name, faults by kind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests = 0
        self._operations: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()
        self._log: deque[CallRecord] = deque(maxlen=_LOG_LIMIT)

    def record(
        self,
        *,
        listener: str,
        path: str,
        operations: tuple[str, ...],
        tenant: str | None = None,
        fault: str | None = None,
    ) -> None:
        with self._lock:
            self._requests += 1
            self._operations.update(operations)
            if fault is not None:
                self._faults[fault] += 1
            self._log.append(CallRecord(self._requests, listener, path, operations, tenant, fault))

    @property
    def requests(self) -> int:
        """HTTP requests received (admin endpoints excluded)."""
        with self._lock:
            return self._requests

    @property
    def total(self) -> int:
        """Functions/operations executed or attempted, summed over all names."""
        with self._lock:
            return sum(self._operations.values())

    def count(self, name: str) -> int:
        """How many times the function/operation ``name`` was called."""
        with self._lock:
            return self._operations[name]

    @property
    def by_name(self) -> dict[str, int]:
        with self._lock:
            return dict(self._operations)

    @property
    def faults(self) -> dict[str, int]:
        with self._lock:
            return dict(self._faults)

    @property
    def log(self) -> list[CallRecord]:
        with self._lock:
            return list(self._log)

    def reset(self) -> None:
        with self._lock:
            self._requests = 0
            self._operations.clear()
            self._faults.clear()
            self._log.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self._requests,
                "total": sum(self._operations.values()),
                "by_name": dict(self._operations),
                "faults": dict(self._faults),
            }
