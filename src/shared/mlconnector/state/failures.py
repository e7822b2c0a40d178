"""Failed records awaiting replay, with the payload that was attempted. They never expire on their own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist

from mlconnector.state import keys
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.models import FailureItem


@dataclass(frozen=True)
class Failure:
    flow: str
    stream: str
    source_system: str
    source_object: str
    source_key: str
    error: str
    run_id: str
    payload: dict[str, Any] | None = None
    attempts: int = 1


class FailureStore:
    def __init__(self, connection: str, clock: Clock = system_clock) -> None:
        self.connection = connection
        self._clock = clock

    def put_many(self, failures: Iterable[Failure]) -> None:
        """Record failures; a record that fails again keeps its first-failure time and counts attempts."""
        failures = list(failures)
        if not failures:
            return
        now = self._clock()
        pk = keys.failure_pk(self.connection)
        known = {
            item.sk: item
            for item in FailureItem.batch_get([(pk, keys.failure_sk(f.flow, f.stream, f.source_key)) for f in failures])
        }
        with FailureItem.batch_write() as batch:
            for f in failures:
                sk = keys.failure_sk(f.flow, f.stream, f.source_key)
                previous = known.get(sk)
                batch.save(
                    FailureItem(
                        pk,
                        sk,
                        flow=f.flow,
                        stream=f.stream,
                        source_system=f.source_system,
                        source_object=f.source_object,
                        source_key=f.source_key,
                        payload=f.payload,
                        error=f.error,
                        run_id=f.run_id,
                        attempts=(previous.attempts + 1) if previous else 1,
                        first_failed_at=previous.first_failed_at if previous else now,
                        last_failed_at=now,
                    )
                )

    def delete_many(self, flow: str, stream: str, source_keys: Iterable[str]) -> None:
        pk = keys.failure_pk(self.connection)
        with FailureItem.batch_write() as batch:
            for key in source_keys:
                batch.delete(FailureItem(pk, keys.failure_sk(flow, stream, key)))

    def pending(self, flow: str | None = None, stream: str | None = None) -> list[Failure]:
        """Failures of the connection, optionally of one flow (and stream)."""
        prefix = "" if flow is None else keys.failure_sk(flow, stream, "") if stream else flow + keys.SEP
        condition = FailureItem.sk.startswith(prefix) if prefix else None
        return [_failure(item) for item in FailureItem.query(keys.failure_pk(self.connection), condition)]

    def get(self, flow: str, stream: str, source_key: str) -> Failure | None:
        try:
            item = FailureItem.get(keys.failure_pk(self.connection), keys.failure_sk(flow, stream, source_key))
        except DoesNotExist:
            return None
        return _failure(item)


def _failure(item: FailureItem) -> Failure:
    return Failure(
        flow=item.flow,
        stream=item.stream,
        source_system=item.source_system,
        source_object=item.source_object,
        source_key=item.source_key,
        error=item.error,
        run_id=item.run_id,
        payload=item.payload,
        attempts=int(item.attempts),
    )
