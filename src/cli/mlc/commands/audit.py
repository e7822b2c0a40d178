"""`mlc audit`: the history of one source record, everything one run did, or records awaiting replay."""

from __future__ import annotations

from dataclasses import asdict

import click

from mlc.options import INTEGRATION, ExitCode, MlcCommand, Target, with_target

ENTRY_COLUMNS = ["at", "run_id", "flow", "stream", "source_key", "action", "destination_id", "error", "note"]
FAILED_COLUMNS = ["flow", "stream", "source_object", "source_key", "attempts", "error"]

KEYS = """\b
Keys are the source system's own ids (--system and --object say whose):
  Intacct VENDOR      its VENDORID, e.g. V100 (the default --system/--object)
  Intacct CUSTOMER    its CUSTOMERID, e.g. C100 (--object CUSTOMER)
  Intacct CONTACT     its CONTACTNAME, e.g. "Grace Martin (V100-1)" (--object CONTACT)
  Commerce order      its increment id, e.g. 000000001 (--system commerce --object order);
                      a quarantined webhook delivery: the entity id it claimed (see --failed)
  Zendesk ticket      its ticket id (--system zendesk --object ticket)
`mlc audit --run RUN` lists every key a run touched; `mlc audit --failed` lists the failed ones with their object.
"""


@click.command("audit", cls=MlcCommand, epilog=KEYS)
@click.option("--key", help="A source record's key: its history across runs (formats below).  [default: none]")
@click.option(
    "--run", "run_id", metavar="RUN_ID", help="A run id (see `mlc runs`): everything the run did.  [default: none]"
)
@click.option("--failed", is_flag=True, help="Records that failed and wait for `mlc replay`.")
@click.option("--system", default="intacct", help="Source system of --key.")
@click.option("--object", "source_object", default="VENDOR", help="Source object of --key.")
@click.option("--integration", type=INTEGRATION, help="With --failed: only this integration.  [default: all]")
@with_target()
def command(
    *,
    key: str | None,
    run_id: str | None,
    failed: bool,
    system: str,
    source_object: str,
    integration: str | None,
    target: Target,
) -> int:
    """Query the audit ledger: one record's history (--key), one run (--run), or what waits for replay (--failed).

    Each row names the flow (integration) that wrote it. Exactly one of --key, --run and --failed.
    """
    chosen = [name for name, given in (("--key", key), ("--run", run_id), ("--failed", failed)) if given]
    if len(chosen) != 1:
        raise click.UsageError("name exactly one of --key, --run and --failed")
    if integration and not failed:
        raise click.UsageError("--integration goes with --failed")
    ctx = click.get_current_context()
    for name in ("system", "source_object"):
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE and not key:
            raise click.UsageError(f"--{name.removeprefix('source_')} goes with --key")
    from mlc import render  # noqa: PLC0415 - see mlc.commands
    from mlc.context import open_connection  # noqa: PLC0415

    state = open_connection(target).state
    if key:
        rows = [asdict(e) for e in state.audit.history(system, source_object, key)]
        columns = ENTRY_COLUMNS
    elif run_id:
        rows = [asdict(e) for e in state.audit.by_run(run_id)]
        columns = ENTRY_COLUMNS
    else:
        rows = [asdict(f) for f in state.failures.pending(integration)]
        columns = FAILED_COLUMNS
    if target.json:
        render.as_json(rows)
    else:
        render.table(rows, columns)
    return ExitCode.OK
