"""Which operation a request names, and whether its HTTP method is the one the API accepts.

``POST`` with ``_method=GET`` (in the URL or in the form body) tunnels a query (its parameters move
into the body); a GET on a sync endpoint (no ``filterType``) is the documented 605 case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

IDENTITY_PATH = "/identity/oauth/token"


class Op(StrEnum):
    IDENTITY = "identity"
    COMPANIES_DESCRIBE = "companies.describe"
    COMPANIES_QUERY = "companies.query"
    COMPANIES_SYNC = "companies.sync"
    COMPANIES_DELETE = "companies.delete"
    LEADS_DESCRIBE = "leads.describe"
    LEADS_DESCRIBE2 = "leads.describe2"
    LEADS_QUERY = "leads.query"
    LEADS_GET = "leads.get"
    LEADS_SYNC = "leads.sync"


WRITES = frozenset({Op.COMPANIES_SYNC, Op.COMPANIES_DELETE, Op.LEADS_SYNC})

_READS = {
    "/rest/v1/companies/describe.json": Op.COMPANIES_DESCRIBE,
    "/rest/v1/leads/describe.json": Op.LEADS_DESCRIBE,
    "/rest/v1/leads/describe2.json": Op.LEADS_DESCRIBE2,
}
_POSTS = {"/rest/v1/companies/delete.json": Op.COMPANIES_DELETE}
_QUERY_OR_SYNC = {
    "/rest/v1/companies.json": (Op.COMPANIES_QUERY, Op.COMPANIES_SYNC),
    "/rest/v1/leads.json": (Op.LEADS_QUERY, Op.LEADS_SYNC),
}
_LEAD_BY_ID = re.compile(r"/rest/v1/lead/(\d+)\.json")
_API_PREFIXES = ("/rest/", "/bulk/")


@dataclass(frozen=True)
class Route:
    op: Op | None  # None: under /rest or /bulk but no such resource (610)
    method_ok: bool = True
    tunnelled: bool = False  # POST with _method=GET: the parameters are in the body
    lead_id: int | None = None

    @property
    def write(self) -> bool:
        return self.op in WRITES

    @property
    def limited(self) -> bool:
        """Counted against the instance limits (identity calls are not)."""
        return self.op is not Op.IDENTITY


def route(method: str, path: str, query: Mapping[str, list[str]]) -> Route | None:
    """The route of a request; None for paths outside the API (HTTP 404). ``query``: every parameter,
    those of a POSTed form body included."""
    method = method.upper()
    tunnelled = method == "POST" and query.get("_method", [""])[0].upper() == "GET"
    get_like = method == "GET" or tunnelled
    by_id = _LEAD_BY_ID.fullmatch(path)
    found: Route | None = None
    if path == IDENTITY_PATH:
        found = Route(Op.IDENTITY, method in ("GET", "POST"))
    elif path in _READS:
        found = Route(_READS[path], get_like, tunnelled)
    elif path in _POSTS:
        found = Route(_POSTS[path], method == "POST" and not tunnelled)
    elif path in _QUERY_OR_SYNC:
        query_op, sync_op = _QUERY_OR_SYNC[path]
        if tunnelled or (method == "GET" and "filterType" in query):
            found = Route(query_op, True, tunnelled)
        else:
            found = Route(sync_op, method == "POST")
    elif by_id is not None:
        found = Route(Op.LEADS_GET, get_like, tunnelled, int(by_id.group(1)))
    elif path.startswith(_API_PREFIXES):
        found = Route(None)
    return found
