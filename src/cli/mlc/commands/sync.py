"""`mlc sync INTEGRATION [--dry-run]`: run an integration now, through the same engine as the poller."""

from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING

import click

from mlc.options import INTEGRATION, ExitCode, MlcCommand, Target, with_target

if TYPE_CHECKING:
    from mlconnector.engine.report import RunReport


@click.command("sync", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION)
@click.option("--dry-run", is_flag=True, help="Read and map, write nothing to any system (the run is still listed).")
@click.option(
    "--show", type=click.IntRange(min=0), metavar="N", default=10, help="Records to show from a dry run's preview."
)
@with_target()
def command(integration: str, dry_run: bool, show: int, target: Target) -> int:
    """Run an integration now, through the same engine as the poller.

    Progress shows on a terminal; the summary (or --json) follows. Ctrl-C stops the run: it is recorded as
    interrupted and its lease released. Exit codes: 0 completed, 1 failed, 3 stopped early (run again to continue),
    4 another run holds the lease (see `mlc runs`, `mlc unlock`).
    """
    from mlc import render  # noqa: PLC0415 - see mlc.commands
    from mlc.context import open_connection  # noqa: PLC0415
    from mlconnector.engine.runner import run_summary  # noqa: PLC0415
    from mlconnector.service import sync  # noqa: PLC0415

    connection = open_connection(target, read_only=dry_run)
    run_id = uuid.uuid4().hex[:16]
    try:
        with render.progress(enabled=not target.json and render.stderr_is_terminal()) as progress:
            report = sync(integration, connection, dry_run=dry_run, run_id=run_id, progress=progress)
    except KeyboardInterrupt:
        recorded = None if dry_run else connection.state.runs.get(run_id)
        said = f"run {run_id} recorded as interrupted, its lease released" if recorded else "nothing was written"
        print(f"\nmlc: interrupted: {said}", file=sys.stderr)
        return ExitCode.INTERRUPTED
    if dry_run:  # the engine writes nothing for a dry run; the operator's is listed so its id can be looked up
        connection.state.runs.put(run_summary(report))
    if target.json:
        render.as_json({**report.to_dict(), "preview": [row.__dict__ for row in report.preview[:show]]})
    else:
        render.run_summary(report, error_line=False)
        if report.dry_run and report.preview:
            print(f"\nfirst {min(show, len(report.preview))} of what would be written:")
            rows = [
                {"stream": r.stream, "key": r.key, "action": r.action.value, "payload": r.payload or r.error}
                for r in report.preview
            ]
            render.table(rows[:show], ["stream", "key", "action", "payload"])
    problem = why_not_completed(report)
    if problem:
        print(f"mlc: {problem}", file=sys.stderr)
    return exit_code(report)


def why_not_completed(report: RunReport) -> str | None:
    """One line for stderr when the run did not complete: what happened and what to do."""
    from mlconnector.engine.report import RunStatus  # noqa: PLC0415

    replay = report.run_id.startswith("replay-")
    run = f"{report.flow} {'dry run' if report.dry_run else 'replay' if replay else 'run'} {report.run_id}"
    if report.status is RunStatus.FAILED:
        return f"{run} failed: {report.error}"
    if report.status is RunStatus.STOPPED_EARLY:
        reason = report.error or "its time budget ran out"
        again = f"mlc {'replay' if replay else 'sync'} {report.flow}"
        return f"{run} stopped early ({reason}) with work left: run `{again}` again to continue"
    if report.status is RunStatus.LEASE_HELD:
        return f"{report.error}: `mlc runs` shows who holds it, `mlc unlock {report.flow}` breaks a stale lease"
    return None


def exit_code(report: RunReport) -> int:
    from mlconnector.engine.report import RunStatus  # noqa: PLC0415

    return {
        RunStatus.COMPLETED: ExitCode.OK,
        RunStatus.STOPPED_EARLY: ExitCode.STOPPED_EARLY,
        RunStatus.LEASE_HELD: ExitCode.LEASE_HELD,
        RunStatus.INTERRUPTED: ExitCode.INTERRUPTED,
    }.get(report.status, ExitCode.FAILED)
