"""The account's one webhook as the webhooks API shows it (reference §7.1; fields beyond endpoint, subscriptions and
authentication UNVERIFIED): ``GET /webhooks/{id}`` and ``GET /webhooks/{id}/signing_secret`` (shape UNVERIFIED).
It is active and posts to ``webhook_url`` once one is configured, inactive without one; it subscribes to ticket
events and signs with ``webhook_secret``."""

from __future__ import annotations

from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import not_found
from sandbox.zendesk.values import Json, stamp
from sandbox.zendesk.webhooks import CHANGE_EVENTS

SUBSCRIPTIONS = tuple(
    f"zen:event-type:{kind}" for kind in ("ticket.created", *CHANGE_EVENTS.values(), "ticket.soft_deleted")
)


def _checked(ctx: ApiContext, call: Call) -> None:
    if call.record_id != ctx.config.webhook_id:
        raise not_found()


def webhook_json(ctx: ApiContext) -> Json:
    url = ctx.config.webhook_url
    created = stamp(ctx.moment.replace(hour=0, minute=0, second=0, microsecond=0))
    return {
        "id": ctx.config.webhook_id,
        "name": "ML Connector",
        "status": "active" if url else "inactive",
        "endpoint": url or "",
        "http_method": "POST",
        "request_format": "json",
        "subscriptions": list(SUBSCRIPTIONS),
        "authentication": None,
        "created_at": created,
        "updated_at": created,
    }


def show(ctx: ApiContext, call: Call) -> Reply:
    _checked(ctx, call)
    return Reply({"webhook": webhook_json(ctx)})


def signing_secret(ctx: ApiContext, call: Call) -> Reply:
    _checked(ctx, call)
    return Reply({"signing_secret": {"algorithm": "SHA256", "secret": ctx.config.webhook_secret}})
