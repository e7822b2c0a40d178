"""`mlc ping INTEGRATION`: check credentials against each system with a cheap call."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

import click

from mlc.options import INTEGRATION, ExitCode, MlcCommand, Target, with_target

if TYPE_CHECKING:
    from mlconnector.systems.plugin import PingResult

MISSING_KEYS = (
    re.compile(r"missing or has empty keys: (?P<keys>[\w, ]+)"),
    re.compile(r"is missing (?P<keys>\w+)"),
    re.compile(r"credentials: (?P<keys>\w+) is empty"),
    re.compile(r"credentials: (?P<keys>\w+(?:, \w+)*) empty"),
    re.compile(r"needs both (?P<keys>\w+ and \w+)"),
)
NOT_HTTPS = re.compile(r"must (?:be|use) https|is not https|not an https")


@click.command("ping", cls=MlcCommand)
@click.argument("integration", type=INTEGRATION)
@with_target()
def command(integration: str, target: Target) -> int:
    """Check an integration's credentials and permissions with cheap calls that change nothing.

    Each system gets one row; FIX says what to change when a check fails. Exit codes: 0 every check passed,
    1 one failed.
    """
    from mlc import render  # noqa: PLC0415 - see mlc.commands
    from mlc.context import open_connection  # noqa: PLC0415
    from mlconnector.service import ping  # noqa: PLC0415

    connection = open_connection(target, read_only=True)
    results = ping(integration, connection)
    prefix = connection.settings.secret_prefix
    rows = [{**r.__dict__, "fix": fix_for(r, prefix, target.connection)} for r in results]
    if target.json:
        render.as_json(rows)
    else:
        render.table(
            [{**row, "ok": "ok" if row["ok"] else "FAILED"} for row in rows],
            ["system", "ok", "latency_ms", "detail", "fix"],
        )
    failed = [r.system for r in results if not r.ok]
    if failed:
        print(
            f"mlc: ping {integration}: {', '.join(failed)} failed; the FIX column says what to change", file=sys.stderr
        )
    return ExitCode.FAILED if failed else ExitCode.OK


def fix_for(result: PingResult, prefix: str, connection: str) -> str:
    """What to fix, matched to the cause: a missing key is named, an http URL gets "use https"; else the system's
    own advice."""
    if result.ok:
        return result.fix
    from mlconnector.config import secret_name  # noqa: PLC0415

    secret = secret_name(prefix, connection, result.system)
    detail = result.detail or ""
    for pattern in MISSING_KEYS:
        found = pattern.search(detail)
        if found:
            return f"add {found['keys'].strip()} to the secret {secret}"
    if NOT_HTTPS.search(detail):
        return f"use an https:// URL (on the default port) in the secret {secret}"
    return result.fix
