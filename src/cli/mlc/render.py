"""Human output: Rich tables and short summaries on stdout, progress and log lines on stderr; --json prints the
same data for scripts, and nothing else goes to stdout then.

Rich is imported when a table or a progress line is first drawn, so `mlc --help` does not pay for it."""

from __future__ import annotations

import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from mlconnector.engine.report import RunReport, StreamReport

WIDE = 4096
"""Columns of a table written to a pipe or file: never wrapped, so grep and cut see one row per line."""


def console(out: TextIO | None = None) -> Console:
    """A Rich console on `out` (stdout by default): styled on a terminal, plain text (no colour, no markup, no
    wrapping) when piped."""
    from rich.console import Console  # noqa: PLC0415 - see the module's docstring

    out = out or sys.stdout
    terminal = _is_terminal(out)
    return Console(
        file=out,
        width=None if terminal else WIDE,
        color_system="auto" if terminal else None,
        force_terminal=terminal,
        highlight=False,
        markup=False,
        emoji=False,
    )


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if not rows:
        print("(none)", file=out)
        return
    from rich import box  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    terminal = _is_terminal(out)
    drawn = Table(
        box=box.SIMPLE_HEAD if terminal else None,
        show_edge=False,
        pad_edge=False,
        header_style="bold" if terminal else "",
        padding=(0, 1) if terminal else (0, 2, 0, 0),
    )
    for column in columns:
        drawn.add_column(column.upper(), overflow="fold")
    for row in rows:
        drawn.add_row(*(Text(_cell(row.get(column))) for column in columns))
    if terminal:
        console(out).print(drawn)
        return
    plain = io.StringIO()  # piped: drawn plain, then each line without the last column's padding
    console(plain).print(drawn)
    for line in plain.getvalue().splitlines():
        print(line.rstrip(), file=out)


def as_json(data: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False), file=out)


def run_summary(report: RunReport, out: TextIO | None = None, *, error_line: bool = True) -> None:
    """The report in a few lines; `error_line=False` leaves the reason out (the caller says it on stderr)."""
    out = out or sys.stdout
    mode = "dry run" if report.dry_run else "replay" if report.run_id.startswith("replay-") else "run"
    print(f"{report.flow} {mode} {report.run_id} on connection {report.connection!r}: {report.status.value}", file=out)
    if report.error and error_line:
        print(f"  error: {report.error}", file=out)
    counts = report.counts
    verbs = ("would be created", "would be updated") if report.dry_run else ("created", "updated")
    print(
        f"  {counts['created']} {verbs[0]}, {counts['updated']} {verbs[1]}, {counts['unchanged']} unchanged, "
        f"{counts['skipped']} skipped, {counts['failed']} failed",
        file=out,
    )
    for name, stream in report.streams.items():
        done = ", ".join(f"{k} {v}" for k, v in sorted(stream.counts.items()))
        print(
            f"  stream {name}: {stream.pages} page(s), cursor {stream.cursor or '-'}; {done or 'nothing read'}",
            file=out,
        )
        for note in stream.notes:
            print(f"    note: {note}", file=out)
    calls = ", ".join(f"{system} {n}" for system, n in sorted(report.api_calls.items())) or "none"
    print(f"  API calls: {calls}; {report.duration_ms} ms", file=out)
    if counts["failed"] and not report.dry_run:
        print(
            f"  {counts['failed']} record(s) failed and wait for a replay: see `mlc audit --failed --integration "
            f"{report.flow}`, then `mlc replay {report.flow}`",
            file=out,
        )


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[StreamReport], None] | None]:
    """A progress line on stderr while a run reads pages (only when `enabled`: a terminal, no --json). Log lines
    print above it, and it is cleared when the run ends."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=stderr(),
        transient=True,
        # sys.stderr stays the file stderr() draws on: log lines go through the same console, above the progress
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def update(stream: StreamReport) -> None:
            read = sum(stream.counts.values())
            bar.update(task, description=f"{stream.name}: page {stream.pages}, {read} records")

        yield update


_STDERR: dict[int, Console] = {}


def stderr() -> Console:
    """The one console on stderr (progress and log lines share it, so a log line never glues onto the progress)."""
    out = sys.stderr
    if id(out) not in _STDERR:
        _STDERR.clear()
        _STDERR[id(out)] = console(out)
    return _STDERR[id(out)]


def stderr_is_terminal() -> bool:
    return _is_terminal(sys.stderr)


# --------------------------------------------------------------------------- logs


SAID_BY_THE_SUMMARY = frozenset(
    {"record failed", "run failed", "run failed: configuration", "run stopped by the destination", "run finished"}
)
"""The engine's log lines that the command's own output already says: the run's summary counts failed records
(and points to `mlc audit --failed`) and gives a failed or stopped run's reason, in one line, without traceback."""


class _HumanLogs(logging.Filter):
    """Each log record as one short line on stderr (above the progress on a terminal), instead of the engine's JSON
    lines; what the summary says anyway is withheld."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage() not in SAID_BY_THE_SUMMARY:
            reason = getattr(record, "reason", None)
            text = f"{record.levelname.lower()}: {record.getMessage()}" + (f" ({reason})" if reason else "")
            stderr().print(text, style="yellow" if record.levelno < logging.ERROR else "red", soft_wrap=True)
        return False


class _HumanHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _HumanLogs().filter(record)


def configure_logs() -> None:
    """The engine's logs go to stderr, never stdout (--json must parse). By default only warnings and errors show,
    one short line each, and not those the summary repeats; MLC_LOG_LEVEL (e.g. INFO) keeps the engine's JSON lines
    as CloudWatch gets them, at that level."""
    from mlconnector.engine.observability import logger  # noqa: PLC0415 - the engine, once a command runs

    level = os.environ.get("MLC_LOG_LEVEL")
    logger.setLevel(level or "WARNING")
    handler = logger.registered_handler
    if isinstance(handler, logging.StreamHandler):
        handler.stream = sys.stderr  # not setStream(): it flushes the old stream, which may be closed by now
    for old in [f for f in handler.filters if isinstance(f, _HumanLogs)]:
        handler.removeFilter(old)
    clients = logging.getLogger("mlconnector")  # the systems' clients (retries, waits)
    for stale in [h for h in clients.handlers if isinstance(h, _HumanHandler)]:
        clients.removeHandler(stale)
    if level is None:
        handler.addFilter(_HumanLogs())
        human = _HumanHandler(logging.WARNING)
        clients.addHandler(human)


MAX_CELL = 96


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, Mapping | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False
