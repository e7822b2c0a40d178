"""OAuth tokens whose refresh rotates the pair (Zendesk: a refresh returns a new access **and** refresh token and
deletes the old pair), shared by every Lambda container without ever refreshing twice.

Two containers refreshing the same pair at once would lock the connection out: the first refresh deletes the refresh
token the second one sends. So a refresh is serialised across containers by a claim, a conditional write on the
stored pair's version (state/token_pairs.py in DynamoDB; `InMemoryTokenPairs` for tests and single processes):

1. Read the stored pair. Fresh enough: use it.
2. Else claim the right to refresh *this version*. Only one container wins; the claim expires by itself (a container
   killed mid-refresh cannot block the others for long).
3. The winner sends the refresh grant with the stored refresh token (the secret's only before any rotation), stores
   the new pair as the next version (a conditional write: the version it claimed) **before** using it, and uses it.
4. A container that loses waits briefly and re-reads the stored pair until the winner's new version is there, and uses
   it; it never refreshes a version another container has claimed.

Where the rotated refresh token lives: in the store (DynamoDB, encrypted with the stack's customer-managed KMS key).
The secret's refresh token is only the first one: once rotated it is dead, and the store's is the only valid one. The
store key includes a digest of the secret's refresh token, so an operator who authorises again and puts a new refresh
token in the secret starts a new chain.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol


@dataclass(frozen=True)
class TokenPair:
    """One stored generation of the pair. `version` 0 is the secret's refresh token, before any refresh."""

    access_token: str | None = field(repr=False)
    refresh_token: str | None = field(repr=False)
    created_at: float
    expires_at: float
    """When the access token expires (our clock: created_at + expires_in)."""
    version: int

    def seconds_left(self, now: float) -> float:
        return self.expires_at - now


class TokenPairStore(Protocol):
    def get(self, key: str) -> TokenPair | None: ...

    def claim(self, key: str, *, version: int, owner: str, seconds: float) -> bool:
        """Take the right to refresh the pair at `version` (0: none stored yet) for `seconds`. False when another
        owner holds an unexpired claim or the stored pair is no longer at `version`."""
        ...

    def store(self, key: str, pair: TokenPair, *, owner: str) -> bool:
        """Store `pair` (version n+1) if the stored pair is still at version n; clears the claim. False otherwise."""
        ...

    def release(self, key: str, *, owner: str) -> None:
        """Give a claim back (a refresh that failed before rotating anything)."""
        ...


class InMemoryTokenPairs:
    """The store's semantics in one process (one lock): tests, the simulator's local runs."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._pairs: dict[str, TokenPair] = {}
        self._claims: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self.stored = 0
        """Pairs stored (one per refresh), for tests."""

    def get(self, key: str) -> TokenPair | None:
        with self._lock:
            return self._pairs.get(key)

    def claim(self, key: str, *, version: int, owner: str, seconds: float) -> bool:
        with self._lock:
            now = self._clock()
            current = self._pairs.get(key)
            if (current.version if current is not None else 0) != version:
                return False
            holder = self._claims.get(key)
            if holder is not None and holder[0] != owner and holder[1] > now:
                return False
            self._claims[key] = (owner, now + seconds)
            return True

    def store(self, key: str, pair: TokenPair, *, owner: str) -> bool:  # noqa: ARG002 - the version decides
        with self._lock:
            current = self._pairs.get(key)
            if (current.version if current is not None else 0) != pair.version - 1:
                return False
            self._pairs[key] = pair
            self._claims.pop(key, None)
            self.stored += 1
            return True

    def release(self, key: str, *, owner: str) -> None:
        with self._lock:
            holder = self._claims.get(key)
            if holder is not None and holder[0] == owner:
                del self._claims[key]


@dataclass(frozen=True)
class Granted:
    """What a refresh grant returned: the new access token, its lifetime, and the new refresh token (None when the
    issuer sent none: the old one stays valid)."""

    access_token: str = field(repr=False)
    expires_in: float
    refresh_token: str | None = field(repr=False)


class RefreshBusy(Exception):
    """Another container claimed the refresh and no new pair appeared in time (it may have died mid-refresh); the
    caller's kinds decide what this is (transient: its claim expires by itself)."""


class RefreshLost(Exception):
    """The grant rotated the pair but the new pair could not be stored as the next version (a newer version is
    already there): the caller reads the store again."""


class RotatingTokens:
    """The current pair of one credential, refreshed at most once per expiry across every container."""

    def __init__(
        self,
        key: str,
        store: TokenPairStore,
        grant: Callable[[str], Granted],
        *,
        initial_refresh_token: str,
        owner: str,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        refresh_margin_seconds: float = 300.0,
        claim_seconds: float = 180.0,
        wait_seconds: float = 20.0,
        poll_seconds: float = 0.25,
    ) -> None:
        """`grant(refresh_token)` sends the refresh grant (with its own retries, well within `claim_seconds`: a claim
        that expires mid-grant lets another container send the refresh token this grant is killing). `owner` names
        this container in claims. A loser polls the store every `poll_seconds` for up to `wait_seconds`."""
        self.key = key
        self._store = store
        self._grant = grant
        self._initial = initial_refresh_token
        self._owner = owner
        self._clock = clock
        self._sleep = sleep
        self._margin = refresh_margin_seconds
        self._claim_seconds = claim_seconds
        self._wait_seconds = wait_seconds
        self._poll_seconds = poll_seconds
        self._local: TokenPair | None = None
        self._lock = threading.RLock()
        self.refreshes = 0
        """Refresh grants this instance sent."""

    def current(self) -> TokenPair:
        """A pair with a usable access token: this process's, the store's, or a refreshed one."""
        with self._lock:
            now = self._clock()
            if self._local is not None and self._fresh(self._local, now):
                return self._local
            stored = self._store.get(self.key)
            if stored is not None and self._fresh(stored, now):
                self._local = stored
                return stored
            return self._refresh(stored)

    def refused(self, pair: TokenPair) -> TokenPair:
        """The API refused `pair`'s access token: a newer stored pair if another container has one, else a refresh
        of this version (claimed like any other)."""
        with self._lock:
            stored = self._store.get(self.key)
            if stored is not None and stored.version > pair.version and stored.access_token:
                self._local = stored
                return stored
            self._local = None
            base = stored if stored is not None else pair
            return self._refresh(replace(base, expires_at=float("-inf")))

    def newer_than(self, version: int) -> TokenPair | None:
        """The stored pair if another container stored a version after `version` (a grant refused as already used
        may just mean that)."""
        stored = self._store.get(self.key)
        return stored if stored is not None and stored.version > version and stored.access_token else None

    def _refresh(self, seen: TokenPair | None) -> TokenPair:
        version = seen.version if seen is not None else 0
        waited = 0.0
        while True:
            if self._store.claim(self.key, version=version, owner=self._owner, seconds=self._claim_seconds):
                refresh_token = (seen.refresh_token if seen is not None else None) or self._initial
                try:
                    pair = self._rotate(refresh_token, version)
                except BaseException:
                    self._store.release(self.key, owner=self._owner)
                    raise
                self._local = pair
                return pair
            # Another container claimed this version: wait for its new pair instead of refreshing a dying one.
            if waited >= self._wait_seconds:
                raise RefreshBusy(
                    f"another container is refreshing the token pair and stored no new one in {waited:.1f}s"
                )
            self._sleep(self._poll_seconds)
            waited += self._poll_seconds
            stored = self._store.get(self.key)
            if stored is not None and stored.version > version:
                if stored.access_token and self._fresh(stored, self._clock()):
                    self._local = stored
                    return stored
                seen, version = stored, stored.version  # a newer version already due: claim that one

    def _rotate(self, refresh_token: str, version: int) -> TokenPair:
        """One grant; the new pair is stored durably before anyone uses it."""
        self.refreshes += 1
        granted = self._grant(refresh_token)
        now = self._clock()
        pair = TokenPair(
            access_token=granted.access_token,
            refresh_token=granted.refresh_token or refresh_token,
            created_at=now,
            expires_at=now + granted.expires_in,
            version=version + 1,
        )
        if not self._store.store(self.key, pair, owner=self._owner):
            raise RefreshLost(f"the token pair moved past version {version} while this container refreshed it")
        return pair

    def _fresh(self, pair: TokenPair, now: float) -> bool:
        """A usable access token with enough life left (a short-lived one, a simulator's, for half its life)."""
        if not pair.access_token:
            return False
        margin = min(self._margin, (pair.expires_at - pair.created_at) / 2)
        return pair.seconds_left(now) > margin
