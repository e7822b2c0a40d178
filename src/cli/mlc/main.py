"""`mlc`: the operator's command-line tool. Works on the local environment by default, or on a deployed stack.

Built on Click: help for every command and option (defaults included), choices checked the same way everywhere,
usage errors in one line. Whatever an operator can get wrong ends in one line on stderr saying what to fix and a
non-zero exit code (mlc.options.ExitCode), never a traceback (MLC_DEBUG=1 shows one for a bug report).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from mlc.commands import audit, demo_command, ping, replay, runs, sandbox, schedule, sync, unlock
from mlc.options import ExitCode

COMMANDS = (sandbox, sync, ping, audit, replay, runs, unlock, schedule, demo_command)


@click.group(
    "mlc",
    help=__doc__.split("\n\n")[0] if __doc__ else None,
    context_settings={"show_default": True, "help_option_names": ["-h", "--help"], "max_content_width": 110},
    epilog="Exit codes: 0 ok, 1 failed, 2 bad command or configuration, 3 stopped early (run again), "
    "4 another run holds the lease, 130 interrupted (Ctrl-C), 141 output closed (e.g. piped into head).",
)
def cli() -> None:
    pass


for _module in COMMANDS:
    cli.add_command(_module.command)


def operator_errors() -> tuple[type[BaseException], ...]:
    """Errors an operator can act on, shown as one line: every system's error root (each system's spec names it),
    the configuration kind, and a flow that cannot be written yet."""
    from mlconnector.engine.runner import FlowNotWritableError  # noqa: PLC0415 - only once a command failed
    from mlconnector.errors import ConnectorError  # noqa: PLC0415
    from mlconnector.systems.registry import SYSTEMS  # noqa: PLC0415

    return (ConnectorError, FlowNotWritableError, *(spec.error_root for spec in SYSTEMS.values()))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in cli.commands:  # the engine's logs: stderr, readable on a terminal
            from mlc.render import configure_logs  # noqa: PLC0415

            configure_logs()
        code: Any = cli.main(args=args, prog_name="mlc", standalone_mode=False)
        sys.stdout.flush()
    except Exception as error:
        return _failed(error)
    except SystemExit:
        # On EPIPE Click wraps stdout in its _PacifyFlushWrapper and exits with 1, silently: say so, exit 141.
        if type(sys.stdout).__name__ == "_PacifyFlushWrapper":
            return _pipe_closed()
        raise
    except KeyboardInterrupt:
        return _fail("mlc: interrupted", ExitCode.INTERRUPTED)
    return int(code or 0)


def _failed(error: Exception) -> int:
    """One line for whatever ended the command (MLC_DEBUG=1 re-raises anything unexpected, for a bug report)."""
    if isinstance(error, click.exceptions.NoArgsIsHelpError):
        click.echo(error.ctx.get_help() if error.ctx else cli.get_help(click.Context(cli)))
        return ExitCode.OK
    if isinstance(error, BrokenPipeError):
        return _pipe_closed()
    message, code = _one_line(error)
    return _fail(message, code)


def _one_line(error: Exception) -> tuple[str, int]:
    if isinstance(error, click.UsageError):
        where = error.ctx.command_path if error.ctx else "mlc"
        return f"{where}: {error.format_message()} (see `{where} --help`)", ExitCode.USAGE
    if isinstance(error, click.ClickException):
        return f"mlc: {error.format_message()}", ExitCode.USAGE
    if isinstance(error, click.Abort):  # Click's name for a KeyboardInterrupt inside a command
        return "mlc: interrupted", ExitCode.INTERRUPTED
    if isinstance(error, operator_errors()):
        return f"mlc: {error}", ExitCode.USAGE
    if os.environ.get("MLC_DEBUG"):
        raise error
    return f"mlc: unexpected {type(error).__name__}: {error} (MLC_DEBUG=1 shows the traceback)", ExitCode.FAILED


def _fail(message: str, code: int) -> int:
    with contextlib.suppress(BrokenPipeError):
        print(message, file=sys.stderr)
    return code


def _pipe_closed() -> int:
    """The reader left (`mlc runs | head -1`): say so once on stderr, and let nothing write to stdout again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return _fail("mlc: the output was closed before it ended (piped into head?); the command itself finished",
                 ExitCode.PIPE_CLOSED)  # fmt: skip


class _Parser:
    """Parses a command line without running it, argparse-style (tests probe the parsing alone): the parameters as
    a Namespace, or SystemExit(2) with the one-line usage error."""

    def parse_args(self, argv: Sequence[str]) -> argparse.Namespace:
        name, *rest = argv
        try:
            with cli.make_context("mlc", [name], resilient_parsing=True) as parent:
                command = cli.commands[name]
                with command.make_context(name, list(rest), parent=parent) as ctx:
                    return argparse.Namespace(**ctx.params)
        except click.ClickException as error:
            _failed(error)
            raise SystemExit(ExitCode.USAGE) from None


def parser() -> _Parser:
    return _Parser()


if __name__ == "__main__":
    sys.exit(main())
