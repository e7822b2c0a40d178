"""Marketo as the engine's destination: companies sync and leads sync, 300 records per call."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ClassVar

from mlconnector.engine.records import Action, Outcome, StopRun, WriteItem
from mlconnector.systems.marketo import MAX_BATCH, MarketoClient, QuotaExceeded, RecordResult, is_crm_managed

WRITTEN = (Action.CREATED, Action.UPDATED)
CRM_MESSAGE = (
    "Marketo companies are read-only on this instance (reason 1018 CRM Enabled: a native Salesforce or Dynamics "
    "sync owns them); companies and their leads are not written"
)


@dataclass
class CompanyWriter:
    system: ClassVar[str] = "marketo"
    client: MarketoClient
    max_batch: int = MAX_BATCH
    in_marketo: set[str] = field(default_factory=set)
    """Companies this writer wrote with the id Marketo gave them: the engine records a link with that id for each,
    so the lead writer knows they are in Marketo without reading those links back."""

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        with _quota_stops_the_run():
            results = self.client.sync_companies([item.payload for item in items])
        if any(is_crm_managed(result) for result in results):
            raise StopRun(CRM_MESSAGE)
        outcomes = [_outcome(item, result) for item, result in zip(items, results, strict=True)]
        self.in_marketo.update(o.key for o in outcomes if o.action in WRITTEN and o.destination_id is not None)
        return outcomes


@dataclass
class LeadWriter:
    """Writes leads whose company Marketo already has; the others fail (kept for replay) until it does."""

    system: ClassVar[str] = "marketo"

    client: MarketoClient
    companies_in_marketo: Callable[[Collection[str]], set[str]]
    max_batch: int = MAX_BATCH

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        wanted = {str(item.payload["externalCompanyId"]) for item in items}
        present = self.companies_in_marketo(wanted)
        ready = [item for item in items if item.payload["externalCompanyId"] in present]
        outcomes = {
            item.record.key: Outcome(
                item.record.key,
                Action.FAILED,
                error=f"its company {item.payload['externalCompanyId']} is not in Marketo yet (see that vendor)",
            )
            for item in items
            if item.payload["externalCompanyId"] not in present
        }
        if ready:
            with _quota_stops_the_run():
                results = self.client.sync_leads([item.payload for item in ready])
            outcomes.update({item.record.key: _outcome(item, r) for item, r in zip(ready, results, strict=True)})
        return [outcomes[item.record.key] for item in items]


def _outcome(item: WriteItem, result: RecordResult) -> Outcome:
    key = item.record.key
    if result.status == "created":
        return Outcome(key, Action.CREATED, destination_id=_id(result))
    if result.status == "updated":
        return Outcome(key, Action.UPDATED, destination_id=_id(result))
    reasons = "; ".join(f"{r.code} {r.message}".strip() for r in result.reasons) or "no reason given"
    return Outcome(key, Action.FAILED, error=f"Marketo {result.status} it: {reasons}")


def _id(result: RecordResult) -> str | None:
    return None if result.id is None else str(result.id)


@contextmanager
def _quota_stops_the_run() -> Iterator[None]:
    """607 (daily quota): stop cleanly; the next run resumes from the last checkpoint."""
    try:
        yield
    except QuotaExceeded as exc:
        raise StopRun(f"Marketo's daily API quota is used up ({exc}); the next run resumes from here") from exc
