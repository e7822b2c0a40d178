"""The run's time budget, from the Lambda context: stop cleanly before the function is killed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class _LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


class TimeBudget:
    """`reserve_ms` is kept back for recording the last page and the run report."""

    def __init__(self, remaining_ms: Callable[[], int] | None = None, reserve_ms: int = 60_000) -> None:
        self._remaining_ms = remaining_ms
        self.reserve_ms = reserve_ms

    @classmethod
    def from_context(cls, context: Any, reserve_ms: int = 60_000) -> TimeBudget:
        getter = getattr(context, "get_remaining_time_in_millis", None)
        return cls(getter if callable(getter) else None, reserve_ms)

    @classmethod
    def unlimited(cls) -> TimeBudget:
        return cls(None)

    def exhausted(self) -> bool:
        return self._remaining_ms is not None and self._remaining_ms() <= self.reserve_ms

    def seconds_left(self) -> float | None:
        """Seconds usable for work (retries must not sleep past this), or None without a limit."""
        if self._remaining_ms is None:
            return None
        return max(0.0, (self._remaining_ms() - self.reserve_ms) / 1000)
