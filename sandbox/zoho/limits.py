"""Simultaneous calls per org: the edition's concurrency limit for every call, and a sub-limit (10) for the heavy
ones (search, upsert of more than 10 records, sorted reads). The call beyond either is refused with 429
TOO_MANY_REQUESTS; the slot is held for the whole call, configured latency included."""

from __future__ import annotations

import threading


class ConcurrencyGate:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self._heavy = 0

    def enter(self, limit: int, heavy: bool, heavy_limit: int) -> bool:
        with self._lock:
            if self._open >= limit or (heavy and self._heavy >= heavy_limit):
                return False
            self._open += 1
            self._heavy += int(heavy)
            return True

    def leave(self, heavy: bool) -> None:
        with self._lock:
            self._open -= 1
            self._heavy -= int(heavy)

    def count(self) -> dict[str, int]:
        with self._lock:
            return {"open": self._open, "heavy": self._heavy}
