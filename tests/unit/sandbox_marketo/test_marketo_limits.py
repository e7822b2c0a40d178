"""Instance limits on the simulator clock: 100 calls per sliding 20 s (606), 10 in flight (615),
the daily quota that resets at midnight US Central (607)."""

from __future__ import annotations

import threading
import time

import requests

from sandbox.marketo import MarketoSimConfig, MarketoSimulator
from tests.unit.sandbox_marketo.api import Api, envelope, error_codes
from tests.unit.sandbox_marketo.conftest import StartMarketo

DESCRIBE = "/rest/v1/leads/describe.json"


def test_606_after_100_calls_in_20_seconds_then_recovery(api: Api, sim: MarketoSimulator) -> None:
    for _ in range(60):
        api.ok(api.get(DESCRIBE))
    sim.clock.advance(10)
    for _ in range(40):
        api.ok(api.get(DESCRIBE))
    refused = api.get(DESCRIBE)
    assert error_codes(refused) == ["606"]
    assert refused.json()["errors"][0]["message"] == "Max rate limit '100' exceeded with in '20' secs"
    assert sim.usage()["window"] == 100  # the refused call is not counted
    sim.clock.advance(10)  # the first 60 calls leave the window
    api.ok(api.get(DESCRIBE))
    assert sim.usage() == {"window": 41, "today": 101, "in_flight": 0}


def test_615_beyond_10_calls_in_flight(start_marketo: StartMarketo) -> None:
    sim = start_marketo()
    api = Api(sim)
    api.login()
    sim.latency = 30  # calls hold their slot until woken below
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def call() -> None:
        response = api.get(DESCRIBE)
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=call) for _ in range(15)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while (sim.in_flight.count < 10 or len(answers) < 5) and time.monotonic() < deadline:
        time.sleep(0.01)
    with lock:
        refused = list(answers)
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        sim.wake()  # again and again: a call may enter its latency sleep just after a wake-up
        time.sleep(0.01)
    assert [error_codes(r) for r in refused] == [["615"]] * 5
    assert refused[0].json()["errors"][0]["message"] == "Concurrent access limit '10' reached"
    assert sum(envelope(r)["success"] for r in answers) == 10
    assert sim.in_flight.count == 0
    sim.latency = 0
    api.ok(api.get(DESCRIBE))


def test_607_daily_quota_resets_at_midnight_us_central(start_marketo: StartMarketo) -> None:
    sim = start_marketo(config=MarketoSimConfig(daily_quota=3))
    api = Api(sim)
    api.login()
    for _ in range(3):
        api.ok(api.get(DESCRIBE))
    assert error_codes(api.get(DESCRIBE)) == ["607"]
    sim.clock.advance(13 * 3600)  # 01:00 UTC the next day, still 20:00 in Chicago
    api.login()
    assert error_codes(api.get(DESCRIBE)) == ["607"]
    sim.clock.advance(5 * 3600)  # 01:00 in Chicago
    api.login()
    api.ok(api.get(DESCRIBE))
    assert sim.usage()["today"] == 1
