"""Every field the reference documents, and every field of sageintacctsdk's default select lists, can be
selected (no XL03000010), and the seeded documents and parties
hang together: payments point at real bills of their vendor, bill totals equal their payments, parents exist."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from sandbox.intacct import IntacctSimulator
from sandbox.intacct.schema import OBJECTS
from tests.unit.sandbox.gateway import Gateway, errornos, fn, query
from tests.unit.sandbox.intacct_reference_fields import REFERENCE_FIELDS, SDK_DEFAULT_FIELDS

# (source, object) -> the field names a client may select.
FIELD_LISTS: dict[tuple[str, str], tuple[str, ...]] = {
    **{("reference", name): fields for name, fields in REFERENCE_FIELDS.items()},
    **{("sdk-defaults", name): fields for name, fields in SDK_DEFAULT_FIELDS.items()},
}
CASES = sorted(FIELD_LISTS)


def _case_id(case: tuple[str, str]) -> str:
    return f"{case[0]}-{case[1]}"


def test_the_reference_lists_name_simulated_objects() -> None:
    for (_, object_name), names in FIELD_LISTS.items():
        assert object_name in OBJECTS, object_name
        assert names, object_name


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_schema_knows_every_documented_field(case: tuple[str, str]) -> None:
    object_name = case[1]
    missing = [name for name in FIELD_LISTS[case] if name not in OBJECTS[object_name].fields]
    assert missing == []


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_query_selects_every_documented_field(gw: Gateway, case: tuple[str, str]) -> None:
    object_name = case[1]
    fields = list(dict.fromkeys(FIELD_LISTS[case]))
    root = gw.login_call(fn("q", query(object_name, fields, extra="<pagesize>5</pagesize>")))
    result = root.find("./operation/result")
    assert result is not None
    assert errornos(result) == []
    assert result.findtext("status") == "success"
    data = result.find("data")
    assert data is not None
    assert int(data.get("totalcount", "0")) == gw.sim.store.count(object_name)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_read_by_query_selects_every_documented_field(gw: Gateway, case: tuple[str, str]) -> None:
    object_name = case[1]
    fields = ",".join(dict.fromkeys(FIELD_LISTS[case]))
    body = (
        f"<readByQuery><object>{object_name}</object><fields>{fields}</fields>"
        "<query></query><pagesize>5</pagesize></readByQuery>"
    )
    result = gw.login_call(fn("r", body)).find("./operation/result")
    assert result is not None
    assert errornos(result) == []
    assert result.findtext("status") == "success"


def test_an_undocumented_field_is_still_refused(gw: Gateway) -> None:
    result = gw.login_call(fn("q", query("VENDOR", ["VENDORID", "DISPLAYCONTACT.NOSUCH"]))).find("./operation/result")
    assert result is not None
    assert errornos(result) == ["XL03000010"]


@pytest.fixture(scope="module")
def seeded() -> IntacctSimulator:
    return IntacctSimulator(seed=7, size=200)


def test_payment_details_point_at_existing_bills_of_the_same_vendor(seeded: IntacctSimulator) -> None:
    store = seeded.store
    payments = {p["RECORDNO"]: p for p in store.all("APPYMT")}
    details = store.all("APPYMTDETAIL")
    assert details
    per_payment: dict[str, Decimal] = defaultdict(Decimal)
    for detail in details:
        bill = store.get("APBILL", int(detail["RECORDKEY"]))
        assert bill is not None, detail
        payment = payments[detail["PAYMENTKEY"]]
        assert bill["VENDORID"] == payment["VENDORID"]
        assert bill["STATE"] not in {"Draft", "Posted", "Selected"}
        per_payment[payment["RECORDNO"]] += Decimal(detail["TRX_PAYMENTAMOUNT"])
    assert set(per_payment) == set(payments)  # no payment without details
    for recordno, amount in per_payment.items():
        assert Decimal(payments[recordno]["TOTALENTERED"]) == amount
        assert payments[recordno]["RECORDID"]
    assert max(Counter(d["PAYMENTKEY"] for d in details).values()) >= 2  # one payment settles two bills
    assert max(Counter(d["RECORDKEY"] for d in details).values()) >= 2  # one bill paid in instalments


def test_bill_totals_and_states_agree_with_their_payments(seeded: IntacctSimulator) -> None:
    store = seeded.store
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for detail in store.all("APPYMTDETAIL"):
        paid[detail["RECORDKEY"]] += Decimal(detail["TRX_PAYMENTAMOUNT"])
    states: Counter[str] = Counter()
    for bill in store.all("APBILL"):
        entered, total_paid = Decimal(bill["TOTALENTERED"]), Decimal(bill["TOTALPAID"])
        states[bill["STATE"]] += 1
        assert total_paid == paid.get(bill["RECORDNO"], Decimal(0)), bill["RECORDID"]
        assert Decimal(bill["TOTALDUE"]) == entered - total_paid
        assert bill["MODULEKEY"]
        assert bill["RECORD_URL"]
        assert bill["PAYMENTPRIORITY"]
        assert bill["RECPAYMENTDATE"] == bill["WHENDUE"]
        if bill["STATE"] == "Paid":
            assert total_paid == entered
            assert bill["WHENPAID"]
        elif bill["STATE"] == "Partially Paid":
            assert 0 < total_paid < entered
            assert not bill.get("WHENPAID")
        elif bill["STATE"] == "Selected":
            assert total_paid == 0
            assert Decimal(bill["TOTALSELECTED"]) == entered
        else:
            assert total_paid == 0
            assert Decimal(bill.get("TOTALSELECTED", "0")) == 0
    assert set(states) == {"Draft", "Posted", "Selected", "Partially Paid", "Paid"}


def test_customers_have_existing_parents_and_billto_shipto_contacts(seeded: IntacctSimulator) -> None:
    customers = {c["CUSTOMERID"]: c for c in seeded.store.all("CUSTOMER")}
    children = [c for c in customers.values() if c.get("PARENTID")]
    assert children
    for child in children:
        parent = customers[child["PARENTID"]]
        assert (child["PARENTKEY"], child["PARENTNAME"]) == (parent["RECORDNO"], parent["NAME"])
    for customer in customers.values():
        for block in ("BILLTO.", "SHIPTO."):
            assert customer[block + "CONTACTNAME"]
            assert customer[block + "MAILADDRESS.CITY"]
            assert customer[block + "MAILADDRESS.COUNTRYCODE"]
    own_billing = [c for c in customers.values() if c["BILLTO.CONTACTNAME"] != c["DISPLAYCONTACT.CONTACTNAME"]]
    same_billing = [c for c in customers.values() if c["BILLTO.CONTACTNAME"] == c["DISPLAYCONTACT.CONTACTNAME"]]
    assert own_billing
    assert same_billing
    assert all(c["BILLTO.EMAIL1"].startswith("ap@") for c in own_billing)
    assert all(c.get("BILLTO.EMAIL1") == c.get("DISPLAYCONTACT.EMAIL1") for c in same_billing)


def test_vendor_fields_from_the_reference_are_seeded(seeded: IntacctSimulator) -> None:
    vendors = seeded.store.all("VENDOR")
    for vendor in vendors:
        assert vendor["APACCOUNTTITLE"] == "Accounts Payable"
        assert vendor["PAYTOCONTACT.CONTACTNAME"] == vendor["PAYTO.CONTACTNAME"]
        assert vendor["PAYMENTPRIORITY"] in {"normal", "urgent", "high", "low"}
        assert (vendor["PAYMETHODKEY"] == "ACH") == (vendor["ACHENABLED"] == "true")
        assert (vendor["ACHENABLED"] == "true") == bool(vendor.get("ACHBANKROUTINGNUMBER"))
    assert any(v.get("DISPLAYCONTACT.INITIAL") for v in vendors)
    assert any(v.get("TAXID") for v in vendors)
    assert {v["DISPLAYCONTACT.MAILADDRESS.COUNTRYCODE"] for v in vendors} >= {"US", "CA"}


def test_dimensions_include_employees_and_warehouses(seeded: IntacctSimulator) -> None:
    store = seeded.store
    departments = {d["DEPARTMENTID"] for d in store.all("DEPARTMENT")}
    locations = {loc["LOCATIONID"] for loc in store.all("LOCATION")}
    employees = {e["EMPLOYEEID"]: e for e in store.all("EMPLOYEE")}
    assert employees
    for employee in employees.values():
        assert employee["DEPARTMENTID"] in departments
        assert employee["LOCATIONID"] in locations
        assert not employee.get("SUPERVISORID") or employee["SUPERVISORID"] in employees
    warehouses = {w["WAREHOUSEID"]: w for w in store.all("WAREHOUSE")}
    assert warehouses
    assert all(w["LOCATIONID"] in locations for w in warehouses.values())
    assert all(not w.get("PARENTID") or w["PARENTID"] in warehouses for w in warehouses.values())


def test_sdk_default_fields_seeded_from_their_own_stream(seeded: IntacctSimulator) -> None:
    """CUSTOMER ENTITY/CREATEDBY/MODIFIEDBY/OBJECTRESTRICTION, CLASS CREATEDBY/MODIFIEDBY/RECORD_URL and
    PROJECT.CUSTOMERKEY are seeded (values UNVERIFIED); the same seed gives the same values."""
    store = seeded.store
    again = IntacctSimulator(seed=7, size=200).store
    for object_name in ("CUSTOMER", "CLASS", "PROJECT"):
        assert store.all(object_name) == again.all(object_name)
    for record in [*store.all("CUSTOMER"), *store.all("CLASS")]:
        assert record["CREATEDBY"].isdigit()
        assert record["MODIFIEDBY"].isdigit()
        if record["WHENCREATED"] == record["WHENMODIFIED"]:
            assert record["MODIFIEDBY"] == record["CREATEDBY"]
    for customer in store.all("CUSTOMER"):
        assert customer["ENTITY"] == "C" + customer["CUSTOMERID"]
        assert customer["OBJECTRESTRICTION"] == "Unrestricted"
    for project in store.all("PROJECT"):
        customer = store.find("CUSTOMER", project["CUSTOMERID"])
        assert customer is not None
        assert project["CUSTOMERKEY"] == customer["RECORDNO"]
    assert not any(e.get("MEGAENTITYID") or e.get("SSN") for e in store.all("EMPLOYEE"))  # left empty
