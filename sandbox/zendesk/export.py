"""The cursor-based incremental ticket export (reference §5.1, verified §3.2): ``start_time`` (Unix seconds, at least
``export_exclusion_s`` in the past) first, then ``cursor=after_cursor``; up to 1,000 tickets a page in order of
their last change, ``after_cursor`` always (also on the last page), ``end_of_stream``; deleted tickets with status
``deleted`` unless ``exclude_deleted=true``; ``include=users,organizations`` sideloads; ``page[size]`` refused.
Cursors are opaque base64 like Zendesk's (``MTU4MDc1Mzc5OC4wfHw0MzJ8`` = ``1580753798.0||432|``)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import quote

from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import ApiError, bad_request
from sandbox.zendesk.tickets import sideloads, ticket_json
from sandbox.zendesk.values import epoch

Position = tuple[int, int]  # (generated time in Unix seconds, ticket id) of the last ticket handed out


def encode(position: Position) -> str:
    return base64.b64encode(f"{position[0]}.0||{position[1]}|".encode()).decode()


def decode(cursor: str) -> Position:
    # Clients that do not percent-encode the cursor (zenpy) turn its "+" into a space on the way.
    cursor = cursor.replace(" ", "+")
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        seconds, _, rest = text.partition(".0||")
        return int(seconds), int(rest.rstrip("|"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise bad_request("Invalid cursor", "InvalidPaginationParameter") from exc


def _start(ctx: ApiContext, call: Call) -> Position:
    if "page[size]" in call.query or "page[after]" in call.query:
        raise bad_request("page must be an integer", "InvalidPaginationParameter")
    if call.query.get("cursor"):
        return decode(call.query["cursor"])
    text = call.query.get("start_time", "")
    if not text.lstrip("-").isdigit():
        raise bad_request("start_time is required and must be a Unix time in seconds", "InvalidValue")
    start_time = int(text)
    if start_time > epoch(ctx.moment) - ctx.config.export_exclusion_s:
        raise ApiError(
            ctx.config.recent_start_time_status,
            {
                "error": ctx.config.recent_start_time_error,
                "description": "Too recent start_time. Use a start_time older than 1 minute",
            },
        )
    return start_time, -1  # every ticket changed at start_time or later


def tickets_cursor(ctx: ApiContext, call: Call) -> Reply:
    position = _start(ctx, call)
    per_page = ctx.config.export_page_size
    if call.query.get("per_page"):
        if not call.query["per_page"].isdigit() or int(call.query["per_page"]) < 1:
            raise bad_request("per_page must be a positive integer", "InvalidPaginationParameter")
        per_page = min(per_page, int(call.query["per_page"]))
    exclude_deleted = call.query.get("exclude_deleted", "").lower() == "true"
    horizon = epoch(ctx.moment) - ctx.config.export_exclusion_s
    with ctx.db.lock:
        eligible = sorted(
            (
                ((epoch(ticket.generated_at), ticket_id), ticket)
                for ticket_id, ticket in ctx.db.tickets.items()
                if (epoch(ticket.generated_at), ticket_id) > position
                and epoch(ticket.generated_at) <= horizon
                and not (exclude_deleted and ticket.deleted)
            ),
            key=lambda item: item[0],
        )
        page = eligible[:per_page]
        tickets = [ticket_json(ctx, ticket) for _, ticket in page]
        loaded = sideloads(ctx, tickets, call.query.get("include", ""))
    last = page[-1][0] if page else position
    after = encode(last)
    return Reply(
        {
            "tickets": tickets,
            **loaded,
            "after_url": ctx.api_url(f"incremental/tickets/cursor.json?cursor={quote(after, safe='')}"),
            "after_cursor": after,
            "before_url": None,
            "before_cursor": None,
            "end_of_stream": len(eligible) <= per_page,
        }
    )
