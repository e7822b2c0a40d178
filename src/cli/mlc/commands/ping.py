"""`mlc ping INTEGRATION`: check credentials against each system with a cheap call."""

from __future__ import annotations

import argparse
from typing import Any

from mlc import render
from mlc.context import open_connection
from mlconnector.service import ping


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("ping", parents=[common], help="check an integration's credentials and permissions")
    parser.add_argument("integration")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    results = ping(args.integration, open_connection(args, read_only=True))
    rows = [r.__dict__ for r in results]
    if args.json:
        render.as_json(rows)
    else:
        render.table(
            [{**row, "ok": "ok" if row["ok"] else "FAILED", "latency_ms": row["latency_ms"]} for row in rows],
            ["system", "ok", "latency_ms", "detail", "fix"],
        )
    return 0 if all(r.ok for r in results) else 1
