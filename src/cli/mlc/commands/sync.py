"""`mlc sync INTEGRATION [--dry-run]`: run an integration now, through the same engine as the poller."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mlc import render
from mlc.context import open_connection
from mlconnector.engine.report import RunStatus, StreamReport
from mlconnector.service import sync


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("sync", parents=[common], help="run an integration now")
    parser.add_argument("integration")
    parser.add_argument("--dry-run", action="store_true", help="show what would be written; write nothing")
    parser.add_argument("--show", type=int, default=10, help="records to show from a dry run's preview")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    connection = open_connection(args, read_only=args.dry_run)
    report = sync(args.integration, connection, dry_run=args.dry_run, progress=None if args.json else _progress)
    if args.json:
        render.as_json({**report.to_dict(), "preview": [row.__dict__ for row in report.preview[: args.show]]})
    else:
        print(file=sys.stderr)
        render.run_summary(report)
        if report.dry_run and report.preview:
            print(f"\nfirst {min(args.show, len(report.preview))} of what would be written:")
            rows = [
                {"stream": r.stream, "key": r.key, "action": r.action.value, "payload": r.payload or r.error}
                for r in report.preview
            ]
            render.table(rows[: args.show], ["stream", "key", "action", "payload"])
    return 0 if report.status in (RunStatus.COMPLETED, RunStatus.STOPPED_EARLY) else 1


def _progress(stream: StreamReport) -> None:
    read = sum(stream.counts.values())
    print(f"\r  {stream.name}: page {stream.pages}, {read} records", end="", file=sys.stderr, flush=True)
