"""One Intacct budget for all flows (issue 13): flows and containers of one company, running in parallel threads
against the Intacct simulator, never have more requests in flight than the company's limit, and still complete
when a holder of a slot crashed.

Each "container" is its own Connection (own clients and in-memory caches, nothing shared but DynamoDB), on the real
clock and sleep: the threads really wait for each other's slots. The simulator enforces the same limit (a request
over it gets 429 GW-0010) and records the most requests of the company it saw in flight at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import wraps
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend

from mlconnector.connection import Connection
from mlconnector.engine.budget import TimeBudget
from mlconnector.engine.report import RunStatus
from mlconnector.service import sync
from mlconnector.state.models import SlotItem
from mlconnector.state.semaphore import DynamoSlotStore
from mlconnector.systems.intacct.budget import company_key
from mlconnector.systems.intacct.credentials import IntacctCredentials
from mlconnector.systems.registry import INTACCT
from sandbox.mailchimp import MailchimpSimulator
from sandbox.marketo import MarketoSimulator
from sandbox.zoho import ZohoSimulator
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

LATENCY = 0.02
"""Seconds the simulator takes per request, so that requests of parallel threads overlap."""
CONTAINERS = 6
PAGESIZE = 5
DEADLINE_SECONDS = 60


@pytest.fixture(autouse=True)
def atomic_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB applies a conditional write atomically; in-process moto checks the condition and writes in two steps,
    which two threads can interleave. One lock around moto's table operations restores DynamoDB's guarantee."""
    lock = threading.RLock()
    for name in ("put_item", "update_item", "delete_item", "get_item", "query", "scan", "transact_write_items"):
        original = getattr(DynamoDBBackend, name)
        monkeypatch.setattr(DynamoDBBackend, name, _locked(original, lock))


def _locked(method: Callable[..., Any], lock: threading.RLock) -> Callable[..., Any]:
    @wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return method(*args, **kwargs)

    return locked


@pytest.fixture
def limited(stack: Stack) -> Stack:
    """The simulator refuses a third request of the company in flight, and takes a little while per request."""
    stack.simulator.config.concurrency_limit = 2
    stack.simulator.latency = LATENCY
    return stack


def _container(stack: Stack, connection: str = "default") -> Connection:
    """A new Lambda container: its own Connection on the real clock and sleep (the threads wait for each other),
    with a deadline, so a slot that never came free fails the test (RequestSlotsBusy) instead of hanging it."""
    ends = time.monotonic() + DEADLINE_SECONDS
    budget = TimeBudget(lambda: int((ends - time.monotonic()) * 1000), reserve_ms=0)
    return Connection.open(connection, stack.settings, budget=budget)


def _read_every_vendor(stack: Stack, connection: str) -> int:
    client = _container(stack, connection).client(INTACCT)
    return sum(len(page.records) for page in client.query_pages("VENDOR", ["RECORDNO", "VENDORID"], pagesize=PAGESIZE))


def _slots() -> list[SlotItem]:
    return list(SlotItem.scan(SlotItem.pk.startswith("SLOTS#")))


def _in_parallel(work: list[Callable[[], Any]]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        futures = [pool.submit(job) for job in work]
        return [future.result() for future in futures]  # re-raises a thread's failure


def _connections(stack: Stack, count: int, **overrides: Any) -> list[str]:
    """`count` connections of the one simulated company (the default one and more), each with its Intacct secret."""
    names = ["default", *(f"branch-{i}" for i in range(1, count))]
    for name in names:
        stack.put_secret(name, **overrides)
    return names


def test_parallel_containers_of_one_company_never_exceed_its_limit(limited: Stack) -> None:
    simulator = limited.simulator
    vendors = len(simulator.store.all("VENDOR"))
    names = _connections(limited, 3)  # two containers per connection; all six share the slots
    read = _in_parallel([lambda name=name: _read_every_vendor(limited, name) for name in names * 2])
    assert read == [vendors] * CONTAINERS
    assert simulator.refused_for_concurrency() == 0
    assert simulator.peak_in_flight() == 2  # the limit was used, and never exceeded
    assert _slots() == []  # every slot given back


def test_without_the_budget_the_same_work_goes_over_the_limit(stack: Stack) -> None:
    """The control: with a limit of 6 in the secret and none in the simulator, the six containers overlap more than
    two requests, so the test above would see a broken budget."""
    stack.simulator.latency = LATENCY
    names = _connections(stack, 3, concurrency_limit=CONTAINERS)
    _in_parallel([lambda name=name: _read_every_vendor(stack, name) for name in names * 2])
    assert stack.simulator.peak_in_flight() > 2


def test_runs_complete_when_a_crashed_container_holds_the_only_slot_until_it_expires(limited: Stack) -> None:
    """A limit of one, held by a container that crashed mid-request: its slot expires and the others go on."""
    names = _connections(limited, 2, concurrency_limit=1)
    secret = {**limited.simulator.credentials.as_dict()}
    key = company_key(IntacctCredentials.from_secret(secret, allowed_sandbox_hosts=limited.settings.sandbox_hosts))
    assert DynamoSlotStore().take(key, 1, "crashed-container", seconds=1.0) == 0  # never given back
    vendors = len(limited.simulator.store.all("VENDOR"))
    read = _in_parallel([lambda name=name: _read_every_vendor(limited, name) for name in names * 2])
    assert read == [vendors] * 4
    assert limited.simulator.peak_in_flight() == 1
    assert limited.simulator.refused_for_concurrency() == 0
    assert _slots() == []  # taken over after its expiry, then given back


@pytest.fixture
def three_flows(limited: Stack) -> Iterator[Stack]:
    """Marketo, Mailchimp and Zoho simulators too: three integrations reading the one Intacct company."""
    with (
        limited.serve(MarketoSimulator()),
        limited.serve(MailchimpSimulator(seed=2)),
        limited.serve(ZohoSimulator(seed=2)),
    ):
        yield limited


def test_three_flows_fired_together_share_the_companys_limit_and_complete(three_flows: Stack) -> None:
    flows = ("intacct-marketo", "intacct-mailchimp", "intacct-zoho")
    reports = _in_parallel([lambda flow=flow: sync(flow, _container(three_flows)) for flow in flows])
    for report in reports:
        assert report.status is RunStatus.COMPLETED, report.error
        assert report.api_calls["intacct"] > 0
    simulator = three_flows.simulator
    assert simulator.refused_for_concurrency() == 0
    assert simulator.peak_in_flight() <= 2
    assert _slots() == []
