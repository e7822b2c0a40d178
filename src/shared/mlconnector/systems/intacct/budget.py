"""One Intacct budget for every flow: at most the company's tier of requests in flight at once (more are refused with
HTTP 429 GW-0010), counted across every flow, connection and Lambda container of the company by a semaphore in
DynamoDB (`mlconnector.state.semaphore`).

Every request to the gateway holds a slot while it is on the wire, logins included; never during a retry's pause.
The limit is `concurrency_limit` in the Intacct secret (default 2); connections of one company should set the same
value (each uses slots 0 .. its limit - 1, so the largest wins).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from mlconnector.http import Deadline, HttpPolicy, Jitter, Sleep
from mlconnector.state.semaphore import NoSlotFree, Semaphore, SlotStore, new_holder
from mlconnector.systems.intacct.credentials import IntacctCredentials
from mlconnector.systems.intacct.errors import ConfigurationError, RequestSlotsBusy

LIMIT_KEY = "concurrency_limit"
DEFAULT_CONCURRENCY_LIMIT = 2
"""Intacct's common tier: two requests in flight per company."""
SLOT_MARGIN_SECONDS = 30.0
"""A slot outlives the longest request (connect + read timeout) by this much before it counts as abandoned."""


def concurrency_limit(secret: Mapping[str, Any]) -> int:
    """The company's limit from the Intacct secret: a positive whole number, DEFAULT_CONCURRENCY_LIMIT when absent."""
    value = secret.get(LIMIT_KEY)
    if value is None:
        return DEFAULT_CONCURRENCY_LIMIT
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(
            f"Intacct secret: {LIMIT_KEY} must be a whole number of at least 1 (the company's concurrent-request "
            f"tier; {DEFAULT_CONCURRENCY_LIMIT} when absent), not {value!r}"
        )
    return value


def company_key(credentials: IntacctCredentials) -> str:
    """`intacct-company:<sha256>` over the company id (Intacct ignores its case) and the login endpoint (a simulator's
    company is not the production one). Not the sender, user or entity: the limit is the company's."""
    parts = (credentials.company_id.casefold(), credentials.endpoint_url)
    material = "\x1f".join(f"{len(p)}:{p}" for p in parts)
    return "intacct-company:" + hashlib.sha256(material.encode()).hexdigest()


def slot_lease_seconds(http: HttpPolicy) -> float:
    return http.connect_timeout + http.read_timeout + SLOT_MARGIN_SECONDS


class RequestSlots:
    """The slot the request core holds around each send (`RequestCore.send(slot=...)`)."""

    def __init__(
        self,
        store: SlotStore,
        credentials: IntacctCredentials,
        limit: int,
        *,
        http: HttpPolicy,
        sleep: Sleep,
        deadline: Deadline | None,
        jitter: Jitter,
    ) -> None:
        self.semaphore = Semaphore(
            store,
            company_key(credentials),
            limit,
            lease_seconds=slot_lease_seconds(http),
            sleep=sleep,
            deadline=deadline,
            jitter=jitter,
            reserve=http.min_request_seconds,
        )

    def __call__(self) -> AbstractContextManager[object]:
        return self._hold()

    @contextmanager
    def _hold(self) -> Iterator[None]:
        holder = new_holder()
        try:
            slot = self.semaphore.acquire(holder)
        except NoSlotFree as exc:
            raise RequestSlotsBusy(
                f"Intacct: {exc} (other flows of this company are using them); the run stops at its checkpoint and "
                "the next one resumes"
            ) from None
        try:
            yield
        finally:
            self.semaphore.release(slot, holder)
