"""Run the sandbox in the foreground for other processes: ``python -m sandbox --seed 1 --size 200``.

Prints the URLs (JSON) on stdout; with ``--credentials-file PATH`` also writes the credentials
(mode 0600). Stops on Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from types import FrameType

from sandbox.intacct import IntacctSimulator
from sandbox.intacct.seed import SeedVolumes
from sandbox.registry import SimulatorFactory, start_all


def _ports(values: list[str]) -> dict[str, int]:
    ports: dict[str, int] = {}
    for value in values:
        name, _, port = value.partition("=")
        ports[name] = int(port)
    return ports


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=100, help="number of vendors (other objects scale)")
    parser.add_argument("--port", action="append", default=[], help="NAME=PORT, e.g. intacct=8081 intacct.session=8082")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API call")
    parser.add_argument("--credentials-file", help="write the credentials as JSON to this file (mode 0600)")
    parser.add_argument("--intacct-customers", type=int, help="Intacct customers (default: size/2)")
    parser.add_argument(
        "--intacct-bills", type=int, help="Intacct bills besides the payment scenarios' (default: size)"
    )
    parser.add_argument("--intacct-paid-share", type=float, help="share of those bills seeded paid (default: 0.4)")
    args = parser.parse_args(argv)
    volumes = SeedVolumes(args.intacct_customers, args.intacct_bills, args.intacct_paid_share)
    factories: dict[str, SimulatorFactory] = {}
    if volumes != SeedVolumes():
        factories["intacct"] = lambda seed, size: IntacctSimulator(seed=seed, size=size, volumes=volumes)

    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with start_all(seed=args.seed, size=args.size, ports=_ports(args.port), factories=factories) as sandbox:
        for simulator in sandbox.simulators.values():
            simulator.latency = args.latency
        if args.credentials_file:
            descriptor = os.open(args.credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                json.dump({name: creds.as_dict() for name, creds in sandbox.credentials.items()}, handle, indent=2)
        print(json.dumps({"urls": sandbox.urls}), flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
