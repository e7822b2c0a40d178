"""The tickets writers against the Intacct simulator: a ticket never goes backwards, a second create of one ticket
(the webhook racing the poller) is read back instead of duplicated, and the attachment fallback adds one dated file
per version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mlconnector.engine.hashing import content_hash
from mlconnector.engine.records import Action, SourceRecord, WriteItem
from mlconnector.flows.intacct_zendesk.attachment_tickets import AttachmentTickets, supdoc_id
from mlconnector.flows.intacct_zendesk.custom_object_tickets import CustomObjectTickets
from mlconnector.flows.intacct_zendesk.mapping import ticket_record
from mlconnector.flows.intacct_zendesk.ticket_forms import Forms
from mlconnector.flows.intacct_zendesk.ticket_home import Mode, TicketHome
from mlconnector.flows.intacct_zendesk.tickets_config import TicketsConfig
from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.intacct import InMemorySessionCache, IntacctClient, IntacctCredentials
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.conftest import Serve

Item = Callable[..., WriteItem]


def _client(sim: IntacctSimulator) -> IntacctClient:
    credentials = IntacctCredentials.from_secret(sim.credentials.as_dict(), allowed_sandbox_hosts=("127.0.0.1",))
    policy = HttpPolicy(connect_timeout=2, read_timeout=10, retry=RetryPolicy(base=0.01, cap=0.1))
    return IntacctClient(credentials, InMemorySessionCache(), sleep=lambda _: None, http=policy)


def _item(ticket_id: int, updated: str, *, status: str = "open", linked: str | None = None) -> WriteItem:
    ticket: dict[str, Any] = {"id": ticket_id, "status": status, "subject": "Invoice", "updated_at": updated}
    payload = ticket_record(ticket, ("VENDOR", "V100"), base_url="https://acme.zendesk.com")
    return WriteItem(SourceRecord(str(ticket_id), ticket), payload, content_hash(payload), linked)


@pytest.fixture
def intacct(serve: Serve) -> tuple[IntacctSimulator, IntacctClient]:
    sim = IntacctSimulator(seed=3, size=10, config=IntacctSimConfig())
    serve(sim)
    return sim, _client(sim)


def _custom(client: IntacctClient) -> CustomObjectTickets:
    home = TicketHome(client, TicketsConfig())
    resolved = home.resolve()
    assert resolved.mode is Mode.CUSTOM_OBJECT
    return CustomObjectTickets(client, resolved, Forms.from_config(home.config))


def _status(sim: IntacctSimulator) -> dict[str, str]:
    return {str(r["NAME"]): str(r["ZD_STATUS"]) for r in sim.custom_records("zendesk_ticket")}


def test_an_older_ticket_never_overwrites_a_newer_one(intacct: tuple[IntacctSimulator, IntacctClient]) -> None:
    sim, client = intacct
    writer = _custom(client)
    (created,) = writer.write([_item(7, "2026-12-01T10:00:00Z", status="solved")])
    assert created.action is Action.CREATED
    assert created.destination_id is not None
    (older,) = writer.write([_item(7, "2026-12-01T09:00:00Z", status="open", linked=created.destination_id)])
    assert older.action is Action.UNCHANGED
    assert _status(sim) == {"ZD-7": "solved"}
    (newer,) = writer.write([_item(7, "2026-12-01T11:00:00Z", status="closed", linked=created.destination_id)])
    assert newer.action is Action.UPDATED
    assert _status(sim) == {"ZD-7": "closed"}


def test_a_second_create_of_one_ticket_is_read_back_not_duplicated(
    intacct: tuple[IntacctSimulator, IntacctClient],
) -> None:
    sim, client = intacct
    _custom(client).write([_item(8, "2026-12-01T10:00:00Z", status="open")])  # the webhook's processor
    other_container = _custom(_client(sim))
    (same,) = other_container.write([_item(8, "2026-12-01T10:00:00Z", status="open")])  # the poller, unlinked
    assert same.action is Action.UPDATED  # this very version is there: linked now, nothing written
    (later,) = other_container.write([_item(8, "2026-12-01T12:00:00Z", status="pending")])
    assert later.action is Action.UPDATED
    assert _status(sim) == {"ZD-8": "pending"}
    (stale,) = other_container.write([_item(8, "2026-12-01T11:00:00Z", status="hold")])
    assert stale.action is Action.UNCHANGED
    assert _status(sim) == {"ZD-8": "pending"}


def test_a_deleted_ticket_is_marked_and_one_never_stored_is_skipped(
    intacct: tuple[IntacctSimulator, IntacctClient],
) -> None:
    sim, client = intacct
    writer = _custom(client)
    (kept,) = writer.write([_item(9, "2026-12-01T10:00:00Z")])
    (marked, never) = writer.write(
        [
            _item(9, "2026-12-01T11:00:00Z", status="deleted", linked=kept.destination_id),
            _item(10, "2026-12-01T11:00:00Z", status="deleted"),
        ]
    )
    assert (marked.action, never.action) == (Action.UPDATED, Action.SKIPPED)
    assert _status(sim) == {"ZD-9": "deleted"}


def test_a_vendor_missing_from_intacct_fails_that_ticket_only(serve: Serve) -> None:
    sim = IntacctSimulator(seed=3, size=10, config=IntacctSimConfig(relationship_key="RECORDNO"))
    serve(sim)
    writer = _custom(_client(sim))
    ghost = _item(11, "2026-12-01T10:00:00Z")
    ghost.payload["party"] = {"object": "VENDOR", "id": "NOPE"}
    outcomes = writer.write([_item(12, "2026-12-01T10:00:00Z"), ghost])
    assert [o.action for o in outcomes] == [Action.CREATED, Action.FAILED]
    assert "VENDOR NOPE is not in Intacct" in str(outcomes[1].error)
    assert writer.forms.key == "RECORDNO"


def test_attachments_add_one_dated_file_per_version_and_never_rewrite_one(
    intacct: tuple[IntacctSimulator, IntacctClient],
) -> None:
    sim, client = intacct
    writer = AttachmentTickets(client)
    (first,) = writer.write([_item(5, "2026-12-01T10:00:00Z")])
    assert first.action is Action.CREATED
    assert first.destination_id == f"{supdoc_id('VENDOR', 'V100')}/zd-5-20261201T100000Z"
    (older,) = writer.write([_item(5, "2026-12-01T09:00:00Z", linked=first.destination_id)])
    assert older.action is Action.UNCHANGED
    (again,) = AttachmentTickets(client).write([_item(5, "2026-12-01T10:00:00Z")])  # a run that lost its link
    assert again.destination_id == first.destination_id  # the same controlid: read as applied, no second file
    (newer,) = writer.write([_item(5, "2026-12-01T11:00:00Z", linked=first.destination_id)])
    assert newer.action is Action.UPDATED
    (supdoc,) = sim.supdocs()
    assert [f.name for f in supdoc.files] == ["zd-5-20261201T100000Z", "zd-5-20261201T110000Z"]
