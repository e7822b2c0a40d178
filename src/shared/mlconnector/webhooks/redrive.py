"""Re-driving quarantined webhook deliveries (`mlc replay <integration>`), for any registered sender.

A delivery refused at the door (bad or missing signature, stale timestamp) is audited and kept in the FailureStore
under its sender's quarantine flow (`<system>-webhooks`) with the entity type and id it claimed. Once the operator
has fixed the cause (a rotated key, say), a re-drive fetches that entity from the source by id and posts it through
the stream the sender's spec names (`Posting`, the processor's own path): link check, hash-skip and the writer's
exactly-once guarantees, so an entity the poller or the processor already posted is never posted twice. Only the
id is used; the rejected body was never kept.

Per quarantined delivery:
- a type the spec processes: what the processor posts for it (Commerce: with bills from orders the order, or the
  invoice's order; with bills from invoices the invoice, or each of the order's invoices).
- any other type: removed with an audit entry saying why (no stream posts it; the poller reads it on its next run).
- an id the source does not have: audited as skipped and removed (a forged delivery's made-up id ends here).
- a re-drive that raises (source or destination unreachable): stays quarantined, the attempt counted and audited.
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
from mlconnector.state import ConnectionState
from mlconnector.state.audit import AuditEntry
from mlconnector.state.failures import Failure
from mlconnector.webhooks.processor import post_records
from mlconnector.webhooks.spec import WebhookSpec

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
    flow: str
    """The sender's quarantine flow (`commerce-webhooks`)."""
    noun: str = "record"
    """What the sender's stream posts ("bill"): names the outcome counts in `to_dict`."""
    results: list[RedriveResult] = field(default_factory=list)
    posted: Counter[str] = field(default_factory=Counter)
    """Outcomes of the posting stream (created, unchanged, failed, ...) over every entity re-driven."""

    @property
    def bills(self) -> Counter[str]:
        """Commerce's name for `posted` (its stream posts bills)."""
        return self.posted

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(result.outcome for result in self.results)
        return {outcome: counted[outcome] for outcome in OUTCOMES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "flow": self.flow,
            "connection": self.connection,
            "counts": self.counts,
            f"{self.noun}s": dict(self.posted),
            "deliveries": [
                {"entity_type": r.entity_type, "entity_id": r.entity_id, "outcome": r.outcome, "detail": r.detail}
                for r in self.results
            ],
        }


def redrive_quarantined(
    connection: Connection, spec: WebhookSpec, keys: Collection[str] | None = None, *, run_id: str | None = None
) -> RedriveReport:
    """Re-drive the connection's deliveries `spec`'s sender had quarantined (only those claiming an entity id in
    `keys`, if given)."""
    noun = spec.posting().noun
    report = RedriveReport(run_id or uuid.uuid4().hex[:16], connection.name, spec.quarantine_flow, noun)
    state = connection.state
    for failure in state.failures.pending(spec.quarantine_flow):
        if keys is not None and failure.source_key not in keys:
            continue
        result = _redrive(connection, spec, failure.stream, failure.source_key, report)
        report.results.append(result)
        _settle(state, failure, result, report.run_id)
    return report


def _redrive(
    connection: Connection, spec: WebhookSpec, entity_type: str, entity_id: str, report: RedriveReport
) -> RedriveResult:
    if entity_type not in spec.processed_types:
        why = f"no stream posts {entity_type} deliveries; the poller reads the entity on its next run"
        return RedriveResult(entity_type, entity_id, "skipped", why)
    try:
        return _post(connection, spec, entity_type, entity_id, report)
    except Exception as error:  # source or destination unreachable, an unknown write outcome: try again later
        logger.warning("quarantined delivery not re-driven", extra={"entity_type": entity_type, "error": str(error)})
        return RedriveResult(entity_type, entity_id, "kept", f"{type(error).__name__}: {error}")


def _post(
    connection: Connection, spec: WebhookSpec, entity_type: str, entity_id: str, report: RedriveReport
) -> RedriveResult:
    posting = spec.posting()
    run = posting.open_run(connection, report.run_id)
    sources = posting.sources(connection, run, entity_type, entity_id)
    if not sources.records:
        return RedriveResult(entity_type, entity_id, "skipped", sources.why)
    post_records(run, sources.records)
    report.posted.update(run.report.counts)
    keys = ", ".join(record.key for record in sources.records)
    nouns = f"{posting.noun}s" if len(sources.records) > 1 else posting.noun
    detail = f"{run.stream.source_object} {keys}: {nouns} {_outcome(run.report, posting.noun)}"
    return RedriveResult(entity_type, entity_id, "redriven", detail)


_OUTCOMES = {
    "failed": "failed; it waits in the engine's replay queue with its reason",
    "created": "created",
    "updated": "updated",
    "unchanged": "already posted and unchanged",
    "skipped": "not posted (the {noun}s stream skips it; see the audit entry)",
}


def _outcome(posted: RunReport, noun: str) -> str:
    counts = posted.counts
    text = next((text for action, text in _OUTCOMES.items() if counts.get(action)), "not written")
    return text.format(noun=noun)


def _settle(state: ConnectionState, failure: Failure, result: RedriveResult, run_id: str) -> None:
    """Audit the attempt under the quarantine flow; remove the entry unless the re-drive is to be tried again."""
    action = "failed" if result.outcome == "kept" else result.outcome
    error = None if result.outcome == "redriven" else result.detail
    state.audit.record(
        [
            AuditEntry(
                run_id=run_id,
                flow=failure.flow,
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
        state.failures.delete_many(failure.flow, failure.stream, [failure.source_key])
