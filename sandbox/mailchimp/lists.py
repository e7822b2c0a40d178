"""The account root, ping and audiences (``GET /lists``, ``GET /lists/{list_id}``)."""

from __future__ import annotations

from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.lookup import audience_of
from sandbox.mailchimp.params import collection
from sandbox.mailchimp.store import Audience
from sandbox.mailchimp.values import Json

HEALTH = "Everything's Chimpy!"


def ping(_ctx: ApiContext, _call: Call) -> Reply:
    return Reply({"health_status": HEALTH})


def root(ctx: ApiContext, _call: Call) -> Reply:
    config = ctx.config
    with ctx.db.lock:
        subscribers = sum(_counts(audience)["member_count"] for audience in ctx.db.lists.values())
    return Reply(
        {
            "account_id": config.account_id,
            "login_id": config.login_id,
            "account_name": config.account_name,
            "email": config.login_email,
            "first_name": "Sandbox",
            "last_name": "Owner",
            "username": "mlc-sandbox",
            "avatar_url": "",
            "role": "owner",
            "member_since": "2024-01-01T00:00:00+00:00",
            "pricing_plan_type": "monthly",
            "account_timezone": "UTC",
            "account_industry": "Software",
            "contact": {"company": config.account_name, "addr1": "1 Sandbox Way", "city": "Atlanta", "country": "US"},
            "pro_enabled": False,
            "last_login": ctx.now,
            "total_subscribers": subscribers,
            "_links": [{"rel": "self", "href": f"{ctx.api_url}/", "method": "GET"}],
        }
    )


def _counts(audience: Audience) -> dict[str, int]:
    statuses = [member["status"] for member in audience.members.values()]
    return {
        "member_count": statuses.count("subscribed"),
        "unsubscribe_count": statuses.count("unsubscribed"),
        "cleaned_count": statuses.count("cleaned"),
        "member_count_since_send": statuses.count("subscribed"),
        "unsubscribe_count_since_send": 0,
        "cleaned_count_since_send": 0,
        "campaign_count": 0,
        "merge_field_count": len(audience.merge_fields),
        "total_contacts": len(statuses),
    }


def view(ctx: ApiContext, audience: Audience) -> Json:
    return {
        "id": audience.id,
        "web_id": audience.web_id,
        "name": audience.name,
        "contact": {
            "company": ctx.config.account_name,
            "address1": "1 Sandbox Way",
            "city": "Atlanta",
            "country": "US",
        },
        "permission_reminder": "You are receiving this email because you are a contact of ours.",
        "use_archive_bar": True,
        "campaign_defaults": {"from_name": ctx.config.account_name, "from_email": ctx.config.login_email},
        "email_type_option": False,
        "date_created": audience.date_created,
        "list_rating": 0,
        "visibility": "prv",
        "double_optin": False,
        "has_welcome": False,
        "marketing_permissions": False,
        "stats": _counts(audience),
        "_links": [{"rel": "self", "href": f"{ctx.api_url}/lists/{audience.id}", "method": "GET"}],
    }


def list_lists(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        items = [view(ctx, audience) for audience in ctx.db.lists.values()]
    return Reply(collection("lists", items, call.query, ctx.config))


def get_list(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        return Reply(view(ctx, audience_of(ctx, call)))
