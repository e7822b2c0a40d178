"""One owner per shared email: the rule is deterministic, stable across runs, and moves the destination record
when a contact takes an email or gives one up (engine doubles, moto state)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.records import Action, Outcome, SkipRecord, SourceRecord, WriteItem
from mlconnector.engine.runner import RunOptions, run_flow
from mlconnector.flows.intacct_source.contact_emails import SKIP_REASON, contact_claim, record_claim
from mlconnector.flows.one_owner import Claim, OneOwnerPerValue, OwnerBook, owned
from mlconnector.state import ConnectionState
from tests.conftest import FakeClock
from tests.unit.engine.doubles import DictSource

FLOW, STREAM = "contacts-to-leads", "leads"


@dataclass
class Contacts:
    """The source (a DictSource of CONTACT rows) and its claim index, counting index look-ups."""

    source: DictSource = field(default_factory=lambda: DictSource(page_size=2))
    lookups: list[Collection[str] | None] = field(default_factory=list)

    def put(self, name: str, vendor: str, email: str | None, first: str = "") -> None:
        self.source.put(name, CONTACTNAME=name, VENDORID=vendor, EMAIL1=email, FIRSTNAME=first or name)

    def claims(self, values: Collection[str] | None) -> list[Claim]:
        self.lookups.append(values)
        found = [contact_claim(row, "VENDORID") for row in self.source.records.values()]
        return [c for c in found if c is not None and (values is None or c.value in values)]


@dataclass
class Leads:
    """A destination keyed by email, like Marketo leads: an upsert by email."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    writes: list[str] = field(default_factory=list)
    max_batch: int = 10

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        outcomes = []
        for item in items:
            email = item.payload["email"]
            action = Action.UPDATED if email in self.rows else Action.CREATED
            self.rows[email] = item.payload
            self.writes.append(email)
            outcomes.append(Outcome(item.record.key, action, destination_id=email))
        return outcomes


def _lead(record: SourceRecord) -> dict[str, Any]:
    if not record.data.get("EMAIL1"):
        raise SkipRecord("no EMAIL1")
    return {
        "email": str(record.data["EMAIL1"]).lower(),
        "name": record.data["FIRSTNAME"],
        "vendor": record.data["VENDORID"],
    }


Run = Callable[..., Any]


@pytest.fixture
def run(state: ConnectionState, clock: FakeClock) -> Run:
    """One run of the leads stream, a minute after the last (so audit histories sort by run)."""

    def run_once(contacts: Contacts, leads: Leads, *, dry_run: bool = False) -> Any:
        clock.advance(60)
        book = OwnerBook(state.links, FLOW, "leads.owners", persist=not dry_run)
        reader = OneOwnerPerValue(contacts.source, contacts, record_claim("VENDORID"), book)
        stream = Stream(STREAM, "intacct", "CONTACT", "marketo", reader, owned(_lead, SKIP_REASON), leads)
        return run_flow(Flow(FLOW, [stream]), state, RunOptions(dry_run=dry_run))

    return run_once


def _skip_reason(state: ConnectionState, key: str) -> str | None:
    history = state.audit.history("intacct", "CONTACT", key)
    return history[-1].error if history and history[-1].action == "skipped" else None


def _pair() -> Contacts:
    """Zed and Bob share an email; Ann, read last, is what the next run re-reads (no claimant of the email)."""
    contacts = Contacts()
    contacts.put("Zed", "V300", "shared@example.com")
    contacts.put("Bob", "V100", "shared@example.com")
    contacts.put("Ann", "V200", "ann@example.com")
    return contacts


@pytest.fixture
def contacts() -> Contacts:
    contacts = Contacts()
    contacts.put("Zed", "V300", "Shared@Example.com")  # read first, but not the owner
    contacts.put("Ann", "V200", "ann@example.com")
    contacts.put("Bob", "V100", "shared@example.com")  # the lowest VENDORID: owns the email
    contacts.put("Cy", "V150", None)
    contacts.put("Yan", "V400", "shared@example.com")  # a loser read after the owner (on the last page)
    return contacts


def test_the_lowest_vendorid_owns_a_shared_email_and_the_lead_is_written_once(
    state: ConnectionState, run: Run, contacts: Contacts
) -> None:
    leads = Leads()
    report = run(contacts, leads)
    assert leads.rows["shared@example.com"]["name"] == "Bob"
    assert leads.writes.count("shared@example.com") == 1  # never written by the loser first
    assert _skip_reason(state, "Zed") == (
        "CONTACT Zed: its email belongs to CONTACT Bob of vendor V100, "
        "the contact of the lowest VENDORID, then CONTACTNAME, keeps a shared email"
    )
    # Zed and Yan (shared email), Cy (no email): each decided once, although Yan is known from the first page on.
    assert dict(report.stream(STREAM).counts) == {"created": 2, "skipped": 3}
    assert contacts.lookups[0] is None  # a first sync reads the index once


def test_a_rerun_writes_nothing_and_audits_nothing(state: ConnectionState, run: Run, contacts: Contacts) -> None:
    leads = Leads()
    run(contacts, leads)
    writes, audit = len(leads.writes), len(list(state.audit.history("intacct", "CONTACT", "Zed")))
    contacts.source.put("Zed", CONTACTNAME="Zed", VENDORID="V300", EMAIL1="shared@example.com", FIRSTNAME="Zed")
    contacts.source.put("Bob", CONTACTNAME="Bob", VENDORID="V100", EMAIL1="shared@example.com", FIRSTNAME="Bob")
    report = run(contacts, leads)  # both re-read, nothing changed
    assert len(leads.writes) == writes
    assert len(list(state.audit.history("intacct", "CONTACT", "Zed"))) == audit
    assert report.counts.get("created", 0) == report.counts.get("updated", 0) == report.counts.get("skipped", 0) == 0


def test_the_dry_run_and_the_real_run_agree(state: ConnectionState, run: Run, contacts: Contacts) -> None:
    dry = run(contacts, Leads(), dry_run=True)
    real = run(contacts, Leads())
    assert dict(dry.stream(STREAM).counts) == dict(real.stream(STREAM).counts)


def test_an_edit_of_the_loser_changes_nothing_in_the_destination(
    state: ConnectionState, run: Run, contacts: Contacts
) -> None:
    leads = Leads()
    run(contacts, leads)
    contacts.put("Zed", "V300", "shared@example.com", first="Zedekiah")
    run(contacts, leads)
    assert leads.rows["shared@example.com"]["name"] == "Bob"
    assert leads.writes.count("shared@example.com") == 1


def test_a_contact_of_a_lower_vendor_takes_the_email_over_in_the_same_run(
    state: ConnectionState, run: Run, contacts: Contacts
) -> None:
    leads = Leads()
    run(contacts, leads)
    contacts.put("Ada", "V050", "shared@example.com")
    run(contacts, leads)
    assert leads.rows["shared@example.com"]["name"] == "Ada"
    assert _skip_reason(state, "Bob") is not None
    assert "CONTACT Ada of vendor V050" in (_skip_reason(state, "Bob") or "")
    assert "CONTACT Ada of vendor V050" in (_skip_reason(state, "Zed") or "")


def test_an_owner_giving_up_the_email_hands_the_lead_to_the_next_claimant(state: ConnectionState, run: Run) -> None:
    contacts = _pair()
    leads = Leads()
    run(contacts, leads)
    contacts.put("Bob", "V100", "bob@example.com")  # the next run reads Bob (and Ann, in the overlap)
    run(contacts, leads)
    assert leads.rows["bob@example.com"]["name"] == "Bob"
    assert leads.rows["shared@example.com"]["name"] == "Zed"  # Zed was not modified, yet now owns the email
    history = state.audit.history("intacct", "CONTACT", "Zed")
    assert sorted(e.action for e in history) == ["skipped", "updated"]  # the lead existed: Bob's until now


def test_without_the_owner_book_the_given_up_email_would_stay_with_the_old_owner(
    state: ConnectionState, run: Run, contacts: Contacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves the hand-over test can fail: an owner book that forgets makes the old value invisible (when no other
    claimant of it happens to be re-read)."""
    contacts = _pair()
    leads = Leads()
    run(contacts, leads)
    monkeypatch.setattr(OwnerBook, "owners", lambda self: {})
    contacts.put("Bob", "V100", "bob@example.com")
    run(contacts, leads)
    assert leads.rows["shared@example.com"]["name"] == "Bob"  # stale: nobody handed it over


def test_emails_compare_case_insensitively_and_unshared_emails_cost_no_owner_state(
    state: ConnectionState, run: Run, contacts: Contacts
) -> None:
    run(contacts, Leads())
    assert set(state.links.all(FLOW, "leads.owners")) == {"Bob"}
