"""`mlc sandbox`: start embedded AWS (moto) and every simulator on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import click

from mlc.options import ExitCode, MlcCommand

SYSTEM_NAMES = ("intacct", "marketo", "commerce", "mailchimp", "zoho", "zendesk")
"""mlconnector.systems.registry.SYSTEMS' names, listed here so `--help` imports no client (a test keeps them equal)."""


def _port(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> list[tuple[str, int]]:
    pinned = []
    for value in values:
        system, _, port = value.partition("=")
        if system.split(".")[0] not in SYSTEM_NAMES or not port.isdigit() or not 0 < int(port) < 65536:
            raise click.BadParameter(f"{value!r}: expected SYSTEM=PORT with SYSTEM one of {', '.join(SYSTEM_NAMES)}")
        pinned.append((system, int(port)))
    return pinned


@click.command("sandbox", cls=MlcCommand)
@click.option(
    "--size", type=click.IntRange(min=1), metavar="N", default=200, help="Vendors to seed (other records proportional)."
)
@click.option("--seed", type=int, default=7, help="Seed of the deterministic data generator.")
@click.option(
    "--aws-port", type=click.IntRange(0, 65535), metavar="PORT", default=0, help="Port for moto (0: any free port)."
)
@click.option(
    "--intacct-port",
    type=click.IntRange(0, 65535),
    metavar="PORT",
    default=0,
    help="Port for the Intacct gateway (0: any).",
)
@click.option(
    "--port",
    multiple=True,
    metavar="SYSTEM=PORT",
    callback=_port,
    help=f"Pin a simulator's port (repeatable); systems: {', '.join(SYSTEM_NAMES)}.  [default: any free port]",
)
@click.option("--json", "output_json", is_flag=True, help="Print the endpoints as JSON.")
def command(
    *, size: int, seed: int, aws_port: int, intacct_port: int, port: list[tuple[str, int]], output_json: bool
) -> int:
    """Run the local environment until Ctrl-C: moto for AWS, every API simulator, provisioned like a stack.

    It writes .mlc/local.json at the top of the checkout, so `mlc` commands run from any of its folders use it.
    A pinned port already in use is refused at once.
    """
    import signal  # noqa: PLC0415 - see mlc.commands
    import threading  # noqa: PLC0415

    from mlc import render  # noqa: PLC0415
    from mlc.embedded import STATE_FILE, LocalEnvironment, checkout_root  # noqa: PLC0415

    pinned = {"intacct": intacct_port, **dict(port)}
    environment = LocalEnvironment(seed=seed, size=size, aws_port=aws_port, ports=pinned)
    state_file = checkout_root() / STATE_FILE
    try:
        description = environment.start()
    except BaseException:
        environment.stop()
        raise
    description.save(state_file)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        if output_json:
            render.as_json({"aws": description.aws_endpoint, "sandbox": description.sandbox_urls})
        else:
            print(f"embedded AWS (moto): {description.aws_endpoint}")
            for system, url in sorted(description.sandbox_urls.items()):
                print(f"{system} simulator: {url}")
            print(f"seeded {size} vendors (seed {seed}); `mlc` run anywhere under {state_file.parents[1]} uses it.")
            print("Ctrl-C stops it.", flush=True)
        stop.wait()
    finally:
        environment.stop()
        state_file.unlink(missing_ok=True)
    return ExitCode.OK
