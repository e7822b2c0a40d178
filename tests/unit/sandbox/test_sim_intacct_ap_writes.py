"""AP writes in the simulator: APBILL generic create, create_apadjustment, create_potransaction —
validations, stored documents and lines, read-back, uniqueid duplicates, faults after commit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
import requests

from sandbox.core import SimClock
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, descriptions, envelope, errornos, fn, login, parse, query

START = datetime(2025, 3, 4, 10, 11, 12, tzinfo=UTC)
WRAP = "BL01001973"


# ---------------------------------------------------------------------------- request builders


def bill_line(account: str = "6000", amount: str = "100.00", extra: str = "") -> str:
    acct = f"<ACCOUNTNO>{account}</ACCOUNTNO>" if account else ""
    amt = f"<TRX_AMOUNT>{amount}</TRX_AMOUNT>" if amount else ""
    return f"<APBILLITEM>{acct}{amt}{extra}</APBILLITEM>"


def bill(
    record_id: str | None = "INV-A1",
    vendor_id: str | None = "V100",
    *,
    lines: str | None = None,
    when: str | None = "01/15/2025",
    extra: str = "",
) -> str:
    parts = f"<VENDORID>{vendor_id}</VENDORID>" if vendor_id is not None else ""
    parts += f"<WHENCREATED>{when}</WHENCREATED>" if when is not None else ""
    parts += f"<RECORDID>{record_id}</RECORDID>" if record_id is not None else ""
    parts += extra
    items = bill_line() + bill_line("6100", "23.456", "<ENTRYDESCRIPTION>Fees</ENTRYDESCRIPTION>")
    body = items if lines is None else lines
    return f"<create><APBILL>{parts}<APBILLITEMS>{body}</APBILLITEMS></APBILL></create>"


def split(tag: str, year: int, month: int, day: int) -> str:
    return f"<{tag}><year>{year}</year><month>{month:02d}</month><day>{day:02d}</day></{tag}>"


def adj_line(account: str = "6000", amount: str = "-40.00", extra: str = "") -> str:
    return f"<lineitem><glaccountno>{account}</glaccountno><amount>{amount}</amount>{extra}</lineitem>"


def adjustment(
    vendor_id: str = "V100",
    *,
    number: str = "CM-1",
    lines: str | None = None,
    date_xml: str | None = None,
    middle: str = "",
) -> str:
    created = split("datecreated", 2025, 2, 1) if date_xml is None else date_xml
    numbering = f"<adjustmentno>{number}</adjustmentno>" if number else ""
    body = adj_line() + adj_line("6100", "-2.50", "<memo>Freight</memo>") if lines is None else lines
    return (
        f"<create_apadjustment><vendorid>{vendor_id}</vendorid>{created}{numbering}{middle}"
        f"<apadjustmentitems>{body}</apadjustmentitems></create_apadjustment>"
    )


def po_line(item: str = "ITM-100", quantity: str = "3", extra: str = "") -> str:
    return f"<potransitem><itemid>{item}</itemid><quantity>{quantity}</quantity>{extra}</potransitem>"


def po(
    vendor_id: str = "V100",
    *,
    doc_type: str = "Purchase Order",
    docno: str = "PO-1",
    lines: str | None = None,
    due: str | None = None,
    head: str = "",
) -> str:
    number = f"<documentno>{docno}</documentno>" if docno else ""
    due_xml = split("datedue", 2025, 3, 1) if due is None else due
    body = po_line() + po_line("ITM-200", "2", "<price>20.00</price>") if lines is None else lines
    return (
        f"<create_potransaction><transactiontype>{doc_type}</transactiontype>{split('datecreated', 2025, 2, 1)}"
        f"{head}<vendorid>{vendor_id}</vendorid>{number}{due_xml}"
        "<returnto><contactname/></returnto><payto><contactname/></payto>"
        f"<potransitems>{body}</potransitems></create_potransaction>"
    )


def call(gw: Gateway, *functions: str, uniqueid: str = "false", transaction: str | None = None) -> list[ET.Element]:
    root = gw.login_call("".join(functions), uniqueid=uniqueid, transaction=transaction)
    return root.findall("./operation/result")


def one(gw: Gateway, body: str, controlid: str = "c", uniqueid: str = "false") -> ET.Element:
    (result,) = call(gw, fn(controlid, body), uniqueid=uniqueid)
    return result


def frozen(start_sim: StartSim, **config: object) -> tuple[IntacctSimulator, Gateway]:
    sim = start_sim(config=IntacctSimConfig(**config), clock=SimClock(START, frozen=True))  # type: ignore[arg-type]
    return sim, Gateway(sim)


def counts(sim: IntacctSimulator) -> dict[str, int]:
    names = ("APBILL", "APBILLITEM", "APADJUSTMENT", "APADJUSTMENTITEM", "PODOCUMENT", "PODOCUMENTENTRY")
    return {name: sim.store.count(name) for name in names}


def lines_of(sim: IntacctSimulator, object_name: str, parent_field: str, recordno: str) -> list[dict[str, str]]:
    return [line for line in sim.store.all(object_name) if line.get(parent_field) == recordno]


# ---------------------------------------------------------------------------- APBILL


def test_bill_create_stores_header_lines_and_totals(start_sim: StartSim) -> None:
    sim, gw = frozen(start_sim)
    result = one(gw, bill(extra="<ACTION>Draft</ACTION><CURRENCY>EUR</CURRENCY>"))
    assert result.findtext("status") == "success"
    data = result.find("data")
    assert data is not None
    assert (data.get("listtype"), data.get("count")) == ("objects", "1")
    recordno = result.findtext("data/apbill/RECORDNO", "")
    stored = sim.get_record("APBILL", recordno)
    assert stored is not None
    assert (stored["RECORDID"], stored["VENDORID"], stored["STATE"]) == ("INV-A1", "V100", "Draft")
    assert stored["VENDORNAME"] == sim.get_record("VENDOR", "V100")["NAME"]  # type: ignore[index]
    assert (stored["TOTALENTERED"], stored["TOTALDUE"], stored["TOTALPAID"]) == ("123.46", "123.46", "0.00")
    assert stored["CURRENCY"] == "EUR"
    assert stored["WHENMODIFIED"] == "03/04/2025 10:11:12"
    assert "WHENPOSTED" not in stored
    assert "ACTION" not in stored
    lines = lines_of(sim, "APBILLITEM", "RECORDKEY", recordno)
    assert [(x["LINE_NO"], x["ACCOUNTNO"], x["TRX_AMOUNT"]) for x in lines] == [
        ("1", "6000", "100.00"),
        ("2", "6100", "23.46"),
    ]
    assert lines[1]["ENTRYDESCRIPTION"] == "Fees"
    assert all(x["VENDORID"] == "V100" and x["ACCOUNTTITLE"] for x in lines)


def test_posted_bill_defaults(sim: IntacctSimulator, gw: Gateway) -> None:
    result = one(gw, bill("INV-P1", "V102", lines=bill_line(amount="10")))
    stored = sim.get_record("APBILL", result.findtext("data/apbill/RECORDNO", ""))
    assert stored is not None
    assert stored["STATE"] == "Posted"
    assert stored["WHENPOSTED"] == stored["WHENCREATED"] == "01/15/2025"
    assert stored["CURRENCY"] == "GBP"  # the vendor's currency
    assert stored["TOTALDUE"] == "10.00"


def test_created_bill_is_found_by_query_and_read_with_its_lines(sim: IntacctSimulator, gw: Gateway) -> None:
    recordno = one(gw, bill("INV-Q1", "V103")).findtext("data/apbill/RECORDNO", "")
    where = (
        "<and><equalto><field>RECORDID</field><value>INV-Q1</value></equalto>"
        "<equalto><field>VENDORID</field><value>V103</value></equalto></and>"
    )
    found = one(gw, query("APBILL", ["RECORDNO", "STATE", "TOTALDUE"], filter_xml=where))
    assert [(r.findtext("RECORDNO"), r.findtext("TOTALDUE")) for r in found.findall("data/APBILL")] == [
        (recordno, "123.46")
    ]
    read = one(gw, f"<read><object>APBILL</object><keys>{recordno}</keys><fields>*</fields></read>")
    (record,) = read.findall("data/APBILL")
    assert record.findtext("RECORDID") == "INV-Q1"
    assert [x.findtext("ACCOUNTNO") for x in record.findall("APBILLITEMS/apbillitem")] == ["6000", "6100"]
    by_name = one(
        gw, f"<readByName><object>APBILL</object><keys>{recordno}</keys><fields>RECORDID</fields></readByName>"
    )
    assert [r.findtext("RECORDID") for r in by_name.findall("data/APBILL")] == ["INV-Q1"]


def test_bill_validations(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.update_record("VENDOR", "V105", {"ONHOLD": True})
    existing = next(b for b in sim.store.all("APBILL"))
    cases = {
        "no bill number": (bill(None), ["BL03002128", WRAP]),
        "unknown vendor": (bill(vendor_id="VNOPE"), ["SIM-BL-INVALID-VENDOR", WRAP]),
        "vendor on hold": (bill(vendor_id="V105"), ["SIM-BL-VENDOR-ON-HOLD", WRAP]),
        "no vendor": (bill(vendor_id=None), ["SIM-REQUIRED-FIELD", WRAP]),
        "no lines": (bill(lines=""), ["SIM-REQUIRED-FIELD", WRAP]),
        "line without account": (bill(lines=bill_line(account="")), ["SIM-REQUIRED-FIELD", WRAP]),
        "unknown account": (bill(lines=bill_line(account="9999")), ["SIM-INVALID-VALUE", WRAP]),
        "line without amount": (bill(lines=bill_line(amount="")), ["SIM-REQUIRED-FIELD", WRAP]),
        "bad amount": (bill(lines=bill_line(amount="1,000.00")), ["SIM-INVALID-VALUE", WRAP]),
        "unknown location": (
            bill(lines=bill_line(extra="<LOCATIONID>999</LOCATIONID>")),
            ["SIM-INVALID-VALUE", WRAP],
        ),
        "unknown line field": (bill(lines=bill_line(extra="<COLOUR>red</COLOUR>")), ["SIM-UNKNOWN-FIELD", WRAP]),
        "no bill date": (bill(when=None), ["SIM-REQUIRED-FIELD", WRAP]),
        "bad bill date": (bill(when="2025-01-15"), ["SIM-INVALID-VALUE", WRAP]),
        "unknown currency": (bill(extra="<CURRENCY>XYZ</CURRENCY>"), ["SIM-INVALID-VALUE", WRAP]),
        "bad action": (bill(extra="<ACTION>Post</ACTION>"), ["SIM-INVALID-VALUE", WRAP]),
        "duplicate number": (bill(existing["RECORDID"], existing["VENDORID"]), ["BL34000061", WRAP]),
        "two problems": (bill(None, "VNOPE"), ["SIM-BL-INVALID-VENDOR", "BL03002128", WRAP]),
    }
    before = counts(sim)
    for label, (body, expected) in cases.items():
        result = one(gw, body)
        assert result.findtext("status") == "failure", label
        assert errornos(result) == expected, label
    assert counts(sim) == before
    texts = {
        label: descriptions(one(gw, body))
        for label, body in (("vendor", bill(vendor_id="VNOPE")), ("hold", bill(vendor_id="V105")), ("no", bill(None)))
    }
    assert "VNOPE" in texts["vendor"]
    assert "V105" in texts["hold"]
    assert "on hold" in texts["hold"]
    assert "Enter a Bill number" in texts["no"]


def test_same_bill_number_for_another_vendor_is_allowed(sim: IntacctSimulator, gw: Gateway) -> None:
    assert one(gw, bill("INV-SAME", "V100"), "a").findtext("status") == "success"
    assert one(gw, bill("INV-SAME", "V101"), "b").findtext("status") == "success"
    again = one(gw, bill("INV-SAME", "V101"), "c")
    assert errornos(again) == ["BL34000061", WRAP]
    assert "INV-SAME" in descriptions(again)


def test_bill_codes_and_numbering_are_configurable(start_sim: StartSim) -> None:
    sim, gw = frozen(
        start_sim, bill_document_sequencing=True, vendor_on_hold_errorno="BL-HOLD", duplicate_document_errorno="BL-DUP"
    )
    result = one(gw, bill(None), "a")
    assert result.findtext("status") == "success"
    stored = sim.get_record("APBILL", result.findtext("data/apbill/RECORDNO", ""))
    assert stored is not None
    assert stored["RECORDID"].startswith("BILL-")
    sim.update_record("VENDOR", "V101", {"ONHOLD": True})
    assert errornos(one(gw, bill("X", "V101"), "b")) == ["BL-HOLD", WRAP]
    assert errornos(one(gw, bill(stored["RECORDID"]), "c")) == ["BL-DUP", WRAP]


def test_deleting_a_bill_removes_its_lines(sim: IntacctSimulator, gw: Gateway) -> None:
    recordno = one(gw, bill("INV-DEL")).findtext("data/apbill/RECORDNO", "")
    assert len(lines_of(sim, "APBILLITEM", "RECORDKEY", recordno)) == 2
    done = one(gw, f"<delete><object>APBILL</object><keys>{recordno}</keys></delete>", "d")
    assert done.findtext("status") == "success"
    assert sim.get_record("APBILL", recordno) is None
    assert lines_of(sim, "APBILLITEM", "RECORDKEY", recordno) == []


# ---------------------------------------------------------------------------- create_apadjustment


def test_adjustment_create_answers_with_its_key(start_sim: StartSim) -> None:
    sim, gw = frozen(start_sim)
    seeded = next(b for b in sim.store.all("APBILL") if b["VENDORID"] == "V100")
    result = one(gw, adjustment(middle=f"<action>Draft</action><billno>{seeded['RECORDID']}</billno>"))
    assert result.findtext("status") == "success"
    assert result.find("data") is None
    key = result.findtext("key", "")
    stored = sim.store.get("APADJUSTMENT", int(key))
    assert stored is not None
    assert (stored["RECORDID"], stored["VENDORID"], stored["STATE"]) == ("CM-1", "V100", "Draft")
    assert (stored["WHENCREATED"], stored["TOTALENTERED"], stored["DOCNUMBER"]) == (
        "02/01/2025",
        "-42.50",
        seeded["RECORDID"],
    )
    assert stored["WHENMODIFIED"] == "03/04/2025 10:11:12"
    lines = lines_of(sim, "APADJUSTMENTITEM", "RECORDKEY", key)
    assert [(x["ACCOUNTNO"], x["TRX_AMOUNT"], x.get("ENTRYDESCRIPTION")) for x in lines] == [
        ("6000", "-40.00", None),
        ("6100", "-2.50", "Freight"),
    ]
    read = one(gw, f"<read><object>APADJUSTMENT</object><keys>{key}</keys><fields>*</fields></read>", "r")
    assert len(read.findall("data/APADJUSTMENT/APADJUSTMENTITEMS/apadjustmentitem")) == 2
    found = one(gw, query("APADJUSTMENT", ["RECORDNO"], filter_xml=_eq("RECORDID", "CM-1")), "q")
    assert [r.findtext("RECORDNO") for r in found.findall("data/APADJUSTMENT")] == [key]


def _eq(field: str, value: str) -> str:
    return f"<equalto><field>{field}</field><value>{value}</value></equalto>"


def test_adjustment_key_can_be_the_adjustment_number(start_sim: StartSim) -> None:
    _, gw = frozen(start_sim, adjustment_key="RECORDID")
    assert one(gw, adjustment(number="CM-77")).findtext("key") == "CM-77"


def test_adjustment_validations(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.update_record("VENDOR", "V105", {"ONHOLD": True})
    one(gw, adjustment(number="CM-DUP"), "first")
    cases = {
        "unknown vendor": (adjustment("VNOPE"), ["SIM-BL-INVALID-VENDOR", WRAP]),
        "vendor on hold": (adjustment("V105"), ["SIM-BL-VENDOR-ON-HOLD", WRAP]),
        "no lines": (adjustment(lines=""), ["SIM-REQUIRED-FIELD", WRAP]),
        "impossible date": (adjustment(date_xml=split("datecreated", 2025, 2, 30)), ["SIM-INVALID-VALUE", WRAP]),
        "unknown account": (adjustment(lines=adj_line("9999")), ["SIM-INVALID-VALUE", WRAP]),
        "bad amount": (adjustment(lines=adj_line(amount="ten")), ["SIM-INVALID-VALUE", WRAP]),
        "unknown bill": (adjustment(middle="<billno>NOPE</billno>"), ["SIM-INVALID-VALUE", WRAP]),
        "bad action": (adjustment(middle="<action>Post</action>"), ["SIM-INVALID-VALUE", WRAP]),
        "duplicate number": (adjustment(number="CM-DUP"), ["BL34000061", WRAP]),
        "out of order": (
            adjustment(middle="<description>x</description><action>Draft</action>"),
            ["XL03000003"],
        ),
        "no date": (adjustment(date_xml=""), ["XL03000003"]),
        "unknown element": (adjustment(middle="<colour>red</colour>"), ["XL03000003"]),
        "wrong line element": (adjustment(lines="<line><amount>1</amount></line>"), ["XL03000003"]),
        "line without amount": (
            adjustment(lines="<lineitem><glaccountno>6000</glaccountno></lineitem>"),
            ["XL03000003"],
        ),
        "account label": (
            adjustment(lines="<lineitem><accountlabel>Supplies</accountlabel><amount>1</amount></lineitem>"),
            ["SIM-UNSUPPORTED"],
        ),
    }
    before = counts(sim)
    for label, (body, expected) in cases.items():
        result = one(gw, body)
        assert result.findtext("status") == "failure", label
        assert result.find("key") is None, label
        assert errornos(result) == expected, label
    assert counts(sim) == before
    text = descriptions(one(gw, adjustment(middle="<colour>x</colour>")))
    assert "Element 'colour': This element is not expected" in text
    assert "| apadjustmentitems )" in text


def test_adjustment_numbering(start_sim: StartSim) -> None:
    sim, gw = frozen(start_sim, adjustment_document_sequencing=True, adjustment_billno_must_exist=False)
    key = one(gw, adjustment(number="", middle="<billno>ANY</billno>")).findtext("key", "")
    stored = sim.store.get("APADJUSTMENT", int(key))
    assert stored is not None
    assert stored["RECORDID"].startswith("ADJ-")


# ---------------------------------------------------------------------------- create_potransaction


def test_po_create_answers_with_type_and_number(start_sim: StartSim) -> None:
    sim, gw = frozen(start_sim)
    result = one(gw, po(head="<createdfrom></createdfrom>"))
    assert result.findtext("status") == "success"
    assert result.findtext("key") == "Purchase Order-PO-1"
    stored = sim.get_record("PODOCUMENT", "Purchase Order-PO-1")
    assert stored is not None
    assert (stored["DOCNO"], stored["DOCPARID"], stored["STATE"], stored["VENDORID"]) == (
        "PO-1",
        "Purchase Order",
        "Pending",
        "V100",
    )
    assert (stored["WHENCREATED"], stored["WHENDUE"]) == ("02/01/2025", "03/01/2025")
    assert stored["TOTAL"] == "69.85"  # 3 x 9.95 (the item's cost) + 2 x 20.00
    lines = lines_of(sim, "PODOCUMENTENTRY", "DOCHDRNO", stored["RECORDNO"])
    assert [(x["ITEMID"], x["QUANTITY"], x["PRICE"], x["TOTAL"]) for x in lines] == [
        ("ITM-100", "3", "9.95", "29.85"),
        ("ITM-200", "2", "20.00", "40.00"),
    ]
    assert lines[0]["ITEMDESC"] == "Widget"
    by_name = one(gw, "<readByName><object>PODOCUMENT</object><keys>Purchase Order-PO-1</keys></readByName>", "r")
    assert [r.findtext("DOCNO") for r in by_name.findall("data/PODOCUMENT")] == ["PO-1"]
    assert len(by_name.findall("data/PODOCUMENT/PODOCUMENTENTRIES/podocumententry")) == 2
    docpar = "<docparid>Purchase Order</docparid>"
    found = one(gw, query("PODOCUMENT", ["DOCNO"], filter_xml=_eq("DOCNO", "PO-1"), extra=docpar), "q")
    assert [r.findtext("DOCNO") for r in found.findall("data/PODOCUMENT")] == ["PO-1"]
    other = "<docparid>Vendor Invoice</docparid>"
    assert one(gw, query("PODOCUMENT", ["DOCNO"], extra=other), "q2").findall("data/PODOCUMENT") == []


def test_po_number_is_assigned_and_the_key_format_is_configurable(start_sim: StartSim) -> None:
    sim, gw = frozen(start_sim, po_key_format="{type}:{docno}")
    key = one(gw, po(docno="")).findtext("key", "")
    assert key.startswith("Purchase Order:")
    stored = sim.get_record("PODOCUMENT", key)
    assert stored is not None
    assert key == f"Purchase Order:{stored['DOCNO']}"
    sim.config.po_document_sequencing = False
    assert errornos(one(gw, po(docno=""), "b")) == ["SIM-REQUIRED-FIELD", WRAP]


def test_po_validations(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.update_record("VENDOR", "V105", {"ONHOLD": True})
    one(gw, po(docno="PO-DUP"), "first")
    cases = {
        "unknown vendor": (po("VNOPE"), ["SIM-BL-INVALID-VENDOR", WRAP]),
        "vendor on hold": (po("V105"), ["SIM-BL-VENDOR-ON-HOLD", WRAP]),
        "unknown item": (po(lines=po_line("ITM-NOPE")), ["SIM-INVALID-VALUE", WRAP]),
        "inactive item": (po(lines=po_line("ITM-900")), ["SIM-INVALID-VALUE", WRAP]),
        "zero quantity": (po(lines=po_line(quantity="0")), ["SIM-INVALID-VALUE", WRAP]),
        "bad price": (po(lines=po_line(extra="<price>cheap</price>")), ["SIM-INVALID-VALUE", WRAP]),
        "no lines": (po(lines=""), ["SIM-REQUIRED-FIELD", WRAP]),
        "unknown definition": (po(doc_type="Sales Order"), ["SIM-INVALID-VALUE", WRAP]),
        "duplicate number": (po(docno="PO-DUP"), ["BL34000061", WRAP]),
        "impossible due date": (po(due=split("datedue", 2025, 13, 1)), ["SIM-INVALID-VALUE", WRAP]),
        "unknown source document": (
            po(head="<createdfrom>Purchase Requisition-NOPE</createdfrom>"),
            ["SIM-INVALID-VALUE", WRAP],
        ),
        "line out of order": (
            po(lines="<potransitem><quantity>1</quantity><itemid>ITM-100</itemid></potransitem>"),
            ["XL03000003"],
        ),
        "no item": (po(lines="<potransitem><quantity>1</quantity></potransitem>"), ["XL03000003"]),
    }
    before = counts(sim)
    for label, (body, expected) in cases.items():
        result = one(gw, body)
        assert result.findtext("status") == "failure", label
        assert errornos(result) == expected, label
    assert counts(sim) == before
    assert "ITM-NOPE" in descriptions(one(gw, po(lines=po_line("ITM-NOPE"))))


# ---------------------------------------------------------------------------- idempotency and faults

WRITES = {
    "bill": bill("INV-W1", "V101"),
    "adjustment": adjustment("V101", number="CM-W1"),
    "po": po("V101", docno="PO-W1"),
}
STORED = {"bill": "APBILL", "adjustment": "APADJUSTMENT", "po": "PODOCUMENT"}


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_uniqueid_refuses_a_replayed_ap_write(sim: IntacctSimulator, gw: Gateway, kind: str) -> None:
    request = fn(f"{kind}-once", WRITES[kind])
    (first,) = call(gw, request, uniqueid="true")
    assert first.findtext("status") == "success"
    after_first = counts(sim)
    (again,) = call(gw, request, uniqueid="true")
    assert again.findtext("status") == "failure"
    assert errornos(again) == ["SIM-DUPLICATE-CONTROLID"]
    assert counts(sim) == after_first


def _unique_request(gw: Gateway, kind: str) -> bytes:
    return envelope(gw.config, login(gw.config), fn(f"{kind}-fault", WRITES[kind]), uniqueid="true")


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_524_after_commit_keeps_the_write_and_a_retry_is_a_duplicate(
    sim: IntacctSimulator, gw: Gateway, kind: str
) -> None:
    before = sim.store.count(STORED[kind])
    sim.faults.add("status_after_commit", match="write")
    assert gw.post(_unique_request(gw, kind)).status_code == 524
    assert sim.store.count(STORED[kind]) == before + 1
    retry = parse(gw.post(_unique_request(gw, kind))).find("./operation/result")
    assert retry is not None
    assert errornos(retry) == ["SIM-DUPLICATE-CONTROLID"]
    assert sim.store.count(STORED[kind]) == before + 1


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_dropped_connection_after_commit_keeps_the_write(sim: IntacctSimulator, gw: Gateway, kind: str) -> None:
    before = counts(sim)
    sim.faults.add("drop_after", match="write")
    with pytest.raises(requests.ConnectionError):
        gw.post(_unique_request(gw, kind))
    after = counts(sim)
    assert after[STORED[kind]] == before[STORED[kind]] + 1
    assert sum(after.values()) - sum(before.values()) == 3  # the document and its two lines


def test_transaction_rolls_back_documents_and_lines(sim: IntacctSimulator, gw: Gateway) -> None:
    before = counts(sim)
    results = call(
        gw,
        fn("t-bill", bill("INV-T1")),
        fn("t-adj", adjustment(number="CM-T1")),
        fn("t-po", po("VNOPE")),
        uniqueid="true",
        transaction="true",
    )
    assert [r.findtext("status") for r in results] == ["aborted", "aborted", "failure"]
    assert errornos(results[2])[-1] == "XL03000009"
    assert counts(sim) == before
