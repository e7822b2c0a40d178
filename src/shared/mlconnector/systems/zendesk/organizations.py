"""Organizations (reference §4, verified §3.1): no bulk create-or-update, so the caller looks organizations up by
external id (`show_many?external_ids=`, at most 100 a call; external ids are case-insensitive) and splits the rest into
`create_many` and `update_many` (batch form, items by `id`: by `external_id` is UNVERIFIED). Names are unique too: a
create whose name an organization without our external id already holds fails; adopting that organization is the
caller's configuration choice (off by default), see `name_taken`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlconnector.systems.zendesk.errors import NameTaken, ParseError

MAX_BATCH = 100


@dataclass(frozen=True)
class OrganizationField:
    """A custom organization field: values are written under `organization_fields[key]`."""

    id: int
    key: str
    type: str
    title: str
    active: bool
    options: tuple[str, ...] = ()
    """A dropdown's option values (tags)."""


def parse_fields(data: object, *, what: str) -> list[OrganizationField]:
    items = data.get("organization_fields") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ParseError(f"{what}: Zendesk's reply has no organization_fields list")
    found = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not isinstance(item.get("id"), int):
            continue
        options = item.get("custom_field_options")
        values = (
            tuple(str(o["value"]) for o in options if isinstance(o, dict) and "value" in o)
            if isinstance(options, list)
            else ()
        )
        found.append(
            OrganizationField(
                id=item["id"],
                key=item["key"],
                type=str(item.get("type") or ""),
                title=str(item.get("title") or ""),
                active=item.get("active") is not False,
                options=values,
            )
        )
    return found


def organizations_of(data: object, *, what: str) -> list[dict[str, Any]]:
    items = data.get("organizations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ParseError(f"{what}: Zendesk's reply has no organizations list")
    return [item for item in items if isinstance(item, dict)]


def same_name(a: str, b: str) -> bool:
    """Zendesk compares names trimmed and case-insensitively."""
    return a.strip().casefold() == b.strip().casefold()


def name_taken(found: Mapping[str, Any], name: str, external_id: str) -> NameTaken:
    """The per-record failure for a name held by an organization without our external id."""
    other = found.get("external_id")
    held = f"external id {other!r}" if other else "no external id"
    return NameTaken(
        f"Zendesk organization name {name!r} is already taken by organization {found.get('id')} ({held}), so "
        f"{external_id!r} cannot be created with it: rename one of them, or allow adopting organizations by name",
        organization_id=int(found.get("id") or 0),
        external_id=str(other or ""),
        status=422,
        error="DuplicateValue",
    )
