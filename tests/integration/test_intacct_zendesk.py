"""Intacct → Zendesk end to end (organizations and end-users): both simulators over loopback, state in moto."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.state.models import AuditEntryItem, LinkItem
from sandbox.zendesk import ZendeskSimulator
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration
FLOW = "intacct-zendesk"
WRITES = ("organizations.create_many", "organizations.update_many", "users.create_or_update_many")
FIELDS = {
    "intacct_status": "text",
    "intacct_on_hold": "checkbox",
    "intacct_payment_terms": "text",
    "intacct_open_balance": "decimal",
    "intacct_last_payment": "date",
}


@pytest.fixture
def desk(stack: Stack) -> Iterator[Stack]:
    """The Intacct stack plus the Zendesk simulator with the default organization fields."""
    simulator = ZendeskSimulator(seed=2, size=5)
    for key, kind in FIELDS.items():
        simulator.add_organization_field(key, kind, key)
    with stack.serve(simulator):
        yield stack


def _sim(stack: Stack) -> ZendeskSimulator:
    return stack.of(ZendeskSimulator)


def _sync(stack: Stack) -> RunReport:
    return stack.sync(FLOW)


def _completed(stack: Stack) -> RunReport:
    return stack.completed(FLOW)


def _writes(stack: Stack) -> int:
    return sum(_sim(stack).calls.count(name) for name in WRITES)


def _orgs(stack: Stack) -> dict[str, dict[str, Any]]:
    return {str(o["external_id"]): o for o in _sim(stack).organizations().values() if o.get("external_id")}


def test_first_sync_creates_the_organizations_and_each_user_in_the_right_one(desk: Stack) -> None:
    report = _completed(desk)
    intacct = desk.simulator.store
    orgs = _orgs(desk)
    vendors = {str(v["VENDORID"]): v for v in intacct.all("VENDOR")}
    assert set(orgs) == set(vendors)
    for key, vendor in vendors.items():
        assert orgs[key]["name"] == vendor["NAME"]
        assert orgs[key]["organization_fields"]["intacct_status"] == vendor.get("STATUS")
    due: dict[str, float] = {}
    for bill in intacct.all("APBILL"):
        due[str(bill["VENDORID"])] = due.get(str(bill["VENDORID"]), 0.0) + float(bill.get("TOTALDUE") or 0)
    for key, total in due.items():
        assert orgs[key]["organization_fields"]["intacct_open_balance"] == pytest.approx(total)
    contacts = [c for c in intacct.all("CONTACT") if c.get("EMAIL1") and c.get("VENDORID")]
    for contact in contacts:
        user = _sim(desk).user_by_email(str(contact["EMAIL1"]).lower())
        assert user is not None
        assert user["organization_id"] == orgs[str(contact["VENDORID"])]["id"]
    assert report.stream("users").counts["failed"] == 0


def test_a_rerun_with_no_changes_writes_nothing_and_one_changed_vendor_updates_one_organization(desk: Stack) -> None:
    _completed(desk)
    writes, links, audit = _writes(desk), LinkItem.count(), AuditEntryItem.count()
    report = _completed(desk)
    assert _writes(desk) == writes
    assert (LinkItem.count(), AuditEntryItem.count()) == (links, audit + 1)  # the run summary
    assert {action for action, n in report.counts.items() if n} == {"unchanged"}
    desk.simulator.clock.advance(60)
    desk.simulator.update_record("VENDOR", "V101", {"NAME": "Renamed Supplies"})
    changed = _completed(desk)
    assert changed.stream("organizations").counts["updated"] == 1
    assert _orgs(desk)["V101"]["name"] == "Renamed Supplies"
    assert _sim(desk).calls.count("organizations.update_many") == 1


def test_a_name_held_by_an_organization_without_our_external_id_fails_that_vendor_naming_it(desk: Stack) -> None:
    vendor = desk.simulator.store.find("VENDOR", "V102")
    assert vendor is not None
    _sim(desk).add_organization({"name": str(vendor["NAME"])})
    report = _completed(desk)
    failed = {
        e.source_key: e.error for e in AuditEntryItem.scan() if e.stream == "organizations" and e.action == "failed"
    }
    assert set(failed) == {"V102"}
    assert str(vendor["NAME"]) in str(failed["V102"])
    assert report.stream("organizations").counts["created"] == len(desk.simulator.store.all("VENDOR")) - 1


def test_a_burst_of_429_with_retry_after_is_absorbed(desk: Stack) -> None:
    _sim(desk).faults.add("rate_limited", times=4, seconds=2)
    report = _completed(desk)
    assert report.counts["failed"] == 0
    assert any(s >= 2 for s in desk.sleeps)


def test_an_unknown_organization_field_in_the_mapping_fails_the_run_naming_it(desk: Stack) -> None:
    desk.put_secret(system="zendesk", organizations={"fields": {"intacct_terms_typo": "TERMNAME"}})
    report = _sync(desk)
    assert report.status is RunStatus.FAILED
    assert "intacct_terms_typo" in str(report.error)
    assert _writes(desk) == 0


def test_two_vendors_of_one_name_both_get_an_organization_the_second_named_with_its_id(desk: Stack) -> None:
    intacct = desk.simulator
    name = str(intacct.store.find("VENDOR", "V102")["NAME"])  # type: ignore[index]
    intacct.update_record("VENDOR", "V103", {"NAME": name})
    _completed(desk)
    orgs = _orgs(desk)
    assert {orgs["V102"]["name"], orgs["V103"]["name"]} == {name, f"{name} (V103)"}
    vendors = len(intacct.store.all("VENDOR"))
    assert _sim(desk).calls.count("organizations.create_many") == -(-vendors // 100)  # named at once: no retry job
    assert _sim(desk).calls.count("organizations.search") == 0
    desk.simulator.clock.advance(60)
    intacct.update_record("VENDOR", "V103", {"STATUS": "inactive"})
    changed = _completed(desk)
    assert changed.stream("organizations").counts["updated"] == 1
    assert _orgs(desk)["V103"]["name"] == f"{name} (V103)"
    assert _orgs(desk)["V103"]["organization_fields"]["intacct_status"] == "inactive"


def test_a_bill_paid_without_its_vendor_changing_updates_the_open_balance(desk: Stack) -> None:
    _completed(desk)
    intacct = desk.simulator
    bill = next(b for b in intacct.store.all("APBILL") if float(b.get("TOTALDUE") or 0) > 0)
    vendor = str(bill["VENDORID"])
    before = _orgs(desk)[vendor]["organization_fields"]["intacct_open_balance"]
    intacct.clock.advance(60)
    intacct.update_record("APBILL", bill["RECORDNO"], {"TOTALDUE": "0"})
    report = _completed(desk)
    after = _orgs(desk)[vendor]["organization_fields"]["intacct_open_balance"]
    assert after == pytest.approx(before - float(bill["TOTALDUE"]))
    assert report.stream("organizations").counts["updated"] == 1
    rerun = _completed(desk)
    assert rerun.stream("organizations").counts["updated"] == 0
