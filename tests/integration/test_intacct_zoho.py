"""Intacct → Zoho CRM end to end: both simulators over loopback, state in moto (the Zoho issue's acceptance)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.service import ping, replay
from mlconnector.state.models import AuditEntryItem, LinkItem
from sandbox.zoho import ZohoSimulator
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration
FLOW = "intacct-zoho"


@pytest.fixture
def crm(stack: Stack) -> Iterator[Stack]:
    """The Intacct stack plus the Zoho simulator (Professional edition), with the default connection's secret."""
    with stack.serve(ZohoSimulator(seed=2)):
        yield stack


def _sim(stack: Stack) -> ZohoSimulator:
    return stack.of(ZohoSimulator)


def _sync(stack: Stack) -> RunReport:
    return stack.sync(FLOW)


def _completed(stack: Stack) -> RunReport:
    return stack.completed(FLOW)


def _by_intacct_id(stack: Stack, module: str) -> dict[str, dict[str, Any]]:
    return {str(r["Intacct_ID"]): r for r in _sim(stack).records(module).values() if r.get("Intacct_ID")}


def _levels(customers: dict[str, dict[str, Any]]) -> int:
    def depth(key: str) -> int:
        parent = str(customers[key].get("PARENTID") or "")
        return 1 + depth(parent) if parent in customers else 1

    return max(depth(key) for key in customers)


def _writes(stack: Stack) -> int:
    return _sim(stack).calls.count("records.upsert")


def _three_levels(stack: Stack) -> tuple[str, str, str]:
    """C100 under C101 under C102 (children come first in Intacct's order): (grandchild, child, root)."""
    intacct = stack.simulator
    intacct.update_record("CUSTOMER", "C102", {"PARENTID": ""})
    intacct.update_record("CUSTOMER", "C101", {"PARENTID": "C102"})
    intacct.update_record("CUSTOMER", "C100", {"PARENTID": "C101"})
    return "C100", "C101", "C102"


def test_first_sync_creates_the_accounts_with_their_hierarchy_vendors_and_contacts_on_the_right_record(
    crm: Stack,
) -> None:
    grandchild, child, root = _three_levels(crm)
    report = _completed(crm)
    intacct = crm.simulator.store
    accounts = _by_intacct_id(crm, "Accounts")
    customers = {str(c["CUSTOMERID"]): c for c in intacct.all("CUSTOMER")}
    assert set(accounts) == set(customers)
    for key, customer in customers.items():
        parent = str(customer.get("PARENTID") or "")
        assert accounts[key]["Parent_Account"] == (accounts[parent]["id"] if parent else None)
    assert accounts[grandchild]["Parent_Account"] == accounts[child]["id"]
    assert accounts[child]["Parent_Account"] == accounts[root]["id"]
    vendors = _by_intacct_id(crm, "Vendors")
    assert set(vendors) == {str(v["VENDORID"]) for v in intacct.all("VENDOR")}
    contacts = _by_intacct_id(crm, "Contacts")
    for contact in intacct.all("CONTACT"):
        if contact.get("VENDORID"):
            zoho = contacts[str(contact["CONTACTNAME"])]
            assert zoho["Vendor_Name"] == vendors[str(contact["VENDORID"])]["id"]
    for key in customers:
        assert contacts[f"CUSTOMER:{key}"]["Account_Name"] == accounts[key]["id"]
    assert report.stream("accounts").counts["failed"] == 0
    # One upsert per 100 records of each stream (all fit in one), and each level of the hierarchy after the one above.
    assert _writes(crm) == len(report.streams) - 1 + _levels(customers)


def test_a_rerun_with_no_changes_writes_nothing_to_zoho_or_dynamodb(crm: Stack) -> None:
    _completed(crm)
    writes, links, audit = _writes(crm), LinkItem.count(), AuditEntryItem.count()
    report = _completed(crm)
    assert _writes(crm) == writes
    assert (LinkItem.count(), AuditEntryItem.count()) == (links, audit + 1)  # the run summary
    assert {action for action, n in report.counts.items() if n} == {"unchanged"}


def test_a_reparented_child_updates_exactly_that_account(crm: Stack) -> None:
    grandchild, _child, root = _three_levels(crm)
    _completed(crm)
    crm.simulator.clock.advance(60)
    crm.simulator.update_record("CUSTOMER", grandchild, {"PARENTID": root})
    writes = _writes(crm)
    report = _completed(crm)
    assert report.stream("accounts").counts["updated"] == 1
    accounts = _by_intacct_id(crm, "Accounts")
    assert accounts[grandchild]["Parent_Account"] == accounts[root]["id"]
    assert _writes(crm) == writes + 1


def test_a_parent_cycle_is_reported_not_looped_on(crm: Stack) -> None:
    crm.simulator.update_record("CUSTOMER", "C103", {"PARENTID": "C104"})
    crm.simulator.update_record("CUSTOMER", "C104", {"PARENTID": "C103"})
    report = _completed(crm)
    failed = {e.source_key: e.error for e in AuditEntryItem.scan() if e.stream == "accounts" and e.action == "failed"}
    assert set(failed) == {"C103", "C104"}
    assert "cycle (C103 -> C104 -> C103)" in str(failed["C103"])
    assert report.stream("accounts").counts["created"] == len(crm.simulator.store.all("CUSTOMER")) - 2


def test_a_standard_edition_syncs_accounts_and_customer_contacts_and_reports_vendors_unavailable(crm: Stack) -> None:
    _sim(crm).set_edition("standard")
    crm.put_secret(system="zoho", edition="standard")  # the operator names the edition: its calls-at-once limit
    checks = {c.system: c for c in ping(FLOW, crm.connection())}
    assert checks["zoho"].ok
    assert "Vendors" in checks["zoho"].detail
    report = _completed(crm)
    assert "Vendors module is not available" in " ".join(report.stream("vendors").notes)
    assert "Vendors module is not available" in " ".join(report.stream("contacts").notes)
    assert sum(report.stream("vendors").counts.values()) == 0
    assert report.stream("accounts").counts["created"] > 0
    assert report.stream("customer-contacts").counts["created"] > 0
    _sim(crm).set_edition("professional")  # the module becomes available: the next run syncs the vendors
    crm.put_secret(system="zoho", edition="professional")
    later = _completed(crm)
    assert later.stream("vendors").counts["created"] == len(crm.simulator.store.all("VENDOR"))


def test_an_expired_token_is_refreshed_once(crm: Stack) -> None:
    _completed(crm)
    mints = _sim(crm).mints()
    _sim(crm).expire_tokens()
    crm.simulator.clock.advance(60)
    crm.simulator.update_record("CUSTOMER", "C105", {"NAME": "Renamed"})
    report = _completed(crm)
    assert report.stream("accounts").counts["updated"] == 1
    assert _sim(crm).mints() == mints + 1


def test_an_api_domain_outside_zoho_is_refused_before_any_token_is_sent(crm: Stack) -> None:
    _sim(crm).config.api_domain = "https://www.zohoapis.evil.example"
    report = _sync(crm)
    assert report.status is RunStatus.FAILED
    assert "zohoapis.evil.example" in str(report.error)
    assert _sim(crm).calls.count("modules.list") == 0


def test_credits_running_out_stop_the_run_cleanly_and_the_next_run_finishes_without_a_duplicate(crm: Stack) -> None:
    _sim(crm).set_credits_left(3)  # the preflight's metadata reads use them up: a clean stop, nothing written
    assert _sync(crm).status is RunStatus.STOPPED_EARLY
    _sim(crm).set_credits_left(7)  # now the accounts are written, and the vendors find the credits gone
    first = _sync(crm)
    assert first.status is RunStatus.STOPPED_EARLY, first.error
    assert "next run resumes" in str(first.error)
    _sim(crm).set_credits_left(10_000)
    _completed(crm)
    for module in ("Accounts", "Vendors", "Contacts"):
        ids = [r["Intacct_ID"] for r in _sim(crm).records(module).values()]
        assert len(ids) == len(set(ids)), f"duplicate {module}"
    assert set(_by_intacct_id(crm, "Accounts")) == {str(c["CUSTOMERID"]) for c in crm.simulator.store.all("CUSTOMER")}


def test_a_bad_picklist_value_fails_alone_with_the_reason_and_is_replayed_once_fixed(crm: Stack) -> None:
    crm.put_secret(system="zoho", custom_fields={"Accounts": {"Department": "CUSTTYPE"}})
    department = next(str(c["CUSTTYPE"]) for c in crm.simulator.store.all("CUSTOMER") if c.get("CUSTTYPE"))
    report = _completed(crm)
    failed = {e.source_key: e.error for e in AuditEntryItem.scan() if e.stream == "accounts" and e.action == "failed"}
    assert failed
    assert all("is not an option of the Zoho picklist Accounts.Department" in str(e) for e in failed.values())
    assert report.stream("accounts").counts["created"] == len(crm.simulator.store.all("CUSTOMER")) - len(failed)
    _sim(crm).add_picklist_option("Accounts", "Department", department)
    replayed = replay(FLOW, crm.connection())
    assert replayed.counts["created"] >= 1


@pytest.mark.parametrize("seed", [1, 2])
def test_random_zoho_faults_end_with_zoho_equal_to_the_source(crm: Stack, seed: int) -> None:
    faults = _sim(crm).faults
    faults.reseed(seed)
    for kind in ("internal_error", "too_many_requests", "drop_before", "drop_after", "status_after_commit"):
        faults.add(kind, match="write", probability=0.1, times=None)
    for _ in range(5):
        report = _sync(crm)
        assert report.status in (RunStatus.COMPLETED, RunStatus.STOPPED_EARLY, RunStatus.FAILED), report.error
        crm.clock.advance(1000)
    assert faults.fired
    faults.clear()
    _completed(crm)
    replay(FLOW, crm.connection())
    intacct = crm.simulator.store
    for module, expected in (
        ("Accounts", {str(c["CUSTOMERID"]) for c in intacct.all("CUSTOMER")}),
        ("Vendors", {str(v["VENDORID"]) for v in intacct.all("VENDOR")}),
    ):
        ids = [str(r["Intacct_ID"]) for r in _sim(crm).records(module).values()]
        assert len(ids) == len(set(ids)), f"duplicate {module}"
        assert set(ids) == expected
