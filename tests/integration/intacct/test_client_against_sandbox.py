"""The Intacct client against the sandbox simulator over loopback HTTP: sessions, paging, writes
and the retry matrix under injected faults."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.intacct import (
    DuplicateControlId,
    InMemorySessionCache,
    IntacctClient,
    IntacctCredentials,
    ResultError,
    UnknownOutcome,
    deterministic_controlid,
    max_timestamp,
    whenmodified_filter,
)
from mlconnector.systems.intacct.functions import Create
from sandbox.core.server import LoopbackServer
from sandbox.intacct import IntacctSimConfig, IntacctSimulator

pytestmark = pytest.mark.integration

SIZE = 25


@dataclass
class Harness:
    simulator: IntacctSimulator
    client: IntacctClient
    sleeps: list[float]


def _harness(config: IntacctSimConfig | None = None) -> Iterator[Harness]:
    simulator = IntacctSimulator(seed=11, size=SIZE, config=config)
    with LoopbackServer(simulator):
        credentials = IntacctCredentials.from_secret(
            simulator.credentials.as_dict(), allowed_sandbox_hosts=("127.0.0.1",)
        )
        sleeps: list[float] = []
        client = IntacctClient(
            credentials,
            InMemorySessionCache(),
            sleep=sleeps.append,  # waits are asserted, never slept
            http=HttpPolicy(connect_timeout=2, read_timeout=10, retry=RetryPolicy(base=0.01, cap=0.1)),
        )
        yield Harness(simulator, client, sleeps)


@pytest.fixture
def harness() -> Iterator[Harness]:
    """The simulator's default: getAPISession hands out the login URL (reference §3.3)."""
    yield from _harness()


@pytest.fixture
def switching_harness() -> Iterator[Harness]:
    """getAPISession hands out another endpoint (the second listener) and refuses the session elsewhere."""
    yield from _harness(IntacctSimConfig(session_endpoint_mode="session"))


def vendor_ids(harness: Harness) -> list[str]:
    pages = harness.client.query_pages("VENDOR", ["VENDORID"], pagesize=2000)
    return [r["VENDORID"] for page in pages for r in page.records]


def test_login_switches_to_the_session_endpoint(switching_harness: Harness) -> None:
    simulator = switching_harness.simulator
    endpoint = switching_harness.client.ping()
    assert endpoint == simulator.session_gateway_url == simulator.second_listener_url
    assert endpoint != simulator.gateway_url
    # The session is refused at the login URL, so these reads prove the client posts to the named endpoint.
    assert len(vendor_ids(switching_harness)) == SIZE
    listeners = [(call.listener, call.operations) for call in simulator.calls.log]
    assert listeners == [("login", ("getAPISession",)), ("session", ("query",))]


def test_session_on_the_login_url_by_default(harness: Harness) -> None:
    assert harness.client.ping() == harness.simulator.gateway_url
    assert len(vendor_ids(harness)) == SIZE
    assert {call.listener for call in harness.simulator.calls.log} == {"login"}


def test_query_pages_read_every_vendor_once(harness: Harness) -> None:
    pages = list(harness.client.query_pages("VENDOR", ["RECORDNO", "VENDORID", "DISPLAYCONTACT.EMAIL1"], pagesize=10))
    records = [r for page in pages for r in page.records]
    assert [p.offset for p in pages] == [0, 10, 20]
    assert len(records) == SIZE
    assert len({r["VENDORID"] for r in records}) == SIZE
    assert [int(r["RECORDNO"]) for r in records] == sorted(int(r["RECORDNO"]) for r in records)
    # Related fields reach callers under their dotted names (one shape, whatever the gateway sent).
    stored = {r["VENDORID"]: r["DISPLAYCONTACT.EMAIL1"] for r in harness.simulator.store.all("VENDOR")}
    assert {r["VENDORID"]: r["DISPLAYCONTACT.EMAIL1"] for r in records} == stored
    assert "DISPLAYCONTACT" not in records[0]


def test_read_by_query_pages_match_query_pages(harness: Harness) -> None:
    pages = list(harness.client.read_by_query_pages("VENDOR", ["RECORDNO", "VENDORID"], pagesize=7))
    assert sorted(r["VENDORID"] for p in pages for r in p.records) == sorted(vendor_ids(harness))
    assert pages[-1].numremaining == 0


def test_incremental_window_finds_an_edited_vendor(harness: Harness) -> None:
    pages = list(harness.client.query_pages("VENDOR", ["VENDORID", "WHENMODIFIED"]))
    cursor = max_timestamp([r for p in pages for r in p.records], None)
    edited = vendor_ids(harness)[3]
    harness.simulator.update_record("VENDOR", edited, {"NAME": "Renamed Ltd"})
    window = whenmodified_filter(cursor, overlap_seconds=0)
    changed = [r for p in harness.client.query_pages("VENDOR", ["VENDORID", "NAME"], window) for r in p.records]
    assert edited in {r["VENDORID"] for r in changed}
    assert next(r for r in changed if r["VENDORID"] == edited)["NAME"] == "Renamed Ltd"


def test_read_by_name_returns_the_requested_vendors(harness: Harness) -> None:
    ids = vendor_ids(harness)[:5]
    records = harness.client.read_by_name("VENDOR", ids, ["VENDORID", "NAME"])
    assert sorted(r["VENDORID"] for r in records) == sorted(ids)


def test_create_then_replay_is_refused_as_a_duplicate(harness: Harness) -> None:
    controlid = deterministic_controlid("it", "vendor", "VNEW1", "create")
    record = {"VENDORID": "VNEW1", "NAME": "Acme & <Sons>\x01", "DISPLAYCONTACT": {"EMAIL1": "ap@acme.example"}}
    result = harness.client.create("VENDOR", [record], controlid)
    assert result.records[0]["VENDORID"] == "VNEW1"
    stored = harness.simulator.get_record("VENDOR", "VNEW1")
    assert stored is not None
    assert stored["NAME"] == "Acme & <Sons>"
    with pytest.raises(DuplicateControlId):
        harness.client.create("VENDOR", [record], controlid)


def test_one_bad_write_does_not_fail_the_others(harness: Harness) -> None:
    outcomes = harness.client.execute_writes(
        [
            Create("VENDOR", ({"VENDORID": "VOK1", "NAME": "Fine"},), controlid="it-ok-1"),
            Create("VENDOR", ({"NAME": "No id"},), controlid="it-bad-1"),
            Create("VENDOR", ({"VENDORID": "VOK2", "NAME": "Fine too"},), controlid="it-ok-2"),
        ]
    )
    assert [o.ok for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, ResultError)
    assert harness.simulator.get_record("VENDOR", "VOK2") is not None


def test_expired_session_is_renewed_once(harness: Harness) -> None:
    vendor_ids(harness)
    before = harness.client.calls
    harness.simulator.expire_sessions()
    assert len(vendor_ids(harness)) == SIZE
    assert harness.client.calls - before == 3  # refused, login, replay


@pytest.mark.parametrize("kind", ["status_after_commit", "drop_after", "malformed"])
def test_lost_write_responses_are_unknown_outcomes_resolved_by_read_back(harness: Harness, kind: str) -> None:
    harness.simulator.faults.add(kind, match="write")
    controlid = deterministic_controlid("it", "vendor", "VLOST", kind)
    with pytest.raises(UnknownOutcome):
        harness.client.create("VENDOR", [{"VENDORID": "VLOST", "NAME": "Lost"}], controlid)
    assert harness.client.read_by_name("VENDOR", ["VLOST"], ["VENDORID"]) == [{"VENDORID": "VLOST"}]
    with pytest.raises(DuplicateControlId):
        harness.client.create("VENDOR", [{"VENDORID": "VLOST", "NAME": "Lost"}], controlid)


@pytest.mark.parametrize(
    ("kind", "expected_wait"),
    [("rate_limit", 5.0), ("offline", 30.0), ("try_again_later", 30.0), ("cloudflare", None), ("malformed", None)],
)
def test_read_faults_are_retried(harness: Harness, kind: str, expected_wait: float | None) -> None:
    harness.simulator.faults.add(kind, match="query")
    assert len(vendor_ids(harness)) == SIZE
    assert len(harness.sleeps) == 1
    if expected_wait is not None:
        assert harness.sleeps[0] == expected_wait
