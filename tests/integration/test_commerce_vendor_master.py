"""The vendor master both ways between Intacct and Adobe Commerce, and its loop prevention (both simulators over
loopback, state in moto): a change the connector wrote is never echoed back; a genuine edit on either side is."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

import pytest

from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.engine.runner import replay_failures, run_flow
from mlconnector.flows.commerce_intacct import flow as commerce_intacct
from mlconnector.flows.commerce_intacct.bill_writer import BillWriter
from mlconnector.flows.commerce_intacct.flow import BILLS, NAME
from mlconnector.flows.commerce_intacct.mirror import LinkBook, matcher_customer
from mlconnector.flows.commerce_intacct.order_mapping import order_to_bill
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.commerce_intacct.vendor_master import (
    CUSTOMERS_TO_VENDORS,
    VENDORS_TO_COMPANIES,
    vendor_master_streams,
)
from mlconnector.flows.commerce_intacct.vendor_master_config import VendorMasterConfig
from mlconnector.flows.intacct_destination.vendors import VendorMatcher
from mlconnector.state.links import Link
from mlconnector.systems.commerce import CommerceReader
from mlconnector.systems.registry import COMMERCE, INTACCT
from sandbox.commerce import CommerceSimulator
from tests.integration.conftest import DOTTED_SHAPES, Stack

pytestmark = pytest.mark.integration

PREFIX = "MC-"
COMMERCE_WRITES = ("customers.create", "customers.update", "companies.create", "companies.update")
INTACCT_WRITES = ("create", "update", "delete")


def _commerce(stack: Stack) -> CommerceSimulator:
    assert stack.commerce is not None
    return stack.commerce


def _configure(stack: Stack, **vendor_master: Any) -> None:
    settings = {"customers_to_vendors": True, **vendor_master}  # on in these tests unless a test says otherwise
    stack._put("default", "commerce", {**_commerce(stack).credentials.as_dict(), "vendor_master": settings})


def _flow(connection: Connection, *, bills: bool = False) -> Flow:
    """The vendor-master streams as flow.py will wire them (with the bills after them when asked)."""
    posting = PostingConfig()
    vendors = VendorMatcher(connection.client(INTACCT), connection.state.links, NAME, posting.vendor_prefix)
    config = VendorMasterConfig.from_secret(connection.secrets.get(connection.name, "commerce"))
    streams = vendor_master_streams(connection, vendors, config)
    if bills:
        orders = CommerceReader(connection.client(COMMERCE), "orders", key_field="increment_id")
        writer = BillWriter(connection.client(INTACCT), vendors)
        streams.append(
            Stream(BILLS, "commerce", "order", "intacct", orders, partial(order_to_bill, config=posting), writer)
        )
    return Flow(NAME, streams, api_calls=connection.api_calls)


def _run(stack: Stack, *, bills: bool = False) -> RunReport:
    """One run, with the simulators' call counters counting it alone."""
    _commerce(stack).reset_calls()
    stack.simulator.reset_calls()
    connection = stack.connection()
    return run_flow(_flow(connection, bills=bills), connection.state)


def _writes(stack: Stack) -> dict[str, int]:
    commerce, intacct = _commerce(stack).calls, stack.simulator.calls
    return {
        "commerce": sum(commerce.count(op) for op in COMMERCE_WRITES),
        "intacct": sum(intacct.count(function) for function in INTACCT_WRITES),
    }


def _vendors(stack: Stack) -> dict[str, dict[str, Any]]:
    return {str(v["VENDORID"]): dict(v) for v in stack.simulator.store.all("VENDOR")}


def _email(vendor: dict[str, Any]) -> str:
    return str(vendor.get("DISPLAYCONTACT.EMAIL1") or "").lower()


def _active_seeded(stack: Stack) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in _vendors(stack).items() if not k.startswith(PREFIX) and v["STATUS"] == "active"}


def _unique_email_vendor(stack: Stack, index: int = 0) -> dict[str, Any]:
    active = _active_seeded(stack)
    counts = Counter(_email(v) for v in active.values())
    return [v for v in active.values() if counts[_email(v)] == 1][index]


def _customer_by_email(stack: Stack, email: str) -> dict[str, Any]:
    [customer] = [c for c in _commerce(stack).customers.values() if c["email"].lower() == email]
    return customer


def _company_of(stack: Stack, customer_id: int) -> dict[str, Any]:
    [company] = [c for c in _commerce(stack).companies.values() if c["super_user_id"] == customer_id]
    return company


def _plain_customer(stack: Stack) -> dict[str, Any]:
    """A seeded customer that administers no company (and has a regular name)."""
    admins = {c["super_user_id"] for c in _commerce(stack).companies.values()}
    tricky = _commerce(stack).tricky.control_chars_customer
    return [c for i, c in _commerce(stack).customers.items() if i not in admins and i != tricky][-1]


@pytest.mark.parametrize("dotted", DOTTED_SHAPES)
def test_first_run_makes_each_side_from_the_other_and_the_next_run_writes_nothing(shop: Stack, dotted: str) -> None:
    shop.dotted_fields(dotted)  # the same vendor master whether the gateway sends related fields flat or nested
    _configure(shop, vendors_to_commerce=True)
    customers, companies = _commerce(shop).customers, _commerce(shop).companies
    vendors = _vendors(shop)
    active = _active_seeded(shop)
    emails = {_email(v) for v in active.values()}

    first = _run(shop)

    assert first.status is RunStatus.COMPLETED, first.error
    # Every Commerce customer became exactly one new Intacct vendor...
    assert dict(first.streams[CUSTOMERS_TO_VENDORS].counts) == {"created": len(customers)}
    new_vendors = {k: v for k, v in _vendors(shop).items() if k not in vendors}
    assert len(new_vendors) == len(customers)
    assert {_email(v) for v in new_vendors.values()} == {c["email"].lower() for c in customers.values()}
    # ...and every active Intacct vendor a Commerce customer administering a company (one per email: two vendors
    # sharing an email share the customer). The vendors just made from customers were not sent back.
    assert dict(first.streams[VENDORS_TO_COMPANIES].counts) == {
        "created": len(emails),
        "updated": len(active) - len(emails),
        "unchanged": len(customers),
        "skipped": len(vendors) - len(active),  # inactive
    }
    assert len(_commerce(shop).customers) == len(customers) + len(emails)
    assert len(_commerce(shop).companies) == len(companies) + len(emails)
    vendor = _unique_email_vendor(shop)
    customer = _customer_by_email(shop, _email(vendor))
    company = _company_of(shop, customer["id"])
    assert (company["company_name"], company["telephone"]) == (vendor["NAME"], vendor["DISPLAYCONTACT.PHONE1"])
    assert (customer["firstname"], customer["lastname"]) == (
        vendor["DISPLAYCONTACT.FIRSTNAME"],
        vendor["DISPLAYCONTACT.LASTNAME"],
    )

    second = _run(shop)  # the echo test: everything each side wrote is read back by the other side

    assert second.status is RunStatus.COMPLETED, second.error
    assert _writes(shop) == {"commerce": 0, "intacct": 0}
    assert second.counts["unchanged"] >= len(emails)  # the customers written in the first run were read back
    assert second.counts["created"] == second.counts["updated"] == second.counts["failed"] == 0


def test_without_the_mirror_links_the_echo_test_fails(shop: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Proves the echo test can fail: writers that skip the mirror link make each side write the other back."""
    record = LinkBook.record

    def without_mirrors(book: LinkBook, mirrors: list[Link], matcher: list[Link] | tuple[()] = ()) -> None:
        record(book, [], matcher)

    monkeypatch.setattr(LinkBook, "record", without_mirrors)
    _configure(shop, vendors_to_commerce=True)
    _run(shop)
    second = _run(shop)
    assert _writes(shop)["intacct"] > 0
    assert second.counts["updated"] > 0


def test_an_intacct_edit_updates_one_commerce_company_and_is_not_written_back(shop: Stack) -> None:
    _configure(shop, vendors_to_commerce=True)
    _run(shop)
    vendor = _unique_email_vendor(shop)
    shop.simulator.update_record(
        "VENDOR", vendor["VENDORID"], {"NAME": "Renamed Supplies Ltd", "DISPLAYCONTACT.PHONE1": "555-0199"}
    )

    edited = _run(shop)

    counts = _commerce(shop).calls
    assert edited.status is RunStatus.COMPLETED, edited.error
    assert [counts.count(op) for op in COMMERCE_WRITES] == [0, 1, 0, 1]  # one customer and its company updated
    assert _writes(shop)["intacct"] == 0
    company = _company_of(shop, _customer_by_email(shop, _email(vendor))["id"])
    assert (company["company_name"], company["telephone"]) == ("Renamed Supplies Ltd", "555-0199")

    after = _run(shop)

    assert after.status is RunStatus.COMPLETED, after.error
    assert _writes(shop) == {"commerce": 0, "intacct": 0}  # the updated customer is read back, not echoed
    assert _vendors(shop)[vendor["VENDORID"]]["NAME"] == "Renamed Supplies Ltd"


def test_a_commerce_edit_updates_one_vendor_and_is_not_written_back(shop: Stack) -> None:
    _configure(shop, vendors_to_commerce=True)
    _run(shop)
    customer = _plain_customer(shop)
    vendor_id = shop.connection().state.links.get(NAME, CUSTOMERS_TO_VENDORS, str(customer["id"]))
    assert vendor_id is not None
    assert vendor_id.destination_id is not None
    _commerce(shop).update_customer(customer["id"], {"firstname": "Zed", "lastname": "Quinn"})

    edited = _run(shop)

    assert edited.status is RunStatus.COMPLETED, edited.error
    assert shop.simulator.calls.count("update") == 1
    assert _writes(shop) == {"commerce": 0, "intacct": 1}
    vendor = _vendors(shop)[vendor_id.destination_id]
    assert (vendor["NAME"], vendor["DISPLAYCONTACT.FIRSTNAME"]) == ("Zed Quinn", "Zed")

    after = _run(shop)

    assert after.status is RunStatus.COMPLETED, after.error
    assert _writes(shop) == {"commerce": 0, "intacct": 0}  # the updated vendor is read back, not echoed


def test_a_vendor_name_a_plain_customer_cannot_hold_is_not_written_back(shop: Stack) -> None:
    """A customer without a company is named "first last": renaming its vendor updates the customer, and the
    customer read back does not undo the vendor's new name."""
    _configure(shop, vendors_to_commerce=True)
    _run(shop)
    customer = _plain_customer(shop)
    link = shop.connection().state.links.get(NAME, CUSTOMERS_TO_VENDORS, str(customer["id"]))
    assert link is not None
    assert link.destination_id is not None
    shop.simulator.update_record(
        "VENDOR", link.destination_id, {"NAME": "Quinn Holdings", "DISPLAYCONTACT.LASTNAME": "Quinn"}
    )

    _run(shop)

    assert _writes(shop) == {"commerce": 1, "intacct": 0}
    assert _commerce(shop).customers[customer["id"]]["lastname"] == "Quinn"
    _run(shop)
    assert _writes(shop) == {"commerce": 0, "intacct": 0}
    assert _vendors(shop)[link.destination_id]["NAME"] == "Quinn Holdings"


def test_a_vendor_missing_what_a_company_needs_fails_alone_and_is_replayed_once_fixed(shop: Stack) -> None:
    _configure(shop, vendors_to_commerce=True)
    vendor = _unique_email_vendor(shop)
    key = vendor["VENDORID"]
    shop.simulator.update_record("VENDOR", key, {"DISPLAYCONTACT.MAILADDRESS.ZIP": "", "DISPLAYCONTACT.PHONE1": ""})

    report = _run(shop)

    state = shop.connection().state
    failures = {f.source_key: f.error for f in state.failures.pending(NAME)}
    assert failures == {
        key: f"VENDOR {key}: a Commerce company needs postcode, telephone, which the record does not have"
    }
    assert report.streams[VENDORS_TO_COMPANIES].counts["failed"] == 1
    assert report.streams[VENDORS_TO_COMPANIES].counts["created"] > 0  # the others went on
    assert not [c for c in _commerce(shop).customers.values() if c["email"].lower() == _email(vendor)]

    shop.simulator.update_record(
        "VENDOR", key, {"DISPLAYCONTACT.MAILADDRESS.ZIP": "62701", "DISPLAYCONTACT.PHONE1": "555-0101"}
    )
    connection = shop.connection()
    replayed = replay_failures(_flow(connection), connection.state)

    assert replayed.streams[VENDORS_TO_COMPANIES].counts["created"] == 1
    assert not list(shop.connection().state.failures.pending(NAME))
    company = _company_of(shop, _customer_by_email(shop, _email(vendor))["id"])
    assert (company["postcode"], company["telephone"]) == ("62701", "555-0101")


def test_vendors_to_commerce_is_off_by_default_and_then_nothing_is_written_to_commerce(shop: Stack) -> None:
    _configure(shop)
    report = _run(shop)
    assert report.status is RunStatus.COMPLETED, report.error
    assert list(report.streams) == [CUSTOMERS_TO_VENDORS]
    assert report.counts["created"] == len(_commerce(shop).customers)
    assert _writes(shop)["commerce"] == 0


def test_without_b2b_the_run_stops_saying_why_before_writing_to_commerce(shop: Stack) -> None:
    _configure(shop, vendors_to_commerce=True)
    _commerce(shop).config.b2b_installed = False
    report = _run(shop)
    assert report.status is RunStatus.STOPPED_EARLY
    assert report.error is not None
    assert "the B2B extension is not installed" in report.error
    assert "vendor_master.vendors_to_commerce" in report.error
    assert _writes(shop)["commerce"] == 0
    # Customers still become vendors: a store without B2B has customers, just no companies.
    assert report.streams[CUSTOMERS_TO_VENDORS].counts["created"] == len(_commerce(shop).customers)


def test_bills_land_on_the_vendor_the_customers_to_vendors_stream_made_or_matched(shop: Stack) -> None:
    _configure(shop)
    customers = _commerce(shop).customers
    matched = _plain_customer(shop)
    shop.simulator.update_record("VENDOR", "V101", {"DISPLAYCONTACT.EMAIL1": matched["email"]})
    vendors_before = set(_vendors(shop))

    report = _run(shop, bills=True)

    assert report.status is RunStatus.COMPLETED, report.error
    links = shop.connection().state.links.get_many(NAME, CUSTOMERS_TO_VENDORS, [str(i) for i in customers])
    vendor_of = {int(key): link.destination_id for key, link in links.items()}
    assert vendor_of[matched["id"]] == "V101"  # matched by email, and updated from the customer
    assert _vendors(shop)["V101"]["DISPLAYCONTACT.FIRSTNAME"] == matched["firstname"]
    orders = {str(o["increment_id"]): o for o in _commerce(shop).orders.values()}
    bills = [
        (b, orders[str(b["RECORDID"])[len(PREFIX) :]])
        for b in shop.simulator.store.all("APBILL")
        if str(b.get("RECORDID", "")).startswith(PREFIX)
    ]
    registered = [(b, o) for b, o in bills if o.get("customer_id") and not o.get("customer_is_guest")]
    assert len(registered) > 10
    assert all(b["VENDORID"] == vendor_of[o["customer_id"]] for b, o in registered)
    # No second vendor for a customer: the run made one per customer (less the matched one) and one per guest.
    guest_vendors = {b["VENDORID"] for b, o in bills if (b, o) not in registered}
    assert guest_vendors
    assert set(_vendors(shop)) - vendors_before == (set(vendor_of.values()) - {"V101"}) | guest_vendors


def test_an_unconfirmed_vendor_write_stops_the_run_and_the_next_run_makes_no_second_vendor(shop: Stack) -> None:
    _configure(shop)
    customers = _commerce(shop).customers
    before = set(_vendors(shop))
    shop.simulator.faults.add("status_after_commit", match="write", times=1)  # applied, then HTTP 524

    stopped = _run(shop)

    assert stopped.status is RunStatus.STOPPED_EARLY
    assert stopped.error is not None
    assert "did not confirm" in stopped.error
    assert len(set(_vendors(shop)) - before) == len(customers)  # the request was applied all the same
    done = _run(shop)
    assert done.status is RunStatus.COMPLETED, done.error
    made = set(_vendors(shop)) - before
    assert len(made) == len(customers)  # the creates were refused as done and turned into updates
    assert shop.simulator.calls.count("update") == len(customers)
    links = shop.connection().state.links.get_many(NAME, CUSTOMERS_TO_VENDORS, [str(i) for i in customers])
    assert {link.destination_id for link in links.values()} == made


def test_a_vendor_made_earlier_for_a_customer_is_adopted_and_updated(shop: Stack) -> None:
    """E.g. made by the bills before the vendor master was switched on, its link since lost."""
    _configure(shop)
    customer = _plain_customer(shop)
    vendor_id = matcher_customer(str(customer["id"])).vendor_id(PostingConfig().vendor_prefix)
    shop.simulator.insert_record("VENDOR", {"VENDORID": vendor_id, "NAME": "Old Name", "STATUS": "active"})

    report = _run(shop)

    assert report.status is RunStatus.COMPLETED, report.error
    vendor = _vendors(shop)[vendor_id]
    assert vendor["NAME"] == f"{customer['firstname']} {customer['lastname']}"
    assert _email(vendor) == customer["email"].lower()
    assert sum(1 for v in _vendors(shop).values() if _email(v) == customer["email"].lower()) == 1
    assert report.streams[CUSTOMERS_TO_VENDORS].counts["updated"] == 1


def test_a_customer_made_without_its_company_is_not_echoed_and_gets_the_company_on_replay(shop: Stack) -> None:
    _configure(shop, vendors_to_commerce=True)
    vendor = _unique_email_vendor(shop)
    sim = _commerce(shop)
    with sim.store.lock:  # another company already uses the vendor's email: Commerce refuses a second one
        taken = sim.store.get("companies", 1)
        assert taken is not None
        own_email = taken["company_email"]
        taken["company_email"] = _email(vendor)

    first = _run(shop)

    failures = {f.source_key: f.error for f in shop.connection().state.failures.pending(NAME)}
    assert list(failures) == [vendor["VENDORID"]]
    assert "Company with this email address already exists" in failures[vendor["VENDORID"]]
    customer = _customer_by_email(shop, _email(vendor))
    assert f"customer {customer['id']} is written" in failures[vendor["VENDORID"]]
    assert first.streams[VENDORS_TO_COMPANIES].counts["failed"] == 1
    _run(shop)
    assert _writes(shop) == {"commerce": 0, "intacct": 0}  # the half-made customer is not written back as a vendor

    with sim.store.lock:
        taken["company_email"] = own_email
    connection = shop.connection()
    replayed = replay_failures(_flow(connection), connection.state)

    assert replayed.streams[VENDORS_TO_COMPANIES].counts["updated"] == 1
    assert _company_of(shop, customer["id"])["company_name"] == vendor["NAME"]
    assert _vendors(shop)[vendor["VENDORID"]]["NAME"] == vendor["NAME"]
    assert not list(shop.connection().state.failures.pending(NAME))
    _run(shop)
    assert _writes(shop) == {"commerce": 0, "intacct": 0}


def test_the_whole_flow_runs_the_vendor_master_around_the_postings_and_then_writes_nothing(shop: Stack) -> None:
    """flow.build: customers first (bills use their vendors), the push to Commerce last; vendors the bills made
    for guests are not pushed into Commerce; and a second run of everything writes nothing anywhere."""
    secret = {
        **_commerce(shop).credentials.as_dict(),
        "vendor_master": {"customers_to_vendors": True, "vendors_to_commerce": True},
        "posting": {"po_default_item": "COMMERCE-ITEM"},
    }
    shop._put("default", "commerce", secret)

    first = _run_built(shop)

    assert first.status is RunStatus.COMPLETED, first.error
    assert list(first.streams) == [
        CUSTOMERS_TO_VENDORS,
        BILLS,
        commerce_intacct.PURCHASE_ORDERS,
        commerce_intacct.ADJUSTMENTS,
        VENDORS_TO_COMPANIES,
    ]
    guest_vendors = {
        v
        for v in _vendors(shop)
        if v.startswith(PREFIX) and v not in {str(link) for link in _customer_vendor_ids(shop)}
    }
    assert guest_vendors, "the seed has guest orders, so the bills made vendors no customer stands behind"
    not_active = {k for k, v in _vendors(shop).items() if v["STATUS"] != "active"}
    pushed = first.streams[VENDORS_TO_COMPANIES].counts
    assert pushed["skipped"] == len(guest_vendors) + len(not_active)  # skipped, not failed: nothing to replay
    assert pushed["failed"] == 0

    second = _run_built(shop)

    assert second.status is RunStatus.COMPLETED, second.error
    assert _writes(shop) == {"commerce": 0, "intacct": 0}
    assert shop.simulator.calls.count("create_potransaction") == 0


def _run_built(stack: Stack) -> RunReport:
    _commerce(stack).reset_calls()
    stack.simulator.reset_calls()
    connection = stack.connection()
    return run_flow(commerce_intacct.build(connection), connection.state)


def _customer_vendor_ids(stack: Stack) -> list[str]:
    """The VENDORIDs the customers-to-vendors stream links its customers to."""
    links = stack.connection().state.links
    return [
        str(link.destination_id)
        for customer_id in _commerce(stack).customers
        if (link := links.get(NAME, CUSTOMERS_TO_VENDORS, str(customer_id))) is not None
    ]
