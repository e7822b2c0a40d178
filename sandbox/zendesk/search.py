"""The generic search API, ``GET /search?query=type:organization name:"Acme"`` (what zenpy's ``search()`` calls), for
organizations and users: ``key:value`` terms (quotes allowed), exact and case-insensitive. Results carry
``result_type``. Zendesk's own index lags and its external_id search is unreliable (reference §4); use
``/organizations/search`` for exact lookups."""

from __future__ import annotations

import re

from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import bad_request
from sandbox.zendesk.organizations import org_json
from sandbox.zendesk.users import user_json
from sandbox.zendesk.values import Json, external_key

_TERM = re.compile(r'(\w+)[:=]("([^"]*)"|\S+)')


def terms(query: str) -> dict[str, str]:
    return {
        match.group(1).lower(): match.group(3) if match.group(3) is not None else match.group(2)
        for match in _TERM.finditer(query)
    }


def _matches(record: Json, wanted: dict[str, str]) -> bool:
    for key, value in wanted.items():
        if key == "type":
            continue
        have = record.get(key)
        if key == "external_id":
            if external_key(have) != external_key(value):
                return False
        elif str(have if have is not None else "").lower() != value.lower():
            return False
    return True


def search(ctx: ApiContext, call: Call) -> Reply:
    query = call.query.get("query", "")
    wanted = terms(query)
    kind = wanted.get("type")
    if kind not in ("organization", "user"):
        raise bad_request("Only type:organization and type:user searches are simulated", "InvalidValue")
    with ctx.db.lock:
        if kind == "organization":
            results = [
                {**org_json(ctx, org), "result_type": "organization"}
                for org in ctx.db.organizations.values()
                if _matches(org, wanted)
            ]
        else:
            results = [
                {**user_json(ctx, user), "result_type": "user"}
                for user in ctx.db.users.values()
                if _matches(user, wanted)
            ]
    return Reply({"results": results, "count": len(results), "next_page": None, "previous_page": None, "facets": None})
