"""Intacct → Mailchimp end to end: both simulators over loopback, state in moto (the Mailchimp issue's acceptance)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.service import ping
from mlconnector.state.models import AuditEntryItem, LinkItem
from mlconnector.systems.intacct.client import IntacctClient
from sandbox.mailchimp import MailchimpSimulator
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration
FLOW = "intacct-mailchimp"
STORE = "intacct"
WRITES = (
    "lists.batch_subscribe",
    "member_tags.update",
    "customers.put",
    "products.create",
    "products.patch",
    "orders.create",
    "orders.patch",
    "lines.delete",
    "stores.create",
    "stores.patch",
    "batches.create",
)


@pytest.fixture
def chimp(stack: Stack) -> Iterator[Stack]:
    """The Intacct stack plus the Mailchimp simulator, with the default connection's Mailchimp secret."""
    with stack.serve(MailchimpSimulator(seed=2)):
        yield stack


def _sim(stack: Stack) -> MailchimpSimulator:
    return stack.of(MailchimpSimulator)


def _sync(stack: Stack) -> RunReport:
    return stack.sync(FLOW)


def _completed(stack: Stack) -> RunReport:
    return stack.completed(FLOW)


def _writes(stack: Stack) -> dict[str, int]:
    calls = _sim(stack).calls.by_name
    return {name: n for name, n in calls.items() if name in WRITES and n}


def _expected_members(stack: Stack) -> dict[str, set[str]]:
    """email → the kinds of Intacct records that have it (customer, vendor)."""
    store = stack.simulator.store
    kinds: dict[str, set[str]] = {}
    for customer in store.all("CUSTOMER"):
        if email := str(customer.get("DISPLAYCONTACT.EMAIL1") or "").strip().lower():
            kinds.setdefault(email, set()).add("customer")
    for contact in store.all("CONTACT"):
        if (email := str(contact.get("EMAIL1") or "").strip().lower()) and contact.get("VENDORID"):
            kinds.setdefault(email, set()).add("vendor")
    return kinds


def _store(stack: Stack) -> dict[str, Any]:
    return _sim(stack).store(STORE)


def _bills(stack: Stack) -> dict[str, dict[str, Any]]:
    """bill-<RECORDNO> → the bill, for bills with at least one line (an order needs one)."""
    store = stack.simulator.store
    with_lines = {str(line["RECORDKEY"]) for line in store.all("APBILLITEM") if line.get("ACCOUNTNO")}
    return {f"bill-{b['RECORDNO']}": b for b in store.all("APBILL") if str(b["RECORDNO"]) in with_lines}


def test_first_sync_creates_exactly_the_expected_members_customers_products_and_orders(chimp: Stack) -> None:
    report = _completed(chimp)
    members = {m["email_address"]: m for m in _sim(chimp).members().values()}
    expected = _expected_members(chimp)
    assert set(expected) <= set(members)
    for email, kinds in expected.items():
        assert {t["name"] for t in members[email]["tags"]} == {f"intacct-{kind}" for kind in kinds}
    # Nobody is subscribed: members are created transactional (status_if_new's default), and e-commerce customers
    # not in the audience yet join it as transactional (opt_in_status false), untagged.
    assert {m["status"] for m in members.values()} == {"transactional"}
    store = _store(chimp)
    assert set(members) - set(expected) <= {c["email_address"] for c in store["customers"].values()}
    intacct = chimp.simulator.store
    with_email = {f"C-{c['CUSTOMERID']}" for c in intacct.all("CUSTOMER") if c.get("DISPLAYCONTACT.EMAIL1")}
    with_email |= {f"V-{v['VENDORID']}" for v in intacct.all("VENDOR") if v.get("DISPLAYCONTACT.EMAIL1")}
    assert set(store["customers"]) == with_email
    assert all(c["opt_in_status"] is False for c in store["customers"].values())
    assert set(store["products"]) == {str(a["ACCOUNTNO"]) for a in intacct.all("GLACCOUNT")}
    bills = {k: b for k, b in _bills(chimp).items() if f"V-{b['VENDORID']}" in with_email}
    assert set(store["orders"]) == set(bills)
    for order_id, bill in bills.items():
        order = store["orders"][order_id]
        assert float(order["order_total"]) == pytest.approx(float(bill["TOTALENTERED"]))
        assert order["financial_status"] == {"Paid": "paid", "Partially Paid": "partially_paid"}.get(
            str(bill["STATE"]), "pending"
        )
    assert store["is_syncing"] is False  # on during the backfill, off at its end
    assert report.stream("members").counts["created"] == len(expected)
    assert _sim(chimp).calls.count("orders.patch") == 0  # orders were written with their bills' current status


def test_a_rerun_with_no_changes_writes_nothing_to_mailchimp_or_dynamodb(chimp: Stack) -> None:
    _completed(chimp)
    _sim(chimp).calls.reset()
    links, audit = LinkItem.count(), AuditEntryItem.count()
    report = _completed(chimp)
    assert _writes(chimp) == {}
    assert (LinkItem.count(), AuditEntryItem.count()) == (links, audit + 1)  # the run summary
    assert {action for action, n in report.counts.items() if n} == {"unchanged"}


def test_a_bill_paid_in_intacct_moves_exactly_its_order_to_paid(chimp: Stack) -> None:
    _completed(chimp)
    orders = _store(chimp)["orders"]
    unpaid = next(k for k, o in sorted(orders.items()) if o["financial_status"] == "pending")
    bill = _bills(chimp)[unpaid]
    intacct = chimp.simulator
    intacct.clock.advance(60)
    payment = intacct.insert_record(
        "APPYMT",
        {
            "VENDORID": bill["VENDORID"],
            "STATE": "Complete",
            "TOTALENTERED": bill["TOTALENTERED"],
            "WHENCREATED": "12/01/2026",
        },
    )
    intacct.insert_record(
        "APPYMTDETAIL",
        {"PAYMENTKEY": payment["RECORDNO"], "RECORDKEY": bill["RECORDNO"], "TRX_PAYMENTAMOUNT": bill["TOTALENTERED"]},
    )
    paid = {**bill, "STATE": "Paid", "TOTALPAID": bill["TOTALENTERED"], "TOTALDUE": "0"}
    intacct.store.replace("APBILL", int(bill["RECORDNO"]), paid)  # WHENMODIFIED unchanged: only the payment says it
    _sim(chimp).calls.reset()
    before = {k: o["financial_status"] for k, o in orders.items()}
    _completed(chimp)
    after = {k: o["financial_status"] for k, o in _store(chimp)["orders"].items()}
    assert {k for k in after if after[k] != before[k]} == {unpaid}
    assert after[unpaid] == "paid"
    assert _writes(chimp) == {"orders.patch": 1}


def test_an_unsubscribed_member_stays_unsubscribed_after_a_sync_that_touches_its_contact(chimp: Stack) -> None:
    _completed(chimp)
    contact = next(c for c in chimp.simulator.store.all("CONTACT") if c.get("EMAIL1") and c.get("VENDORID"))
    email = str(contact["EMAIL1"]).lower()
    _sim(chimp).set_member_status(email, "unsubscribed")
    chimp.simulator.clock.advance(60)
    chimp.simulator.update_record("CONTACT", str(contact["CONTACTNAME"]), {"LASTNAME": "Renamed"})
    report = _completed(chimp)
    member = _sim(chimp).member(email)
    assert member is not None
    assert member["status"] == "unsubscribed"
    if "intacct-customer" not in {t["name"] for t in member["tags"]}:  # a customer's fields win over a contact's
        assert member["merge_fields"]["LNAME"] == "Renamed"
    assert report.stream("members").counts["updated"] == 1


def test_a_fake_or_forgotten_email_fails_alone_and_is_not_retried_until_its_contact_changes(
    chimp: Stack,
) -> None:
    contacts = [c for c in chimp.simulator.store.all("CONTACT") if c.get("EMAIL1") and c.get("VENDORID")]
    fake, forgotten = contacts[0], contacts[1]
    chimp.simulator.update_record("CONTACT", str(fake["CONTACTNAME"]), {"EMAIL1": "someone@yopmail.com"})
    forgotten_email = str(forgotten["EMAIL1"]).lower()
    _sim(chimp).set_member_status(forgotten_email, "forgotten")  # permanently deleted (GDPR) before the sync
    report = _completed(chimp)
    members = report.stream("members").counts
    entries = {e.source_key: e for e in AuditEntryItem.scan() if e.stream == "members" and e.action == "skipped"}
    assert "looks fake or invalid" in str(entries["someone@yopmail.com"].error)
    assert "was permanently deleted" in str(entries[forgotten_email].error)
    assert (members["skipped"], members["failed"]) == (2, 0)
    assert members["created"] == len(_expected_members(chimp)) - 2  # the others went through
    _sim(chimp).calls.reset()
    _completed(chimp)
    assert "lists.batch_subscribe" not in _writes(chimp)  # remembered: not retried every run
    chimp.simulator.clock.advance(60)
    chimp.simulator.update_record("CONTACT", str(fake["CONTACTNAME"]), {"EMAIL1": "real.person@acme-ap.com"})
    _completed(chimp)
    assert _sim(chimp).member("real.person@acme-ap.com") is not None


def test_429_from_the_connection_gate_is_absorbed(chimp: Stack) -> None:
    _sim(chimp).faults.add("too_many_requests", times=5)
    report = _completed(chimp)
    assert sum(report.counts.values()) > 0
    assert report.counts.get("failed", 0) == 0
    assert len(chimp.sleeps) >= 5  # each 429 waited, then the call went through


@pytest.mark.parametrize("status", [401, 403])  # UNVERIFIED which one Mailchimp answers: both are handled
def test_a_wrong_data_centre_key_fails_fast_in_ping_and_sync_saying_what_to_fix(chimp: Stack, status: int) -> None:
    _sim(chimp).config.wrong_dc_status = status
    chimp.put_secret(system="mailchimp", api_key="5a4dbc0ffee0c0ffee0c0ffee0c0ffee-us19")
    checks = {c.system: c for c in ping(FLOW, chimp.connection())}
    assert not checks["mailchimp"].ok
    assert "us19" in checks["mailchimp"].detail + checks["mailchimp"].fix
    report = _sync(chimp)
    assert report.status is RunStatus.FAILED
    assert "data centre" in str(report.error) or "API Key Invalid" in str(report.error)
    assert _writes(chimp) == {}


def test_is_syncing_is_on_during_a_backfill_and_off_after_it_also_after_a_killed_run(chimp: Stack) -> None:
    seen: list[bool] = []
    simulator = _sim(chimp)
    simulator.faults.add("status", match="write", path="/3.0/ecommerce/stores/*/orders*", status=401, times=1)
    report = _sync(chimp)  # the orders stream dies: authentication refused mid-backfill
    assert report.status is RunStatus.FAILED
    seen.append(_store(chimp)["is_syncing"])
    chimp.clock.advance(1000)
    _completed(chimp)
    seen.append(_store(chimp)["is_syncing"])
    assert seen == [True, False]
    assert simulator.calls.count("stores.patch") == 2  # on once (the killed run), off once


def test_random_mailchimp_faults_end_with_mailchimp_equal_to_the_source(chimp: Stack) -> None:
    faults = _sim(chimp).faults
    faults.reseed(4)
    for kind in ("internal_error", "too_many_requests", "drop_before", "drop_after", "status_after_commit"):
        faults.add(kind, match="write", probability=0.05, times=None)
    for _ in range(6):
        report = _sync(chimp)
        assert report.status in (RunStatus.COMPLETED, RunStatus.STOPPED_EARLY, RunStatus.FAILED), report.error
        chimp.clock.advance(1000)
    assert sum(Counter(f.kind for f in faults.fired).values()) > 0
    faults.clear()
    _completed(chimp)
    members = {m["email_address"]: m for m in _sim(chimp).members().values()}
    assert set(_expected_members(chimp)) <= set(members)  # no lost member
    assert all(m["status"] == "transactional" for m in members.values())
    orders = _store(chimp)["orders"]
    customers = set(_store(chimp)["customers"])
    assert set(orders) == {k for k, b in _bills(chimp).items() if f"V-{b['VENDORID']}" in customers}


def test_a_changed_bill_patches_its_order_and_deletes_the_lines_it_no_longer_has(chimp: Stack) -> None:
    _completed(chimp)
    orders = _store(chimp)["orders"]
    intacct = chimp.simulator.store
    lines_by_bill: dict[str, list[dict[str, Any]]] = {}
    for line in intacct.all("APBILLITEM"):
        lines_by_bill.setdefault(f"bill-{line['RECORDKEY']}", []).append(line)
    order_id = next(k for k in sorted(orders) if len({ln["ACCOUNTNO"] for ln in lines_by_bill[k]}) >= 2)
    doomed = sorted({str(ln["ACCOUNTNO"]) for ln in lines_by_bill[order_id]})[0]
    for line in lines_by_bill[order_id]:
        if line["ACCOUNTNO"] == doomed:
            intacct.delete("APBILLITEM", int(line["RECORDNO"]))
    chimp.simulator.clock.advance(60)
    chimp.simulator.update_record("APBILL", order_id.removeprefix("bill-"), {"DESCRIPTION": "lines changed"})
    _sim(chimp).calls.reset()
    report = _completed(chimp)
    assert report.stream("orders").counts["updated"] == 1
    assert doomed not in _store(chimp)["orders"][order_id]["lines"]
    assert _writes(chimp) == {"orders.patch": 1, "lines.delete": 1}


def test_a_customer_whose_email_changed_keeps_its_first_email_and_gets_its_other_fields(chimp: Stack) -> None:
    _completed(chimp)
    customer = next(c for c in chimp.simulator.store.all("CUSTOMER") if c.get("DISPLAYCONTACT.EMAIL1"))
    first = str(customer["DISPLAYCONTACT.EMAIL1"]).lower()
    chimp.simulator.clock.advance(60)
    chimp.simulator.update_record(
        "CUSTOMER", str(customer["CUSTOMERID"]), {"DISPLAYCONTACT.EMAIL1": "new.ap@acme-ap.com", "NAME": "Renamed Co"}
    )
    report = _completed(chimp)
    assert report.stream("customers").counts["updated"] == 1
    mailchimp_customer = _store(chimp)["customers"][f"C-{customer['CUSTOMERID']}"]
    assert (mailchimp_customer["email_address"], mailchimp_customer["company"]) == (first, "Renamed Co")
    assert _sim(chimp).member("new.ap@acme-ap.com") is not None  # the new address joins through the members stream


@pytest.mark.parametrize(
    "setting",
    [
        {"problem_type": False},  # newer error bodies omit `type`
        {"throttle_style": "empty_429"},  # 429 without a body
        {"throttle_style": "empty_403"},  # 403 without a body: a rate limit, not a refusal
        {"batch_progress": "immediate"},
        {"batch_empty_file": False},
        {"batch_results_per_file": 7},
    ],
    ids=lambda setting: "-".join(f"{k}={v}" for k, v in setting.items()),
)
def test_every_unverified_simulator_behaviour_syncs_the_same(chimp: Stack, setting: dict[str, Any]) -> None:
    simulator = _sim(chimp)
    for name, value in setting.items():
        setattr(simulator.config, name, value)
    simulator.config.max_connections = 3  # the client's 10 at once meet the gate, answered in the chosen style
    simulator.faults.add("internal_error", match="write", times=2)
    report = _completed(chimp)
    assert report.counts.get("created", 0) > 0
    assert report.counts.get("failed", 0) == _failed_without_faults(chimp)
    assert set(_expected_members(chimp)) <= {m["email_address"] for m in simulator.members().values()}
    assert simulator.store(STORE)["is_syncing"] is False


def _failed_without_faults(stack: Stack) -> int:
    """Orders and payments of vendors without an email fail in every run (their customer cannot exist)."""
    store, intacct = _store(stack), stack.simulator.store
    orders = {k for k, b in _bills(stack).items() if f"V-{b['VENDORID']}" not in store["customers"]}
    paid = {str(d["PAYMENTKEY"]) for d in intacct.all("APPYMTDETAIL") if f"bill-{d['RECORDKEY']}" in orders}
    return len(orders) + len(paid)


def test_an_email_shared_by_a_customer_and_a_vendor_contact_stays_one_member_as_either_changes(chimp: Stack) -> None:
    intacct = chimp.simulator
    customer = next(c for c in intacct.store.all("CUSTOMER") if c.get("DISPLAYCONTACT.EMAIL1"))
    contact = next(c for c in intacct.store.all("CONTACT") if c.get("EMAIL1") and c.get("VENDORID"))
    email = str(customer["DISPLAYCONTACT.EMAIL1"]).lower()
    intacct.update_record("CONTACT", str(contact["CONTACTNAME"]), {"EMAIL1": email.upper()})
    _completed(chimp)
    member = _sim(chimp).member(email)
    assert member is not None
    assert {t["name"] for t in member["tags"]} == {"intacct-customer", "intacct-vendor"}
    assert member["merge_fields"]["COMPANY"] == customer["NAME"]  # the customer's fields win
    intacct.clock.advance(60)
    intacct.update_record("CONTACT", str(contact["CONTACTNAME"]), {"LASTNAME": "Changed"})
    _sim(chimp).calls.reset()
    report = _completed(chimp)  # only the contact was read again: the member is rebuilt from both claimants
    assert report.stream("members").counts["updated"] == 0
    assert _writes(chimp) == {}
    _sim(chimp).calls.reset()
    _completed(chimp)  # the overlap window re-reads the contact alone: the claimant book knows the customer
    assert _writes(chimp) == {}
    assert _sim(chimp).member(email)["merge_fields"]["COMPANY"] == customer["NAME"]


def test_a_payment_of_bills_that_are_not_orders_is_skipped_without_a_write(chimp: Stack) -> None:
    intacct = chimp.simulator
    paid = {str(d["RECORDKEY"]) for d in intacct.store.all("APPYMTDETAIL")}
    billed = {str(b["VENDORID"]) for b in intacct.store.all("APBILL") if str(b["RECORDNO"]) in paid}
    vendor = next(v for v in intacct.store.all("VENDOR") if v.get("DISPLAYCONTACT.EMAIL1") and v["VENDORID"] in billed)
    bills = [b for b in _bills(chimp).values() if b["VENDORID"] == vendor["VENDORID"]]
    assert bills
    intacct.update_record("VENDOR", str(vendor["VENDORID"]), {"DISPLAYCONTACT.EMAIL1": ""})
    report = _completed(chimp)
    assert f"V-{vendor['VENDORID']}" not in _store(chimp)["customers"]
    assert _sim(chimp).calls.count("orders.patch") == 0
    failed = {e.source_key for e in AuditEntryItem.scan() if e.stream == "orders" and e.action == "failed"}
    assert {str(b["RECORDNO"]) for b in bills} <= failed
    assert report.stream("payments").counts["failed"] == 0
    assert report.stream("payments").counts["skipped"] >= 1  # its payments: no order to move


def test_a_first_sync_scans_related_rows_once_and_a_later_run_asks_by_key(
    chimp: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []
    query_pages = IntacctClient.query_pages

    def recorded(self: IntacctClient, object: str, fields: Any, filter: Any = None, *args: Any, **kwargs: Any) -> Any:
        asked.append((object, filter is None))
        return query_pages(self, object, fields, filter, *args, **kwargs)

    monkeypatch.setattr(IntacctClient, "query_pages", recorded)
    _completed(chimp)
    related = ("APBILLITEM", "APPYMTDETAIL", "APBILL")
    assert sorted(a for a in asked if a[0] in related) == sorted((o, True) for o in related)  # one scan each
    asked.clear()
    bill = next(iter(_bills(chimp).values()))
    chimp.simulator.clock.advance(60)
    chimp.simulator.update_record("APBILL", str(bill["RECORDNO"]), {"DESCRIPTION": "changed"})
    _completed(chimp)
    assert ("APBILLITEM", False) in asked
    assert ("APBILLITEM", True) not in asked
