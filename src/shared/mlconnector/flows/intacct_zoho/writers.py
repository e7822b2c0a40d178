"""Zoho CRM as the engine's destination: upsert, 100 records per call, matched on the module's external-id field.

Lookups (Parent_Account, a contact's Account_Name or Vendor_Name) are resolved here from the Intacct key the
mapping names: from the ids this run wrote, else from the links an earlier run stored. A child whose parent comes
in the same batch is written in a second upsert once the parent has its id; one whose parent is in no batch and
not in Zoho fails naming the parent (and waits for replay). Credits running out stop the run at its checkpoint.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mlconnector.engine.records import Action, Outcome, StopRun, WriteItem
from mlconnector.flows.destination_ids import DestinationIds
from mlconnector.flows.intacct_zoho.mapping import LOOKUPS, PARENT
from mlconnector.systems.zoho.client import ZohoClient
from mlconnector.systems.zoho.errors import QuotaExceeded
from mlconnector.systems.zoho.records import UpsertResult

MAX_UPSERT = 100


@dataclass
class UpsertWriter:
    system: ClassVar[str] = "zoho"

    client: ZohoClient
    module: str
    external_id: str
    ids: DestinationIds
    """Where this stream's Zoho ids go (and its parents' come from)."""
    lookups: Mapping[str, DestinationIds] = field(default_factory=dict)
    """Payload key (PARENT, ACCOUNT, VENDOR) -> the stream whose Zoho ids it names."""
    max_batch: int = MAX_UPSERT

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        outcomes: dict[str, Outcome] = {}
        waiting = list(items)
        while waiting:
            ready, held, failed = self._resolve(waiting)
            outcomes.update(failed)
            if not ready:  # parents that never come: their children fail naming them
                outcomes.update({item.record.key: _parent_missing(item) for item in held})
                break
            with _credits_stop_the_run():
                results = self.client.upsert(
                    self.module, [record for _, record in ready], duplicate_check_fields=[self.external_id]
                )
            for (item, _), result in zip(ready, results, strict=True):
                outcome = _outcome(item, result)
                outcomes[item.record.key] = outcome
                if outcome.destination_id is not None:
                    self.ids.written[item.record.key] = outcome.destination_id
            waiting = held
        return [outcomes[item.record.key] for item in items]

    def _resolve(
        self, items: Sequence[WriteItem]
    ) -> tuple[list[tuple[WriteItem, dict[str, Any]]], list[WriteItem], dict[str, Outcome]]:
        """(ready to write with their lookups as Zoho ids, held for a parent in this batch, failed)."""
        wanted = {key: {str(i.payload[key]) for i in items if i.payload.get(key)} for key in self.lookups}
        found = {key: self.lookups[key].resolve(values) for key, values in wanted.items()}
        in_batch = {item.record.key for item in items}
        ready: list[tuple[WriteItem, dict[str, Any]]] = []
        held: list[WriteItem] = []
        failed: dict[str, Outcome] = {}
        for item in items:
            record = {k: v for k, v in item.payload.items() if k not in LOOKUPS}
            missing = None
            for key, zoho_field in LOOKUPS.items():
                if key not in item.payload:
                    continue
                value = item.payload[key]
                if value is None:
                    record[zoho_field] = None
                elif (zoho_id := found.get(key, {}).get(str(value))) is not None:
                    record[zoho_field] = {"id": zoho_id}
                elif key == PARENT and str(value) in in_batch:
                    missing = "held"
                elif key in self.lookups:
                    missing = f"its {zoho_field.replace('_', ' ').lower()} {value} is not in Zoho (see that record)"
            if missing == "held":
                held.append(item)
            elif missing:
                failed[item.record.key] = Outcome(item.record.key, Action.FAILED, error=missing)
            else:
                ready.append((item, record))
        return ready, held, failed


def _parent_missing(item: WriteItem) -> Outcome:
    return Outcome(
        item.record.key,
        Action.FAILED,
        error=f"its parent account {item.payload.get(PARENT)} could not be written to Zoho in this batch",
    )


def _outcome(item: WriteItem, result: UpsertResult) -> Outcome:
    key = item.record.key
    if result.action == "insert":
        return Outcome(key, Action.CREATED, destination_id=result.id)
    if result.action == "update":
        return Outcome(key, Action.UPDATED, destination_id=result.id)
    where = f" ({result.field})" if result.field else ""
    return Outcome(key, Action.FAILED, error=f"Zoho {result.code}{where}: {result.message}")


@contextmanager
def _credits_stop_the_run() -> Iterator[None]:
    try:
        yield
    except QuotaExceeded as exc:
        raise StopRun(f"Zoho's API limit is reached ({exc}); the next run resumes from here") from exc
