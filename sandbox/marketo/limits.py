"""Instance-wide limits (reference §5): a sliding 20 s window (606), a daily quota that resets at
midnight in the quota zone (607), and the number of calls in flight (615)."""

from __future__ import annotations

import threading
from collections import deque
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sandbox.marketo.codes import Problem, api_error, rate_limited
from sandbox.marketo.config import MarketoSimConfig


class CallBudget:
    """Counts the calls that reach the API; a refused call (606/607) is not counted itself."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamps: deque[float] = deque()
        self._day: date | None = None
        self._used_today = 0

    def charge(self, now: datetime, config: MarketoSimConfig) -> Problem | None:
        moment, today = now.timestamp(), _quota_day(now, config)
        with self._lock:
            self._prune(moment, config.rate_limit_window_s)
            if len(self._stamps) >= config.rate_limit_calls:
                return rate_limited(config.rate_limit_calls, config.rate_limit_window_s)
            if self._day != today:
                self._day, self._used_today = today, 0
            if self._used_today >= config.daily_quota:
                return api_error("607")
            self._stamps.append(moment)
            self._used_today += 1
            return None

    def in_window(self, now: datetime, config: MarketoSimConfig) -> int:
        with self._lock:
            self._prune(now.timestamp(), config.rate_limit_window_s)
            return len(self._stamps)

    def used_today(self, now: datetime, config: MarketoSimConfig) -> int:
        with self._lock:
            return self._used_today if self._day == _quota_day(now, config) else 0

    def reset(self) -> None:
        with self._lock:
            self._stamps.clear()
            self._day, self._used_today = None, 0

    def _prune(self, moment: float, window_s: float) -> None:
        while self._stamps and self._stamps[0] <= moment - window_s:
            self._stamps.popleft()


def _quota_day(now: datetime, config: MarketoSimConfig) -> date:
    return now.astimezone(ZoneInfo(config.quota_timezone)).date()


class InFlight:
    """Calls executing right now (including the configured latency)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def enter(self, limit: int) -> bool:
        with self._lock:
            if self._count >= limit:
                return False
            self._count += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._count -= 1

    @property
    def count(self) -> int:
        with self._lock:
            return self._count
