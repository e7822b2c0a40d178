"""`mlc schedule list | set | enable | disable | remove`: the schedules of a stack's integrations and connections.

The stack's own schedules (one per integration, for its ConnectionName) are listed and changed by deploying with
their parameters; other connections' schedules are managed here (mlconnector/schedules.py), in the stack's
schedule group, each starting the PollerLoop state machine. On the local environment they live in its moto.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mlc.options import INTEGRATION, ExitCode, MlcCommand, Target, with_target

if TYPE_CHECKING:
    from mlconnector.schedules import Schedule, ScheduleService

COLUMNS = ["integration", "connection", "expression", "enabled", "name", "managed_by_stack"]


@click.group("schedule")
def command() -> None:
    """List and change when integrations run, per connection, on a stack (or the local environment)."""


def _service(target: Target) -> ScheduleService:
    from mlc.environment import outputs_of  # noqa: PLC0415 - see mlc.commands
    from mlconnector.schedules import ScheduleService  # noqa: PLC0415

    outputs, region = outputs_of(target.stack, target.region)
    return ScheduleService.connect(outputs, region=region)


def _show(schedules: list[Schedule], target: Target) -> int:
    from mlc import render  # noqa: PLC0415

    if target.json:
        render.as_json([s.to_dict() for s in schedules])
    elif schedules:
        render.table([s.to_dict() for s in schedules], COLUMNS)
    else:
        print("no schedules")
    return ExitCode.OK


@command.command("list", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION, required=False)
@with_target(connection=False)
def list_command(integration: str | None, target: Target) -> int:
    """The schedules of every integration (or of INTEGRATION), the stack's own and other connections'."""
    return _show(_service(target).list_schedules(integration), target)


@command.command("set", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION)
@click.option(
    "--expression", required=True, metavar="EXPR", help='When it runs, in UTC: "rate(1 day)", "cron(0 2 * * ? *)".'
)
@click.option("--disabled", is_flag=True, help="Create or leave it switched off.  [default: on when created]")
@with_target()
def set_command(integration: str, expression: str, disabled: bool, target: Target) -> int:
    """Create a connection's schedule for INTEGRATION, or change when it runs."""
    enabled = False if disabled else None
    found = _service(target).set(integration, target.connection, expression=expression, enabled=enabled)
    return _show([found], target)


@command.command("enable", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION)
@with_target()
def enable_command(integration: str, target: Target) -> int:
    """Switch a connection's schedule for INTEGRATION on."""
    return _show([_service(target).enable(integration, target.connection)], target)


@command.command("disable", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION)
@with_target()
def disable_command(integration: str, target: Target) -> int:
    """Switch a connection's schedule for INTEGRATION off (kept, with its expression)."""
    return _show([_service(target).disable(integration, target.connection)], target)


@command.command("remove", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION)
@with_target()
def remove_command(integration: str, target: Target) -> int:
    """Delete a connection's schedule for INTEGRATION (the connection's state and secrets stay)."""
    removed = _service(target).remove(integration, target.connection)
    if not target.json:
        print(f"removed schedule {removed.name} ({removed.expression})")
        return ExitCode.OK
    return _show([removed], target)
