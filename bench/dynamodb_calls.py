"""Counts the connector's DynamoDB calls (pynamodb's, from any thread) and what they carry, for one run at a time.

A re-read is a BatchGetItem or GetItem of a key the run has already read or written: a run knows both, so it should
never ask DynamoDB again.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pynamodb.connection.base import Connection

WRITE_BATCH, READ_BATCH = 25, 100


class DynamoDBCalls:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.calls: Counter[str] = Counter()
            self.items_written = 0
            self.keys_read = 0
            self.re_reads = 0
            self.seconds = {"main thread": 0.0, "worker threads": 0.0}
            self._seen: set[tuple[str, str, str]] = set()

    @contextmanager
    def counting(self) -> Iterator[DynamoDBCalls]:
        original = Connection._make_api_call
        counter = self

        def counted(connection: Connection, operation: str, kwargs: dict[str, Any]) -> dict[str, Any]:
            counter._count(operation, kwargs)
            started = time.perf_counter()
            try:
                return original(connection, operation, kwargs)
            finally:
                where = "main thread" if threading.current_thread() is threading.main_thread() else "worker threads"
                with counter._lock:
                    counter.seconds[where] += time.perf_counter() - started

        Connection._make_api_call = counted  # type: ignore[method-assign,assignment]
        try:
            yield self
        finally:
            Connection._make_api_call = original  # type: ignore[method-assign]

    def _count(self, operation: str, kwargs: dict[str, Any]) -> None:
        with self._lock:
            self.calls[operation] += 1
            if operation == "BatchWriteItem":
                for table, requests in kwargs.get("RequestItems", {}).items():
                    self.items_written += len(requests)
                    for request in requests:
                        item = request.get("PutRequest", {}).get("Item") or request.get("DeleteRequest", {}).get("Key")
                        self._seen.add(_key(table, item))
            elif operation == "PutItem":
                self._seen.add(_key(kwargs["TableName"], kwargs.get("Item")))
            elif operation == "BatchGetItem":
                for table, wanted in kwargs.get("RequestItems", {}).items():
                    self._read(table, wanted.get("Keys", []))
            elif operation == "GetItem":
                self._read(kwargs["TableName"], [kwargs.get("Key")])

    def _read(self, table: str, keys: list[Any]) -> None:
        for key in keys:
            self.keys_read += 1
            ref = _key(table, key)
            if ref in self._seen:
                self.re_reads += 1
            self._seen.add(ref)

    def summary(self, records: int) -> list[str]:
        """Calls by operation, and the calls per synced record against the minimum: every item written in
        BatchWriteItem calls of 25, every key read once in BatchGetItem calls of 100, single-item calls as made."""
        total = sum(self.calls.values())
        batched = {"BatchWriteItem", "BatchGetItem"}
        singles = sum(n for op, n in self.calls.items() if op not in batched)
        distinct_reads = self.keys_read - self.re_reads
        minimum = math.ceil(self.items_written / WRITE_BATCH) + math.ceil(distinct_reads / READ_BATCH) + singles
        per = records or 1
        return [
            f"DynamoDB: {total} calls {dict(sorted(self.calls.items()))}",
            f"  {self.items_written} items written (minimum {math.ceil(self.items_written / WRITE_BATCH)} "
            f"BatchWriteItem of {WRITE_BATCH}); {self.keys_read} keys read, {self.re_reads} of them re-reads",
            f"  {total / per:.4f} calls per record against a minimum of {minimum / per:.4f} ({minimum} calls: "
            f"writes / {WRITE_BATCH} + keys read once / {READ_BATCH} + {singles} single-item calls), "
            f"{total / max(1, minimum):.2f}x",
            f"  time in DynamoDB calls: {self.seconds['main thread']:.1f} s on the main thread (the record path), "
            f"{self.seconds['worker threads']:.1f} s summed over the background writers",
        ]


def _key(table: str, item: Any) -> tuple[str, str, str]:
    item = item or {}
    return table, str(item.get("pk", {}).get("S", "")), str(item.get("sk", {}).get("S", ""))
