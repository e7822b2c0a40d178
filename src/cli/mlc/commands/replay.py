"""`mlc replay INTEGRATION [--key K ...]`: re-drive failed records, re-read from the source."""

from __future__ import annotations

import argparse
from typing import Any

from mlc import render
from mlc.context import open_connection
from mlconnector.engine.report import RunStatus
from mlconnector.service import replay


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("replay", parents=[common], help="replay failed records of an integration")
    parser.add_argument("integration")
    parser.add_argument("--key", action="append", help="only this source key (repeatable); default: all failed")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = replay(args.integration, open_connection(args), args.key)
    if args.json:
        render.as_json(report.to_dict())
    else:
        render.run_summary(report)
    return 0 if report.status is RunStatus.COMPLETED else 1
