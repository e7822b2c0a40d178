"""The seeded account: its admin (the user the API token impersonates), ``size * background_tickets_per_size``
tickets from requesters outside any organization (the noise a flow must skip), and, when ``vendor_tickets`` is set,
organizations V100, V101 ... (the Intacct simulator's VENDORIDs) each with a requester and a ticket. Organizations
are otherwise left to the connector; tests add tickets for them with ``add_ticket``. Stable for a seed."""

from __future__ import annotations

import random
from datetime import timedelta

from sandbox.zendesk.context import ApiContext
from sandbox.zendesk.organizations import create_org
from sandbox.zendesk.tickets import new_ticket
from sandbox.zendesk.users import save

_SUBJECTS = (
    "Invoice question",
    "Payment not received",
    "Update bank details",
    "Duplicate charge",
    "Remittance advice missing",
    "W-9 request",
    "Credit memo",
    "Statement of account",
)
_PRIORITIES = ("low", "normal", "normal", "high", "urgent")
_STATUSES = ("new", "open", "open", "pending", "solved")


def seed_account(ctx: ApiContext, seed: int, size: int) -> None:
    rng = random.Random(f"zendesk:{seed}")
    with ctx.db.lock:
        save(ctx, {"name": "Sandbox Admin", "email": ctx.config.email, "role": "admin", "verified": True}, None)
        background = round(size * ctx.config.background_tickets_per_size)
        for index in range(background):
            requester = save(ctx, {"name": f"Customer {index + 1}", "email": f"customer{index + 1}@example.net"}, None)
            _ticket(ctx, rng, requester["id"], None, days_ago=rng.uniform(1, 30))
        for index in range(ctx.config.vendor_tickets):
            vendor_id = f"V{100 + index}"
            org = create_org(ctx, {"name": f"Vendor {vendor_id}", "external_id": vendor_id})
            requester = save(
                ctx,
                {
                    "name": f"Contact {vendor_id}",
                    "email": f"ap@{vendor_id.lower()}.example.com",
                    "organization_id": org["id"],
                },
                None,
            )
            _ticket(ctx, rng, requester["id"], org["id"], days_ago=rng.uniform(1, 30))


def _ticket(ctx: ApiContext, rng: random.Random, requester_id: int, org_id: int | None, days_ago: float) -> None:
    moment = ctx.moment - timedelta(days=days_ago)
    back_dated = ApiContext(ctx.config, ctx.db, moment, ctx.base_url)
    new_ticket(
        back_dated,
        {
            "subject": rng.choice(_SUBJECTS),
            "description": "Seeded ticket",
            "status": rng.choice(_STATUSES),
            "priority": rng.choice(_PRIORITIES),
            "requester_id": requester_id,
            "organization_id": org_id,
        },
    )
