"""Tickets (reference §5): show, show_many (at most 100; deleted ones absent) and the helpers tests and the admin
endpoints change tickets with. Every change moves ``updated_at`` and the export's generated time on the simulator
clock; a deleted ticket stays in the export with status ``deleted``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import bad_request, not_found, too_many_values
from sandbox.zendesk.organizations import org_json
from sandbox.zendesk.store import Ticket
from sandbox.zendesk.users import user_json
from sandbox.zendesk.values import Json, comma_list, epoch, int_ids, stamp

STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
PRIORITIES = ("urgent", "high", "normal", "low", None)
TYPES = ("problem", "incident", "question", "task", None)
WRITABLE = (
    "subject",
    "description",
    "status",
    "priority",
    "type",
    "requester_id",
    "submitter_id",
    "assignee_id",
    "organization_id",
    "group_id",
    "external_id",
    "tags",
    "custom_fields",
)


def ticket_json(ctx: ApiContext, ticket: Ticket) -> Json:
    data = {**ticket.data, "url": ctx.api_url(f"tickets/{ticket.data['id']}.json")}
    if ticket.deleted:
        data["status"] = "deleted"
    return data


def sideloads(ctx: ApiContext, tickets: list[Json], include: str) -> Json:
    """``include=users,organizations``: the users and orgs the tickets name, in top-level lists (caller holds the
    lock). Other sideloads are not simulated and are ignored."""
    wanted = set(comma_list(include))
    loaded: Json = {}
    if "users" in wanted:
        user_ids = {t[key] for t in tickets for key in ("requester_id", "submitter_id", "assignee_id") if t.get(key)}
        loaded["users"] = [user_json(ctx, ctx.db.users[uid]) for uid in sorted(user_ids) if uid in ctx.db.users]
    if "organizations" in wanted:
        org_ids = {ticket["organization_id"] for ticket in tickets if ticket.get("organization_id")}
        loaded["organizations"] = [
            org_json(ctx, ctx.db.organizations[oid]) for oid in sorted(org_ids) if oid in ctx.db.organizations
        ]
    return loaded


def _checked(values: Mapping[str, Any]) -> Json:
    unknown = set(values) - set(WRITABLE)
    if unknown:
        raise ValueError(f"tickets have no writable fields {sorted(unknown)}")
    checks = (("status", STATUSES), ("priority", PRIORITIES), ("type", TYPES))
    for name, allowed in checks:
        if name in values and values[name] not in allowed:
            raise ValueError(f"{name} must be one of {list(allowed)}")
    return dict(values)


def new_ticket(ctx: ApiContext, values: Mapping[str, Any]) -> Ticket:
    """Store a ticket as if created in Zendesk now (caller holds the lock); ValueError for a bad value."""
    data: Json = {
        "id": ctx.db.next_ticket_id(),
        "external_id": None,
        "subject": "",
        "description": "",
        "status": "new",
        "priority": None,
        "type": None,
        "requester_id": None,
        "submitter_id": None,
        "assignee_id": None,
        "organization_id": None,
        "group_id": None,
        "brand_id": None,
        "tags": [],
        "custom_fields": [],
        "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}},
    }
    data.update(_checked(values))
    data["submitter_id"] = data["submitter_id"] or data["requester_id"]
    data.update(created_at=ctx.now, updated_at=ctx.now, generated_timestamp=epoch(ctx.moment))
    ticket = Ticket(data, ctx.moment)
    ctx.db.tickets[data["id"]] = ticket
    return ticket


def change_ticket(ctx: ApiContext, ticket_id: int, changes: Mapping[str, Any]) -> Ticket:
    """A change made in Zendesk now; KeyError for an unknown ticket, ValueError for a bad value or a closed one."""
    ticket = ctx.db.tickets[ticket_id]
    if ticket.data["status"] == "closed" and changes:
        raise ValueError("Status: closed prevents ticket update")
    ticket.data.update(_checked(changes))
    _touch(ctx, ticket)
    return ticket


def delete_ticket(ctx: ApiContext, ticket_id: int) -> Ticket:
    ticket = ctx.db.tickets[ticket_id]
    ticket.deleted = True
    _touch(ctx, ticket)
    return ticket


def _touch(ctx: ApiContext, ticket: Ticket) -> None:
    ticket.generated_at = ctx.moment
    ticket.data.update(updated_at=stamp(ctx.moment), generated_timestamp=epoch(ctx.moment))


def show(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        ticket = ctx.db.tickets.get(int(call.record_id)) if call.record_id.isdigit() else None
        if ticket is None or ticket.deleted:
            raise not_found()
        shown = ticket_json(ctx, ticket)
        return Reply({"ticket": shown, **sideloads(ctx, [shown], call.query.get("include", ""))})


def show_many(ctx: ApiContext, call: Call) -> Reply:
    ids = comma_list(call.query.get("ids", ""))
    if not ids:
        raise bad_request("ids is required", "InvalidParameter")
    if len(ids) > ctx.config.max_bulk:
        raise too_many_values("ids", ctx.config.max_bulk)
    with ctx.db.lock:
        found = [ctx.db.tickets.get(ticket_id) for ticket_id in int_ids(ids)]
        tickets = [ticket_json(ctx, ticket) for ticket in found if ticket is not None and not ticket.deleted]
        loaded = sideloads(ctx, tickets, call.query.get("include", ""))
        return Reply({"tickets": tickets, **loaded, "next_page": None, "previous_page": None, "count": len(tickets)})
