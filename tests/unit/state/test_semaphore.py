"""The counting semaphore with expiring slots: DynamoDB (moto) and in-process stores, waiting, the deadline, cost."""

from __future__ import annotations

import logging
import random
from collections import Counter
from typing import Any

import pytest
from pynamodb.connection.base import Connection as PynamoConnection

from mlconnector.state.models import SlotItem
from mlconnector.state.semaphore import DynamoSlotStore, InMemorySlotStore, NoSlotFree, Semaphore, SlotStore
from tests.conftest import FakeClock

KEY = "intacct-company:abc"
LEASE = 95.0


@pytest.fixture
def dynamo(aws: None, clock: FakeClock) -> DynamoSlotStore:
    return DynamoSlotStore(clock, rng=random.Random(7))


@pytest.fixture(params=["dynamodb", "memory"])
def store(request: pytest.FixtureRequest, clock: FakeClock) -> SlotStore:
    if request.param == "memory":
        return InMemorySlotStore(clock)
    request.getfixturevalue("aws")
    return DynamoSlotStore(clock, rng=random.Random(7))


@pytest.fixture
def api_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """DynamoDB operations sent through pynamodb, by name."""
    calls: Counter[str] = Counter()
    original = PynamoConnection._make_api_call

    def counting(self: PynamoConnection, operation_name: str, operation_kwargs: dict[str, Any]) -> Any:
        calls[operation_name] += 1
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(PynamoConnection, "_make_api_call", counting)
    return calls


def test_at_most_limit_holders_until_one_gives_back(store: SlotStore) -> None:
    first = store.take(KEY, 2, "a", LEASE)
    second = store.take(KEY, 2, "b", LEASE)
    assert {first, second} == {0, 1}
    assert store.take(KEY, 2, "c", LEASE) is None
    assert second is not None
    assert store.give_back(KEY, second, "a") is False  # not a's slot: left alone
    assert store.take(KEY, 2, "c", LEASE) is None
    assert store.give_back(KEY, second, "b") is True
    assert store.take(KEY, 2, "c", LEASE) == second


def test_keys_have_their_own_slots(store: SlotStore) -> None:
    assert store.take(KEY, 1, "a", LEASE) == 0
    assert store.take("intacct-company:other", 1, "b", LEASE) == 0
    assert store.take(KEY, 1, "c", LEASE) is None


def test_a_crashed_holders_slot_expires_and_its_late_give_back_frees_nothing(
    store: SlotStore, clock: FakeClock
) -> None:
    crashed = store.take(KEY, 1, "crashed", LEASE)  # never gives it back
    assert crashed == 0
    clock.advance(LEASE - 1)
    assert store.take(KEY, 1, "b", LEASE) is None  # not expired yet
    clock.advance(2)
    assert store.take(KEY, 1, "b", LEASE) == 0  # expired: taken over
    assert store.give_back(KEY, 0, "crashed") is False  # the crashed holder wakes up: b keeps the slot
    assert store.take(KEY, 1, "c", LEASE) is None
    assert store.give_back(KEY, 0, "b") is True


def test_dynamodb_slot_items_hold_only_a_holder_and_an_expiry(dynamo: DynamoSlotStore, clock: FakeClock) -> None:
    dynamo.take(KEY, 2, "holder-1", LEASE)
    [item] = list(SlotItem.scan())
    assert item.pk == f"SLOTS#{KEY}"
    assert item.sk in ("slot#0", "slot#1")
    assert item.holder == "holder-1"
    assert item.expires_at == clock.now + LEASE
    assert set(item.attribute_values) == {"pk", "sk", "holder", "expires_at"}


def test_an_uncontended_hold_costs_one_put_and_one_delete(dynamo: DynamoSlotStore, api_calls: Counter[str]) -> None:
    semaphore = Semaphore(dynamo, KEY, 2, lease_seconds=LEASE, sleep=_no_sleep)
    for _ in range(3):
        with semaphore.hold():
            pass
    assert api_calls == Counter({"PutItem": 3, "DeleteItem": 3})


def test_a_busy_first_slot_costs_one_query_then_a_put_on_a_free_one(
    dynamo: DynamoSlotStore, api_calls: Counter[str]
) -> None:
    taken = [dynamo.take(KEY, 3, f"h{i}", LEASE) for i in range(2)]
    api_calls.clear()
    free = dynamo.take(KEY, 3, "late", LEASE)
    assert free is not None
    assert free not in taken
    assert api_calls["Query"] <= 1
    assert api_calls["PutItem"] <= 2  # the first, random try may hit a held slot
    assert dynamo.take(KEY, 3, "none-left", LEASE) is None


def test_slots_beyond_a_clients_limit_do_not_count_for_it(dynamo: DynamoSlotStore) -> None:
    """A client with limit 3 may hold slot 2; one with limit 2 sees only slots 0 and 1."""
    holders = {dynamo.take(KEY, 3, f"w{i}", LEASE): f"w{i}" for i in range(3)}
    assert sorted(s for s in holders if s is not None) == [0, 1, 2]
    assert dynamo.take(KEY, 2, "narrow", LEASE) is None
    assert dynamo.give_back(KEY, 2, holders[2])
    assert dynamo.take(KEY, 2, "narrow", LEASE) is None  # slot 2 is beyond its limit
    assert dynamo.give_back(KEY, 0, holders[0])
    assert dynamo.take(KEY, 2, "narrow", LEASE) == 0


def test_waits_with_backoff_until_a_slot_is_given_back(clock: FakeClock) -> None:
    store = InMemorySlotStore(clock)
    assert store.take(KEY, 1, "other-container", LEASE) == 0
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)
        if len(waits) == 3:
            store.give_back(KEY, 0, "other-container")

    semaphore = Semaphore(store, KEY, 1, lease_seconds=LEASE, sleep=sleep, jitter=lambda: 1.0)
    with semaphore.hold() as slot:
        assert slot == 0
        assert len(store.holders(KEY)) == 1
    assert store.holders(KEY) == {}
    assert waits == [0.1, 0.2, 0.4]  # exponential (full jitter at 1.0), from the 0.1 s base
    assert semaphore.waited == pytest.approx(0.7)


def test_never_waits_past_the_deadline(clock: FakeClock) -> None:
    store = InMemorySlotStore(clock)
    store.take(KEY, 1, "other-container", LEASE)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    ends_at = clock.now + 3.0
    semaphore = Semaphore(
        store,
        KEY,
        1,
        lease_seconds=LEASE,
        sleep=sleep,
        deadline=lambda: ends_at - clock.now,
        jitter=lambda: 1.0,
        reserve=1.0,
    )
    with pytest.raises(NoSlotFree, match="all 1 request slots stayed busy until the deadline"):
        semaphore.acquire("me")
    assert clock.now + 1.0 <= ends_at  # the reserve is still left
    assert waits  # it did wait while it could
    assert store.holders(KEY) == {0: "other-container"}


def test_a_crashed_holder_only_delays_the_next_one_by_its_lease(clock: FakeClock) -> None:
    store = InMemorySlotStore(clock)
    store.take(KEY, 1, "crashed", LEASE)
    semaphore = Semaphore(store, KEY, 1, lease_seconds=LEASE, sleep=clock.advance, jitter=lambda: 1.0)
    started = clock.now
    with semaphore.hold():
        pass
    assert LEASE < clock.now - started < LEASE + 2.5  # expiry plus at most one capped wait


def test_a_failed_give_back_is_logged_not_raised(clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    class Broken(InMemorySlotStore):
        def give_back(self, key: str, slot: int, holder: str) -> bool:
            raise ConnectionError("throttled")

    semaphore = Semaphore(Broken(clock), KEY, 1, lease_seconds=LEASE, sleep=_no_sleep)
    with caplog.at_level(logging.WARNING), semaphore.hold():
        pass
    assert "could not give back request slot 0 (ConnectionError); it expires by itself" in caplog.text


def test_limit_and_lease_are_checked(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="limit >= 1"):
        Semaphore(InMemorySlotStore(clock), KEY, 0, lease_seconds=LEASE)
    with pytest.raises(ValueError, match="lease_seconds > 0"):
        Semaphore(InMemorySlotStore(clock), KEY, 1, lease_seconds=0)


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"no wait expected, got {seconds}")
