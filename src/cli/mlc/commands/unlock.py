"""`mlc unlock FLOW`: break a stale lease (a run killed without releasing it blocks its flow until it expires)."""

from __future__ import annotations

import sys
import time

import click

from mlc.options import INTEGRATION, ExitCode, MlcCommand, Target, with_target


@click.command("unlock", cls=MlcCommand)
@click.argument("flow", type=INTEGRATION)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_target()
def command(flow: str, yes: bool, target: Target) -> int:
    """Break a flow's lease, so the next sync need not wait for it to expire.

    A lease lets one run of a flow (per connection) at a time; a run killed without releasing it (kill -9, a
    crashed laptop) blocks the flow until it expires (16 minutes). `mlc runs` shows who holds it and until when.
    Breaking the lease of a run that is still going lets a second run overlap it: only unlock a stale one. The run
    that held it, if still recorded as running, is recorded as interrupted. Asks first unless --yes; without a
    terminal, --yes is required.
    """
    from mlc import render  # noqa: PLC0415 - see mlc.commands
    from mlc.commands.runs import lease_row, mark_interrupted  # noqa: PLC0415
    from mlc.context import open_connection  # noqa: PLC0415

    state = open_connection(target).state
    lease = state.leases.holder(flow)
    if lease is None:
        message = f"flow {flow} of connection {target.connection!r} holds no lease: nothing to unlock"
        render.as_json({"flow": flow, "unlocked": False, "lease": None}) if target.json else print(message)
        return ExitCode.OK
    row = lease_row(lease, time.time())
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError("breaking a lease needs confirmation: run it on a terminal, or add --yes")
        question = f"flow {flow} is held by run {lease.owner} until {row['until']} ({row['state']}). Break the lease?"
        if not click.confirm(question, err=True):
            print("lease kept", file=sys.stderr)
            return ExitCode.FAILED
    unlocked = state.leases.break_lease(flow, lease.owner)
    marked = unlocked and mark_interrupted(state, lease.owner, "lease broken by the operator (mlc unlock)")
    if target.json:
        render.as_json({"flow": flow, "unlocked": unlocked, "lease": row, "run_marked_interrupted": marked})
    elif unlocked:
        print(
            f"lease of flow {flow} broken (was held by run {lease.owner})"
            + ("; run recorded as interrupted" if marked else "")
        )
    else:
        print(f"flow {flow}'s lease changed meanwhile (another run took it): left alone; see `mlc runs`")
    return ExitCode.OK if unlocked else ExitCode.FAILED
