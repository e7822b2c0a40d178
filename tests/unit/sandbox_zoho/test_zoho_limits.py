"""Limits: simultaneous calls per edition (429 TOO_MANY_REQUESTS beyond them, a sub-limit of 10 for heavy calls)
and API credits over a rolling 24 hours (1 per call, 1 per 10 upserted records). The server is threaded, so the
requests of a burst really are simultaneous."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import requests

from sandbox.zoho import ZohoSimConfig, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, error, ok
from tests.unit.sandbox_zoho.conftest import StartZoho


def _burst(
    sim: ZohoSimulator, call: Callable[[], requests.Response], count: int, held: int
) -> tuple[list[requests.Response], list[requests.Response]]:
    """``count`` calls at once with latency holding ``held`` slots: (refused at once, all answers)."""
    sim.latency = 30
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def run() -> None:
        response = call()
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while (sim.concurrency()["open"] < held or len(answers) < count - held) and time.monotonic() < deadline:
        time.sleep(0.01)
    with lock:
        refused = list(answers)
    sim.latency = 0
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        sim.wake()  # again and again: a call may enter its latency sleep just after a wake-up
        time.sleep(0.01)
    return refused, answers


@pytest.mark.parametrize(("edition", "limit"), [("free", 5), ("standard", 10)])
def test_simultaneous_calls_beyond_the_editions_limit_get_429(start_zoho: StartZoho, edition: str, limit: int) -> None:
    sim = start_zoho(config=ZohoSimConfig(edition=edition))
    api = Api(sim)
    api.login()
    refused, answers = _burst(sim, lambda: api.get("/org"), limit + 3, limit)
    assert len(refused) == 3
    for response in refused:
        body = error(response, 429, "TOO_MANY_REQUESTS")
        assert body["details"] == {}
    assert sum(response.status_code == 200 for response in answers) == limit
    assert sim.concurrency() == {"open": 0, "heavy": 0}
    ok(api.get("/org"))


def test_heavy_calls_share_a_sub_limit_of_ten(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(edition="ultimate"))
    api = Api(sim)
    api.login()
    refused, answers = _burst(sim, lambda: api.get("/Accounts/search", {"criteria": "(Account_Name:equals:x)"}), 12, 10)
    assert [response.status_code for response in refused] == [429, 429]
    assert sum(response.status_code == 204 for response in answers) == 10


def test_calls_without_the_orgs_token_are_not_gated(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(concurrency_limit=1))
    api = Api(sim)
    api.login()
    stranger = Api(sim, token="1000.nobody.nobody")
    sim.latency = 30
    held = threading.Thread(target=api.get, args=("/org",))
    held.start()
    deadline = time.monotonic() + 10
    while sim.concurrency()["open"] < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert requests.get(sim.base_url + "/_sandbox/concurrency", timeout=5).json() == {"open": 1, "heavy": 0}
    error(api.get("/org"), 429, "TOO_MANY_REQUESTS")
    sim.latency = 0
    error(stranger.get("/org"), 401, "INVALID_TOKEN")
    while held.is_alive() and time.monotonic() < deadline:
        sim.wake()
        time.sleep(0.01)


def test_credits_one_per_call_and_one_per_ten_upserted_records(api: Api, sim: ZohoSimulator) -> None:
    allowance = sim.config.credit_allowance
    assert allowance == 50_000 + 500 * 3  # Professional, three user licences
    ok(api.get("/org"))
    assert sim.credits_left() == allowance - 1
    rows = [{"Account_Name": f"A{index}"} for index in range(25)]
    ok(api.upsert("Accounts", rows))
    assert sim.credits_left() == allowance - 1 - 3
    error(api.get("/Widgets", {"fields": "x"}), 400, "INVALID_MODULE")  # refused as a whole: not charged
    error(api.get("/org", headers={}), 401, "AUTHENTICATION_FAILURE")
    assert sim.credits_left() == allowance - 4
    assert requests.get(sim.base_url + "/_sandbox/credits", timeout=5).json() == {
        "allowance": allowance,
        "used": 4,
        "remaining": allowance - 4,
    }


def test_exhausted_credits_answer_429_until_the_window_rolls(api: Api, sim: ZohoSimulator) -> None:
    sim.set_credits_left(2)
    ok(api.get("/org"))
    ok(api.get("/org"))
    refused = api.get("/org")
    body = error(refused, 429, "TOO_MANY_REQUESTS")
    assert "credits" in body["message"].lower()
    assert refused.headers["X-API-CREDITS-REMAINING"] == "0"
    error(api.upsert("Accounts", [{"Account_Name": "A"}]), 429, "TOO_MANY_REQUESTS")
    assert sim.counts()["Accounts"] == 0
    sim.clock.advance(24 * 3600)
    api.login()
    ok(api.get("/org"))


def test_an_upsert_that_would_overdraw_is_refused_whole(api: Api, sim: ZohoSimulator) -> None:
    sim.set_credits_left(2)
    error(api.upsert("Accounts", [{"Account_Name": f"A{index}"} for index in range(25)]), 429, "TOO_MANY_REQUESTS")
    assert sim.counts()["Accounts"] == 0
    assert sim.credits_left() == 2


def test_the_exhausted_answer_and_the_allowance_are_configurable(start_zoho: StartZoho) -> None:
    config = ZohoSimConfig(credits_per_day=3, credits_exhausted_status=400, credits_exhausted_code="LIMIT_REACHED")
    sim = start_zoho(config=config)
    api = Api(sim)
    api.login()
    for _ in range(3):
        ok(api.get("/org"))
    error(api.get("/org"), 400, "LIMIT_REACHED")


def test_the_remaining_credits_header_from_half_the_allowance(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(credits_per_day=4))
    api = Api(sim)
    api.login()
    assert "X-API-CREDITS-REMAINING" not in ok_response(api)
    assert ok_response(api)["X-API-CREDITS-REMAINING"] == "2"
    assert ok_response(api)["X-API-CREDITS-REMAINING"] == "1"


def ok_response(api: Api) -> requests.structures.CaseInsensitiveDict[str]:
    response = api.get("/org")
    ok(response)
    return response.headers


def test_credits_per_edition(sim: ZohoSimulator) -> None:
    expected = {"free": 5_000, "standard": 50_750, "professional": 51_500, "enterprise": 53_000, "ultimate": 56_000}
    for edition, credits in expected.items():
        sim.set_edition(edition)
        assert sim.config.credit_allowance == credits
    sim.config.user_licenses = 10_000
    assert sim.config.credit_allowance == 50_000 + 2_000 * 10_000  # Ultimate: no cap
    sim.set_edition("standard")
    assert sim.config.credit_allowance == 100_000
