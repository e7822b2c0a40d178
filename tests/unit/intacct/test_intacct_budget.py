"""One Intacct budget for all flows: the limit from the secret, the company key, and a slot held around every
request (logins included), released after it, and a clean stop when none comes free before the deadline."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector import errors as kinds
from mlconnector.http import HttpPolicy, HttpReply, HttpRequest, RetryPolicy
from mlconnector.state.semaphore import InMemorySlotStore
from mlconnector.systems.intacct.budget import (
    DEFAULT_CONCURRENCY_LIMIT,
    company_key,
    concurrency_limit,
    slot_lease_seconds,
)
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.errors import ConfigurationError, RequestSlotsBusy
from mlconnector.systems.intacct.session import InMemorySessionCache
from tests.unit.intacct.intacct_fakes import FakeClock, FakeGateway, SleepRecorder, credentials, reply
from tests.unit.intacct.test_intacct_client import query_handler


def test_the_limit_defaults_to_two_and_is_read_from_the_secret() -> None:
    assert concurrency_limit({}) == DEFAULT_CONCURRENCY_LIMIT == 2
    assert concurrency_limit({"concurrency_limit": None}) == 2
    assert concurrency_limit({"concurrency_limit": 5}) == 5


@pytest.mark.parametrize("value", [0, -1, "2", 2.5, True, [2]])
def test_a_bad_limit_is_one_configuration_line(value: Any) -> None:
    with pytest.raises(ConfigurationError) as raised:
        concurrency_limit({"concurrency_limit": value})
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("Intacct secret: concurrency_limit must be a whole number of at least 1")
    assert repr(value) in message


def test_the_company_key_is_the_companys_not_the_users_and_holds_no_id() -> None:
    key = company_key(credentials())
    assert key.startswith("intacct-company:")
    assert "ACME" not in key
    assert company_key(credentials(user_id="OTHER_USER", sender_id="OTHER_SENDER", entity_id="E1")) == key
    assert company_key(credentials(company_id="acme")) == key  # Intacct ignores the company id's case
    assert company_key(credentials(company_id="GLOBEX")) != key
    other_endpoint = credentials(
        endpoint_url="http://127.0.0.1:9/ia/xml/xmlgw.phtml", allowed_sandbox_hosts=("127.0.0.1",)
    )
    assert company_key(other_endpoint) != key


def test_a_slot_outlives_the_longest_request() -> None:
    policy = HttpPolicy(connect_timeout=5, read_timeout=60)
    assert slot_lease_seconds(policy) > 65


class WatchingGateway(FakeGateway):
    """Notes, for every request, how many slots of the company were held while it was on the wire."""

    store: InMemorySlotStore | None = None
    held: list[int]

    def send(self, http: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        assert self.store is not None
        self.held.append(len(self.store.holders(company_key(credentials()))))
        return super().send(http, timeout=timeout)


def _client(
    store: InMemorySlotStore,
    gateway: FakeGateway,
    clock: FakeClock,
    *,
    limit: int = 2,
    deadline: Any = None,
    sleep: Any = None,
) -> tuple[IntacctClient, SleepRecorder]:
    gateway.handlers.setdefault("query", query_handler)
    recorder = SleepRecorder(clock)
    client = IntacctClient(
        credentials(),
        InMemorySessionCache(),
        transport=gateway,
        clock=clock,
        sleep=sleep or recorder,
        jitter=lambda: 1.0,
        deadline=deadline,
        http=HttpPolicy(retry=RetryPolicy(base=1, cap=60, max_attempts=4, floor=0)),
        slots=store,
        concurrency_limit=limit,
    )
    return client, recorder


def test_every_request_holds_a_slot_logins_and_retries_included_and_gives_it_back() -> None:
    clock = FakeClock()
    store = InMemorySlotStore(clock)
    gateway = WatchingGateway(faults=[reply("busy", status=503, content_type="text/html")])
    gateway.store, gateway.held = store, []
    client, sleep = _client(store, gateway, clock)
    pages = list(client.query_pages("VENDOR", ["RECORDNO"]))
    assert pages
    assert gateway.logins == 1
    assert client.calls == len(gateway.held) >= 3  # the 503, the login, the query
    assert gateway.held == [1] * len(gateway.held)  # one slot on the wire per request, never two
    assert store.holders(company_key(credentials())) == {}  # all given back
    assert sleep.waits == [1.0]  # the retry's pause, with no slot held: no slot wait at all


def test_no_slot_before_the_deadline_stops_the_run_cleanly_and_sends_nothing() -> None:
    clock = FakeClock()
    store = InMemorySlotStore(clock)
    key = company_key(credentials())
    for holder in ("other-flow-1", "other-flow-2"):  # another container's flows hold both slots
        store.take(key, 2, holder, 95)
    gateway = FakeGateway()
    ends_at = clock.now + 10
    client, sleep = _client(store, gateway, clock, deadline=lambda: ends_at - clock.now)
    with pytest.raises(RequestSlotsBusy) as raised:
        client.ping()
    assert isinstance(raised.value, kinds.QuotaExceeded)  # the engine's clean stop: resume at the next run
    assert "all 2 request slots stayed busy until the deadline" in str(raised.value)
    assert gateway.requests == []
    assert client.calls == 0
    assert sleep.waits  # it waited while it could


def test_a_second_container_waits_for_the_companys_only_slot() -> None:
    clock = FakeClock()
    store = InMemorySlotStore(clock)
    key = company_key(credentials())
    assert store.take(key, 1, "first-container", 95) == 0  # another container's request is on the wire
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)
        store.give_back(key, 0, "first-container")  # its reply arrives meanwhile

    gateway = FakeGateway()
    client, _ = _client(store, gateway, clock, limit=1, sleep=sleep)
    client.ping()
    assert gateway.logins == 1
    assert waits == [0.1]
    assert store.holders(key) == {}
