"""The shared sandbox framework, exercised through a tiny JSON simulator over real HTTP."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest
import requests

from sandbox.core import (
    Credentials,
    FaultPlan,
    FaultRule,
    LoopbackServer,
    RequestInfo,
    SimClock,
    SimRequest,
    SimResponse,
    Simulator,
)


class EchoSimulator(Simulator):
    """Counts what it really processed; answers JSON naming the listener and operation."""

    name: ClassVar[str] = "echo"
    listener_names: ClassVar[tuple[str, ...]] = ("front", "back")

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.processed = 0

    def describe(self, request: SimRequest) -> RequestInfo:
        op = request.path.strip("/").split("/")[-1]
        return RequestInfo(operations=(op,), write=request.method == "POST")

    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        self.processed += 1
        return SimResponse.json({"listener": request.listener, "op": info.operations[0], "n": self.processed})


@pytest.fixture
def echo() -> Iterator[tuple[EchoSimulator, LoopbackServer]]:
    sim = EchoSimulator(seed=3)
    with LoopbackServer(sim) as server:
        yield sim, server


def test_serves_each_listener_on_its_own_loopback_port(echo: tuple[EchoSimulator, LoopbackServer]) -> None:
    sim, server = echo
    front, back = server.urls["front"], server.urls["back"]
    assert front != back
    assert front.startswith("http://127.0.0.1:")
    assert back.startswith("http://127.0.0.1:")
    assert server.url == front == sim.url
    assert requests.get(front + "/x/ping", timeout=5).json()["listener"] == "front"
    assert requests.get(back + "/x/ping", timeout=5).json()["listener"] == "back"


def test_stop_closes_listeners_and_keep_alive_connections() -> None:
    sim = EchoSimulator()
    server = LoopbackServer(sim).start()
    url = server.url
    http = requests.Session()
    assert http.get(url + "/a", timeout=5).status_code == 200  # leaves a keep-alive connection open
    server.stop()
    assert not server.running
    port = int(url.rsplit(":", 1)[1])
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    http.close()


def test_unknown_listener_port_is_refused() -> None:
    with pytest.raises(ValueError, match="no listener"):
        LoopbackServer(EchoSimulator(), ports={"nope": 0})


def test_admin_endpoints_read_and_change_state(echo: tuple[EchoSimulator, LoopbackServer]) -> None:
    sim, server = echo
    base = server.url + "/_sandbox"
    requests.get(server.url + "/x/one", timeout=5)
    requests.post(server.url + "/x/two", timeout=5)
    calls = requests.get(base + "/calls", timeout=5).json()
    assert calls["requests"] == 2
    assert calls["by_name"] == {"one": 1, "two": 1}
    assert requests.get(base + "/health", timeout=5).json()["simulator"] == "echo"

    added = requests.post(base + "/faults", json={"kind": "status", "status": 502, "match": "two"}, timeout=5)
    assert added.status_code == 201
    assert requests.post(server.url + "/x/two", timeout=5).status_code == 502
    assert requests.get(base + "/faults", timeout=5).json()["rules"][0]["fired"] == 1
    assert requests.post(base + "/faults", json={"kind": "nonsense"}, timeout=5).status_code == 400
    assert requests.post(base + "/faults", json={"kind": "status", "bogus": 1}, timeout=5).status_code == 400

    before = sim.clock.now()
    moved = requests.post(base + "/clock/advance", json={"seconds": 3600}, timeout=5).json()
    assert datetime.fromisoformat(moved["now"]) - before >= timedelta(seconds=3600)
    assert requests.post(base + "/latency", json={"seconds": 0.01}, timeout=5).json() == {"seconds": 0.01}
    assert sim.latency == 0.01
    assert requests.post(base + "/calls/reset", timeout=5).json()["requests"] == 0
    assert sim.calls.requests == 0
    assert requests.delete(base + "/faults", timeout=5).json() == {"rules": []}
    assert requests.get(base + "/nowhere", timeout=5).status_code == 404


def test_status_faults_answer_without_processing(echo: tuple[EchoSimulator, LoopbackServer]) -> None:
    sim, server = echo
    sim.faults.add("status", status=503, times=1)
    sim.faults.add("cloudflare", times=1)
    sim.faults.add("status", status=429, body="API rate limit exceeded", content_type="text/plain",
                   headers={"Retry-After": "7"})  # fmt: skip
    first = requests.get(server.url + "/x/a", timeout=5)
    second = requests.get(server.url + "/x/a", timeout=5)
    third = requests.get(server.url + "/x/a", timeout=5)
    assert first.status_code == 503
    assert "<html" in first.text.lower()
    assert second.status_code == 502
    assert "cf-error-details" in second.text
    assert third.status_code == 429
    assert third.text == "API rate limit exceeded"
    assert third.headers["Retry-After"] == "7"
    assert sim.processed == 0
    assert requests.get(server.url + "/x/a", timeout=5).status_code == 200
    assert sim.calls.faults == {"status": 2, "cloudflare": 1}


def test_status_after_commit_processes_then_fails(echo: tuple[EchoSimulator, LoopbackServer]) -> None:
    sim, server = echo
    sim.faults.add("status_after_commit")
    response = requests.post(server.url + "/x/write", timeout=5)
    assert response.status_code == 524
    assert "cf-error-details" in response.text
    assert sim.processed == 1


@pytest.mark.parametrize(("kind", "processed"), [("drop_before", 0), ("drop_after", 1)])
def test_dropped_connections(echo: tuple[EchoSimulator, LoopbackServer], kind: str, processed: int) -> None:
    sim, server = echo
    sim.faults.add(kind)
    with pytest.raises(requests.ConnectionError):
        requests.post(server.url + "/x/write", timeout=5)
    assert sim.processed == processed
    assert requests.post(server.url + "/x/write", timeout=5).status_code == 200


def test_truncated_and_malformed_bodies(echo: tuple[EchoSimulator, LoopbackServer]) -> None:
    sim, server = echo
    sim.faults.add("truncate")
    sim.faults.add("malformed")
    truncated = requests.get(server.url + "/x/a", timeout=5).text
    malformed = requests.get(server.url + "/x/a", timeout=5).text
    whole = requests.get(server.url + "/x/a", timeout=5).text
    assert whole.startswith(truncated[:5])
    assert len(truncated) < len(whole)
    for body in (truncated, malformed):
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
    assert sim.processed == 3


def test_delay_outlasts_a_client_timeout(echo: tuple[EchoSimulator, LoopbackServer]) -> None:
    sim, server = echo
    sim.faults.add("delay", seconds=5)
    with pytest.raises(requests.ReadTimeout):
        requests.get(server.url + "/x/slow", timeout=0.2)
    assert requests.get(server.url + "/x/fast", timeout=5).status_code == 200


def test_rules_match_on_operation_write_path_and_predicate() -> None:
    plan = FaultPlan(seed=1)
    write = plan.add("status", match="write", times=None)
    named = plan.add("status", match="query", path="/api/*", times=1)
    picky = plan.add("status", predicate=lambda info: info.tenant == "ACME", times=None)
    read_info = RequestInfo(operations=("query",), write=False)
    assert plan.pick("/api/v1", RequestInfo(operations=("create",), write=True)) is write
    assert plan.pick("/other", read_info) is None
    assert plan.pick("/api/v1", read_info) is named
    assert plan.pick("/api/v1", read_info) is None  # times exhausted
    assert plan.pick("/x", RequestInfo(tenant="ACME")) is picky


def test_skip_lets_requests_through_first() -> None:
    plan = FaultPlan()
    rule = plan.add("drop_before", skip=2, times=1)
    fired = [plan.pick("/p", RequestInfo()) is rule for _ in range(4)]
    assert fired == [False, False, True, False]


def test_probability_is_reproducible_from_the_seed() -> None:
    def pattern(seed: int) -> list[bool]:
        plan = FaultPlan(seed=seed)
        plan.add("status", probability=0.3, times=None)
        return [plan.pick("/p", RequestInfo()) is not None for _ in range(200)]

    assert pattern(5) == pattern(5)
    assert pattern(5) != pattern(6)
    assert 20 < sum(pattern(5)) < 100


def test_fault_rule_json_round_trip_and_validation() -> None:
    rule = FaultRule(kind="status", status=504, match="query", times=3, headers={"Retry-After": "2"})
    again = FaultRule.from_json({k: v for k, v in rule.to_json().items() if k not in ("id", "fired", "has_predicate")})
    assert again == rule
    with pytest.raises(ValueError, match="unknown fault rule keys"):
        FaultRule.from_json({"kind": "status", "sttaus": 500})
    with pytest.raises(ValueError, match="probability"):
        FaultRule(kind="status", probability=1.5)
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultPlan().add("explode")


def test_clock_advances_and_can_be_frozen() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    clock = SimClock(start, frozen=True)
    assert clock.now() == start
    assert clock.advance(90) == start + timedelta(seconds=90)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="aware"):
        SimClock(datetime(2025, 1, 1))


def test_credentials_repr_hides_secrets() -> None:
    creds = Credentials({"user": "u1"}, {"password": "hunter2-secret"})
    assert "hunter2-secret" not in repr(creds)
    assert "password=***" in repr(creds)
    assert creds.as_dict() == {"user": "u1", "password": "hunter2-secret"}
