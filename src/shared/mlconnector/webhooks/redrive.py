"""Re-driving quarantined Commerce webhook deliveries (`mlc replay commerce-intacct`).

A delivery refused at the door (bad or missing signature, stale timestamp) is audited and kept in the FailureStore
under QUARANTINE_FLOW with the entity type and id it claimed. Once the operator has fixed the cause (a rotated key,
say), a re-drive fetches that entity from Commerce by id and posts it through the bills stream's own pipeline
(`post_records`): link check, hash-skip and the bill's deterministic controlid, so an order or invoice the poller
or the processor already posted is never posted twice. Only the id is used; the rejected body was never kept.

Per quarantined delivery:
- order or invoice: what the processor posts for it (`bill_sources`): with bills from orders the order, or the
  invoice's order; with bills from invoices the invoice, or each of the order's invoices.
- any other type: removed with an audit entry saying why (no stream posts it; the poller reads it on its next run).
- an id Commerce does not have: audited as skipped and removed (a forged delivery's made-up id ends here).
- a re-drive that raises (Commerce or Intacct unreachable): stays quarantined, the attempt counted and audited.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from mlconnector.connection import Connection
from mlconnector.engine.observability import logger
from mlconnector.engine.report import RunReport
from mlconnector.flows.commerce_intacct import flow as commerce_intacct
from mlconnector.state import ConnectionState
from mlconnector.state.audit import AuditEntry
from mlconnector.state.failures import Failure
from mlconnector.webhooks.processor import bill_sources, bills_run, post_records
from mlconnector.webhooks.queue import PROCESSED_TYPES
from mlconnector.webhooks.verifier import QUARANTINE_FLOW

INTEGRATION = commerce_intacct.NAME
"""The integration whose webhook deliveries are quarantined and re-driven here."""

RedriveOutcome = Literal["redriven", "skipped", "kept"]
OUTCOMES: tuple[RedriveOutcome, ...] = ("redriven", "skipped", "kept")


@dataclass(frozen=True)
class RedriveResult:
    entity_type: str
    entity_id: str
    outcome: RedriveOutcome
    detail: str
    """What happened, safe to print: the bill's outcome, why it was skipped, or the error that kept it."""


@dataclass
class RedriveReport:
    run_id: str
    connection: str
    results: list[RedriveResult] = field(default_factory=list)
    bills: Counter[str] = field(default_factory=Counter)
    """Outcomes of the bills stream (created, unchanged, failed, ...) over every order or invoice re-driven."""

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(result.outcome for result in self.results)
        return {outcome: counted[outcome] for outcome in OUTCOMES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "flow": QUARANTINE_FLOW,
            "connection": self.connection,
            "counts": self.counts,
            "bills": dict(self.bills),
            "deliveries": [
                {"entity_type": r.entity_type, "entity_id": r.entity_id, "outcome": r.outcome, "detail": r.detail}
                for r in self.results
            ],
        }


def redrive_quarantined(
    connection: Connection, keys: Collection[str] | None = None, *, run_id: str | None = None
) -> RedriveReport:
    """Re-drive the connection's quarantined deliveries (only those claiming an entity id in `keys`, if given)."""
    report = RedriveReport(run_id or uuid.uuid4().hex[:16], connection.name)
    state = connection.state
    for failure in state.failures.pending(QUARANTINE_FLOW):
        if keys is not None and failure.source_key not in keys:
            continue
        result = _redrive(connection, failure.stream, failure.source_key, report)
        report.results.append(result)
        _settle(state, failure, result, report.run_id)
    return report


def _redrive(connection: Connection, entity_type: str, entity_id: str, report: RedriveReport) -> RedriveResult:
    if entity_type not in PROCESSED_TYPES:
        why = f"no stream posts {entity_type} deliveries; the poller reads the entity on its next run"
        return RedriveResult(entity_type, entity_id, "skipped", why)
    try:
        return _post(connection, entity_type, entity_id, report)
    except Exception as error:  # Commerce or Intacct unreachable, an unknown write outcome: try again later
        logger.warning("quarantined delivery not re-driven", extra={"entity_type": entity_type, "error": str(error)})
        return RedriveResult(entity_type, entity_id, "kept", f"{type(error).__name__}: {error}")


def _post(connection: Connection, entity_type: str, entity_id: str, report: RedriveReport) -> RedriveResult:
    run = bills_run(connection, report.run_id)
    sources = bill_sources(connection, run.stream, entity_type, entity_id)
    if not sources.records:
        return RedriveResult(entity_type, entity_id, "skipped", sources.why)
    post_records(run, sources.records)
    report.bills.update(run.report.counts)
    keys = ", ".join(record.key for record in sources.records)
    bills = "bills" if len(sources.records) > 1 else "bill"
    detail = f"{run.stream.source_object} {keys}: {bills} {_bill_outcome(run.report)}"
    return RedriveResult(entity_type, entity_id, "redriven", detail)


_BILL_OUTCOMES = {
    "failed": "failed; it waits in the engine's replay queue with its reason",
    "created": "created",
    "updated": "updated",
    "unchanged": "already posted and unchanged",
    "skipped": "not posted (the bills stream skips it; see the audit entry)",
}


def _bill_outcome(posted: RunReport) -> str:
    counts = posted.counts
    return next((text for action, text in _BILL_OUTCOMES.items() if counts.get(action)), "not written")


def _settle(state: ConnectionState, failure: Failure, result: RedriveResult, run_id: str) -> None:
    """Audit the attempt under QUARANTINE_FLOW; remove the entry unless the re-drive is to be tried again."""
    action = "failed" if result.outcome == "kept" else result.outcome
    error = None if result.outcome == "redriven" else result.detail
    state.audit.record(
        [
            AuditEntry(
                run_id=run_id,
                flow=QUARANTINE_FLOW,
                stream=failure.stream,
                source_system=failure.source_system,
                source_object=failure.source_object,
                source_key=failure.source_key,
                destination_system="connector",
                action=action,
                error=error,
            )
        ]
    )
    if result.outcome == "kept":
        again = Failure(
            failure.flow,
            failure.stream,
            failure.source_system,
            failure.source_object,
            failure.source_key,
            f"re-drive failed: {result.detail}",
            run_id,
            failure.payload,
        )
        state.failures.put_many([again])
    else:
        state.failures.delete_many(QUARANTINE_FLOW, failure.stream, [failure.source_key])
