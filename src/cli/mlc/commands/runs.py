"""`mlc runs`: recent runs, newest first (runs, dry runs, replays, refused and killed ones), and who holds a lease."""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from mlc.options import INTEGRATION, ExitCode, MlcCommand, Target, with_target

if TYPE_CHECKING:
    from mlconnector.state import ConnectionState
    from mlconnector.state.leases import Lease
    from mlconnector.state.runs import RunSummary

RUN_COLUMNS = ["started_at", "run_id", "flow", "kind", "status", "duration_ms", "counts", "error"]
LEASE_COLUMNS = ["flow", "held_by", "until", "state"]
KILLED = "killed"
"""Shown for a run recorded as running whose lease is gone or expired: its process died without finishing."""


@click.command("runs", cls=MlcCommand)
@click.option("--limit", type=click.IntRange(min=1), metavar="N", default=20, help="Runs to show.")
@click.option("--integration", type=INTEGRATION, help="Only this integration.  [default: all]")
@with_target()
def command(limit: int, integration: str | None, target: Target) -> int:
    """List recent runs, newest first, and the leases held now.

    KIND is run, dry run or replay. STATUS is completed, stopped_early, failed, lease_held (refused: another run
    held the flow), interrupted (Ctrl-C), running, or killed (recorded as running, but its lease is gone or
    expired: the process died). A lease shows which run holds a flow and until when; `mlc unlock FLOW` breaks a
    stale one. --json prints {"runs": [...], "leases": [...]}.
    """
    from mlc import render  # noqa: PLC0415 - see mlc.commands
    from mlc.context import open_connection  # noqa: PLC0415

    runs, lease_rows = listing(open_connection(target).state, limit, integration)
    if target.json:
        render.as_json({"runs": runs, "leases": lease_rows})
    else:
        show(runs, lease_rows)
    return ExitCode.OK


def listing(
    state: ConnectionState, limit: int, integration: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The recent runs (newest first) and the leases held now, as `mlc runs` shows them."""
    from mlconnector.flows.registry import INTEGRATIONS  # noqa: PLC0415

    now = time.time()
    flows = [integration] if integration else list(INTEGRATIONS)
    leases = {flow: lease for flow in flows if (lease := state.leases.holder(flow)) is not None}
    runs = [_row(run, leases, now) for run in state.runs.recent(limit, integration)]
    return runs, [lease_row(lease, now) for lease in leases.values()]


def show(runs: list[dict[str, Any]], lease_rows: list[dict[str, Any]]) -> None:
    from mlc import render  # noqa: PLC0415

    render.table([{**run, "counts": _counts(run["counts"])} for run in runs], RUN_COLUMNS)
    if lease_rows:
        print("\nleases held:")
        render.table(lease_rows, LEASE_COLUMNS)


def _counts(counts: dict[str, int]) -> str:
    """The outcomes that happened, e.g. "created 30, skipped 1" ("nothing" when none did)."""
    return ", ".join(f"{action} {n}" for action, n in counts.items() if n) or "nothing"


def kind(run: RunSummary) -> str:
    if run.dry_run:
        return "dry run"
    return "replay" if run.run_id.startswith("replay-") else "run"


def _row(run: RunSummary, leases: dict[str, Lease], now: float) -> dict[str, Any]:
    status = run.status
    if status == "running":
        lease = leases.get(run.flow)
        if lease is None or lease.owner != run.run_id or lease.expires_at < now:
            status = KILLED
    return {**asdict(run), "kind": kind(run), "status": status}


def lease_row(lease: Lease, now: float) -> dict[str, Any]:
    until = datetime.fromtimestamp(lease.expires_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    left = int(lease.expires_at - now)
    state = f"expired {-left} s ago (stale)" if left < 0 else f"{left} s left"
    return {"flow": lease.flow, "held_by": lease.owner, "until": until, "expires_at": lease.expires_at, "state": state}


def mark_interrupted(state: ConnectionState, run_id: str, reason: str) -> bool:
    """A run still recorded as running, after its lease was broken: recorded as interrupted with `reason`."""
    from dataclasses import replace  # noqa: PLC0415

    run = state.runs.get(run_id)
    if run is None or run.status != "running":
        return False
    state.runs.put(replace(run, status="interrupted", error=reason))
    return True
