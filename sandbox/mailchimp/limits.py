"""Simultaneous connections per account (10 by default): the request beyond the limit is refused with 429 (or,
as Mailchimp's edge does at very high volume, a body-less 429/403)."""

from __future__ import annotations

import threading
from collections import Counter


class Connections:
    """Requests in progress per account, configured latency included."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: Counter[str] = Counter()

    def enter(self, account: str, limit: int) -> bool:
        with self._lock:
            if self._open[account] >= limit:
                return False
            self._open[account] += 1
            return True

    def leave(self, account: str) -> None:
        with self._lock:
            self._open[account] -= 1
            if self._open[account] <= 0:
                del self._open[account]

    def count(self, account: str | None = None) -> int:
        with self._lock:
            return self._open[account] if account is not None else sum(self._open.values())
