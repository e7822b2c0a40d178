"""`mlc replay INTEGRATION [--key K ...] [--entity-id ID ...] [--webhooks-only]`: re-drive failed records,
re-read from the source, and (for an integration that takes webhooks) the quarantined deliveries, fetched by id."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

import click

from mlc.options import INTEGRATION, ExitCode, MlcCommand, Target, with_target

if TYPE_CHECKING:
    from mlconnector.service import Replayed
    from mlconnector.webhooks.redrive import RedriveReport


@click.command("replay", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION)
@click.option(
    "--key",
    "keys",
    multiple=True,
    help="Only this failed record's source key (repeatable).  [default: every failed record]",
)
@click.option("--webhooks-only", is_flag=True, help="Only re-drive quarantined webhook deliveries, not records.")
@click.option(
    "--entity-id",
    "entity_ids",
    multiple=True,
    help="Only the quarantined delivery claiming this entity id (repeatable); see `mlc audit --failed`.  "
    "[default: every quarantined delivery]",
)
@with_target()
def command(
    integration: str, keys: tuple[str, ...], webhooks_only: bool, entity_ids: tuple[str, ...], target: Target
) -> int:
    """Replay an integration's failed records and re-drive its quarantined webhook deliveries.

    Each record is read again from its source (the truth now), mapped and written; a delivery is fetched by id,
    never taken from the rejected body. The replay is listed in `mlc runs` as a replay (run id replay-...).
    Exit codes: 0 nothing left to try again, 1 something is left.
    """
    if keys and webhooks_only:
        raise click.UsageError("--key names failed records: it cannot go with --webhooks-only")
    from mlc import render  # noqa: PLC0415 - see mlc.commands
    from mlc.commands.sync import why_not_completed  # noqa: PLC0415
    from mlc.context import open_connection  # noqa: PLC0415
    from mlconnector.service import replay_and_redrive  # noqa: PLC0415

    result = replay_and_redrive(
        integration,
        open_connection(target),
        keys=list(keys) or None,
        entity_ids=list(entity_ids) or None,
        webhooks_only=webhooks_only,
    )
    nothing = _nothing_to_replay(result)
    if target.json:
        shown: dict[str, Any] = result.records.to_dict() if result.records is not None else {}
        if result.deliveries is not None:
            shown["webhooks"] = result.deliveries.to_dict()
        shown["nothing_to_replay"] = nothing
        render.as_json(shown)
    elif nothing:
        print(
            f"nothing to replay for {integration} on connection {target.connection!r}: no failed records"
            + (" matching --key" if keys else "")
            + (" and no quarantined webhook deliveries" if result.deliveries is not None else "")
            + " (`mlc audit --failed` lists what waits)"
        )
    else:
        if result.records is not None:
            render.run_summary(result.records, error_line=False)
        if result.deliveries is not None:
            _deliveries_summary(result.deliveries)
    problem = why_not_completed(result.records) if result.records is not None else None
    if problem:
        print(f"mlc: {problem}", file=sys.stderr)
    return ExitCode.OK if result.ok else ExitCode.FAILED


def _nothing_to_replay(result: Replayed) -> bool:
    records = result.records
    no_records = records is None or (records.error is None and not any(records.counts.values()))
    return no_records and (result.deliveries is None or not result.deliveries.results)


def _deliveries_summary(report: RedriveReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    counts = report.counts
    print(
        f"quarantined webhook deliveries {report.run_id} on connection {report.connection!r}: "
        f"{counts['redriven']} re-driven, {counts['skipped']} skipped, {counts['kept']} kept for another try",
        file=out,
    )
    for result in report.results:
        print(f"  {result.entity_type} {result.entity_id}: {result.outcome} - {result.detail}", file=out)
