"""A counting semaphore across Lambda containers: at most `limit` holders of one key at once, in DynamoDB, with slots
that expire so a crashed container cannot hold one for ever.

Items (StateTable): pk `SLOTS#<key>`, sk `slot#0` .. `slot#<limit-1>`, each with its holder (a fresh id per
acquisition) and `expires_at` (also the table's TTL attribute: DynamoDB deletes an abandoned slot some time after it
expired; until then an expired slot counts as free).

Cost per hold, uncontended: one conditional PutItem to take a slot and one conditional DeleteItem to give it back.
When the slot tried first is held: one strongly consistent Query for the free or expired ones, then one conditional
PutItem per candidate; when every slot is held, the round repeats after a jittered backoff.

The key is the vendor account's (an Intacct company), not a connection's: several connections of one account share
its limit. A slot item holds no secret.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from pynamodb.exceptions import DeleteError, PutError

from mlconnector.http import Deadline, Jitter, RetryPolicy, Sleep, backoff_wait
from mlconnector.state import keys
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.models import SlotItem

_log = logging.getLogger(__name__)

BACKOFF = RetryPolicy(base=0.1, cap=2.0, floor=0.05)
"""Waits while every slot is held: 0.05 s to 2 s, jittered, so waiters neither hammer DynamoDB nor move in step."""


class NoSlotFree(Exception):
    """Every slot stayed held until the deadline: hand the work back (the caller maps it to a clean stop)."""


class SlotStore(Protocol):
    """Where the slots of every key live. Contract: at any moment at most `limit` holders have a slot of one key
    (among slots 0 .. limit-1) whose expiry has not passed; a slot whose expiry passed is free."""

    def take(self, key: str, limit: int, holder: str, seconds: float) -> int | None:
        """Take a free or expired slot of `key` for `holder` until now + `seconds`: its number, or None when all
        `limit` slots are held. Never waits."""
        ...

    def give_back(self, key: str, slot: int, holder: str) -> bool:
        """Free the slot if `holder` still holds it. False (and nothing changed) when it expired and another holder
        took it over."""
        ...


def new_holder() -> str:
    """A fresh holder id for one acquisition (random: no container, run or secret can be read from it)."""
    return uuid.uuid4().hex


class DynamoSlotStore:
    """The deployed SlotStore: slot items in the StateTable, taken and given back by conditional writes."""

    def __init__(self, clock: Clock = system_clock, rng: random.Random | None = None) -> None:
        self._clock = clock
        self._random = rng or random.Random()  # noqa: S311 - spreads holders over slots, not security

    def take(self, key: str, limit: int, holder: str, seconds: float) -> int | None:
        now = self._clock()
        first = self._random.randrange(limit)
        if self._put(key, first, holder, now, seconds):
            return first
        if limit == 1:
            return None
        held = {item.sk: float(item.expires_at) for item in SlotItem.query(keys.slots_pk(key), consistent_read=True)}
        candidates = [i for i in range(limit) if i != first and held.get(keys.slot_sk(i), now - 1) < now]
        self._random.shuffle(candidates)
        for slot in candidates:
            if self._put(key, slot, holder, now, seconds):
                return slot
        return None

    def give_back(self, key: str, slot: int, holder: str) -> bool:
        item = SlotItem(keys.slots_pk(key), keys.slot_sk(slot))
        try:
            item.delete(condition=SlotItem.holder == holder)
        except DeleteError as error:
            if _condition_failed(error):
                return False
            raise
        return True

    def _put(self, key: str, slot: int, holder: str, now: float, seconds: float) -> bool:
        item = SlotItem(keys.slots_pk(key), keys.slot_sk(slot), holder=holder, expires_at=now + seconds)
        try:
            item.save(condition=SlotItem.pk.does_not_exist() | (SlotItem.expires_at < now))
        except PutError as error:
            if _condition_failed(error):
                return False
            raise
        return True


class InMemorySlotStore:
    """The same contract within one process (tests, or a client built without DynamoDB): no cross-container limit."""

    def __init__(self, clock: Clock = system_clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._slots: dict[tuple[str, int], tuple[str, float]] = {}

    def take(self, key: str, limit: int, holder: str, seconds: float) -> int | None:
        with self._lock:
            now = self._clock()
            for slot in range(limit):
                held = self._slots.get((key, slot))
                if held is None or held[1] < now:
                    self._slots[(key, slot)] = (holder, now + seconds)
                    return slot
        return None

    def give_back(self, key: str, slot: int, holder: str) -> bool:
        with self._lock:
            held = self._slots.get((key, slot))
            if held is None or held[0] != holder:
                return False
            del self._slots[(key, slot)]
            return True

    def holders(self, key: str) -> dict[int, str]:
        """The slots of `key` not yet expired, with their holders (for tests)."""
        with self._lock:
            now = self._clock()
            return {slot: h for (k, slot), (h, until) in self._slots.items() if k == key and until >= now}


class Semaphore:
    """At most `limit` holders of `key` at once, wherever they run: `with semaphore.hold(): send()`.

    A hold lasts at most `lease_seconds` (longer than one request may take: a holder that crashed frees its slot
    then). While every slot is held it waits with jittered backoff, never past the deadline: when less than
    `reserve` seconds would be left after the next wait it raises NoSlotFree instead."""

    def __init__(
        self,
        store: SlotStore,
        key: str,
        limit: int,
        *,
        lease_seconds: float,
        sleep: Sleep = time.sleep,
        deadline: Deadline | None = None,
        jitter: Jitter = random.random,
        reserve: float = 1.0,
        backoff: RetryPolicy = BACKOFF,
        holder: Callable[[], str] = new_holder,
    ) -> None:
        if limit < 1 or lease_seconds <= 0:
            raise ValueError("Semaphore needs limit >= 1 and lease_seconds > 0")
        self.store = store
        self.key = key
        self.limit = limit
        self.lease_seconds = lease_seconds
        self._sleep = sleep
        self._deadline = deadline
        self._jitter = jitter
        self._reserve = reserve
        self._backoff = backoff
        self._holder = holder
        self._lock = threading.Lock()
        self.waited = 0.0
        """Seconds spent waiting for a slot (for benchmarks and the logs)."""

    @contextmanager
    def hold(self) -> Iterator[int]:
        """Hold one slot for the block; yields its number."""
        holder = self._holder()
        slot = self.acquire(holder)
        try:
            yield slot
        finally:
            self.release(slot, holder)

    def acquire(self, holder: str) -> int:
        """Take a slot for `holder`, waiting while every one is held. Raises NoSlotFree rather than wait past the
        deadline."""
        attempt = 0
        while True:
            slot = self.store.take(self.key, self.limit, holder, self.lease_seconds)
            if slot is not None:
                return slot
            attempt += 1
            wait = backoff_wait(attempt, self._backoff, self._jitter())
            left = self._deadline() if self._deadline is not None else None
            if left is not None and left - wait < self._reserve:
                raise NoSlotFree(f"all {self.limit} request slots stayed busy until the deadline")
            self._sleep(wait)
            with self._lock:
                self.waited += wait

    def release(self, slot: int, holder: str) -> None:
        """Give the slot back. A failure to do so is logged, never raised: the work it guarded is done, and the slot
        expires by itself."""
        try:
            if not self.store.give_back(self.key, slot, holder):
                _log.warning("request slot %d was held past its %.0fs lease and taken over", slot, self.lease_seconds)
        except Exception as error:  # see the docstring
            _log.warning("could not give back request slot %d (%s); it expires by itself", slot, type(error).__name__)


def _condition_failed(error: PutError | DeleteError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"
