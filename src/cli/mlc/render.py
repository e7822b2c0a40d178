"""Human output: aligned tables and short summaries; --json prints the same data for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from mlconnector.engine.report import RunReport


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if not rows:
        print("(none)", file=out)
        return
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
    print("  ".join(column.upper().ljust(width) for column, width in zip(columns, widths, strict=True)), file=out)
    for line in cells:
        print("  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip(), file=out)


def as_json(data: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False), file=out)


def run_summary(report: RunReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    mode = "dry run" if report.dry_run else "run"
    print(f"{report.flow} {mode} {report.run_id} on connection {report.connection!r}: {report.status.value}", file=out)
    if report.error:
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


MAX_CELL = 96


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, Mapping | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
