"""`mlc audit`: the history of one source record, everything one run did, or records awaiting replay."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from mlc import render
from mlc.context import open_connection

ENTRY_COLUMNS = ["at", "run_id", "stream", "source_key", "action", "destination_id", "error", "note"]


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("audit", parents=[common], help="query the audit ledger")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--key", help="a source record's key, e.g. a VENDORID")
    what.add_argument("--run", dest="run_id", help="a run id: everything the run did")
    what.add_argument("--failed", action="store_true", help="records that failed and wait for replay")
    parser.add_argument("--system", default="intacct", help="source system of --key (default intacct)")
    parser.add_argument("--object", default="VENDOR", help="source object of --key (default VENDOR)")
    parser.add_argument("--integration", help="with --failed: only this integration")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    state = open_connection(args).state
    if args.key:
        rows = [asdict(e) for e in state.audit.history(args.system, args.object, args.key)]
        columns = ENTRY_COLUMNS
    elif args.run_id:
        rows = [asdict(e) for e in state.audit.by_run(args.run_id)]
        columns = ENTRY_COLUMNS
    else:
        rows = [asdict(f) for f in state.failures.pending(args.integration)]
        columns = ["flow", "stream", "source_object", "source_key", "attempts", "error"]
    if args.json:
        render.as_json(rows)
    else:
        render.table(rows, columns)
    return 0
