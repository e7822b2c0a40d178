"""Seeded data: deterministic, proportional, linked, awkward where it should be."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sandbox.intacct import IntacctSimulator
from sandbox.intacct.store import RecordStore
from sandbox.intacct.values import parse_when


def _dump(store: RecordStore) -> dict[str, list[dict[str, str]]]:
    return {name: store.all(name) for name in store.object_names()}


def test_same_seed_same_data_other_seed_other_data() -> None:
    first, again, other = (IntacctSimulator(seed=s, size=40).store for s in (11, 11, 12))
    assert _dump(first) == _dump(again)
    assert _dump(first) != _dump(other)


def test_sizes_scale_with_the_number_of_vendors() -> None:
    store = IntacctSimulator(seed=1, size=80).store
    assert store.count("VENDOR") == 80
    assert store.count("CUSTOMER") == 40
    # 80 bills, then max(4, 80 // 10) = 8 payment scenarios (every 4th makes two bills).
    assert store.count("APBILL") == 80 + 8 + 2
    assert 80 <= store.count("CONTACT") <= 240
    assert store.count("GLACCOUNT") > 10
    for name in ("DEPARTMENT", "LOCATION", "CLASS", "PROJECT", "APPYMT", "EMPLOYEE", "WAREHOUSE"):
        assert store.count(name) > 0, name


def test_contacts_are_linked_to_their_vendor() -> None:
    store = IntacctSimulator(seed=2, size=50).store
    vendors = {v["VENDORID"]: v for v in store.all("VENDOR")}
    per_vendor = Counter(c["VENDORID"] for c in store.all("CONTACT"))
    assert set(per_vendor) == set(vendors)
    assert set(per_vendor.values()) <= {1, 2, 3}
    for vendor in vendors.values():
        primary = store.find("CONTACT", vendor["CONTACTINFO.CONTACTNAME"])
        assert primary is not None
        assert primary["VENDORID"] == vendor["VENDORID"]


def test_hierarchies_and_documents_are_consistent() -> None:
    store = IntacctSimulator(seed=3, size=120).store
    customers = {c["CUSTOMERID"]: c for c in store.all("CUSTOMER")}
    children = [c for c in customers.values() if c.get("PARENTID")]
    assert children
    for child in children:
        assert customers[child["PARENTID"]]["RECORDNO"] == child["PARENTKEY"]
    vendor_ids = {v["VENDORID"] for v in store.all("VENDOR")}
    lines = Counter(line["RECORDKEY"] for line in store.all("APBILLITEM"))
    paid = {d["RECORDKEY"] for d in store.all("APPYMTDETAIL")}
    for bill in store.all("APBILL"):
        assert bill["VENDORID"] in vendor_ids
        assert lines[bill["RECORDNO"]] >= 1
        assert (Decimal(bill["TOTALPAID"]) > 0) == (bill["RECORDNO"] in paid)
        assert (bill["STATE"] in {"Paid", "Partially Paid"}) == (bill["RECORDNO"] in paid)
        assert Decimal(bill["TOTALPAID"]) + Decimal(bill["TOTALDUE"]) == Decimal(bill["TOTALENTERED"])


def test_awkward_values_are_present() -> None:
    names = [v["NAME"] for v in IntacctSimulator(seed=4, size=20).store.all("VENDOR")]
    assert any("'" in n for n in names)
    assert any("&" in n for n in names)
    assert any("<" in n for n in names)
    assert any("\\" in n for n in names)
    assert any(not n.isascii() for n in names)
    assert any(len(n) > 80 for n in names)


def test_whenmodified_shares_seconds_and_is_not_in_recordno_order() -> None:
    sim = IntacctSimulator(seed=5, size=200)
    stamps = [v["WHENMODIFIED"] for v in sim.store.all("VENDOR")]
    shared = Counter(stamps)
    assert max(shared.values()) >= 3
    assert len(shared) < len(stamps)
    moments = [parse_when(s) for s in stamps]
    assert moments != sorted(moments)
    now = sim.clock.now().replace(tzinfo=None)
    assert all(m < now for m in moments)
    assert all(parse_when(v["WHENCREATED"]) <= parse_when(v["WHENMODIFIED"]) for v in sim.store.all("VENDOR"))
