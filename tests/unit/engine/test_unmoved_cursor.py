"""A cursor that did not move is not written again: a no-change run costs no cursor write."""

from __future__ import annotations

import pytest

from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.runner import run_flow
from mlconnector.state import ConnectionState
from tests.conftest import FakeClock
from tests.unit.engine.doubles import DictDestination, DictSource, to_payload


def test_a_cursor_that_did_not_move_is_not_rewritten(
    state: ConnectionState, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, dest = DictSource(page_size=3), DictDestination()
    for i in range(5):
        source.put(f"V{i:03d}", name=f"Vendor {i}", email=f"v{i}@example.com")
    flow = Flow("test-flow", [Stream("vendors", "intacct", "VENDOR", "dest", source, to_payload, dest)])
    run_flow(flow, state)
    assert state.cursors.get("test-flow", "vendors") == "000005"

    written: list[str] = []
    real_put = state.cursors.put

    def put(flow_name: str, stream: str, value: str, run_id: str) -> None:
        written.append(value)
        real_put(flow_name, stream, value, run_id)

    monkeypatch.setattr(state.cursors, "put", put)
    clock.advance(1)
    unchanged = run_flow(flow, state)
    assert unchanged.counts["unchanged"] >= 1
    assert unchanged.stream("vendors").cursor == "000005"  # the report still names where the stream stands
    assert written == []

    source.put("V001", name="Renamed", email="v1@example.com")
    run_flow(flow, state)
    assert written == ["000006"]
    assert state.cursors.get("test-flow", "vendors") == "000006"
