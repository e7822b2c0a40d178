"""The per-company limit on in-flight requests (HTTP 429 GW-0010 when exceeded), and what was seen of it: the most
requests of a company in flight at once and how many were refused (tests of the client's own limit read these)."""

from __future__ import annotations

import threading
from collections import Counter


class CompanyGate:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()
        self._peak: Counter[str] = Counter()
        self._refused: Counter[str] = Counter()

    def enter(self, company: str, limit: int | None) -> bool:
        """Take a slot; False when ``limit`` requests of this company are already running (None: no limit).
        A refused request still counts towards the peak: it arrived while the others were in flight."""
        with self._lock:
            arriving = self._in_flight[company] + 1
            self._peak[company] = max(self._peak[company], arriving)
            if limit is not None and arriving > limit:
                self._refused[company] += 1
                return False
            self._in_flight[company] = arriving
            return True

    def leave(self, company: str) -> None:
        with self._lock:
            self._in_flight[company] -= 1
            if self._in_flight[company] <= 0:
                del self._in_flight[company]

    def in_flight(self, company: str) -> int:
        with self._lock:
            return self._in_flight[company]

    def peak(self, company: str) -> int:
        """The most requests of the company that were in flight at once, a refused one included."""
        with self._lock:
            return self._peak[company]

    def refused(self, company: str) -> int:
        """Requests of the company refused for being over the limit."""
        with self._lock:
            return self._refused[company]

    def reset_peak(self) -> None:
        with self._lock:
            self._peak.clear()
            self._refused.clear()
