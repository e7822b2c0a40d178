"""Per-minute request budgets on the simulator clock (reference §3): the account's, and the incremental exports' own
10 a minute. Fixed 60 s windows; a refused request does not count."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from sandbox.core.clock import SimClock

WINDOW_S = 60


@dataclass(frozen=True)
class Budget:
    allowed: bool
    limit: int
    remaining: int
    reset_s: int  # seconds until the window starts over (Retry-After when refused)


class RateLimiter:
    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}  # bucket -> (window start, calls in it)

    def take(self, bucket: str, limit: int) -> Budget:
        now = self._clock.now().timestamp()
        start = int(now // WINDOW_S) * WINDOW_S
        reset = max(1, math.ceil(start + WINDOW_S - now))
        with self._lock:
            window, used = self._windows.get(bucket, (start, 0))
            if window != start:
                used = 0
            if used >= limit:
                return Budget(False, limit, 0, reset)
            self._windows[bucket] = (start, used + 1)
            return Budget(True, limit, limit - used - 1, reset)

    def used(self, bucket: str) -> int:
        now = self._clock.now().timestamp()
        start = int(now // WINDOW_S) * WINDOW_S
        with self._lock:
            window, used = self._windows.get(bucket, (start, 0))
            return used if window == start else 0

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
