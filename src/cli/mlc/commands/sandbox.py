"""`mlc sandbox`: start embedded AWS (moto) and every simulator on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from mlc import render
from mlc.embedded import STATE_FILE, LocalEnvironment
from mlconnector.systems.registry import SYSTEMS


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("sandbox", parents=[common], help="run the local environment: moto + API simulators")
    parser.add_argument("--size", type=int, default=200, help="vendors to seed (others proportional)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the deterministic data generator")
    parser.add_argument("--aws-port", type=int, default=0, help="port for moto (0: any free port)")
    parser.add_argument("--intacct-port", type=int, default=0, help="port for the Intacct gateway (0: any)")
    parser.add_argument(
        "--port",
        action="append",
        default=[],
        type=_port,
        metavar="SYSTEM=PORT",
        help=f"pin a simulator's port (repeatable); systems: {', '.join(SYSTEMS)}",
    )
    parser.set_defaults(func=run)


def _port(value: str) -> tuple[str, int]:
    system, _, port = value.partition("=")
    if system.split(".")[0] not in SYSTEMS or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected SYSTEM=PORT with SYSTEM one of {', '.join(SYSTEMS)}")
    return system, int(port)


def run(args: argparse.Namespace) -> int:
    ports = {"intacct": args.intacct_port, **dict(args.port)}
    environment = LocalEnvironment(seed=args.seed, size=args.size, aws_port=args.aws_port, ports=ports)
    description = environment.start()
    description.save()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        if args.json:
            render.as_json({"aws": description.aws_endpoint, "sandbox": description.sandbox_urls})
        else:
            print(f"embedded AWS (moto): {description.aws_endpoint}")
            for system, url in sorted(description.sandbox_urls.items()):
                print(f"{system} simulator: {url}")
            print(f"seeded {args.size} vendors (seed {args.seed}); other `mlc` commands in this folder use it.")
            print("Ctrl-C stops it.", flush=True)
        stop.wait()
    finally:
        environment.stop()
        STATE_FILE.unlink(missing_ok=True)
    return 0
