"""A controllable clock: tests advance it instead of sleeping (sessions expire, WHENMODIFIED moves)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SimClock:
    """Simulated time = ``start`` + real time elapsed since creation (unless frozen) + manual advances."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        frozen: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        base = start if start is not None else datetime.now(UTC)
        if base.tzinfo is None:
            raise ValueError("SimClock start must be timezone-aware")
        self._start = base.astimezone(UTC)
        self._frozen = frozen
        self._monotonic = monotonic
        self._origin = monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The simulated current time, timezone-aware UTC."""
        with self._lock:
            elapsed = 0.0 if self._frozen else self._monotonic() - self._origin
            return self._start + timedelta(seconds=elapsed + self._offset)

    def advance(self, seconds: float) -> datetime:
        """Move simulated time forward (never backward) and return the new now."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    @property
    def frozen(self) -> bool:
        return self._frozen
