"""Audit and link writes go to worker threads; a page's cursor must never be checkpointed before they are durable."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from mlconnector.engine import pipeline
from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.runner import run_flow
from mlconnector.state import ConnectionState, keys
from mlconnector.state.background import CHUNK, MAX_QUEUED, BackgroundWrites
from mlconnector.state.links import Link
from mlconnector.state.models import LinkItem
from tests.unit.engine.doubles import DictDestination, DictSource, to_payload


class _Deferred(Future[Any]):
    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__()
        self._call: Callable[[], Any] | None = call

    def run(self) -> None:
        if self._call is not None:
            call, self._call = self._call, None
            try:
                self.set_result(call())
            except Exception as exc:
                self.set_exception(exc)

    def result(self, timeout: float | None = None) -> Any:
        self.run()
        return super().result(timeout)


class DeferredExecutor(Executor):
    """Runs a submitted write only when someone waits for it: a write nobody waited for has not happened."""

    def __init__(self) -> None:
        self.submitted: list[_Deferred] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = _Deferred(lambda: fn(*args, **kwargs))
        self.submitted.append(future)
        return future

    @property
    def unrun(self) -> int:
        return sum(1 for f in self.submitted if not f.done())


def test_a_checkpoint_never_overtakes_the_writes_of_its_pages(
    state: ConnectionState, monkeypatch: pytest.MonkeyPatch
) -> None:
    executors: list[DeferredExecutor] = []

    def deferred() -> DeferredExecutor:
        executors.append(DeferredExecutor())
        return executors[-1]

    monkeypatch.setattr(pipeline, "thread_pool", deferred)
    source = DictSource(page_size=3)
    for i in range(11):
        source.put(f"V{i:03d}", name="" if i == 4 else f"Vendor {i}", email=f"v{i}@example.com")
    real_put = state.cursors.put
    in_flight_at_checkpoints: list[int] = []
    not_durable: list[str] = []  # the run would catch an assertion raised here: collected, asserted after it

    def checkpoint(flow: str, stream: str, value: str, run_id: str) -> None:
        in_flight_at_checkpoints.append(executors[-1].unrun)
        covered = [key for key, data in source.records.items() if data["modified"] <= value]
        for key in covered:  # every record of the checkpointed pages has its outcome durable
            if not state.audit.history("intacct", "VENDOR", key):
                not_durable.append(f"{key}: no audit entry at checkpoint {value}")
            if key != "V004" and not LinkItem.count(keys.link_pk("acme", "test-flow", "vendors"), LinkItem.sk == key):
                not_durable.append(f"{key}: no link at checkpoint {value}")
        real_put(flow, stream, value, run_id)

    monkeypatch.setattr(state.cursors, "put", checkpoint)
    stream = Stream("vendors", "intacct", "VENDOR", "dest", source, to_payload, DictDestination(max_batch=4))
    report = run_flow(Flow("test-flow", [stream]), state)

    assert not_durable == []
    assert report.counts["created"] == 10
    assert report.counts["failed"] == 1
    assert len(in_flight_at_checkpoints) >= 2
    # Writes of later pages were still in flight at some checkpoint: they really are off the record path.
    assert max(in_flight_at_checkpoints) > 0
    assert executors[-1].unrun == 0  # and none is left behind at the end of the run


def test_a_key_written_twice_is_never_in_flight_twice(state: ConnectionState) -> None:
    executor = DeferredExecutor()
    writes = BackgroundWrites(executor)
    state.links.put_many("f", "s", [Link("K", "1", "old")], "r", background=writes, tag=1)
    assert executor.unrun == 1
    state.links.put_many("f", "s", [Link("K", "2", "new")], "r", background=writes, tag=2)
    assert executor.submitted[0].done()  # the first write of K landed before the second was handed over
    writes.close()
    assert state.links.get("f", "s", "K") == Link("K", "2", "new")


def test_the_record_path_waits_when_too_many_chunks_are_queued(state: ConnectionState) -> None:
    """Memory stays bounded: past MAX_QUEUED unwritten chunks, handing over more first writes the oldest."""

    executor = DeferredExecutor()
    writes = BackgroundWrites(executor)
    pk = keys.link_pk(state.connection, "f", "s")
    items = [
        LinkItem(pk, f"k{i}", destination_id=None, content_hash="h", run_id="r", updated_at=0) for i in range(CHUNK)
    ]
    for page in range(MAX_QUEUED * 2):
        writes.save(LinkItem, items, tag=page)
        assert executor.unrun <= MAX_QUEUED
    writes.wait()
    assert executor.unrun == 0
