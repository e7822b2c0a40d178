"""Zendesk tickets as an engine Reader: the cursor-based incremental export (the stream's cursor is the export's
`after_cursor`, checkpointed after each page; the first run starts at `tickets.start`), and `show_many` by id for
webhook deliveries and replay.

Each ticket is read with what its mapping needs and the export page brings along (`include=users,organizations`):
its organization's name and external id, its requester's email, and whether the organization is one this connector
synced from Intacct (its external id has a link, to that organization, in the organizations streams). A reply that
did not sideload an organization or a user is completed with `show_many` by id (the sideload is documented for both
endpoints; this keeps the reader right if a reply leaves one out).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.flows.destination_ids import DestinationIds
from mlconnector.flows.intacct_zendesk.mapping import party_of
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.export import TicketPage
from mlconnector.systems.zendesk.ids import zendesk_int

ORGANIZATION_EXTERNAL_ID = "organization_external_id"
ORGANIZATION_NAME = "organization_name"
ORGANIZATION_OURS = "organization_ours"
"""True when the organization's external id names a vendor (or customer) whose organization this connector wrote."""
REQUESTER_EMAIL = "requester_email"
SHOW_MANY = 100


@dataclass
class TicketSource:
    system: ClassVar[str] = "zendesk"
    object: ClassVar[str] = "ticket"
    client: ZendeskClient
    vendors: DestinationIds
    """The organizations stream's ids: VENDORID -> organization id."""
    customers: DestinationIds | None
    """The customer-organizations stream's ids, when customers are synced (external ids `customer:<id>`)."""
    start_time: int = 0
    _ours: dict[str, bool] = field(default_factory=dict, repr=False)
    """External id (casefolded) + organization id -> whether it is ours, for the run."""

    def pages(self, since: str | None) -> Iterator[Page]:
        start, cursor = (self.start_time, None) if since is None else (None, since)
        for page in self.client.export_tickets(start, cursor):
            yield Page(self._records(page), page.after_cursor)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        ids = [int(key) for key in keys if key.isdigit() and int(key) > 0]
        records: list[SourceRecord] = []
        for start in range(0, len(ids), SHOW_MANY):
            records += self._records(self.client.ticket_page_by_ids(ids[start : start + SHOW_MANY]))
        return records

    def _records(self, page: TicketPage) -> list[SourceRecord]:
        tickets = [t for t in page.tickets if t.get("id") is not None]
        organizations = self._organizations(tickets, page.organizations)
        emails = self._emails(tickets, page.users)
        ours = self._ours_of(organizations.values())
        records = []
        for ticket in tickets:
            org_id, requester = zendesk_int(ticket.get("organization_id")), zendesk_int(ticket.get("requester_id"))
            org = organizations.get(org_id) if org_id is not None else None
            data: dict[str, Any] = {
                **ticket,
                ORGANIZATION_NAME: _text(org.get("name")) if org else None,
                ORGANIZATION_EXTERNAL_ID: _text(org.get("external_id")) if org else None,
                ORGANIZATION_OURS: org is not None and ours.get(_ours_key(org), False),
                REQUESTER_EMAIL: emails.get(requester) if requester is not None else None,
            }
            records.append(SourceRecord(str(ticket["id"]), data))
        return records

    def _organizations(
        self, tickets: Sequence[Mapping[str, Any]], loaded: Sequence[Mapping[str, Any]]
    ) -> dict[int, Mapping[str, Any]]:
        found = _by_id(loaded)
        missing = {i for t in tickets if (i := zendesk_int(t.get("organization_id"))) is not None and i not in found}
        if missing:
            found.update(_by_id(self.client.organizations_by_ids(sorted(missing))))
        return found

    def _emails(self, tickets: Sequence[Mapping[str, Any]], loaded: Sequence[Mapping[str, Any]]) -> dict[int, str]:
        users = _by_id(loaded)
        missing = {i for t in tickets if (i := zendesk_int(t.get("requester_id"))) is not None and i not in users}
        if missing:
            users.update(_by_id(self.client.users_by_ids(sorted(missing))))
        return {i: email for i, user in users.items() if (email := _text(user.get("email")))}

    def _ours_of(self, organizations: Iterable[Mapping[str, Any]]) -> dict[str, bool]:
        """Whether each organization is ours: its external id's link (in the stream of its kind) names it."""
        asked: dict[str, list[tuple[str, str, str]]] = {"VENDOR": [], "CUSTOMER": []}
        for org in organizations:
            party = party_of(_text(org.get("external_id")))
            key = _ours_key(org)
            if party is None:
                self._ours[key] = False
            elif key not in self._ours:
                asked[party[0]].append((key, party[1], str(org.get("id"))))
        for kind, ids in (("VENDOR", self.vendors), ("CUSTOMER", self.customers)):
            wanted = asked[kind]
            if not wanted:
                continue
            resolved = ids.resolve({source for _, source, _ in wanted}) if ids is not None else {}
            self._ours.update((key, resolved.get(source) == org_id) for key, source, org_id in wanted)
        return self._ours


def _by_id(items: Iterable[Mapping[str, Any]]) -> dict[int, Mapping[str, Any]]:
    return {i: item for item in items if (i := zendesk_int(item.get("id"))) is not None}


def _ours_key(org: Mapping[str, Any]) -> str:
    return f"{org.get('id')}|{str(org.get('external_id') or '').casefold()}"


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
