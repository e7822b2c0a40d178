"""AP writes: golden XML for vendor and bill creates (generic) and the legacy create_apadjustment /
create_potransaction, plus how their answers (`<data>` and `<key>`) are read."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.systems.intacct import (
    ApAdjustmentLine,
    CreateApAdjustment,
    CreatePoTransaction,
    PoTransactionLine,
    ResultError,
    po_document_number,
)
from mlconnector.systems.intacct.functions import Create
from mlconnector.systems.intacct.request import ControlBlock, SessionAuth, build_request
from mlconnector.systems.intacct.response import parse_response
from mlconnector.systems.intacct.xml import render
from tests.unit.intacct.intacct_fakes import errors_xml, response_xml, result_xml
from tests.unit.intacct.test_intacct_request_golden import golden


def write_request(function: Any) -> str:
    control = ControlBlock("SENDER_ID", "SENDER_PASSWORD", "1700000002", uniqueid=True)
    return build_request(control, SessionAuth("SESSION_ID"), [function])


def content(function: Any) -> str:
    """The exact bytes of the `<function>` element (the envelope is covered by the request golden tests)."""
    xml = write_request(function)
    assert "<uniqueid>true</uniqueid>" in xml
    return xml[xml.index("<function ") : xml.index("</function>") + len("</function>")]


def adjustment_line(**overrides: Any) -> ApAdjustmentLine:
    values: dict[str, Any] = {"amount": Decimal("-100.00"), "gl_account_no": "6000"}
    values.update(overrides)
    return ApAdjustmentLine(**values)


def po_line(**overrides: Any) -> PoTransactionLine:
    values: dict[str, Any] = {"item_id": "ITM-100", "quantity": 12}
    values.update(overrides)
    return PoTransactionLine(**values)


# ---------------------------------------------------------------------------- generic create


def test_full_vendor_create_in_the_sdk_field_order() -> None:
    vendor = {
        "VENDORID": "V100",
        "NAME": "Acme Supplies",
        "DISPLAYCONTACT": {
            "PRINTAS": "Acme Supplies",
            "COMPANYNAME": "Acme Supplies Ltd",
            "FIRSTNAME": "Ann",
            "LASTNAME": "Lee",
            "PHONE1": "555-0100",
            "EMAIL1": "ap@acme.example",
            "MAILADDRESS": {
                "ADDRESS1": "1 Main St",
                "ADDRESS2": "",
                "CITY": "Springfield",
                "STATE": "IL",
                "ZIP": "62701",
                "COUNTRY": "United States",
            },
        },
        "STATUS": "active",
        "VENDTYPE": "Supplier",
        "ONHOLD": False,
        "CURRENCY": "USD",
        "TERMNAME": "N30",
        "VENDORACCOUNTNO": "ACCT-1",
    }
    create = Create("VENDOR", (vendor,), controlid="vendor-create-V100-v1")
    assert content(create) == golden(
        """
        <function controlid="vendor-create-V100-v1">
          <create>
            <VENDOR>
              <VENDORID>V100</VENDORID>
              <NAME>Acme Supplies</NAME>
              <DISPLAYCONTACT>
                <PRINTAS>Acme Supplies</PRINTAS>
                <COMPANYNAME>Acme Supplies Ltd</COMPANYNAME>
                <FIRSTNAME>Ann</FIRSTNAME>
                <LASTNAME>Lee</LASTNAME>
                <PHONE1>555-0100</PHONE1>
                <EMAIL1>ap@acme.example</EMAIL1>
                <MAILADDRESS>
                  <ADDRESS1>1 Main St</ADDRESS1>
                  <ADDRESS2/>
                  <CITY>Springfield</CITY>
                  <STATE>IL</STATE>
                  <ZIP>62701</ZIP>
                  <COUNTRY>United States</COUNTRY>
                </MAILADDRESS>
              </DISPLAYCONTACT>
              <STATUS>active</STATUS>
              <VENDTYPE>Supplier</VENDTYPE>
              <ONHOLD>false</ONHOLD>
              <CURRENCY>USD</CURRENCY>
              <TERMNAME>N30</TERMNAME>
              <VENDORACCOUNTNO>ACCT-1</VENDORACCOUNTNO>
            </VENDOR>
          </create>
        </function>
        """
    )


def test_bill_create_repeats_one_element_per_line() -> None:
    bill = {
        "VENDORID": "V100",
        "WHENCREATED": date(2024, 1, 15),
        "WHENDUE": date(2024, 2, 14),
        "RECORDID": "INV-1001",
        "DESCRIPTION": "January services",
        "CURRENCY": "USD",
        "ACTION": "Draft",
        "APBILLITEMS": {
            "APBILLITEM": [
                {"ACCOUNTNO": "6000", "TRX_AMOUNT": Decimal("750.75"), "ENTRYDESCRIPTION": "Consulting",
                 "LOCATIONID": "100", "DEPARTMENTID": "35"},
                {"ACCOUNTNO": "6100", "TRX_AMOUNT": Decimal("-50"), "ENTRYDESCRIPTION": "Discount",
                 "CLASSID": "C1", "PROJECTID": None},
            ]
        },
    }  # fmt: skip
    assert content(Create("APBILL", (bill,), controlid="bill-INV-1001-V100")) == golden(
        """
        <function controlid="bill-INV-1001-V100">
          <create>
            <APBILL>
              <VENDORID>V100</VENDORID>
              <WHENCREATED>01/15/2024</WHENCREATED>
              <WHENDUE>02/14/2024</WHENDUE>
              <RECORDID>INV-1001</RECORDID>
              <DESCRIPTION>January services</DESCRIPTION>
              <CURRENCY>USD</CURRENCY>
              <ACTION>Draft</ACTION>
              <APBILLITEMS>
                <APBILLITEM>
                  <ACCOUNTNO>6000</ACCOUNTNO>
                  <TRX_AMOUNT>750.75</TRX_AMOUNT>
                  <ENTRYDESCRIPTION>Consulting</ENTRYDESCRIPTION>
                  <LOCATIONID>100</LOCATIONID>
                  <DEPARTMENTID>35</DEPARTMENTID>
                </APBILLITEM>
                <APBILLITEM>
                  <ACCOUNTNO>6100</ACCOUNTNO>
                  <TRX_AMOUNT>-50</TRX_AMOUNT>
                  <ENTRYDESCRIPTION>Discount</ENTRYDESCRIPTION>
                  <CLASSID>C1</CLASSID>
                </APBILLITEM>
              </APBILLITEMS>
            </APBILL>
          </create>
        </function>
        """
    )


def test_bill_lines_as_a_tuple_and_a_single_line_mapping() -> None:
    line = {"ACCOUNTNO": "6000", "TRX_AMOUNT": "1.00"}
    as_tuple = Create("APBILL", ({"APBILLITEMS": {"APBILLITEM": (line,)}},), controlid="c").to_element()
    as_mapping = Create("APBILL", ({"APBILLITEMS": {"APBILLITEM": line}},), controlid="c").to_element()
    assert render(as_tuple) == render(as_mapping)
    assert render(as_tuple).count("<APBILLITEM>") == 1
    with pytest.raises(TypeError, match="float"):
        Create("APBILL", ({"APBILLITEMS": {"APBILLITEM": [{"TRX_AMOUNT": 1.5}]}},))


# ---------------------------------------------------------------------------- create_apadjustment


def test_create_apadjustment_golden() -> None:
    adjustment = CreateApAdjustment(
        vendor_id="V100",
        date_created=date(2024, 1, 31),
        date_posted=date(2024, 2, 1),
        adjustment_no="CM-0001",
        action="Submit",
        bill_no="INV-1001",
        description="Credit for returned goods",
        currency="USD",
        lines=(
            adjustment_line(memo="Returned", location_id="100", department_id="35", class_id="C1"),
            adjustment_line(gl_account_no=None, account_label="Supplies", amount="-5.5"),
        ),
        controlid="adj-CM-0001-V100",
    )
    assert content(adjustment) == golden(
        """
        <function controlid="adj-CM-0001-V100">
          <create_apadjustment>
            <vendorid>V100</vendorid>
            <datecreated><year>2024</year><month>01</month><day>31</day></datecreated>
            <dateposted><year>2024</year><month>02</month><day>01</day></dateposted>
            <adjustmentno>CM-0001</adjustmentno>
            <action>Submit</action>
            <billno>INV-1001</billno>
            <description>Credit for returned goods</description>
            <currency>USD</currency>
            <exchratetype/>
            <apadjustmentitems>
              <lineitem>
                <glaccountno>6000</glaccountno>
                <amount>-100.00</amount>
                <memo>Returned</memo>
                <locationid>100</locationid>
                <departmentid>35</departmentid>
                <classid>C1</classid>
              </lineitem>
              <lineitem>
                <accountlabel>Supplies</accountlabel>
                <amount>-5.5</amount>
              </lineitem>
            </apadjustmentitems>
          </create_apadjustment>
        </function>
        """
    )


def test_create_apadjustment_minimal_and_exchange_rate_choices() -> None:
    minimal = CreateApAdjustment("V1", date(2024, 12, 3), (adjustment_line(),), controlid="a")
    assert render(minimal.to_element()) == (
        "<create_apadjustment><vendorid>V1</vendorid>"
        "<datecreated><year>2024</year><month>12</month><day>03</day></datecreated>"
        "<apadjustmentitems><lineitem><glaccountno>6000</glaccountno><amount>-100.00</amount></lineitem>"
        "</apadjustmentitems></create_apadjustment>"
    )
    with_rate = CreateApAdjustment(
        "V1", date(2024, 1, 1), (adjustment_line(),), base_currency="USD", currency="EUR",
        exchange_rate_date=date(2024, 1, 1), exchange_rate=Decimal("1.0850"), no_gl=True, controlid="b",
    )  # fmt: skip
    assert (
        "<basecurr>USD</basecurr><currency>EUR</currency>"
        "<exchratedate><year>2024</year><month>01</month><day>01</day></exchratedate>"
        "<exchrate>1.0850</exchrate><nogl>true</nogl><apadjustmentitems>"
    ) in render(with_rate.to_element())
    with_type = CreateApAdjustment(
        "V1", date(2024, 1, 1), (adjustment_line(),), currency="EUR", exchange_rate_type="Intacct Daily Rate",
        exchange_rate=Decimal(2), controlid="c",
    )  # fmt: skip
    xml = render(with_type.to_element())
    assert "<exchratetype>Intacct Daily Rate</exchratetype>" in xml
    assert "<exchrate>" not in xml


def test_create_apadjustment_refuses_incomplete_input() -> None:
    with pytest.raises(ValueError, match="at least one line"):
        CreateApAdjustment("V1", date(2024, 1, 1), ())
    with pytest.raises(ValueError, match="vendor_id"):
        CreateApAdjustment(" ", date(2024, 1, 1), (adjustment_line(),))
    with pytest.raises(ValueError, match="exactly one"):
        adjustment_line(account_label="Supplies")
    with pytest.raises(ValueError, match="exactly one"):
        adjustment_line(gl_account_no=None)
    with pytest.raises(TypeError, match="float"):
        adjustment_line(amount=1.5)


# ---------------------------------------------------------------------------- create_potransaction


def test_create_potransaction_golden() -> None:
    po = CreatePoTransaction(
        transaction_type="Purchase Order",
        date_created=date(2024, 1, 15),
        vendor_id="V100",
        date_due=date(2024, 2, 14),
        document_no="PO-0001",
        reference_no="B2B-77",
        term_name="N30",
        return_to_contact="Ann Lee (V100-1)",
        external_id="commerce-77",
        currency="USD",
        exchange_rate_type="Intacct Daily Rate",
        lines=(
            po_line(item_desc="Widget", quantity=Decimal("1200"), unit="Each", price=Decimal("9.95"),
                    location_id="100", memo="Rush"),
            po_line(item_id="ITM-200", quantity=1, taxable=False, billable=True),
        ),
        controlid="po-commerce-77",
    )  # fmt: skip
    assert content(po) == golden(
        """
        <function controlid="po-commerce-77">
          <create_potransaction>
            <transactiontype>Purchase Order</transactiontype>
            <datecreated><year>2024</year><month>01</month><day>15</day></datecreated>
            <vendorid>V100</vendorid>
            <documentno>PO-0001</documentno>
            <referenceno>B2B-77</referenceno>
            <termname>N30</termname>
            <datedue><year>2024</year><month>02</month><day>14</day></datedue>
            <returnto><contactname>Ann Lee (V100-1)</contactname></returnto>
            <payto><contactname/></payto>
            <externalid>commerce-77</externalid>
            <currency>USD</currency>
            <exchratetype>Intacct Daily Rate</exchratetype>
            <potransitems>
              <potransitem>
                <itemid>ITM-100</itemid>
                <itemdesc>Widget</itemdesc>
                <quantity>1200</quantity>
                <unit>Each</unit>
                <price>9.95</price>
                <locationid>100</locationid>
                <memo>Rush</memo>
              </potransitem>
              <potransitem>
                <itemid>ITM-200</itemid>
                <taxable>false</taxable>
                <quantity>1</quantity>
                <billable>true</billable>
              </potransitem>
            </potransitems>
          </create_potransaction>
        </function>
        """
    )


def test_create_potransaction_refuses_incomplete_input() -> None:
    def po(**overrides: Any) -> CreatePoTransaction:
        values: dict[str, Any] = {
            "transaction_type": "Purchase Order",
            "date_created": date(2024, 1, 1),
            "vendor_id": "V1",
            "date_due": date(2024, 1, 31),
            "lines": (po_line(),),
        }
        values.update(overrides)
        return CreatePoTransaction(**values)

    assert po().transaction_type == "Purchase Order"
    with pytest.raises(ValueError, match="at least one line"):
        po(lines=())
    with pytest.raises(ValueError, match="transaction_type"):
        po(transaction_type="")
    with pytest.raises(ValueError, match="vendor_id"):
        po(vendor_id="")
    with pytest.raises(ValueError, match="item_id"):
        po_line(item_id="")
    with pytest.raises(TypeError, match="float"):
        po_line(price=9.95)


def test_legacy_values_are_stripped_then_escaped() -> None:
    adjustment = CreateApAdjustment(
        "V&1", date(2024, 1, 1), (adjustment_line(memo="a\x01<b>\x0b"),), description="Tom & Jerry's <memo>"
    )
    xml = write_request(adjustment)
    assert "<vendorid>V&amp;1</vendorid>" in xml
    assert "<memo>a&lt;b&gt;</memo>" in xml
    assert "<description>Tom &amp; Jerry's &lt;memo&gt;</description>" in xml
    root = ET.fromstring(xml)  # still well-formed
    assert root.findtext("operation/content/function/create_apadjustment/apadjustmentitems/lineitem/memo") == "a<b>"


# ---------------------------------------------------------------------------- answers


def parse(body: str) -> Any:
    return parse_response(body.encode(), used_session=True, uniqueid=True)


def test_create_and_legacy_answers_are_read() -> None:
    bill = '<data listtype="objects" count="1"><apbill><RECORDNO>412</RECORDNO></apbill></data>'
    results = parse(
        response_xml(
            result_xml("create", "bill-1", data=bill),
            result_xml("create_apadjustment", "adj-1", data="<key>57</key>"),
            result_xml("create_potransaction", "po-1", data="<key>Purchase Order-PO-0001</key>"),
        )
    ).results
    assert [r.ok for r in results] == [True, True, True]
    assert results[0].records == [{"RECORDNO": "412"}]
    assert results[0].key is None
    assert results[1].key == "57"
    assert results[2].key == "Purchase Order-PO-0001"
    assert po_document_number(results[2].key, "Purchase Order") == "PO-0001"


def test_failed_legacy_create_is_a_result_error_without_key() -> None:
    errors = errors_xml(("SIM-BL-INVALID-VENDOR", "", "Invalid Vendor 'VX' specified.", ""))
    (result,) = parse(response_xml(result_xml("create_apadjustment", "adj-2", status="failure", errors=errors))).results
    assert not result.ok
    assert result.key is None
    assert isinstance(result.error, ResultError)
    assert "VX" in str(result.error)


def test_po_document_number() -> None:
    assert po_document_number("Purchase Order-PO-12-3", "Purchase Order") == "PO-12-3"
    for bad in ("Vendor Invoice-1", "Purchase Order-", "PO-1"):
        with pytest.raises(ValueError, match="Purchase Order"):
            po_document_number(bad, "Purchase Order")
