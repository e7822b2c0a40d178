"""API credits over a rolling 24 hours on the simulator clock: credits spent at T come back at T + 24 h. Most calls
cost 1; an upsert 1 per 10 records. A call that would overdraw the allowance is refused before it runs."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from sandbox.core.clock import SimClock

WINDOW = timedelta(hours=24)


class CreditLedger:
    def __init__(self, clock: SimClock, allowance: Callable[[], int | None]) -> None:
        self._clock = clock
        self._allowance = allowance
        self._lock = threading.Lock()
        self._spent: deque[tuple[datetime, int]] = deque()

    def _prune(self, now: datetime) -> None:
        while self._spent and self._spent[0][0] <= now - WINDOW:
            self._spent.popleft()

    def used(self) -> int:
        with self._lock:
            self._prune(self._clock.now())
            return sum(cost for _, cost in self._spent)

    def remaining(self) -> int | None:
        """Credits left in the window (None: unlimited)."""
        allowance = self._allowance()
        return None if allowance is None else max(0, allowance - self.used())

    def try_spend(self, cost: int) -> bool:
        """Spend ``cost`` credits now, unless that overdraws the allowance."""
        allowance = self._allowance()
        now = self._clock.now()
        with self._lock:
            self._prune(now)
            if allowance is not None and sum(c for _, c in self._spent) + cost > allowance:
                return False
            self._spent.append((now, cost))
            return True

    def refund(self, cost: int) -> None:
        """Give back the credits of the latest spend (a call that failed as a whole)."""
        with self._lock:
            for index in range(len(self._spent) - 1, -1, -1):
                if self._spent[index][1] == cost:
                    del self._spent[index]
                    return

    def set_remaining(self, credits: int) -> None:
        """Leave exactly ``credits`` in the window (a spend of the difference, now, that returns in 24 h)."""
        allowance = self._allowance()
        if allowance is None:
            raise ValueError("the allowance is unlimited; set credits_per_day first")
        with self._lock:
            self._spent.clear()
            if allowance - credits > 0:
                self._spent.append((self._clock.now(), allowance - credits))

    def reset(self) -> None:
        with self._lock:
            self._spent.clear()
