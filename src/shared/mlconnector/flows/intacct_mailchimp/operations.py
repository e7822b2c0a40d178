"""E-commerce writes of one page, by the path that costs least: direct calls, or one /batches job.

Direct calls run concurrently, as many as the client's limiter lets through (10 connections per account); a
batch job costs a submit, a few status polls and the archive download whatever its size, but waits for
Mailchimp's queue. At or above `threshold` operations a page goes through a batch job (the threshold is
measured by bench/intacct_mailchimp_sync.py and configurable: orders.batch_operations).

Both paths answer the same thing: one OperationOutcome per operation id, classified the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from mlconnector.systems.mailchimp.batches import Operation, OperationOutcome
from mlconnector.systems.mailchimp.client import MailchimpClient

CONCURRENCY = 10
"""Mailchimp's simultaneous connections per account; the client's limiter enforces it across every stream."""


@dataclass
class Operations:
    client: MailchimpClient
    threshold: int
    batched: int = 0
    """Operations this run sent through batch jobs (for the stream's notes)."""
    direct: int = 0

    def run(self, operations: Sequence[Operation]) -> dict[str, OperationOutcome]:
        if not operations:
            return {}
        if len(operations) >= self.threshold:
            self.batched += len(operations)
            return self.client.run_batch(operations)
        self.direct += len(operations)
        with ThreadPoolExecutor(max_workers=min(CONCURRENCY, len(operations))) as pool:
            outcomes = list(pool.map(self.client.perform, operations))
        return {outcome.operation_id: outcome for outcome in outcomes}

    def note(self) -> str:
        return f"{self.direct} direct call(s), {self.batched} operation(s) in batch jobs"
