"""The per-company limit on in-flight requests (HTTP 429 GW-0010 when exceeded)."""

from __future__ import annotations

import threading
from collections import Counter


class CompanyGate:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()

    def enter(self, company: str, limit: int | None) -> bool:
        """Take a slot; False when ``limit`` requests of this company are already running."""
        with self._lock:
            if limit is not None and self._in_flight[company] >= limit:
                return False
            self._in_flight[company] += 1
            return True

    def leave(self, company: str) -> None:
        with self._lock:
            self._in_flight[company] -= 1
            if self._in_flight[company] <= 0:
                del self._in_flight[company]

    def in_flight(self, company: str) -> int:
        with self._lock:
            return self._in_flight[company]
