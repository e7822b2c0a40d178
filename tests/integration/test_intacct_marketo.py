"""Intacct → Marketo end to end: both simulators over loopback, state in moto (the Marketo issue's acceptance)."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.flows.intacct_marketo.mapping import COMPANY_FIELDS
from mlconnector.service import ping, replay, sync
from mlconnector.state.models import AuditEntryItem, LinkItem
from sandbox.marketo import MarketoSimulator
from sandbox.marketo.config import FieldSpec
from tests.integration.conftest import DOTTED_SHAPES, Stack

pytestmark = pytest.mark.integration

WRITES = ("companies.sync", "leads.sync")


def _sync(stack: Stack) -> RunReport:
    return sync("intacct-marketo", stack.connection())


def _marketo(stack: Stack) -> MarketoSimulator:
    assert stack.marketo is not None
    return stack.marketo


def _vendor_contacts(stack: Stack) -> dict[str, str]:
    """email → VENDORID for every contact that can be a lead (a shared email: the lowest VENDORID's)."""
    owners: dict[str, str] = {}
    for c in sorted(stack.simulator.store.all("CONTACT"), key=lambda c: (str(c["VENDORID"]), str(c["CONTACTNAME"]))):
        if c.get("EMAIL1") and c.get("VENDORID"):
            owners.setdefault(str(c["EMAIL1"]).lower(), str(c["VENDORID"]))
    return owners


def _share_an_email(stack: Stack, taker: str, owner: str) -> tuple[str, str, str]:
    """Give a contact of vendor `taker` the email of a contact of vendor `owner`: (taker's contact, owner's, email)."""
    contacts = stack.simulator.store.all("CONTACT")
    [giver] = [c for c in contacts if c["VENDORID"] == owner and c.get("EMAIL1")][:1]
    [other] = [c for c in contacts if c["VENDORID"] == taker and c.get("EMAIL1")][:1]
    email = str(giver["EMAIL1"]).upper()  # emails compare case-insensitively
    stack.simulator.update_record("CONTACT", str(other["CONTACTNAME"]), {"EMAIL1": email})
    return str(other["CONTACTNAME"]), str(giver["CONTACTNAME"]), email.lower()


def _writes(stack: Stack) -> dict[str, int]:
    return {name: _marketo(stack).calls.count(name) for name in WRITES}


def test_first_sync_creates_exactly_the_companies_and_linked_leads(both: Stack) -> None:
    report = _sync(both)
    assert report.status is RunStatus.COMPLETED, report.error
    companies = _marketo(both).companies
    vendors = {str(v["VENDORID"]): v for v in both.simulator.store.all("VENDOR")}
    assert set(companies) == set(vendors)
    assert all(companies[k]["company"] == v["NAME"] for k, v in vendors.items())
    leads = _marketo(both).leads
    expected = _vendor_contacts(both)
    assert {email: lead["externalCompanyId"] for email, lead in leads.items()} == expected
    assert report.stream("leads").counts["created"] == len(expected)
    assert _writes(both) == {"companies.sync": 1, "leads.sync": 1}  # 40 companies, < 300 leads: one call each


@pytest.mark.parametrize("dotted", DOTTED_SHAPES)
def test_companies_carry_the_vendors_phone_and_address_whatever_shape_the_gateway_sends(
    both: Stack, dotted: str
) -> None:
    both.dotted_fields(dotted)
    report = _sync(both)
    assert report.status is RunStatus.COMPLETED, report.error
    companies = _marketo(both).companies
    for vendor in both.simulator.store.all("VENDOR"):
        company = companies[str(vendor["VENDORID"])]
        for target, source in COMPANY_FIELDS.items():
            assert company.get(target) == (str(vendor.get(source) or "").strip() or None), (vendor["VENDORID"], target)
    # The seed fills these for most vendors: a mapping that lost them would fail above, not pass on empty values.
    assert sum(1 for c in companies.values() if c.get("mainPhone") and c.get("billingCity")) > len(companies) // 2


def test_contacts_sharing_an_email_make_one_lead_owned_by_the_lowest_vendorid(both: Stack) -> None:
    loser, owner, email = _share_an_email(both, taker="V131", owner="V110")
    dry = sync("intacct-marketo", both.connection(read_only=True), dry_run=True)
    first = _sync(both)
    assert dict(dry.stream("leads").counts) == dict(first.stream("leads").counts)  # dry run and run agree
    lead = _marketo(both).leads[email]
    assert lead["externalCompanyId"] == "V110"
    [entry] = both.connection().state.audit.history("intacct", "CONTACT", loser)
    assert entry.action == "skipped"
    assert entry.error == (
        f"CONTACT {loser}: its email belongs to CONTACT {owner} of vendor V110, "
        "the contact of the lowest VENDORID, then CONTACTNAME, keeps a shared email"
    )
    writes, audit = _writes(both), AuditEntryItem.count()
    second = _sync(both)  # stable: the lead does not flip-flop, nothing is written or audited again
    assert second.counts["created"] == second.counts["updated"] == second.counts["skipped"] == 0
    assert _writes(both) == writes
    assert AuditEntryItem.count() == audit + 1  # the run summary


def test_an_owner_changing_its_email_hands_the_shared_lead_to_the_other_contact(both: Stack) -> None:
    loser, owner, email = _share_an_email(both, taker="V131", owner="V110")
    _sync(both)
    assert _marketo(both).leads[email]["externalCompanyId"] == "V110"
    both.clock.advance(60)
    both.simulator.clock.advance(60)
    both.simulator.update_record("CONTACT", owner, {"EMAIL1": "moved.on@example.com"})
    report = _sync(both)
    assert report.status is RunStatus.COMPLETED, report.error
    assert _marketo(both).leads[email]["externalCompanyId"] == "V131"  # the loser was not edited, yet took over
    assert _marketo(both).leads["moved.on@example.com"]["externalCompanyId"] == "V110"
    assert [e.action for e in both.connection().state.audit.history("intacct", "CONTACT", loser)][-1] == "updated"


def test_rerun_without_changes_writes_nothing_to_marketo_or_state(both: Stack) -> None:
    _sync(both)
    writes, links, audit = _writes(both), LinkItem.count(), AuditEntryItem.count()
    second = _sync(both)
    assert second.counts["created"] == second.counts["updated"] == second.counts["failed"] == 0
    assert _writes(both) == writes
    assert LinkItem.count() == links
    assert AuditEntryItem.count() == audit + 1  # only the run summary
    # One query per object type, session reused; plus one claims query for the contacts re-read in the overlap
    # window: who else has their email is asked of Intacct, not assumed (one owner per shared email).
    assert second.api_calls["intacct"] <= 3


def test_changing_one_vendor_updates_exactly_one_company(both: Stack) -> None:
    _sync(both)
    both.clock.advance(60)
    both.simulator.clock.advance(60)
    both.simulator.update_record("VENDOR", "V107", {"NAME": "Renamed Supplies Ltd"})
    report = _sync(both)
    assert report.stream("companies").counts["updated"] == 1
    assert report.stream("companies").counts.get("created", 0) == 0
    assert _marketo(both).companies["V107"]["company"] == "Renamed Supplies Ltd"
    history = both.connection().state.audit.history("intacct", "VENDOR", "V107")
    assert [e.action for e in history] == ["created", "updated"]


def test_an_inactive_vendor_updates_the_status_field_and_deletes_nothing(both: Stack) -> None:
    _sync(both)
    both.simulator.clock.advance(60)
    both.simulator.update_record("VENDOR", "V108", {"STATUS": "inactive"})
    _sync(both)
    company = _marketo(both).companies["V108"]
    assert company["intacctVendorStatus"] == "inactive"
    assert len(_marketo(both).companies) == 40


def test_a_token_that_expires_mid_run_is_refreshed_once(both: Stack) -> None:
    _marketo(both).expire_tokens()  # nothing cached yet: this run fetches one
    report_before = _sync(both)
    identity_before = _marketo(both).calls.count("identity")
    both.simulator.clock.advance(60)
    both.simulator.update_record("VENDOR", "V109", {"NAME": "Changed"})
    _marketo(both).expire_tokens()  # the cached token dies between runs: the next call answers 602
    report = _sync(both)
    assert report_before.status is report.status is RunStatus.COMPLETED
    assert _marketo(both).calls.count("identity") == identity_before + 1
    assert _marketo(both).companies["V109"]["company"] == "Changed"


def test_a_burst_of_606_is_absorbed(both: Stack) -> None:
    _marketo(both).inject_error("606", times=3)
    report = _sync(both)
    assert report.status is RunStatus.COMPLETED
    assert len(_marketo(both).companies) == 40
    assert any(wait >= 19 for wait in both.sleeps)  # it waited for Marketo's 20-second window, not a tight loop


def test_a_poisoned_record_fails_with_marketos_reason_and_replays_once_fixed(both: Stack) -> None:
    contact = next(c for c in both.simulator.store.all("CONTACT") if c.get("EMAIL1") and c.get("VENDORID"))
    name = str(contact["CONTACTNAME"])
    both.simulator.update_record("CONTACT", name, {"EMAIL1": "not-an-email"})
    report = _sync(both)
    assert report.status is RunStatus.COMPLETED
    assert report.stream("leads").counts["failed"] == 1
    [failure] = both.connection().state.failures.pending("intacct-marketo")
    assert failure.source_key == name
    assert failure.error.startswith(f"CONTACT {name}: Marketo skipped it:")
    assert failure.payload is not None
    assert failure.payload["email"] == "not-an-email"
    assert len(_marketo(both).leads) == len(_vendor_contacts(both)) - 1

    both.simulator.update_record("CONTACT", name, {"EMAIL1": "fixed.address@example.com"})
    replayed = replay("intacct-marketo", both.connection())
    assert replayed.counts["created"] == 1
    assert both.connection().state.failures.pending() == []
    assert _marketo(both).leads["fixed.address@example.com"]["externalCompanyId"] == contact["VENDORID"]


def test_daily_quota_stops_cleanly_and_the_next_run_resumes(both: Stack) -> None:
    _marketo(both).inject_error("607", times=1, match="leads.sync")
    first = _sync(both)
    assert first.status is RunStatus.STOPPED_EARLY
    assert "daily API quota" in (first.error or "")
    assert len(_marketo(both).companies) == 40  # the companies stream had finished
    assert _marketo(both).leads == {}
    second = _sync(both)
    assert second.status is RunStatus.COMPLETED
    assert len(_marketo(both).leads) == len(_vendor_contacts(both))


def test_crm_enabled_instances_are_reported_clearly_in_ping_and_the_run(both: Stack) -> None:
    _marketo(both).config.crm_enabled = True
    report = _sync(both)
    assert report.status is RunStatus.STOPPED_EARLY
    assert "1018 CRM Enabled" in (report.error or "")
    assert both.connection().state.failures.pending() == []  # not thousands of failed records
    results = {r.system: r for r in ping("intacct-marketo", both.connection(read_only=True))}
    assert results["intacct"].ok
    assert not results["marketo"].ok
    assert "1018" in results["marketo"].detail


def test_unknown_custom_fields_are_named_before_anything_is_written(both: Stack) -> None:
    mapping: dict[str, Any] = {
        "company": {"apAccount": "APACCOUNT", "nope": "VENDTYPE"},
        "lead": {"alsoNope": "CONTACTNAME"},
    }
    both.put_marketo_secret(custom_fields=mapping)
    report = _sync(both)  # checked in the run's preflight: a recorded FAILED run that names them
    assert report.status is RunStatus.FAILED
    assert "company.apAccount, company.nope, lead.alsoNope" in (report.error or "")
    assert report.counts["created"] == report.counts["updated"] == 0
    assert _writes(both) == {"companies.sync": 0, "leads.sync": 0}


def test_gl_account_lookups_reach_marketo_custom_fields(both: Stack) -> None:
    _marketo(both).config.company_custom_fields += (FieldSpec("apAccount"), FieldSpec("apAccountTitle"))
    mapping = {"company": {"apAccount": "APACCOUNT", "apAccountTitle": "GLACCOUNT[APACCOUNT].TITLE"}}
    both.put_marketo_secret(custom_fields=mapping)
    report = _sync(both)
    assert report.status is RunStatus.COMPLETED, report.error
    vendor = both.simulator.get_record("VENDOR", "V100")
    assert vendor is not None
    account = next(a for a in both.simulator.store.all("GLACCOUNT") if a["ACCOUNTNO"] == vendor["APACCOUNT"])
    company = _marketo(both).companies["V100"]
    assert company["apAccount"] == vendor["APACCOUNT"]
    assert company["apAccountTitle"] == account["TITLE"]
