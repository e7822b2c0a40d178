"""`mlc`: the operator's command-line tool. Works on the local environment by default, or on a deployed stack."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from mlc.commands import audit, demo, ping, replay, runs, sandbox, sync
from mlconnector.engine.observability import logger
from mlconnector.engine.runner import FlowNotWritableError
from mlconnector.errors import ConnectorError

COMMANDS = (sandbox, sync, ping, audit, replay, runs, demo)

# Errors an operator can act on: shown as one line, without a traceback. ConnectorError is the root of every
# system's errors and of the configuration kind (mlconnector.errors), so a new system needs no line here.
OPERATOR_ERRORS = (ConnectorError, FlowNotWritableError)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--stack", help="a deployed stack's name (default: the local environment)")
    common.add_argument("--region", help="the stack's AWS region")
    common.add_argument("--connection", default="default", help="connection name (default: default)")
    common.add_argument("--json", action="store_true", help="machine-readable output")
    root = argparse.ArgumentParser(prog="mlc", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub, common)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # The engine's JSON logs are for CloudWatch; on a terminal only warnings and errors show.
    logger.setLevel(os.environ.get("MLC_LOG_LEVEL", "WARNING"))
    try:
        code: int = args.func(args)
    except OPERATOR_ERRORS as error:
        print(f"mlc: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
