"""Zendesk tickets → Intacct end to end: polled (the incremental export) and pushed (signed webhooks through the
verifier, SQS and the processor), stored once per ticket as `zendesk_ticket` records, or as attachment files where
the company has no Platform Services. Both simulators over loopback, state in moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from mlconnector.config import SecretReader
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.ping import ping
from mlconnector.service import replay_and_redrive
from mlconnector.state.models import AuditEntryItem
from mlconnector.webhooks.senders.zendesk import SPEC as ZENDESK_WEBHOOKS
from sandbox.core.clock import SimClock
from sandbox.zendesk import ZendeskSimulator
from sandbox.zendesk.webhooks import ticket_event
from tests.integration.conftest import Stack
from tests.integration.test_intacct_zendesk import FIELDS
from tests.integration.test_webhooks import drain, serve_gateway

pytestmark = pytest.mark.integration
FLOW = "intacct-zendesk"
SECRET = "zendesk-signing-secret"
TICKET_WRITES = ("create", "update", "create_supdoc", "update_supdoc")


@pytest.fixture
def desk(stack: Stack) -> Iterator[Stack]:
    """The Intacct stack plus a Zendesk simulator on the stack's time, with the default organization fields."""
    clock = SimClock(datetime.fromtimestamp(stack.clock.now, UTC), frozen=True)
    simulator = ZendeskSimulator(seed=2, size=5, clock=clock)
    for key, kind in FIELDS.items():
        simulator.add_organization_field(key, kind, key)
    with stack.serve(simulator):
        yield stack


def _sim(stack: Stack) -> ZendeskSimulator:
    return stack.of(ZendeskSimulator)


def _later(stack: Stack, seconds: float = 61) -> None:
    """Time passes for everyone (the export leaves out the last minute's changes)."""
    stack.clock.advance(seconds)
    _sim(stack).clock.advance(seconds)
    stack.simulator.clock.advance(seconds)


def _synced(stack: Stack) -> RunReport:
    _later(stack)
    report = stack.sync(FLOW)
    assert report.status is RunStatus.COMPLETED, report.error
    return report


def _records(stack: Stack) -> dict[str, dict[str, Any]]:
    return {str(r["NAME"]): r for r in stack.simulator.custom_records("zendesk_ticket")}


def _ticket_writes(stack: Stack) -> int:
    return sum(stack.simulator.calls.count(name) for name in TICKET_WRITES)


def _skipped(stack: Stack) -> dict[str, str]:
    return {
        e.source_key: str(e.error) for e in AuditEntryItem.scan() if e.stream == "tickets" and e.action == "skipped"
    }


def test_tickets_of_our_organizations_are_stored_once_tied_to_their_vendor(desk: Stack) -> None:
    _synced(desk)  # organizations and users first
    sim = _sim(desk)
    first = sim.add_ticket(organization_external_id="V100", requester_email="ap@acme.example", subject="Invoice 1")
    second = sim.add_ticket(organization_external_id="V101", subject="Where is my payment", priority="high")
    foreign = sim.add_organization({"name": "Salesforce import", "external_id": "SF-1"})
    outsider = sim.add_ticket(organization_id=foreign["id"], subject="not ours")
    report = _synced(desk)

    records = _records(desk)
    assert set(records) == {f"ZD-{first}", f"ZD-{second}"}
    assert records[f"ZD-{first}"]["R_ZENDESK_TICKET_VENDOR.VENDORID"] == "V100"
    assert records[f"ZD-{first}"]["ZD_REQUESTER_EMAIL"] == "ap@acme.example"
    assert records[f"ZD-{second}"]["ZD_PRIORITY"] == "high"
    assert records[f"ZD-{second}"]["ZD_URL"].endswith(f"/agent/tickets/{second}")
    assert report.stream("tickets").counts["created"] == 2
    skipped = _skipped(desk)
    assert "is not one this connector synced from Intacct" in skipped[str(outsider)]
    seeded = [t for t in sim.tickets().values() if t["organization_id"] is None]
    assert seeded
    assert all(skipped[str(t["id"])].endswith("the ticket has no organization") for t in seeded)
    assert any("custom-object records" in note for note in report.stream("tickets").notes)
    history = desk.connection().state.audit.history("zendesk", "ticket", str(first))
    assert [e.action for e in history] == ["created"]

    writes = _ticket_writes(desk)
    again = _synced(desk)
    assert _ticket_writes(desk) == writes
    assert again.stream("tickets").counts.get("created", 0) == 0


def test_a_changed_ticket_updates_its_record_and_a_deleted_one_is_marked_not_erased(desk: Stack) -> None:
    _synced(desk)
    sim = _sim(desk)
    solved = sim.add_ticket(organization_external_id="V100", subject="Invoice 1")
    gone = sim.add_ticket(organization_external_id="V100", subject="Duplicate")
    never = sim.add_ticket(organization_external_id="V100", subject="Spam")
    sim.delete_ticket(never)  # deleted before the connector ever saw it
    _synced(desk)
    assert set(_records(desk)) == {f"ZD-{solved}", f"ZD-{gone}"}
    assert "deleted in Zendesk before it was stored" in _skipped(desk)[str(never)]

    _later(desk)
    sim.update_ticket(solved, status="solved")
    sim.delete_ticket(gone)
    report = _synced(desk)
    records = _records(desk)
    assert records[f"ZD-{solved}"]["ZD_STATUS"] == "solved"
    assert records[f"ZD-{gone}"]["ZD_STATUS"] == "deleted"
    assert len(records) == 2
    assert report.stream("tickets").counts["updated"] == 2


# ------------------------------------------------------------------------------------------- webhooks


@dataclass
class Route:
    stack: Stack
    url: str
    queue_url: str

    @property
    def sim(self) -> ZendeskSimulator:
        return _sim(self.stack)

    def deliver(self, ticket_id: int, *, secret: str = SECRET, event: str = "ticket.status_changed", **kw: Any) -> int:
        return self.sim.webhooks.deliver(self.url, self.payload(ticket_id, event), secret=secret,
                                         moment=self.sim.context().moment, **kw)  # fmt: skip

    def payload(self, ticket_id: int, event: str = "ticket.status_changed") -> dict[str, Any]:
        ticket = self.sim.ticket(ticket_id)
        assert ticket is not None
        return ticket_event(self.sim.config.account_id, ticket, event, self.sim.context().moment, {})

    def queued(self) -> int:
        attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["All"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])

    def process(self) -> None:
        assert all(r == {"batchItemFailures": []} for r in drain(self.stack, self.queue_url))

    def quarantined(self) -> list[tuple[str, str]]:
        failures = self.stack.connection().state.failures.pending(ZENDESK_WEBHOOKS.quarantine_flow)
        return sorted((f.stream, f.source_key) for f in failures)


@pytest.fixture
def route(desk: Stack) -> Iterator[Route]:
    desk._put("default", ZENDESK_WEBHOOKS.secret, {"hmac_secret": SECRET})
    secrets = SecretReader(desk.settings.secret_prefix, max_age_seconds=300, failure_ttl_seconds=30, clock=desk.clock)
    with serve_gateway(desk, secrets, system="zendesk") as (url, queue_url):
        yield Route(desk, url, queue_url)


@pytest.mark.parametrize("webhook_first", [True, False], ids=["webhook-first", "poll-first"])
def test_polled_and_pushed_tickets_end_as_one_record_each_with_the_latest_status(
    route: Route, webhook_first: bool
) -> None:
    desk = route.stack
    _synced(desk)
    tickets = [route.sim.add_ticket(organization_external_id=v, subject=f"About {v}") for v in ("V100", "V101")]
    if webhook_first:
        for ticket in tickets:
            assert route.deliver(ticket, event="ticket.created") == 202
        lookups = desk.simulator.calls.count("lookup")
        route.process()
        assert len(_records(desk)) == 2
        assert desk.simulator.calls.count("lookup") == lookups + 1  # where tickets live: once for the batch
    _synced(desk)
    _later(desk)
    route.sim.update_ticket(tickets[0], status="pending")
    stale = route.payload(tickets[0])  # a delivery of the pending change, held up in transit
    route.sim.update_ticket(tickets[0], status="solved")
    if webhook_first:
        assert route.deliver(tickets[0]) == 202
        route.process()
        _synced(desk)
    else:
        _synced(desk)
        assert route.deliver(tickets[0]) == 202
        route.process()
    late = route.sim.webhooks.deliver(route.url, stale, secret=SECRET, moment=route.sim.context().moment)
    assert late == 202
    route.process()  # the processor fetches the ticket as it is now: solved, already stored

    records = _records(desk)
    assert set(records) == {f"ZD-{t}" for t in tickets}
    assert records[f"ZD-{tickets[0]}"]["ZD_STATUS"] == "solved"
    history = desk.connection().state.audit.history("zendesk", "ticket", str(tickets[0]))
    assert [e.action for e in history].count("created") == 1
    assert desk.simulator.calls.count("create") == 2  # in this flow only ticket records are created in Intacct


def test_forged_stale_replayed_and_duplicate_deliveries(route: Route) -> None:
    desk = route.stack
    _synced(desk)
    ticket = route.sim.add_ticket(organization_external_id="V100", subject="Invoice 1")
    assert route.deliver(ticket, secret="not-the-secret") == 401  # forged
    stale_moment = route.sim.context().moment
    payload = route.payload(ticket)
    _later(desk, 600)
    old = route.sim.webhooks.deliver(route.url, payload, secret=SECRET, moment=stale_moment)
    assert old == 401  # stale: signed ten minutes ago
    assert route.quarantined() == [("ticket", str(ticket))]
    assert route.queued() == 0

    for _ in range(2):  # Zendesk's retry of one invocation, then a replay of it
        assert route.deliver(ticket, invocation_id="inv-1") == 202
    assert route.queued() == 1
    tampered = json.dumps({**payload, "subject": "zen:ticket:999999"}).encode()
    assert route.deliver(ticket, body=tampered) == 401
    route.process()
    assert set(_records(desk)) == {f"ZD-{ticket}"}
    rejected = [e for e in AuditEntryItem.scan() if e.flow == "zendesk-webhooks" and e.action == "rejected"]
    assert len(rejected) == 3
    assert all(SECRET not in str(e.error) for e in rejected)


def test_a_quarantined_delivery_is_stored_by_replay_once_the_secret_is_fixed(route: Route) -> None:
    desk = route.stack
    _synced(desk)
    desk._put("default", ZENDESK_WEBHOOKS.secret, {"hmac_secret": "an-old-secret"})
    desk.clock.advance(60)  # the verifier's kept secret is re-read after a failing signature
    ticket = route.sim.add_ticket(organization_external_id="V100", subject="Invoice 1")
    assert route.deliver(ticket) == 401
    assert route.quarantined() == [("ticket", str(ticket))]
    assert _records(desk) == {}

    desk._put("default", ZENDESK_WEBHOOKS.secret, {"hmac_secret": SECRET})
    route.sim.update_ticket(ticket, status="open")
    result = replay_and_redrive(FLOW, desk.connection(), webhooks_only=True)
    assert result.deliveries is not None
    assert result.deliveries.counts == {"redriven": 1, "skipped": 0, "kept": 0}
    assert _records(desk)[f"ZD-{ticket}"]["ZD_STATUS"] == "open"  # Zendesk's ticket now, not the rejected body
    assert route.quarantined() == []
    desk.clock.advance(60)  # re-reads of the secret are at most one per 30 s
    assert route.deliver(ticket) == 202  # the fixed secret verifies new deliveries too


def test_a_body_plus_timestamp_signature_is_refused_with_the_setting_that_accepts_it(route: Route) -> None:
    _synced(route.stack)
    ticket = route.sim.add_ticket(organization_external_id="V100", subject="Invoice 1")
    assert route.deliver(ticket, order="body_timestamp") == 401
    (entry,) = [e for e in AuditEntryItem.scan() if e.flow == "zendesk-webhooks"]
    assert "set hmac_message to body+timestamp" in str(entry.error)
    route.stack._put("default", ZENDESK_WEBHOOKS.secret,
                     {"hmac_secret": SECRET, "settings": {"hmac_message": "body+timestamp"}})  # fmt: skip
    route.stack.clock.advance(60)
    assert route.deliver(ticket, order="body_timestamp") == 202


# ------------------------------------------------------------------------------------------- Intacct forms


@pytest.mark.parametrize(
    "company",
    [
        {"platform_services": False},
        {"custom_objects_installed": (), "supdoc_folder_must_exist": False, "supdoc_autonumber": True},
    ],
    ids=["no-platform-services", "app-not-installed"],
)
def test_without_platform_services_tickets_become_attachment_files_and_the_report_says_so(
    desk: Stack, company: dict[str, Any]
) -> None:
    for switch, value in company.items():  # UNVERIFIED attachment rules, each way the simulator offers
        setattr(desk.simulator.config, switch, value)
    _synced(desk)
    sim = _sim(desk)
    ticket = sim.add_ticket(organization_external_id="V100", subject="Invoice 1")
    other = sim.add_ticket(organization_external_id="V101", subject="Payment")
    report = _synced(desk)
    assert any("attachment files" in note for note in report.stream("tickets").notes)
    (checked,) = [r for r in ping(FLOW, desk.connection()) if r.system == "intacct (tickets)"]
    assert checked.ok
    assert "attachment files" in checked.detail
    assert "no zendesk_ticket custom object" in checked.detail
    _later(desk)
    sim.update_ticket(ticket, status="solved")
    _synced(desk)
    supdocs = {s.supdoc_id: s for s in desk.simulator.supdocs()}
    assert len(supdocs) == 2
    files = sorted(f.name for s in supdocs.values() for f in s.files)
    assert [f.split("-")[1] for f in files].count(str(ticket)) == 2  # one dated file per version
    assert [f.split("-")[1] for f in files].count(str(other)) == 1
    latest = max((f for s in supdocs.values() for f in s.files if f.name.startswith(f"zd-{ticket}-")),
                 key=lambda f: f.name)  # fmt: skip
    assert json.loads(latest.data)["zd_status"] == "solved"
    writes = _ticket_writes(desk)
    _synced(desk)
    assert _ticket_writes(desk) == writes


def test_a_company_requiring_the_custom_object_without_it_fails_the_run_with_the_fix(desk: Stack) -> None:
    desk.simulator.config.platform_services = False
    desk.put_secret(system="zendesk", tickets={"home": "custom-object"})
    _later(desk)
    report = desk.sync(FLOW)
    assert report.status is RunStatus.FAILED
    assert "no zendesk_ticket custom object" in str(report.error)
    assert "tickets.home" in str(report.error)
    (checked,) = [r for r in ping(FLOW, desk.connection()) if r.system == "intacct (tickets)"]
    assert not checked.ok
    assert "tickets.home" in checked.detail


@pytest.mark.parametrize(
    ("key", "dates"), [("RECORDNO", "both"), ("ID", "us"), ("RECORDNO", "iso")], ids=["recordno", "us-dates", "both"]
)
def test_either_relationship_value_and_either_date_form_are_learnt(desk: Stack, key: str, dates: str) -> None:
    desk.simulator.config.relationship_key = key  # type: ignore[assignment]
    desk.simulator.config.custom_date_input = dates  # type: ignore[assignment]
    _synced(desk)
    tickets = [_sim(desk).add_ticket(organization_external_id=v, subject=v) for v in ("V100", "V101", "V102")]
    report = _synced(desk)
    assert report.stream("tickets").counts["created"] == 3, report.stream("tickets").notes
    records = _records(desk)
    assert {r["R_ZENDESK_TICKET_VENDOR.VENDORID"] for r in records.values()} == {"V100", "V101", "V102"}
    assert set(records) == {f"ZD-{t}" for t in tickets}


def test_a_learnt_form_is_kept_for_later_runs_and_the_webhook_processor(desk: Stack) -> None:
    desk.simulator.config.relationship_key = "RECORDNO"
    _synced(desk)
    _sim(desk).add_ticket(organization_external_id="V100", subject="first")
    _synced(desk)  # refused with the VENDORID, stored with the RECORDNO: learnt
    creates = desk.simulator.calls.count("create")
    ticket = _sim(desk).add_ticket(organization_external_id="V101", subject="second")
    report = _synced(desk)
    assert report.stream("tickets").counts["created"] == 1
    assert desk.simulator.calls.count("create") == creates + 1  # no refused try first: the form was kept
    assert _records(desk)[f"ZD-{ticket}"]["R_ZENDESK_TICKET_VENDOR.VENDORID"] == "V101"


def test_faults_on_zendesk_jobs_and_intacct_writes_end_equal_to_the_source(desk: Stack) -> None:
    zendesk, intacct = _sim(desk).faults, desk.simulator.faults
    zendesk.reseed(7)
    intacct.reseed(7)
    for kind in ("server_error", "conflict", "drop_after"):
        zendesk.add(kind, match="write", probability=0.15, times=None)
    for kind in ("status_after_commit", "drop_after", "try_again_later"):
        intacct.add(kind, match="write", probability=0.15, times=None)
    tickets: list[int] = []
    for run in range(10):
        known = {str(o.get("external_id")) for o in _sim(desk).organizations().values()}
        vendor = f"V10{len(tickets)}"
        if len(tickets) < 4 and vendor in known:  # a ticket needs its organization in Zendesk first
            tickets.append(_sim(desk).add_ticket(organization_external_id=vendor, subject=f"run {run}"))
        if run == 6 and tickets:
            _sim(desk).update_ticket(tickets[0], status="solved")
        _later(desk)
        desk.sync(FLOW)
    assert zendesk.fired
    assert intacct.fired
    assert len(tickets) == 4
    zendesk.clear()
    intacct.clear()
    _synced(desk)
    replay_and_redrive(FLOW, desk.connection())

    vendors = {str(v["VENDORID"]): v["NAME"] for v in desk.simulator.store.all("VENDOR")}
    orgs = {str(o["external_id"]): o["name"] for o in _sim(desk).organizations().values() if o.get("external_id")}
    assert orgs == vendors
    names = [str(r["NAME"]) for r in desk.simulator.custom_records("zendesk_ticket")]
    assert sorted(names) == sorted(f"ZD-{t}" for t in tickets)  # each ticket once
    assert _records(desk)[f"ZD-{tickets[0]}"]["ZD_STATUS"] == "solved"
