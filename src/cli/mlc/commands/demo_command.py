"""`mlc demo`'s command line (its steps are mlc.commands.demo's, whose run() still takes an argparse-style
namespace with .size and .show)."""

from __future__ import annotations

import argparse

import click

from mlc.options import MlcCommand


@click.command("demo", cls=MlcCommand)
@click.option("--size", type=click.IntRange(min=1), metavar="N", default=200, help="Vendors to seed.")
@click.option(
    "--show", type=click.IntRange(min=0), metavar="N", default=5, help="Records to show from the dry run's preview."
)
def command(size: int, show: int) -> int:
    """Run the product end to end on the embedded default, in one process.

    Starts moto and the simulators (provisioned like a stack), then pings, dry-runs and syncs every integration
    through the unchanged Lambda handlers, changes records on each side and syncs again. It always runs locally
    and prints for a person: --stack and --json are refused. Exit codes: 0 every check held, 1 one did not.
    """
    from mlc.commands import demo  # noqa: PLC0415 - see mlc.commands

    return demo.run(argparse.Namespace(size=size, show=show))
