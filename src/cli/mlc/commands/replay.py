"""`mlc replay INTEGRATION [--key K ...] [--entity-id ID ...] [--webhooks-only]`: re-drive failed records,
re-read from the source, and (for an integration that takes webhooks) the quarantined deliveries, fetched by id."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from mlc import render
from mlc.context import open_connection
from mlconnector.service import replay_and_redrive

if TYPE_CHECKING:
    from mlconnector.webhooks.redrive import RedriveReport


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "replay",
        parents=[common],
        help="replay failed records of an integration and re-drive its quarantined webhook deliveries",
    )
    parser.add_argument("integration")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--key", action="append", help="only this failed record's source key (repeatable)")
    which.add_argument(
        "--webhooks-only", action="store_true", help="only re-drive quarantined webhook deliveries, not records"
    )
    parser.add_argument(
        "--entity-id",
        action="append",
        help="only the quarantined delivery claiming this entity id (repeatable); see mlc audit --failed",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = replay_and_redrive(
        args.integration,
        open_connection(args),
        keys=args.key,
        entity_ids=args.entity_id,
        webhooks_only=args.webhooks_only,
    )
    if args.json:
        shown: dict[str, Any] = result.records.to_dict() if result.records is not None else {}
        if result.deliveries is not None:
            shown["webhooks"] = result.deliveries.to_dict()
        render.as_json(shown)
    else:
        if result.records is not None:
            render.run_summary(result.records)
        if result.deliveries is not None:
            _deliveries_summary(result.deliveries)
    return 0 if result.ok else 1


def _deliveries_summary(report: RedriveReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    counts = report.counts
    print(
        f"quarantined webhook deliveries {report.run_id} on connection {report.connection!r}: "
        f"{counts['redriven']} re-driven, {counts['skipped']} skipped, {counts['kept']} kept for another try",
        file=out,
    )
    for result in report.results:
        print(f"  {result.entity_type} {result.entity_id}: {result.outcome} - {result.detail}", file=out)
