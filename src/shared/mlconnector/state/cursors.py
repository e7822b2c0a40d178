"""Per-stream cursors: the position a flow's reader resumes from."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from mlconnector.state import keys
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.models import CursorItem


class CursorStore:
    def __init__(self, connection: str, clock: Clock = system_clock) -> None:
        self.connection = connection
        self._clock = clock

    def get(self, flow: str, stream: str) -> str | None:
        try:
            return str(CursorItem.get(keys.cursor_pk(self.connection, flow), stream).value)
        except DoesNotExist:
            return None

    def put(self, flow: str, stream: str, value: str, run_id: str) -> None:
        CursorItem(
            keys.cursor_pk(self.connection, flow), stream, value=value, run_id=run_id, updated_at=self._clock()
        ).save()

    def all(self, flow: str) -> dict[str, str]:
        return {item.sk: item.value for item in CursorItem.query(keys.cursor_pk(self.connection, flow))}

    def reset(self, flow: str) -> None:
        for item in CursorItem.query(keys.cursor_pk(self.connection, flow)):
            item.delete()
