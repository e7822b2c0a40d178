"""A stream's notes (decided while it reads) reach the run report, its dict form and the CLI summary."""

from __future__ import annotations

import io
from collections.abc import Iterator

from mlc.render import run_summary
from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.records import Page
from mlconnector.engine.runner import RunOptions, replay_failures, run_flow
from mlconnector.state import ConnectionState
from tests.unit.engine.doubles import DictDestination, DictSource, to_payload


class NotingSource(DictSource):
    """Decides what to say only while reading, like the purchase-order source."""

    said: tuple[str, ...] = ()

    def pages(self, since: str | None) -> Iterator[Page]:
        for page in super().pages(since):
            self.said = (f"read {len(page.records)} record(s) from the test source",)
            yield page


def _flow(source: NotingSource, dest: DictDestination, *, noted: bool = True) -> Flow:
    noting = Stream("vendors", "src", "VENDOR", "dest", source, to_payload, dest, notes=lambda: source.said)
    silent = Stream("others", "src", "OTHER", "dest", DictSource(), to_payload, dest)
    return Flow("noting-flow", [noting, silent] if noted else [silent])


def test_notes_are_copied_after_the_stream_ran_and_shown(state: ConnectionState) -> None:
    source = NotingSource()
    source.put("V1", name="One")
    report = run_flow(_flow(source, DictDestination()), state)
    assert report.streams["vendors"].notes == ["read 1 record(s) from the test source"]
    assert report.to_dict()["streams"]["vendors"]["notes"] == ["read 1 record(s) from the test source"]
    assert "others" not in report.streams or report.streams["others"].notes == []
    out = io.StringIO()
    run_summary(report, out)
    lines = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  stream vendors:"))
    assert lines[at + 1] == "    note: read 1 record(s) from the test source"


def test_notes_also_reach_dry_runs_and_a_stream_without_notes_adds_nothing(state: ConnectionState) -> None:
    source = NotingSource()
    source.put("V1", name="One")
    dry = run_flow(_flow(source, DictDestination()), state, RunOptions(dry_run=True))
    assert dry.streams["vendors"].notes == ["read 1 record(s) from the test source"]
    replayed = replay_failures(_flow(NotingSource(), DictDestination(), noted=False), state)
    assert replayed.streams == {}  # nothing to replay, nothing to note: no empty stream entries
