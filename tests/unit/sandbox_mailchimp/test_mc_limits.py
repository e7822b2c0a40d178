"""The concurrency gate: more than 10 requests of one account in flight -> 429 problem+json, or the body-less 429
or 403 of Mailchimp's edge. The server is threaded, so the requests really are simultaneous."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator
from tests.unit.sandbox_mailchimp.api import Api, ok, problem
from tests.unit.sandbox_mailchimp.conftest import StartMailchimp


def _burst(sim: MailchimpSimulator, api: Api, count: int) -> tuple[list[requests.Response], list[requests.Response]]:
    """``count`` pings at once with latency holding every slot: (refused at once, all answers)."""
    sim.latency = 30
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def call() -> None:
        response = api.get("/ping")
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    limit = sim.config.max_connections
    while (sim.connections.count() < limit or len(answers) < count - limit) and time.monotonic() < deadline:
        time.sleep(0.01)
    with lock:
        refused = list(answers)
    sim.latency = 0
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        sim.wake()  # again and again: a call may enter its latency sleep just after a wake-up
        time.sleep(0.01)
    return refused, answers


def test_429_beyond_10_simultaneous_connections(sim: MailchimpSimulator, api: Api) -> None:
    refused, answers = _burst(sim, api, 14)
    assert len(refused) == 4
    for response in refused:
        body = problem(response, 429, "Too Many Requests")
        assert body["detail"] == "You have exceeded the limit of 10 simultaneous connections."
    assert sum(response.status_code == 200 for response in answers) == 10
    assert sim.connections.count() == 0
    ok(api.get("/ping"))  # the slots are free again


@pytest.mark.parametrize(("style", "status"), [("empty_429", 429), ("empty_403", 403)])
def test_the_refusal_can_come_without_a_body(start_mailchimp: StartMailchimp, style: str, status: int) -> None:
    sim = start_mailchimp(config=MailchimpSimConfig(max_connections=2, throttle_style=style))  # type: ignore[arg-type]
    refused, _answers = _burst(sim, Api(sim), 4)
    assert [response.status_code for response in refused] == [status, status]
    assert all(response.content == b"" for response in refused)
    assert all("Content-Type" not in response.headers for response in refused)


def test_the_gate_counts_per_account_and_skips_bad_credentials(start_mailchimp: StartMailchimp) -> None:
    sim = start_mailchimp(config=MailchimpSimConfig(max_connections=1))
    api = Api(sim)
    stranger = Api(sim, headers={"Authorization": "Bearer nobody"})
    sim.latency = 30
    held = threading.Thread(target=api.get, args=("/ping",))
    held.start()
    deadline = time.monotonic() + 10
    while sim.connections.count() < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert requests.get(sim.base_url + "/_sandbox/connections", timeout=5).json() == {"open": 1}
    problem(api.get("/ping"), 429, "Too Many Requests")
    sim.latency = 0
    problem(stranger.get("/ping"), 401, "API Key Invalid")  # not the account's: not gated
    while held.is_alive() and time.monotonic() < deadline:
        sim.wake()
        time.sleep(0.01)
    ok(api.get("/ping"))
