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
@click.option(
    "--no-wait", is_flag=True, help="On a stack: start the execution and print its ARN, without following it."
)
@with_target()
def command(integration: str, dry_run: bool, show: int, no_wait: bool, target: Target) -> int:
    """Run an integration now, through the same engine as the poller.

    On the local environment the run happens here: progress shows on a terminal; the summary (or --json) follows.
    Ctrl-C stops the run: it is recorded as interrupted and its lease released. With --stack the run happens in
    AWS: the stack's PollerLoop state machine is started for the integration and connection (as a schedule starts
    it, going on after a stop until the run completes) and followed, a line per round; Ctrl-C stops following only.
    A --dry-run with --stack runs here, reading the stack's state and writing nothing. Exit codes: 0 completed,
    1 failed, 3 stopped early (run again to continue), 4 another run holds the lease (see `mlc runs`,
    `mlc unlock`).
    """
    if target.stack and not dry_run:
        return _in_stack(integration, no_wait, target)
    if no_wait:
        raise click.UsageError("--no-wait goes with --stack (a local run is followed here)")
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


def _in_stack(integration: str, no_wait: bool, target: Target) -> int:
    """Start the stack's PollerLoop for the integration and connection; follow it unless --no-wait."""
    import boto3  # noqa: PLC0415 - see mlc.commands

    from mlc import render  # noqa: PLC0415
    from mlc.environment import outputs_of  # noqa: PLC0415
    from mlc.stack_runs import follow, start  # noqa: PLC0415

    outputs, region = outputs_of(target.stack, target.region)
    sfn = boto3.client("stepfunctions", region_name=region)
    execution = start(sfn, outputs, integration, target.connection)
    if no_wait:
        render.as_json({"execution_arn": execution}) if target.json else print(f"started {execution}")
        return ExitCode.OK
    if not target.json:
        print(f"started {execution}; following it (Ctrl-C stops following, not the run)", file=sys.stderr)
    try:
        followed = follow(sfn, execution, on_round=lambda n, report: _round(n, report, target))
    except KeyboardInterrupt:
        print(f"mlc: stopped following; the execution goes on in AWS: {execution}", file=sys.stderr)
        return ExitCode.INTERRUPTED
    if target.json:
        render.as_json({"execution_arn": execution, "status": followed.status, "error": followed.error,
                        "rounds": followed.rounds})  # fmt: skip
    elif followed.report is not None:
        print(followed.line())
    if followed.status != "SUCCEEDED":
        print(f"mlc: {followed.line()}", file=sys.stderr)
    return followed.exit_code


def _round(number: int, report: dict[str, object], target: Target) -> None:
    from mlc.stack_runs import round_line  # noqa: PLC0415

    if not target.json:
        print(round_line(number, dict(report)), file=sys.stderr)


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
