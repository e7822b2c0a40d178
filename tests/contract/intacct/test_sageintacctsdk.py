"""fylein's sageintacctsdk 1.28.1, unchanged, against the Intacct simulator (only its base URL redirected).

Covers what our flows do (login + getAPISession then calls on the login URL, query-based reads with explicit
field lists including dotted fields, AP bill and payment reads, vendor create/update, AP bill create), calls
they do not make (count, get by id, readByQuery, delete) and error paths (wrong password, unknown field,
invalid session). Every assertion is checked against the simulator's store.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from sageintacctsdk.exceptions import InvalidTokenError, SageIntacctSDKError, WrongParamsError

from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from sandbox.intacct.values import parse_when
from tests.contract.intacct.conftest import SIZE, MakeSdk, StartSim

VENDOR_FIELDS = [
    "RECORDNO",
    "VENDORID",
    "NAME",
    "STATUS",
    "DISPLAYCONTACT.EMAIL1",
    "DISPLAYCONTACT.MAILADDRESS.CITY",
    "WHENMODIFIED",
]


def as_read(value: str | None) -> str | None:
    """What the SDK hands back for a stored value. SDK DEFECT (not the simulator's): it parses
    ``response.text``, and requests decodes a ``text/xml`` body without a ``charset`` parameter as ISO-8859-1.
    The gateway's header is ``text/xml; encoding="UTF-8"`` (reference §1, SDK fixtures; the simulator sends the
    same), so against the real gateway too every non-ASCII value (München) reaches fylein's callers as
    mojibake (MÃ¼nchen). ASCII values are unaffected."""
    return None if value is None else value.encode("utf-8").decode("latin-1")


def _all(pages: object) -> list[dict[str, str]]:
    return [record for page in pages for record in page]  # type: ignore[attr-defined]


def test_login_hands_out_the_login_url_and_later_calls_stay_there(sim: IntacctSimulator, make_sdk: MakeSdk) -> None:
    sdk = make_sdk(sim)
    assert sdk.api_base._ApiBase__api_url == sim.gateway_url  # the endpoint getAPISession returned
    assert sdk.vendors._ApiBase__api_url == sim.gateway_url  # never switched: posts to the login URL
    assert sdk.vendors.count(None) == SIZE
    log = sim.calls.log
    assert [call.operations for call in log] == [("getAPISession",), ("query",)]
    assert {call.listener for call in log} == {"login"}


def test_the_sdk_fails_when_the_session_lives_elsewhere(start_sim: StartSim, make_sdk: MakeSdk) -> None:
    """With session_endpoint_mode="session" the SDK's API objects keep the login URL and are refused there:
    the simulator option catches exactly the clients that do not follow <endpoint>."""
    sim = start_sim(config=IntacctSimConfig(session_endpoint_mode="session"))
    sdk = make_sdk(sim)
    assert sdk.api_base._ApiBase__api_url == sim.second_listener_url
    with pytest.raises(InvalidTokenError):
        sdk.vendors.count(None)


def test_vendors_through_get_all_generator_with_dotted_fields(sim: IntacctSimulator, sdk: object) -> None:
    records = _all(sdk.vendors.get_all_generator(fields=VENDOR_FIELDS))  # type: ignore[attr-defined]
    stored = {v["VENDORID"]: v for v in sim.store.all("VENDOR")}
    assert len(records) == SIZE
    assert {r["VENDORID"] for r in records} == set(stored)
    for record in records:
        vendor = stored[record["VENDORID"]]
        assert record["NAME"] == as_read(vendor["NAME"])
        assert record["RECORDNO"] == vendor["RECORDNO"]
        assert record["WHENMODIFIED"] == vendor["WHENMODIFIED"]
        # The flat <DISPLAYCONTACT.EMAIL1> element (reference §6.2), which fylein's users read by that key.
        assert record["DISPLAYCONTACT.EMAIL1"] == as_read(vendor.get("DISPLAYCONTACT.EMAIL1"))
        assert record["DISPLAYCONTACT.MAILADDRESS.CITY"] == as_read(vendor.get("DISPLAYCONTACT.MAILADDRESS.CITY"))


def test_incremental_read_with_updated_at_and_order(sim: IntacctSimulator, sdk: object) -> None:
    edited = "V105"
    since = sim.update_record("VENDOR", edited, {"NAME": "Renamed & Co"})["WHENMODIFIED"]
    pages = sdk.vendors.get_all_generator(  # type: ignore[attr-defined]
        fields=["VENDORID", "NAME", "WHENMODIFIED"], updated_at=since, order_by_field="WHENMODIFIED", order="ascending"
    )
    changed = _all(pages)
    expected = {v["VENDORID"] for v in sim.store.all("VENDOR") if parse_when(v["WHENMODIFIED"]) >= parse_when(since)}
    assert {r["VENDORID"] for r in changed} == expected
    assert ("V105", "Renamed & Co") in {(r["VENDORID"], r["NAME"]) for r in changed}
    stamps = [parse_when(r["WHENMODIFIED"]) for r in changed]
    assert stamps == sorted(stamps)


@pytest.mark.parametrize(
    ("attribute", "object_name", "key", "fields"),
    [
        ("contacts", "CONTACT", "CONTACTNAME", ["RECORDNO", "CONTACTNAME", "EMAIL1", "MAILADDRESS.COUNTRY", "INITIAL"]),
        (
            "customers",
            "CUSTOMER",
            "CUSTOMERID",
            ["CUSTOMERID", "NAME", "PARENTID", "CUSTTYPE", "DISPLAYCONTACT.EMAIL1", "BILLTO.CONTACTNAME",
             "BILLTO.EMAIL1", "BILLTO.MAILADDRESS.CITY", "SHIPTO.MAILADDRESS.COUNTRYCODE"],
        ),
        ("accounts", "GLACCOUNT", "ACCOUNTNO", ["ACCOUNTNO", "TITLE", "ACCOUNTTYPE", "NORMALBALANCE", "STATUS"]),
        ("departments", "DEPARTMENT", "DEPARTMENTID", ["DEPARTMENTID", "TITLE", "PARENTID", "STATUS"]),
        ("employees", "EMPLOYEE", "EMPLOYEEID", ["EMPLOYEEID", "CONTACT.CONTACTNAME", "DEPARTMENTID", "STATUS"]),
    ],
)  # fmt: skip
def test_get_all_returns_the_store(
    sim: IntacctSimulator, sdk: object, attribute: str, object_name: str, key: str, fields: list[str]
) -> None:
    records = getattr(sdk, attribute).get_all(fields=fields)
    stored = {r[key]: r for r in sim.store.all(object_name)}
    by_read_key = {as_read(k): v for k, v in stored.items()}
    assert sorted(r[key] for r in records) == sorted(by_read_key)
    for record in records:
        for name in fields:
            assert record[name] == as_read(by_read_key[record[key]].get(name)), (record[key], name)


def test_bills_and_payments_agree(sim: IntacctSimulator, sdk: object) -> None:
    bill_fields = [
        "RECORDNO",
        "RECORDID",
        "STATE",
        "VENDORID",
        "TOTALENTERED",
        "TOTALPAID",
        "TOTALDUE",
        "TOTALSELECTED",
        "WHENPAID",
        "RECORD_URL",
    ]
    bills = {b["RECORDNO"]: b for b in sdk.bills.get_all(fields=bill_fields)}  # type: ignore[attr-defined]
    assert set(bills) == {b["RECORDNO"] for b in sim.store.all("APBILL")}
    assert {b["STATE"] for b in bills.values()} == {"Draft", "Posted", "Selected", "Partially Paid", "Paid"}
    payments = sdk.ap_payments.get_all()  # type: ignore[attr-defined]  # readByQuery APPYMT, fields *
    assert {p["RECORDNO"] for p in payments} == {p["RECORDNO"] for p in sim.store.all("APPYMT")}
    vendors = {p["RECORDNO"]: p["VENDORID"] for p in payments}
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for detail in sim.store.all("APPYMTDETAIL"):
        assert bills[detail["RECORDKEY"]]["VENDORID"] == vendors[detail["PAYMENTKEY"]]
        paid[detail["RECORDKEY"]] += Decimal(detail["TRX_PAYMENTAMOUNT"])
    for recordno, bill in bills.items():
        assert Decimal(bill["TOTALPAID"]) == paid.get(recordno, Decimal(0))
        assert Decimal(bill["TOTALDUE"]) == Decimal(bill["TOTALENTERED"]) - Decimal(bill["TOTALPAID"])


def test_vendor_create_update_get_and_delete(sim: IntacctSimulator, sdk: object) -> None:
    created = sdk.vendors.post(  # type: ignore[attr-defined]
        {
            "VENDORID": "VSDK1",
            "NAME": "Contract Test & Sons",
            "DISPLAYCONTACT": {"PRINTAS": "Contract Test", "EMAIL1": "ap@contract.example", "INITIAL": "Q"},
            "STATUS": "active",
            "PAYMENTPRIORITY": "high",
        }
    )
    recordno = created["data"]["vendor"]["RECORDNO"]
    stored = sim.get_record("VENDOR", "VSDK1")
    assert stored is not None
    assert stored["RECORDNO"] == recordno
    assert stored["NAME"] == "Contract Test & Sons"
    assert stored["DISPLAYCONTACT.EMAIL1"] == "ap@contract.example"
    assert stored["DISPLAYCONTACT.INITIAL"] == "Q"

    sdk.vendors.update(
        {"VENDORID": "VSDK1", "NAME": "Renamed Vendor", "DISPLAYCONTACT": {"EMAIL1": "new@contract.example"}}
    )  # type: ignore[attr-defined]
    stored = sim.get_record("VENDOR", "VSDK1")
    assert stored is not None
    assert (stored["NAME"], stored["DISPLAYCONTACT.EMAIL1"]) == ("Renamed Vendor", "new@contract.example")

    [found] = sdk.vendors.get(field="VENDORID", value="VSDK1", fields=["RECORDNO", "NAME", "DISPLAYCONTACT.EMAIL1"])[
        "VENDOR"
    ]  # type: ignore[attr-defined]
    assert (found["RECORDNO"], found["NAME"], found["DISPLAYCONTACT.EMAIL1"]) == (
        recordno,
        "Renamed Vendor",
        "new@contract.example",
    )

    sdk.vendors.delete(recordno)  # type: ignore[attr-defined]
    assert sim.get_record("VENDOR", "VSDK1") is None
    assert sdk.vendors.count(None) == SIZE  # type: ignore[attr-defined]


def test_bill_create_posts_a_bill_with_lines(sim: IntacctSimulator, sdk: object) -> None:
    response = sdk.bills.post(  # type: ignore[attr-defined]
        {
            "VENDORID": "V104",
            "WHENCREATED": "03/01/2025",
            "WHENDUE": "03/31/2025",
            "RECORDID": "SDK-INV-1",
            "DESCRIPTION": "Contract test bill",
            "APBILLITEMS": {
                "APBILLITEM": [
                    {"ACCOUNTNO": "6000", "TRX_AMOUNT": "100.10", "ENTRYDESCRIPTION": "One", "DEPARTMENTID": "20"},
                    {"ACCOUNTNO": "6100", "TRX_AMOUNT": "50.05", "ENTRYDESCRIPTION": "Two"},
                ]
            },
        }
    )
    recordno = response["data"]["apbill"]["RECORDNO"]
    bill = sim.get_record("APBILL", recordno)
    assert bill is not None
    assert (bill["RECORDID"], bill["VENDORID"], bill["STATE"]) == ("SDK-INV-1", "V104", "Posted")
    assert (bill["TOTALENTERED"], bill["TOTALDUE"], bill["TOTALPAID"]) == ("150.15", "150.15", "0.00")
    lines = [line for line in sim.store.all("APBILLITEM") if line["RECORDKEY"] == recordno]
    assert [(line["ACCOUNTNO"], line["TRX_AMOUNT"]) for line in lines] == [("6000", "100.10"), ("6100", "50.05")]
    # readByQuery: lowercase <apbill>; one record comes back as a dict (xmltodict), not a list.
    read = sdk.bills.get(field="RECORDID", value="SDK-INV-1", fields=["RECORDNO", "TOTALENTERED", "RECORD_URL"])  # type: ignore[attr-defined]
    read = read["apbill"]
    assert (read["RECORDNO"], read["TOTALENTERED"]) == (recordno, "150.15")
    assert read["RECORD_URL"] == bill["RECORD_URL"]


def test_count_with_a_filter(sim: IntacctSimulator, sdk: object) -> None:
    active = sum(1 for v in sim.store.all("VENDOR") if v.get("STATUS") == "active")
    assert 0 < active < SIZE
    assert sdk.vendors.count() == active  # type: ignore[attr-defined]  # the SDK's default: STATUS = active


def test_wrong_password_raises_the_sdks_invalid_token_error(sim: IntacctSimulator, make_sdk: MakeSdk) -> None:
    with pytest.raises(InvalidTokenError):
        make_sdk(sim, user_password="not-the-password")


def test_wrong_sender_password_raises(sim: IntacctSimulator, make_sdk: MakeSdk) -> None:
    with pytest.raises(SageIntacctSDKError):
        make_sdk(sim, sender_password="not-the-sender-password")


def test_unknown_field_raises_wrong_params_naming_xl03000010(sdk: object) -> None:
    with pytest.raises(WrongParamsError) as raised:
        sdk.vendors.get_all(fields=["VENDORID", "NOT_A_FIELD"])  # type: ignore[attr-defined]
    errors = raised.value.response["error"]
    assert errors[0]["errorno"] == "XL03000010"
    assert "NOT_A_FIELD" in errors[0]["description2"]


def test_expired_session_raises_invalid_token(sim: IntacctSimulator, sdk: object) -> None:
    assert sdk.vendors.count(None) == SIZE  # type: ignore[attr-defined]
    assert sim.expire_sessions() == 1
    with pytest.raises(InvalidTokenError):
        sdk.vendors.count(None)  # type: ignore[attr-defined]
