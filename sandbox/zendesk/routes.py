"""Which operation a request names. The operation names are what the call log counts and what fault rules match
(``organizations.create_many``, ``incremental.tickets`` ...). Paths live under /api/v2 with an optional ``.json``
(reference §1); the OAuth token endpoint is /oauth/tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

API_PREFIX = "/api/v2"
TOKEN_PATH = "/oauth/tokens"  # noqa: S105 - a path


class Op(StrEnum):
    OAUTH_TOKEN = "oauth.token"  # noqa: S105 - an operation name
    ORGS_LIST = "organizations.list"
    ORGS_SHOW = "organizations.show"
    ORGS_SHOW_MANY = "organizations.show_many"
    ORGS_SEARCH = "organizations.search"
    ORGS_CREATE = "organizations.create"
    ORGS_CREATE_MANY = "organizations.create_many"
    ORGS_CREATE_OR_UPDATE = "organizations.create_or_update"
    ORGS_UPDATE = "organizations.update"
    ORGS_UPDATE_MANY = "organizations.update_many"
    ORGS_DELETE = "organizations.delete"
    ORG_FIELDS_LIST = "organization_fields.list"
    ORG_FIELDS_CREATE = "organization_fields.create"
    USERS_ME = "users.me"
    USERS_SHOW = "users.show"
    USERS_SHOW_MANY = "users.show_many"
    USERS_SEARCH = "users.search"
    USERS_CREATE_OR_UPDATE = "users.create_or_update"
    USERS_CREATE_OR_UPDATE_MANY = "users.create_or_update_many"
    JOBS_LIST = "job_statuses.list"
    JOBS_SHOW = "job_statuses.show"
    JOBS_SHOW_MANY = "job_statuses.show_many"
    TICKETS_SHOW = "tickets.show"
    TICKETS_SHOW_MANY = "tickets.show_many"
    INCREMENTAL_TICKETS = "incremental.tickets"
    SEARCH = "search"
    WEBHOOKS_SHOW = "webhooks.show"
    WEBHOOKS_SIGNING_SECRET = "webhooks.signing_secret"  # noqa: S105 - an operation name


WRITES = frozenset(
    {
        Op.OAUTH_TOKEN,
        Op.ORGS_CREATE,
        Op.ORGS_CREATE_MANY,
        Op.ORGS_CREATE_OR_UPDATE,
        Op.ORGS_UPDATE,
        Op.ORGS_UPDATE_MANY,
        Op.ORGS_DELETE,
        Op.ORG_FIELDS_CREATE,
        Op.USERS_CREATE_OR_UPDATE,
        Op.USERS_CREATE_OR_UPDATE_MANY,
    }
)
TICKETING = frozenset({Op.TICKETS_SHOW, Op.TICKETS_SHOW_MANY, Op.INCREMENTAL_TICKETS})

# Fixed paths before "{id}" ones: "/organizations/show_many" is no org id.
_TABLE: tuple[tuple[str, str, Op], ...] = (
    ("/organizations", "GET", Op.ORGS_LIST),
    ("/organizations", "POST", Op.ORGS_CREATE),
    ("/organizations/show_many", "GET", Op.ORGS_SHOW_MANY),
    ("/organizations/search", "GET", Op.ORGS_SEARCH),
    ("/organizations/create_many", "POST", Op.ORGS_CREATE_MANY),
    ("/organizations/create_or_update", "POST", Op.ORGS_CREATE_OR_UPDATE),
    ("/organizations/update_many", "PUT", Op.ORGS_UPDATE_MANY),
    ("/organizations/{id}", "GET", Op.ORGS_SHOW),
    ("/organizations/{id}", "PUT", Op.ORGS_UPDATE),
    ("/organizations/{id}", "DELETE", Op.ORGS_DELETE),
    ("/organization_fields", "GET", Op.ORG_FIELDS_LIST),
    ("/organization_fields", "POST", Op.ORG_FIELDS_CREATE),
    ("/users/me", "GET", Op.USERS_ME),
    ("/users/show_many", "GET", Op.USERS_SHOW_MANY),
    ("/users/search", "GET", Op.USERS_SEARCH),
    ("/users/create_or_update", "POST", Op.USERS_CREATE_OR_UPDATE),
    ("/users/create_or_update_many", "POST", Op.USERS_CREATE_OR_UPDATE_MANY),
    ("/users/{id}", "GET", Op.USERS_SHOW),
    ("/job_statuses", "GET", Op.JOBS_LIST),
    ("/job_statuses/show_many", "GET", Op.JOBS_SHOW_MANY),
    ("/job_statuses/{id}", "GET", Op.JOBS_SHOW),
    ("/tickets/show_many", "GET", Op.TICKETS_SHOW_MANY),
    ("/tickets/{id}", "GET", Op.TICKETS_SHOW),
    ("/incremental/tickets/cursor", "GET", Op.INCREMENTAL_TICKETS),
    ("/search", "GET", Op.SEARCH),
    ("/webhooks/{id}/signing_secret", "GET", Op.WEBHOOKS_SIGNING_SECRET),
    ("/webhooks/{id}", "GET", Op.WEBHOOKS_SHOW),
)
_PATTERNS = [(re.compile(template.replace("{id}", r"(?P<id>[^/]+)") + "/?"), verb, op) for template, verb, op in _TABLE]


@dataclass(frozen=True)
class Route:
    """``op`` None: ``known_path`` says whether the path exists with another verb."""

    op: Op | None
    record_id: str = ""
    known_path: bool = False

    @property
    def write(self) -> bool:
        return self.op in WRITES


def resolve(method: str, path: str) -> Route:
    """The route of a full request path (``/api/v2/organizations/create_many.json``)."""
    if path.rstrip("/") == TOKEN_PATH:
        return Route(Op.OAUTH_TOKEN) if method.upper() == "POST" else Route(None, known_path=True)
    if not path.startswith(API_PREFIX + "/"):
        return Route(None)
    tail = path.removeprefix(API_PREFIX).removesuffix(".json")
    known = False
    for pattern, verb, op in _PATTERNS:
        match = pattern.fullmatch(tail)
        if match is None:
            continue
        if verb != method.upper():
            known = True
            continue
        return Route(op, match.groupdict().get("id") or "")
    return Route(None, known_path=known)
