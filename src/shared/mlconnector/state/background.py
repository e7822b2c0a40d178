"""Batch writes off the caller's thread: the record path hands items over and goes on to the next destination call.

Each submission is written in BatchWriteItem chunks of 25 by pynamodb's own `batch_write` (which retries unprocessed
items), one chunk per task of a small thread pool. pynamodb keeps a botocore session per thread and shares one
botocore client, which is thread-safe; every task has its own `batch_write` context, so no model object is shared
between threads.

What is submitted carries a tag (the engine uses page numbers): `wait(up_to)` returns once every submission tagged
at most `up_to` is durable, and raises the first error among them. Two submissions that touch the same key of the
same model are never in flight together (the second waits for everything pending), so the last write of a key is the
one that lands.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Collection, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor

from pynamodb.models import Model

logger = logging.getLogger(__name__)

CHUNK = 25
"""DynamoDB's limit of items per BatchWriteItem."""
WORKERS = 4
"""Concurrent BatchWriteItem calls per stream run: enough to hide their latency behind the next destination call."""
MAX_QUEUED = WORKERS * 8
"""Chunks handed over but not yet written, at most: past this the record path waits for one to land. It bounds the
memory the queued items hold when DynamoDB is slower than the destination for a long stretch."""


def thread_pool() -> Executor:
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="mlc-writes")


class BackgroundWrites:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor
        self._pending: list[tuple[int, Future[None]]] = []
        self._keys: set[tuple[str, str]] = set()
        """(model, key) of submissions that may still be in flight."""

    def save[M: Model](self, model: type[M], items: Sequence[M], *, tag: int, keys: Collection[str] = ()) -> None:
        """Write these items in the background (chunks of 25, concurrently)."""
        if not items:
            return
        keyed = {(model.__name__, key) for key in keys}
        if not self._keys.isdisjoint(keyed):
            self.wait()
        self._keys.update(keyed)
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            self._make_room()
            self._pending.append((tag, self._executor.submit(_write, model, chunk)))

    def _make_room(self) -> None:
        """Wait, oldest first, until fewer than MAX_QUEUED chunks are still to be written. An error is not raised
        here: `wait` raises it, with the others of its pages."""
        queued = [future for _, future in self._pending if not future.done()]
        while len(queued) >= MAX_QUEUED:
            with contextlib.suppress(Exception):
                queued[0].result()
            queued = [future for future in queued if not future.done()]

    def wait(self, up_to: int | None = None) -> None:
        """Return once every submission tagged at most `up_to` (every one, by default) is durable; raise the first
        error among them (the others are still waited for)."""
        settled = [(tag, f) for tag, f in self._pending if up_to is None or tag <= up_to]
        self._pending = [(tag, f) for tag, f in self._pending if not (up_to is None or tag <= up_to)]
        if not self._pending:
            self._keys.clear()
        error: BaseException | None = None
        for _, future in settled:
            try:
                future.result()
            except Exception as exc:  # the first one is raised once all are settled
                error = error or exc
        if error is not None:
            raise error

    @property
    def pending(self) -> int:
        return sum(1 for _, future in self._pending if not future.done())

    def close(self) -> None:
        """Wait for what is still in flight (a run that stops keeps the outcomes it recorded), then stop the pool.
        Never raises: a write lost here only means its records are read and written again by the next run, whose
        cursor has not moved past them."""
        try:
            self.wait()
        except Exception:
            logger.exception("a background batch write failed while the run was stopping")
        finally:
            self._executor.shutdown(wait=True)


def _write[M: Model](model: type[M], items: Sequence[M]) -> None:
    with model.batch_write() as batch:
        for item in items:
            batch.save(item)
