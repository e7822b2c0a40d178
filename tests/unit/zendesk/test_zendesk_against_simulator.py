"""The client against the Zendesk simulator over real HTTP on loopback: containers refreshing the rotating pair at
once (exactly one refresh grant per expiry, none refused, every container ends with a working token), the pair in
the DynamoDB store, and a round trip (organizations by external id, create and update jobs, users, fields, the
incremental export to end_of_stream, tickets by id, ping's checks)."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.rotating_tokens import InMemoryTokenPairs, TokenPairStore
from mlconnector.state import ConnectionState
from mlconnector.state.token_pairs import TokenPairStore as DynamoPairs
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.credentials import ZendeskCredentials
from mlconnector.systems.zendesk.ping import run_checks
from sandbox.zendesk import ZendeskSimulator
from tests.conftest import FakeClock, Serve
from tests.unit.marketo.marketo_fakes import SleepRecorder
from tests.unit.zendesk.zendesk_fakes import race

SANDBOX = ("127.0.0.1",)


@pytest.fixture
def simulator(serve: Serve) -> ZendeskSimulator:
    simulator = ZendeskSimulator(seed=5, size=30)
    serve(simulator)
    return simulator


def connect(
    simulator: ZendeskSimulator, pairs: TokenPairStore, secret: dict[str, str] | None = None, **options: Any
) -> ZendeskClient:
    """A container's client. `secret`: what the connection's secret holds (the simulator's credentials name its latest
    refresh token; a deployed secret keeps the first one)."""
    secret = secret if secret is not None else simulator.credentials.as_dict()
    credentials = ZendeskCredentials.from_secret(secret, allowed_sandbox_hosts=SANDBOX)
    settings: dict[str, Any] = {
        "jitter": lambda: 0.0,
        "http": HttpPolicy(retry=RetryPolicy(base=0.01, cap=0.05, floor=0.0, max_attempts=6)),
        **options,
    }
    return ZendeskClient(credentials, pairs, **settings)


def test_containers_refreshing_at_once_keep_the_connection_alive(simulator: ZendeskSimulator) -> None:
    """Eight containers share one store; the first expiry is the empty store, the second the simulator expiring every
    access token (each container's own copy is refused): one grant each time, none refused."""
    secret_before = simulator.credentials.as_dict()["refresh_token"]
    pairs = InMemoryTokenPairs()
    secret = simulator.credentials.as_dict()
    clients = [connect(simulator, pairs, secret) for _ in range(8)]
    assert race(clients) == []
    assert simulator.tokens.snapshot()["refreshes"] == 1
    simulator.expire_tokens()
    assert race(clients) == []
    snapshot = simulator.tokens.snapshot()
    assert (snapshot["refreshes"], snapshot["refused"]) == (2, 0)
    assert sum(c.refreshes for c in clients) == 2
    assert all(c.me()["role"] == "admin" for c in clients)  # every container ends with a working token
    assert simulator.tokens.snapshot()["refreshes"] == 2
    assert simulator.credentials.as_dict()["refresh_token"] != secret_before  # the secret's one is dead now


def test_the_rotated_pair_lives_in_the_dynamodb_store_for_the_next_container(
    simulator: ZendeskSimulator, state: ConnectionState
) -> None:
    secret = simulator.credentials.as_dict()
    first = connect(simulator, DynamoPairs(state.connection, "zendesk"), secret)
    first.me()
    simulator.expire_tokens()
    first.me()
    later = connect(simulator, DynamoPairs(state.connection, "zendesk"), secret)  # a new container, the old secret
    later.me()
    snapshot = simulator.tokens.snapshot()
    assert (snapshot["refreshes"], snapshot["refused"]) == (2, 0)


def test_a_round_trip(simulator: ZendeskSimulator) -> None:
    clock = FakeClock()
    client = connect(simulator, InMemoryTokenPairs(), monotonic=clock, sleep=SleepRecorder(clock))
    assert "role admin" in run_checks(client, {})
    orgs = [{"name": f"Intacct Customer {i}", "external_id": f"IC-{i}"} for i in range(3)]
    assert client.organizations_by_external_ids([o["external_id"] for o in orgs]) == {}
    created = client.create_organizations(orgs)
    result = client.wait_for_jobs([created.id])[created.id]
    assert not result.failed
    assert all(item is not None and item.success and item.id for item in result.records)
    found = client.organizations_by_external_ids(["ic-0", "IC-1", "IC-2"])
    assert set(found) == {"ic-0", "IC-1", "IC-2"}
    first = result.records[0]
    assert first is not None
    assert found["ic-0"]["id"] == first.id
    updates = [{"id": found["IC-1"]["id"], "notes": "from Intacct"}, {"id": found["IC-2"]["id"], "notes": "x"}]
    updated = client.update_organizations(updates)
    done = client.wait_for_jobs([updated.id])[updated.id]
    assert [item.id if item else None for item in done.records] == [u["id"] for u in updates]
    assert client.search_organization_by_name("intacct customer 1") is not None
    users = client.create_or_update_users([{"email": "ap@vendor.example", "name": "AP", "role": "end-user"}])
    assert client.wait_for_jobs([users.id])[users.id].records[0] is not None
    assert isinstance(client.organization_fields(), list)
    start = int(client_now(simulator)) - 30 * 86_400
    pages = list(client.export_tickets(start, None))
    assert pages[-1].end_of_stream
    assert pages[-1].after_cursor
    ids = [t["id"] for page in pages for t in page.tickets][:5]
    if ids:
        assert {t["id"] for t in client.tickets_by_ids(ids)} == set(ids)
    again = list(client.export_tickets(None, pages[-1].after_cursor))
    assert again[-1].end_of_stream


def client_now(simulator: ZendeskSimulator) -> float:
    return simulator.clock.now().timestamp()
