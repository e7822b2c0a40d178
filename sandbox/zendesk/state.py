"""Python-level access to the simulator's state for tests and the admin endpoints: organizations, users, tickets and
jobs as the API shows them; set up scenarios (an org or a field added, tickets added, changed or deleted in Zendesk
with ``updated_at`` on the simulator clock, jobs finished, tokens expired) without going through the API; send a
signed webhook delivery for a ticket."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import requests

from sandbox.zendesk import jobs
from sandbox.zendesk import tickets as ticket_ops
from sandbox.zendesk.config import ZendeskSimConfig
from sandbox.zendesk.context import ApiContext
from sandbox.zendesk.errors import ApiError
from sandbox.zendesk.limits import RateLimiter
from sandbox.zendesk.org_fields import add_field, field_json
from sandbox.zendesk.organizations import create_org, org_json
from sandbox.zendesk.store import Database
from sandbox.zendesk.tokens import TokenRegistry
from sandbox.zendesk.users import save, user_json
from sandbox.zendesk.values import Json
from sandbox.zendesk.webhooks import TEST_SECRET, WebhookEmitter, change_events, ticket_event


class SimState:
    """Mixed into ZendeskSimulator (which provides the attributes below)."""

    db: Database
    config: ZendeskSimConfig
    tokens: TokenRegistry
    limiter: RateLimiter
    webhooks: WebhookEmitter

    def context(self) -> ApiContext:
        raise NotImplementedError

    # ------------------------------------------------------------------ organizations and their fields
    def organizations(self) -> dict[int, Json]:
        ctx = self.context()
        with self.db.lock:
            return {org_id: org_json(ctx, org) for org_id, org in self.db.organizations.items()}

    def organization(self, org_id: int) -> Json | None:
        return self.organizations().get(int(org_id))

    def organization_by_external_id(self, external_id: str) -> Json | None:
        """Case-insensitive, as Zendesk matches external ids."""
        ctx = self.context()
        with self.db.lock:
            org = self.db.org_by_external(external_id)
            return org_json(ctx, org) if org is not None else None

    def add_organization(self, values: Mapping[str, Any]) -> Json:
        """An org created in Zendesk (the API's rules apply); ValueError when it is refused."""
        ctx = self.context()
        with self.db.lock:
            try:
                return org_json(ctx, create_org(ctx, dict(values)))
            except ApiError as error:
                raise ValueError(json_text(error.payload)) from error

    def add_organization_field(
        self, key: str, field_type: str = "text", title: str = "", options: tuple[str, ...] = ()
    ) -> Json:
        """Define an organization custom field (``dropdown`` takes ``options``); ValueError for a taken key."""
        ctx = self.context()
        with self.db.lock:
            return field_json(ctx, add_field(ctx, key, field_type, title or key, options))

    # ------------------------------------------------------------------ users
    def users(self) -> dict[int, Json]:
        ctx = self.context()
        with self.db.lock:
            return {user_id: user_json(ctx, user) for user_id, user in self.db.users.items()}

    def user_by_email(self, email: str) -> Json | None:
        ctx = self.context()
        with self.db.lock:
            user = self.db.user_by_email(email)
            return user_json(ctx, user) if user is not None else None

    def user_by_external_id(self, external_id: str) -> Json | None:
        ctx = self.context()
        with self.db.lock:
            user = self.db.user_by_external(external_id)
            return user_json(ctx, user) if user is not None else None

    # ------------------------------------------------------------------ tickets
    def tickets(self) -> dict[int, Json]:
        """Every ticket, deleted ones with status ``deleted``."""
        ctx = self.context()
        with self.db.lock:
            return {ticket_id: ticket_ops.ticket_json(ctx, ticket) for ticket_id, ticket in self.db.tickets.items()}

    def ticket(self, ticket_id: int) -> Json | None:
        return self.tickets().get(int(ticket_id))

    def add_ticket(
        self,
        *,
        organization_external_id: str | None = None,
        requester_email: str | None = None,
        subject: str = "Sandbox ticket",
        **values: Any,
    ) -> int:
        """A ticket created in Zendesk now. ``organization_external_id`` names an existing org (KeyError if there is
        none); ``requester_email`` an existing user, or a new end-user of that org. Returns the ticket id."""
        ctx = self.context()
        with self.db.lock:
            org = None
            if organization_external_id is not None:
                org = self.db.org_by_external(organization_external_id)
                if org is None:
                    raise KeyError(f"no organization with external_id {organization_external_id!r}")
            fields: dict[str, Any] = {"subject": subject, "description": subject, **values}
            if org is not None:
                fields.setdefault("organization_id", org["id"])
            if requester_email is not None:
                requester = self.db.user_by_email(requester_email)
                if requester is None:
                    local = requester_email.split("@")[0]
                    requester = save(
                        ctx,
                        {
                            "name": local.replace(".", " ").title() or requester_email,
                            "email": requester_email,
                            "organization_id": org["id"] if org is not None else None,
                        },
                        None,
                    )
                fields.setdefault("requester_id", requester["id"])
            created = ticket_ops.ticket_json(ctx, ticket_ops.new_ticket(ctx, fields))
        self._emit(created, [("ticket.created", {})])
        return int(created["id"])

    def update_ticket(self, ticket_id: int, **changes: Any) -> Json:
        """A change made in Zendesk now (updated_at moves); KeyError for an unknown ticket."""
        ctx = self.context()
        with self.db.lock:
            before = ticket_ops.ticket_json(ctx, self.db.tickets[int(ticket_id)])
            after = ticket_ops.ticket_json(ctx, ticket_ops.change_ticket(ctx, int(ticket_id), changes))
        self._emit(after, change_events(before, after))
        return after

    def delete_ticket(self, ticket_id: int) -> Json:
        """Deleted now: gone from show/show_many, in the export with status ``deleted``."""
        ctx = self.context()
        with self.db.lock:
            deleted = ticket_ops.ticket_json(ctx, ticket_ops.delete_ticket(ctx, int(ticket_id)))
        self._emit(deleted, [("ticket.soft_deleted", {})])
        return deleted

    # ------------------------------------------------------------------ jobs
    def jobs(self) -> dict[str, Json]:
        """Every job kept, without moving any (reading here is no poll)."""
        ctx = self.context()
        with self.db.lock:
            jobs.settle(ctx)
            return {job_id: jobs.job_json(ctx, job) for job_id, job in self.db.jobs.items()}

    def complete_jobs(self) -> int:
        """Finish every queued or running job now; returns how many."""
        ctx = self.context()
        with self.db.lock:
            running = [job for job in self.db.jobs.values() if job.status in jobs.RUNNING]
            for job in running:
                jobs.complete(ctx, job)
            return len(running)

    # ------------------------------------------------------------------ tokens, limits, counts
    def refreshes(self) -> int:
        """Successful refresh-token grants so far."""
        return self.tokens.refreshes

    def access_token(self) -> str:
        """A fresh Bearer token minted as client credentials (no refresh-token rotation), for tests."""
        return self.tokens.client_credentials().value

    def expire_tokens(self) -> int:
        return self.tokens.expire_all()

    def reset_rate_limits(self) -> None:
        self.limiter.reset()

    def counts(self) -> dict[str, int]:
        with self.db.lock:
            return {
                "organizations": len(self.db.organizations),
                "users": len(self.db.users),
                "tickets": len(self.db.tickets),
                "deleted_tickets": sum(1 for ticket in self.db.tickets.values() if ticket.deleted),
                "jobs": len(self.db.jobs),
            }

    # ------------------------------------------------------------------ webhooks
    def configure_webhook(self, url: str | None, secret: str = TEST_SECRET) -> None:
        """Ticket events go to ``url`` from now on, signed with ``secret`` (None: no automatic deliveries)."""
        self.config.webhook_url = url
        self.config.webhook_secret = secret

    def _emit(self, ticket: Json, events: list[tuple[str, Json]]) -> None:
        """Deliver ticket events to ``config.webhook_url`` when one is configured (after the lock is released: the
        receiver may call back into the API)."""
        url = self.config.webhook_url
        if url is None:
            return
        moment = self.context().moment
        for event_type, event in events:
            payload = ticket_event(self.config.account_id, ticket, event_type, moment, event)
            with _quietly():
                self.webhooks.deliver(
                    url, payload, secret=self.config.webhook_secret, moment=moment, order=self.config.signature_order
                )

    def deliver_ticket_webhook(
        self,
        url: str,
        ticket_id: int,
        secret: str = TEST_SECRET,
        event_type: str = "ticket.created",
        event: Mapping[str, Any] | None = None,
        *,
        body: bytes | None = None,
    ) -> int:
        """POST a signed event-subscription delivery for a ticket to a loopback URL; the receiver's status."""
        ctx = self.context()
        ticket = self.ticket(ticket_id)
        if ticket is None:
            raise KeyError(f"no ticket {ticket_id}")
        payload = ticket_event(self.config.account_id, ticket, event_type, ctx.moment, event)
        return self.webhooks.deliver(
            url, payload, secret=secret, moment=ctx.moment, order=self.config.signature_order, body=body
        )


def _quietly() -> contextlib.suppress:
    """A configured receiver that is down loses the delivery (recorded in ``webhooks.sent`` with status None)."""
    return contextlib.suppress(requests.RequestException)


def json_text(payload: Mapping[str, Any]) -> str:
    details = payload.get("details") or {}
    texts = [item.get("description", "") for items in details.values() for item in items]
    return "; ".join(texts) or str(payload.get("description") or payload.get("error"))
