"""What the sync benchmarks share to watch a run: attributes replaced for the run and put back after, and one
example of each failed stream's error."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from mlconnector.connection import Connection
from mlconnector.engine.report import RunReport


@contextmanager
def patched(replacements: Sequence[tuple[object, str, object]]) -> Iterator[None]:
    """Replace each (owner, name) with the given object for the block; the originals are back afterwards."""
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in replacements]
    for owner, name, replacement in replacements:
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def print_failures(report: RunReport, connection: Connection, flow: str) -> None:
    """One example of each failed stream's errors (read after the run, not counted)."""
    for name, stream in report.streams.items():
        if stream.counts["failed"]:
            failures = connection.state.failures.pending(flow, name)
            example = failures[0].error if failures else "(none recorded)"
            print(f"    {name}: {stream.counts['failed']} failed, e.g. {example[:160]}")
