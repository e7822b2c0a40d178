"""The Commerce client against the sandbox simulator over loopback HTTP: OAuth 1.0a signatures (verified by the
simulator), Bearer opt-in, SaaS IMS tokens, keyset and page-number reads, customers, and B2B detection.

The simulator's clock is frozen (OAuth timestamps stay inside its 600 s window) and moves only when a test says."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.commerce import (
    AuthenticationError,
    B2BUnavailable,
    CommerceClient,
    CommerceCredentials,
    CommerceReader,
    InMemoryTokenCache,
    SearchCriteria,
)
from sandbox.commerce import CommerceSimConfig, CommerceSimulator
from sandbox.core.clock import SimClock
from sandbox.core.server import LoopbackServer

pytestmark = pytest.mark.integration

LOOPBACK = ("127.0.0.1",)


def start(config: CommerceSimConfig | None = None, size: int = 30) -> tuple[LoopbackServer, CommerceSimulator]:
    simulator = CommerceSimulator(seed=3, size=size, config=config, clock=SimClock(frozen=True))
    return LoopbackServer(simulator).start(), simulator


@pytest.fixture
def paas_sim() -> Iterator[CommerceSimulator]:
    server, simulator = start()
    try:
        yield simulator
    finally:
        server.stop()


def advance(simulator: CommerceSimulator, seconds: float) -> None:
    """The client's sleep: simulated time passes, real time does not."""
    simulator.clock.advance(seconds)


def client_for(simulator: CommerceSimulator, secret: dict[str, Any] | None = None, **kwargs: Any) -> CommerceClient:
    values = secret if secret is not None else simulator.credentials.as_dict()
    credentials = CommerceCredentials.from_secret(values, allowed_sandbox_hosts=LOOPBACK)
    return CommerceClient(
        credentials,
        InMemoryTokenCache(),
        clock=lambda: simulator.clock.now().timestamp(),
        sleep=partial(advance, simulator),
        jitter=lambda: 0.0,
        http=HttpPolicy(connect_timeout=2, read_timeout=10, retry=RetryPolicy(base=0.5, cap=2, max_attempts=3)),
        **kwargs,
    )


def test_ping_with_oauth1(paas_sim: CommerceSimulator) -> None:
    client = client_for(paas_sim)
    result = client.ping()
    assert (result.flavour, result.auth) == ("paas", "oauth1")
    assert result.orders == len(paas_sim.orders)
    assert result.b2b
    assert not result.purchase_orders  # no admin REST route for purchase orders
    with pytest.raises(B2BUnavailable):
        client.search_purchase_orders(SearchCriteria())


@pytest.mark.parametrize("paging", ["keyset", "page"])
def test_reader_reads_every_order_then_only_changes(paas_sim: CommerceSimulator, paging: str) -> None:
    reader = CommerceReader(client_for(paas_sim), "orders", "increment_id", overlap_seconds=0, page_size=7)
    reader.paging = paging  # type: ignore[assignment]
    pages = list(reader.pages(None))
    keys = [r.key for p in pages for r in p.records]
    assert sorted(keys) == sorted(str(o["increment_id"]) for o in paas_sim.orders.values())
    assert len(keys) == len(set(keys))
    cursor = pages[-1].cursor
    assert cursor == max(str(o["updated_at"]) for o in paas_sim.orders.values())

    paas_sim.clock.advance(60)
    changed = paas_sim.update_order(next(iter(paas_sim.orders)), {"status": "holded"})
    again = [r.key for p in reader.pages(cursor) for r in p.records]
    assert cursor is not None
    # `updated_at >= cursor`: the rows at the cursor's second are read again, then the changed order, last.
    at_cursor = sorted(str(o["increment_id"]) for o in paas_sim.orders.values() if o["updated_at"] == cursor)
    assert sorted(again[:-1]) == at_cursor
    assert again[-1] == str(changed["increment_id"])


def test_gets_and_fetch_by_key(paas_sim: CommerceSimulator) -> None:
    client = client_for(paas_sim)
    order_id, order = next(iter(paas_sim.orders.items()))
    assert client.get_order(order_id)["increment_id"] == order["increment_id"]
    invoice_id = next(iter(paas_sim.invoices))
    assert client.get_invoice(invoice_id)["entity_id"] == invoice_id
    reader = CommerceReader(client, "orders", "increment_id")
    found = reader.fetch([str(order["increment_id"]), "does-not-exist"])
    assert [r.key for r in found] == [str(order["increment_id"])]


def test_customer_round_trip(paas_sim: CommerceSimulator) -> None:
    client = client_for(paas_sim)
    created = client.create_customer(
        {"email": "new.buyer@example.com", "firstname": "New", "lastname": "Buyer", "website_id": 1}
    )
    found = client.search_customers_by_email("new.buyer@example.com")
    assert [c["id"] for c in found] == [created["id"]]
    updated = client.update_customer(created["id"], {**created, "lastname": "Changed"})
    assert updated["lastname"] == "Changed"
    assert paas_sim.customers[created["id"]]["lastname"] == "Changed"


def test_bearer_is_refused_unless_the_store_allows_it() -> None:
    for allowed in (False, True):
        server, simulator = start(CommerceSimConfig(integration_token_as_bearer=allowed))
        try:
            secret = {
                "base_url": simulator.credentials.as_dict()["base_url"],
                "access_token": simulator.config.access_token,
            }
            client = client_for(simulator, secret)
            if allowed:
                assert client.ping().auth == "bearer"
            else:
                with pytest.raises(AuthenticationError, match="standalone Bearer"):
                    client.ping()
        finally:
            server.stop()


def test_store_without_b2b() -> None:
    server, simulator = start(CommerceSimConfig(b2b_installed=False))
    try:
        result = client_for(simulator).ping()
        assert (result.b2b, result.purchase_orders) == (False, False)
        assert any("B2B not available" in note for note in result.notes)
    finally:
        server.stop()


def test_legacy_repeat_last_page_does_not_loop() -> None:
    server, simulator = start(CommerceSimConfig(legacy_repeat_last_page=True))
    try:
        client = client_for(simulator)
        pages = list(client.search_pages("orders", SearchCriteria(page_size=7)))
        assert sum(len(p.items) for p in pages) == len(simulator.orders)
    finally:
        server.stop()


def test_saas_ims_token_and_refresh_after_expiry() -> None:
    server, simulator = start(CommerceSimConfig(served="saas"))
    try:
        client = client_for(simulator)
        result = client.ping()
        assert (result.flavour, result.auth) == ("saas", "ims")
        assert result.orders == len(simulator.orders)
        simulator.expire_tokens()
        calls = client.calls
        assert client.search("orders", SearchCriteria(page_size=1)).total_count == len(simulator.orders)
        assert client.calls == calls + 3  # refused, new token, replay
    finally:
        server.stop()
