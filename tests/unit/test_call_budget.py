"""The shared call budget (with Marketo's limits: 100 calls per sliding 20 s, 10 in flight), pauses, the deadline,
and the concurrency-only budget (Mailchimp's 10 connections)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from mlconnector.call_budget import CallBudget
from mlconnector.http import DeadlineExceeded
from tests.conftest import FakeClock
from tests.unit.marketo.marketo_fakes import SleepRecorder


def budget(clock: FakeClock, **kwargs: int | float) -> tuple[CallBudget, SleepRecorder]:
    sleep = SleepRecorder(clock)
    limits: dict[str, Any] = {"max_calls": 100, "window_seconds": 20.0, **kwargs}  # Marketo's
    return CallBudget(clock=clock, sleep=sleep, **limits), sleep


def spend(b: CallBudget, calls: int, clock: FakeClock | None = None, step: float = 0.0) -> None:
    for _ in range(calls):
        with b.slot():
            pass
        if clock is not None:
            clock.advance(step)


def test_hundred_calls_pass_then_the_next_waits_for_the_window(clock: FakeClock) -> None:
    b, sleep = budget(clock)
    spend(b, 100)
    assert sleep.waits == []
    assert b.calls_in_window() == 100
    spend(b, 1)
    assert sleep.waits == [20.0]
    assert b.waited == 20.0


def test_the_window_slides(clock: FakeClock) -> None:
    b, sleep = budget(clock)
    spend(b, 100, clock, step=0.1)  # calls at t = 0.0 .. 9.9, clock now at 10.0
    spend(b, 1)
    assert sleep.waits == [pytest.approx(10.0)]  # until the call at t=0 leaves the window at t=20
    spend(b, 1)
    assert sleep.waits[1:] == [pytest.approx(0.1)]  # the call at t=0.1 leaves at t=20.1


def test_limits_are_configurable(clock: FakeClock) -> None:
    b, sleep = budget(clock, max_calls=50, window_seconds=20.0)
    spend(b, 51)
    assert sleep.waits == [20.0]


def test_a_wait_past_the_deadline_raises_instead_of_sleeping(clock: FakeClock) -> None:
    b, sleep = budget(clock)
    spend(b, 100)
    with pytest.raises(DeadlineExceeded):
        b.acquire(deadline=lambda: 19.0)
    assert sleep.waits == []
    assert b.in_flight == 0
    b.acquire(deadline=lambda: 25.0)
    assert sleep.waits == [20.0]


def test_pause_holds_every_caller_back(clock: FakeClock) -> None:
    b, sleep = budget(clock)
    b.pause(20.0)
    spend(b, 1)
    assert sleep.waits == [20.0]
    spend(b, 1)
    assert sleep.waits == [20.0]  # the pause is over


def test_at_most_ten_in_flight_and_a_release_lets_the_next_one_in(clock: FakeClock) -> None:
    b, _ = budget(clock)
    for _ in range(10):
        b.acquire()
    assert b.in_flight == 10
    entered = threading.Event()

    def eleventh() -> None:
        with b.slot():
            entered.set()

    worker = threading.Thread(target=eleventh)
    worker.start()
    try:
        assert not entered.wait(0.05)  # blocked while ten are in flight
        b.release()
        assert entered.wait(5)
    finally:
        worker.join(5)
    assert not worker.is_alive()
    assert b.in_flight == 9


def test_a_full_house_past_the_deadline_raises(clock: FakeClock) -> None:
    b, _ = budget(clock, max_concurrent=1)
    b.acquire()
    with pytest.raises(DeadlineExceeded):
        b.acquire(deadline=lambda: 0.0)
    assert b.in_flight == 1


def test_threads_never_exceed_the_concurrency_cap() -> None:
    b = CallBudget(max_calls=10_000, max_concurrent=3)
    lock = threading.Lock()
    active = 0
    peak = 0
    done = 0

    def worker() -> None:
        nonlocal active, peak, done
        for _ in range(20):
            with b.slot():
                with lock:
                    active += 1
                    peak = max(peak, active)
                threading.Event().wait(0.0005)
                with lock:
                    active -= 1
                    done += 1

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert done == 240
    assert 1 <= peak <= 3
    assert b.in_flight == 0


def test_release_without_acquire_is_a_bug() -> None:
    with pytest.raises(RuntimeError):
        CallBudget().release()


def test_invalid_limits() -> None:
    with pytest.raises(ValueError, match="max_calls"):
        CallBudget(max_calls=0)


def test_without_a_rate_window_only_concurrency_limits(clock: FakeClock) -> None:
    """max_calls=None (Mailchimp: 10 connections at once, no rate window): a thousand calls never wait."""
    sleep = SleepRecorder(clock)
    b = CallBudget(max_calls=None, max_concurrent=10, system="Mailchimp", clock=clock, sleep=sleep)
    spend(b, 1000)
    assert sleep.waits == []
    assert b.calls_in_window() == 0
    for _ in range(10):
        b.acquire()
    with pytest.raises(DeadlineExceeded, match="no Mailchimp call slot"):
        b.acquire(deadline=lambda: 0.0)
