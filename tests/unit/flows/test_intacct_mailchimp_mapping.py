"""The Intacct → Mailchimp mappings and configuration (pure: no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.intacct_mailchimp.commerce_mapping import (
    BILLS,
    LINES,
    bill_order,
    gl_product,
    party_customer,
    payment_statuses,
)
from mlconnector.flows.intacct_mailchimp.config import MailchimpFlowConfig, MembersConfig, OrdersConfig, StoreConfig
from mlconnector.flows.intacct_mailchimp.member_mapping import member_payload, unfillable

TAGS = ("FNAME", "LNAME", "COMPANY", "PHONE", "ADDRESS")
CUSTOMER = {
    "CUSTOMERID": "C100",
    "NAME": "Acme Stores",
    "DISPLAYCONTACT.FIRSTNAME": "Ann",
    "DISPLAYCONTACT.LASTNAME": "Lee",
    "DISPLAYCONTACT.EMAIL1": "AP@Acme.test",
    "DISPLAYCONTACT.PHONE1": "555-0100",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS1": "1 Main St",
    "DISPLAYCONTACT.MAILADDRESS.CITY": "Springfield",
    "DISPLAYCONTACT.MAILADDRESS.STATE": "IL",
    "DISPLAYCONTACT.MAILADDRESS.ZIP": "62701",
    "DISPLAYCONTACT.MAILADDRESS.COUNTRY": "United States",
}
CONTACT = {"CONTACTNAME": "Bob", "FIRSTNAME": "Bob", "LASTNAME": "Ray", "COMPANYNAME": "Bolt Co", "VENDORID": "V1"}


def _member(**data: Any) -> SourceRecord:
    return SourceRecord("ap@acme.test", {"email": "ap@acme.test", "customers": [], "contacts": [], **data})


def test_a_member_carries_status_if_new_only_so_an_existing_members_status_is_never_sent() -> None:
    payload = member_payload(_member(customers=[CUSTOMER]), MembersConfig(), TAGS)
    assert payload["status_if_new"] == "transactional"
    assert "status" not in payload
    assert payload["merge_fields"] == {
        "FNAME": "Ann",
        "LNAME": "Lee",
        "COMPANY": "Acme Stores",
        "PHONE": "555-0100",
        "ADDRESS": {
            "addr1": "1 Main St",
            "city": "Springfield",
            "state": "IL",
            "zip": "62701",
            "country": "United States",
        },
    }
    assert payload["tags"] == ["intacct-customer"]


def test_an_email_on_a_customer_and_a_vendor_contact_is_one_member_with_the_customers_fields_and_both_tags() -> None:
    payload = member_payload(_member(customers=[CUSTOMER], contacts=[CONTACT]), MembersConfig(), TAGS)
    assert payload["merge_fields"]["FNAME"] == "Ann"
    assert payload["tags"] == ["intacct-customer", "intacct-vendor"]


def test_a_vendor_contact_alone_fills_the_member_from_the_contact() -> None:
    payload = member_payload(_member(contacts=[CONTACT]), MembersConfig(status_if_new="pending"), TAGS)
    assert payload["merge_fields"] == {"FNAME": "Bob", "LNAME": "Ray", "COMPANY": "Bolt Co"}
    assert payload["tags"] == ["intacct-vendor"]
    assert payload["status_if_new"] == "pending"


def test_merge_fields_the_audience_lacks_are_not_sent_and_an_incomplete_address_is_left_out() -> None:
    customer = {**CUSTOMER, "DISPLAYCONTACT.MAILADDRESS.ZIP": ""}
    payload = member_payload(_member(customers=[customer]), MembersConfig(), ("FNAME", "ADDRESS"))
    assert payload["merge_fields"] == {"FNAME": "Ann"}


def test_a_required_merge_field_left_empty_fails_the_member_naming_it() -> None:
    with pytest.raises(MappingError, match="requires merge field\\(s\\) PHONE"):
        member_payload(_member(contacts=[CONTACT]), MembersConfig(), TAGS, required=("FNAME", "PHONE"))


def test_required_merge_fields_the_mapping_cannot_fill_are_named() -> None:
    assert unfillable(["FNAME", "BIRTHDAY", "MMERGE7"]) == ["BIRTHDAY", "MMERGE7"]


def test_a_customer_becomes_an_ecommerce_customer_that_is_never_opted_in_by_default() -> None:
    customer = party_customer(SourceRecord("C100", CUSTOMER), prefix="C-", id_field="CUSTOMERID", store=StoreConfig())
    assert customer["id"] == "C-C100"
    assert customer["email_address"] == "ap@acme.test"
    assert customer["opt_in_status"] is False
    assert customer["address"]["city"] == "Springfield"


def test_a_party_without_an_email_is_skipped_with_the_reason() -> None:
    with pytest.raises(SkipRecord, match="no email"):
        party_customer(SourceRecord("V1", {"VENDORID": "V1"}), prefix="V-", id_field="VENDORID", store=StoreConfig())


def test_a_gl_account_is_a_product_with_one_variant_of_the_same_id() -> None:
    product = gl_product(SourceRecord("6000", {"ACCOUNTNO": "6000", "TITLE": "Office supplies"}))
    assert product == {
        "id": "6000",
        "title": "6000 Office supplies",
        "variants": [{"id": "6000", "title": "6000 Office supplies"}],
    }


BILL = {
    "RECORDNO": "42",
    "VENDORID": "V1",
    "STATE": "Posted",
    "TOTALENTERED": "150.50",
    "CURRENCY": "EUR",
    "WHENCREATED": "03/01/2025",
    "WHENMODIFIED": "03/02/2025 10:00:00",
    LINES: [
        {"ACCOUNTNO": "6000", "TRX_AMOUNT": "100.25"},
        {"ACCOUNTNO": "6100", "TRX_AMOUNT": "20"},
        {"ACCOUNTNO": "6000", "TRX_AMOUNT": "30.25"},
    ],
}


def test_a_bill_is_an_order_of_its_vendors_customer_with_a_line_per_gl_account() -> None:
    order = bill_order(SourceRecord("42", BILL), orders=OrdersConfig(), store=StoreConfig())
    assert order["id"] == "bill-42"
    assert order["customer"] == {"id": "V-V1"}
    assert (order["currency_code"], order["order_total"], order["financial_status"]) == ("EUR", 150.5, "pending")
    assert order["processed_at_foreign"] == "2025-03-01T00:00:00+00:00"
    assert order["lines"] == [
        {"id": "6000", "product_id": "6000", "product_variant_id": "6000", "quantity": 1, "price": 130.5},
        {"id": "6100", "product_id": "6100", "product_variant_id": "6100", "quantity": 1, "price": 20.0},
    ]
    assert "cancelled_at_foreign" not in order


@pytest.mark.parametrize(
    ("state", "status"), [("Paid", "paid"), ("Partially Paid", "partially_paid"), ("Draft", "pending")]
)
def test_the_financial_status_follows_the_bills_state(state: str, status: str) -> None:
    order = bill_order(SourceRecord("42", {**BILL, "STATE": state}), orders=OrdersConfig(), store=StoreConfig())
    assert order["financial_status"] == status


def test_a_reversed_bill_cancels_its_order() -> None:
    order = bill_order(SourceRecord("42", {**BILL, "STATE": "Reversed"}), orders=OrdersConfig(), store=StoreConfig())
    assert order["financial_status"] == "cancelled"
    assert order["cancelled_at_foreign"] == "2025-03-02T10:00:00+00:00"


def test_the_status_table_is_configurable() -> None:
    orders = OrdersConfig(financial_status={"Partially Paid": "paid"})
    assert orders.status_of("Partially Paid") == "paid"
    assert orders.status_of("Paid") == "paid"
    assert orders.status_of("Posted") == "pending"


def test_a_bill_without_lines_fails_with_the_reason() -> None:
    with pytest.raises(MappingError, match="no lines"):
        bill_order(SourceRecord("42", {**BILL, LINES: []}), orders=OrdersConfig(), store=StoreConfig())


def test_a_payment_names_the_status_of_each_order_it_pays() -> None:
    payment = SourceRecord(
        "9", {BILLS: [{"RECORDNO": "42", "STATE": "Paid"}, {"RECORDNO": "7", "STATE": "Partially Paid"}]}
    )
    assert payment_statuses(payment, orders=OrdersConfig()) == {
        "orders": {"bill-7": "partially_paid", "bill-42": "paid"}
    }


def test_configuration_defaults_and_refusals() -> None:
    config = MailchimpFlowConfig.from_secret({"api_key": "k-us6", "list_id": "abc123"})
    assert (config.store.id, config.members.status_if_new, config.store.opt_in_status) == (
        "intacct",
        "transactional",
        False,
    )
    with pytest.raises(ConfigurationError, match="list_id"):
        MailchimpFlowConfig.from_secret({"api_key": "k-us6"})
    with pytest.raises(ConfigurationError, match="unknown keys: stauts_if_new"):
        MailchimpFlowConfig.from_secret({"list_id": "a", "members": {"stauts_if_new": "subscribed"}})
    with pytest.raises(ConfigurationError, match="status_if_new must be one of"):
        MailchimpFlowConfig.from_secret({"list_id": "a", "members": {"status_if_new": "cleaned"}})
    with pytest.raises(ConfigurationError, match="currency_code"):
        MailchimpFlowConfig.from_secret({"list_id": "a", "store": {"currency_code": "usd"}})
