"""`mlc runs`: recent runs, newest first."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from mlc import render
from mlc.context import open_connection


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("runs", parents=[common], help="recent runs and their counts")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--integration", help="only this integration")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    runs = [asdict(r) for r in open_connection(args).state.runs.recent(args.limit, args.integration)]
    if args.json:
        render.as_json(runs)
    else:
        render.table(runs, ["started_at", "run_id", "flow", "status", "dry_run", "duration_ms", "counts", "error"])
    return 0
