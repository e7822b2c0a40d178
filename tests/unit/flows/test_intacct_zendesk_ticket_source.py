"""The tickets reader: each ticket with its organization's external id, its requester's email and whether the
organization is one the connector synced, from the page's sideloads or, when a reply left one out, by id."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from mlconnector.flows.destination_ids import DestinationIds
from mlconnector.flows.intacct_zendesk.ticket_source import TicketSource
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.export import TicketPage

ORGS = {1: {"id": 1, "name": "Acme", "external_id": "V100"}, 2: {"id": 2, "name": "Imported", "external_id": "SF-9"}}
USERS = {5: {"id": 5, "email": "ap@acme.example"}}


@dataclass
class FakeZendesk:
    pages: list[TicketPage]
    asked: list[tuple[str, list[int]]] = field(default_factory=list)

    def export_tickets(self, start_time: int | None, cursor: str | None) -> Iterator[TicketPage]:
        self.asked.append(("export", [start_time or 0] if cursor is None else []))
        return iter(self.pages)

    def organizations_by_ids(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        self.asked.append(("organizations", list(ids)))
        return [ORGS[i] for i in ids if i in ORGS]

    def users_by_ids(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        self.asked.append(("users", list(ids)))
        return [USERS[i] for i in ids if i in USERS]


@dataclass
class FakeIds:
    known: dict[str, str]

    def resolve(self, keys: Collection[str]) -> dict[str, str]:
        return {k: self.known[k] for k in keys if k in self.known}


def _source(zendesk: FakeZendesk, vendors: dict[str, str]) -> TicketSource:
    return TicketSource(cast(ZendeskClient, zendesk), cast(DestinationIds, FakeIds(vendors)), None, start_time=60)


def _ticket(ticket_id: int, org: int | None, requester: int | None = 5) -> dict[str, Any]:
    return {"id": ticket_id, "organization_id": org, "requester_id": requester, "updated_at": "2026-12-01T10:00:00Z"}


def test_sideloaded_organizations_and_users_complete_each_ticket() -> None:
    page = TicketPage((_ticket(1, 1), _ticket(2, 2), _ticket(3, None)), "c1", True, (USERS[5],), (ORGS[1], ORGS[2]))
    zendesk = FakeZendesk([page])
    (read,) = list(_source(zendesk, {"V100": "1"}).pages(None))
    assert read.cursor == "c1"
    data = {r.key: r.data for r in read.records}
    assert (data["1"]["organization_external_id"], data["1"]["organization_ours"]) == ("V100", True)
    assert data["1"]["requester_email"] == "ap@acme.example"
    assert (data["2"]["organization_external_id"], data["2"]["organization_ours"]) == ("SF-9", False)
    assert data["3"]["organization_ours"] is False
    assert zendesk.asked == [("export", [60])]  # nothing fetched by id


def test_an_organization_whose_link_names_another_organization_is_not_ours() -> None:
    page = TicketPage((_ticket(1, 1),), "c1", True, (USERS[5],), (ORGS[1],))
    (read,) = list(_source(FakeZendesk([page]), {"V100": "999"}).pages(None))
    assert read.records[0].data["organization_ours"] is False


def test_a_reply_without_sideloads_is_completed_by_id() -> None:
    zendesk = FakeZendesk([TicketPage((_ticket(1, 1), _ticket(2, 1)), "c2", True)])
    (read,) = list(_source(zendesk, {"V100": "1"}).pages("c1"))
    assert [r.data["organization_ours"] for r in read.records] == [True, True]
    assert read.records[0].data["requester_email"] == "ap@acme.example"
    assert zendesk.asked == [("export", []), ("organizations", [1]), ("users", [5])]
