"""The cursor-based incremental ticket export (reference §5.1, verified §3.2): `GET
/api/v2/incremental/tickets/cursor?start_time=` first, then `?cursor=after_cursor`, until `end_of_stream`; 1,000 tickets
a page; admins only; **10 requests per minute** per account (30 with High Volume), answered 429 `APIRateLimitExceeded`
beyond. The client keeps its own window (a CallBudget of `per_minute` in 60 s) so the export never meets the 429.

`start_time` must be at least a minute in the past, and the last page still carries the after_cursor to resume from:
the caller persists `after_cursor` after each page and never sends `start_time` again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlconnector.call_budget import CallBudget
from mlconnector.http import Sleep
from mlconnector.systems.zendesk.errors import ParseError

PATH = "incremental/tickets/cursor"
PER_MINUTE = 10
"""Export requests per minute without the High Volume add-on (30 with it)."""
WINDOW_SECONDS = 60.0
MIN_AGE_SECONDS = 60
"""How far in the past `start_time` must be."""


SIDELOADS = "users,organizations"
"""Asked with every export page and show_many: each ticket's requester and organization come in the same reply."""


@dataclass(frozen=True)
class TicketPage:
    tickets: tuple[dict[str, Any], ...] = field(repr=False)
    after_cursor: str | None
    end_of_stream: bool
    users: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    """Sideloaded users (requesters, submitters, assignees); empty when Zendesk sent none."""
    organizations: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    """Sideloaded organizations of the page's tickets; empty when Zendesk sent none."""


def export_budget(
    per_minute: int = PER_MINUTE, *, clock: Callable[[], float] = time.monotonic, sleep: Sleep = time.sleep
) -> CallBudget:
    """The export's own window, one request at a time."""
    return CallBudget(
        max_calls=per_minute,
        window_seconds=WINDOW_SECONDS,
        max_concurrent=1,
        system="Zendesk export",
        clock=clock,
        sleep=sleep,
    )


def parse_page(data: object, *, what: str) -> TicketPage:
    if not isinstance(data, dict) or not isinstance(data.get("tickets"), list):
        raise ParseError(f"{what}: Zendesk's reply has no tickets list")
    end = data.get("end_of_stream")
    if not isinstance(end, bool):
        raise ParseError(f"{what}: Zendesk's reply has no end_of_stream")
    cursor = data.get("after_cursor")
    if cursor is not None and (not isinstance(cursor, str) or not cursor):
        raise ParseError(f"{what}: Zendesk's reply has an unreadable after_cursor")
    tickets = tuple(t for t in data["tickets"] if isinstance(t, dict))
    return TicketPage(tickets, cursor, end, sideloaded(data, "users"), sideloaded(data, "organizations"))


def sideloaded(data: dict[str, Any], name: str) -> tuple[dict[str, Any], ...]:
    """A sideload list of a reply (`users`, `organizations`), or () when it is absent or not a list."""
    found = data.get(name)
    return tuple(item for item in found if isinstance(item, dict)) if isinstance(found, list) else ()
