"""The client-side call budget every client that needs one shares: at most `max_concurrent` calls in flight and,
optionally, at most `max_calls` starts in any sliding `window_seconds`.

A vendor counts its limits per account or instance, across every stream of a run, so one `CallBudget` is shared by
every stream (and thread) of a run: the system's client factory builds one per client, and a connection builds one
client per system. Marketo: 100 calls / 20 s and 10 in flight. Mailchimp: 10 connections at once, no rate window
(`max_calls=None`). Clock and sleep are injectable; a wait that would cross the deadline raises `DeadlineExceeded`
instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mlconnector.http import Deadline, DeadlineExceeded, Sleep


class CallBudget:
    def __init__(
        self,
        max_calls: int | None = None,
        window_seconds: float = 20.0,
        max_concurrent: int = 10,
        *,
        system: str = "API",
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        """`max_calls=None`: concurrency only (no rate window). `system` names the vendor in messages."""
        if (max_calls is not None and max_calls < 1) or window_seconds <= 0 or max_concurrent < 1:
            raise ValueError("CallBudget needs max_calls >= 1 (or None), window_seconds > 0 and max_concurrent >= 1")
        self.max_calls = max_calls
        self.window_seconds = window_seconds
        self.max_concurrent = max_concurrent
        self.system = system
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._in_flight = 0
        self._paused_until = 0.0
        self._changed = threading.Condition()
        self.waited = 0.0
        """Seconds spent waiting for the rate window or a pause (for the run report and benchmarks)."""

    @contextmanager
    def slot(self, deadline: Deadline | None = None) -> Iterator[None]:
        """Hold one call's place: `with budget.slot(deadline): send()`."""
        self.acquire(deadline)
        try:
            yield
        finally:
            self.release()

    def acquire(self, deadline: Deadline | None = None) -> None:
        """Block until a call may start, then count it. Raises DeadlineExceeded rather than wait past the deadline."""
        while True:
            with self._changed:
                now = self._clock()
                wait = self._rate_wait(now)
                if wait <= 0 and self._in_flight < self.max_concurrent:
                    if self.max_calls is not None:
                        self._starts.append(now)
                    self._in_flight += 1
                    return
                left = deadline() if deadline is not None else None
                if wait <= 0:  # only concurrency is short: wait for a release, never past the deadline
                    if not self._changed.wait(timeout=None if left is None else max(0.0, left)):
                        raise DeadlineExceeded(f"no {self.system} call slot came free before the deadline")
                    continue
            if left is not None and wait > left:
                raise DeadlineExceeded(f"the {self.system} call budget frees up in {wait:.1f}s, after the deadline")
            self._sleep(wait)  # outside the lock: other threads may release meanwhile
            with self._changed:
                self.waited += wait

    def release(self) -> None:
        with self._changed:
            if self._in_flight <= 0:
                raise RuntimeError("CallBudget.release without a matching acquire")
            self._in_flight -= 1
            self._changed.notify()

    def pause(self, seconds: float) -> None:
        """The vendor said the account's limit is reached (Marketo's 606/429), perhaps through other integrations'
        calls: no call from this budget starts for `seconds`."""
        with self._changed:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def in_flight(self) -> int:
        with self._changed:
            return self._in_flight

    def calls_in_window(self) -> int:
        with self._changed:
            self._prune(self._clock())
            return len(self._starts)

    def _prune(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - self.window_seconds:
            self._starts.popleft()

    def _rate_wait(self, now: float) -> float:
        """Seconds until a call may start as far as the window and any pause go (0 = now)."""
        wait = self._paused_until - now
        if self.max_calls is not None:
            self._prune(now)
            if len(self._starts) >= self.max_calls:
                wait = max(wait, self._starts[len(self._starts) - self.max_calls] + self.window_seconds - now)
        return max(0.0, wait)
