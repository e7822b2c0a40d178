"""What the handlers and the CLI both do: run, replay, and ping (mlconnector.ping) an integration for one connection."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import PlannedFlow
from mlconnector.engine.observability import MetricUnit, metrics
from mlconnector.engine.report import RunReport, RunStatus, StreamReport
from mlconnector.engine.runner import RunOptions, replay_failures, run_flow
from mlconnector.flows.registry import get_integration
from mlconnector.ping import PingResult, ping

if TYPE_CHECKING:
    from mlconnector.webhooks.redrive import RedriveReport
    from mlconnector.webhooks.spec import WebhookSpec

__all__ = ["PingResult", "ping", "replay", "replay_and_redrive", "sync"]


def webhook_sender(integration: str) -> WebhookSpec | None:
    """The webhook sender whose deliveries `integration` posts (so it may have quarantined deliveries to re-drive),
    or None. Imported here: the poller never re-drives, and the webhook modules would only slow its cold start."""
    from mlconnector.webhooks.registry import for_integration  # noqa: PLC0415

    return for_integration(integration)


def sync(
    integration: str,
    connection: Connection,
    *,
    dry_run: bool = False,
    run_id: str | None = None,
    progress: Callable[[StreamReport], None] | None = None,
) -> RunReport:
    if dry_run and not connection.read_only:
        raise ValueError("a dry run needs a read-only connection (Connection.open(..., read_only=True))")
    flow = _planned(integration, connection)
    options = RunOptions(dry_run=dry_run, budget=connection.budget, progress=progress)
    if run_id:
        options.run_id = run_id
    return run_flow(flow, connection.state, options)


REPLAY_PREFIX = "replay-"
"""A replay's run id starts with it, so run lists can tell replays from scheduled runs."""


def replay(integration: str, connection: Connection, keys: Sequence[str] | None = None) -> RunReport:
    options = RunOptions(budget=connection.budget)
    options.run_id = REPLAY_PREFIX + options.run_id
    return replay_failures(_planned(integration, connection), connection.state, options, keys)


def _planned(integration: str, connection: Connection) -> PlannedFlow:
    """The integration's flow, built inside the run: a bad secret or an unknown field is a recorded FAILED run (with
    its summary and metrics), not an exception before the run starts."""
    build = get_integration(integration).build  # an unknown integration is refused here, before any run
    return PlannedFlow(integration, lambda: build(connection), api_calls=connection.api_calls)


def redrive_deliveries(
    integration: str, connection: Connection, entity_ids: Collection[str] | None = None
) -> RedriveReport:
    """Re-drive the connection's quarantined webhook deliveries (all, or those claiming one of `entity_ids`):
    each entity is fetched from the source by id and posted through its stream, never from the rejected body."""
    get_integration(integration)  # an unknown name is refused the same way everywhere
    sender = webhook_sender(integration)
    if sender is None:
        raise ConfigurationError(f"integration {integration!r} takes no webhooks: it has no quarantined deliveries")
    from mlconnector.webhooks.redrive import redrive_quarantined  # noqa: PLC0415 - as in webhook_sender

    return redrive_quarantined(connection, sender, entity_ids)


@dataclass(frozen=True)
class Replayed:
    records: RunReport | None
    """The engine's failed records, re-read and written again (None when not asked for)."""
    deliveries: RedriveReport | None
    """Quarantined webhook deliveries re-driven (None when not asked for, or the integration takes no webhooks)."""

    @property
    def ok(self) -> bool:
        """Nothing is left to try again: the run completed and no delivery's re-drive raised."""
        records_ok = self.records is None or self.records.status is RunStatus.COMPLETED
        return records_ok and (self.deliveries is None or self.deliveries.counts["kept"] == 0)


def replay_and_redrive(
    integration: str,
    connection: Connection,
    *,
    keys: Sequence[str] | None = None,
    entity_ids: Collection[str] | None = None,
    webhooks_only: bool = False,
) -> Replayed:
    """What `mlc replay` does: the engine's failed records (all, or `keys`), then, for an integration that takes
    webhooks, its quarantined deliveries (all, or those claiming `entity_ids`). Naming only `keys` leaves the
    deliveries alone; naming only `entity_ids`, or `webhooks_only`, leaves the records alone."""
    if webhooks_only and keys:
        raise ValueError("keys name the engine's failed records: they cannot go with webhooks_only")
    takes_webhooks = webhook_sender(integration) is not None
    if (webhooks_only or entity_ids) and not takes_webhooks:
        get_integration(integration)
        raise ConfigurationError(f"integration {integration!r} takes no webhooks: it has no quarantined deliveries")
    do_records = not webhooks_only and (bool(keys) or not entity_ids)
    do_deliveries = takes_webhooks and (webhooks_only or bool(entity_ids) or not keys)
    records = replay(integration, connection, keys) if do_records else None
    deliveries = redrive_deliveries(integration, connection, entity_ids) if do_deliveries else None
    return Replayed(records, deliveries)


def emit_metrics(report: RunReport) -> None:
    """EMF metrics for a run: records by outcome, API calls per system, duration."""
    metrics.add_dimension(name="flow", value=report.flow)
    for action, count in report.counts.items():
        metrics.add_metric(name=f"Records_{action}", unit=MetricUnit.Count, value=count)
    for system, calls in report.api_calls.items():
        metrics.add_metric(name=f"ApiCalls_{system}", unit=MetricUnit.Count, value=calls)
    metrics.add_metric(name="RunDuration", unit=MetricUnit.Milliseconds, value=report.duration_ms)
    metrics.add_metric(name=f"Runs_{report.status.value}", unit=MetricUnit.Count, value=1)
