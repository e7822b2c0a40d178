"""The canonical party of the vendor master: normalisation, the four mappings, lossless round trips, the fields a
destination requires, and the vendor_master config."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.hashing import content_hash
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.commerce_intacct.customer_reader import COMPANY_KEY
from mlconnector.flows.commerce_intacct.party import (
    Party,
    customer_to_party,
    party_to_company,
    party_to_customer,
    party_to_vendor,
    vendor_to_party,
)
from mlconnector.flows.commerce_intacct.vendor_master import customer_record_to_party, vendor_record_to_party
from mlconnector.flows.commerce_intacct.vendor_master_config import VendorMasterConfig
from mlconnector.systems.intacct.dotted import flatten

FULL = Party(
    name="Acme Supplies",
    first_name="Ann",
    last_name="Lee",
    email="ap@acme.example",
    phone="555-0100",
    street=("1 Main St", "Suite 4"),
    city="Springfield",
    region="IL",
    postcode="62701",
    country="US",
)


def _vendor(**contact: Any) -> dict[str, Any]:
    """A VENDOR as the Intacct client hands it over (related fields under their dotted names)."""
    address = {"ADDRESS1": "1 Main St", "ADDRESS2": "", "CITY": "Springfield", "STATE": "IL", "ZIP": "62701"}
    display = {
        "FIRSTNAME": "Ann",
        "LASTNAME": "Lee",
        "EMAIL1": "Ann.Lee@Acme.Example",
        "PHONE1": "555-0100",
        **{f"MAILADDRESS.{k}": v for k, v in {**address, "COUNTRY": "United States"}.items()},
        **contact,
    }
    return {
        "RECORDNO": "7",
        "VENDORID": "V100",
        "NAME": "Acme Supplies",
        "STATUS": "active",
        **{f"DISPLAYCONTACT.{k}": v for k, v in display.items()},
    }


def _customer(**overrides: Any) -> dict[str, Any]:
    customer: dict[str, Any] = {
        "id": 12,
        "email": "Jane.Doe@Example.com",
        "firstname": "Jane",
        "lastname": "Doe",
        "website_id": 1,
        "default_billing": "30",
        "addresses": [
            {"id": 29, "street": ["9 Old Rd"], "city": "Elsewhere", "country_id": "FR", "postcode": "75001"},
            {
                "id": 30,
                "street": ["123 Oak Ave", "Floor 2", "Room 7"],
                "city": "Purchase",
                "region": {"region_code": "NY", "region": "New York", "region_id": 43},
                "region_id": 43,
                "postcode": "10577",
                "country_id": "US",
                "telephone": "512-555-1234",
            },
        ],
    }
    return {**customer, **overrides}


COMPANY = {
    "id": 3,
    "company_name": "Doe Trading",
    "company_email": "ap3@doe.example",
    "street": ["77 Market St"],
    "city": "San Francisco",
    "region": "California",
    "region_id": 12,
    "postcode": "94105",
    "country_id": "US",
    "telephone": "415-555-0000",
    "super_user_id": 12,
    "status": 1,
}


# ------------------------------------------------------------------------------------------ normalisation


def test_a_party_is_normalised_when_made() -> None:
    party = Party(
        name="  Bell\x07Tab\tEsc\x1bName  ",
        email=" Ann.Lee@Acme.EXAMPLE ",
        street=("1 Main St", " ", "Suite 4", "Back door"),
        city="",
        country="united states",
    )
    assert party.name == "BellTab EscName"  # XML-forbidden characters go (Intacct strips them), spaces collapse
    assert party.email == "ann.lee@acme.example"
    assert party.street == ("1 Main St", "Suite 4, Back door")  # Intacct holds two lines
    assert party.city is None
    assert party.country == "US"


def test_payload_round_trips_and_keeps_every_field() -> None:
    payload = FULL.payload()
    assert set(payload) == {
        "name", "first_name", "last_name", "email", "phone", "street", "city", "region", "postcode", "country",
    }  # fmt: skip
    assert Party.from_payload(payload) == FULL
    assert Party().payload()["street"] == []


# ------------------------------------------------------------------------------------------ Intacct


def test_vendor_to_party_reads_the_display_contact() -> None:
    party = vendor_to_party(_vendor())
    assert party == Party(
        name="Acme Supplies",
        first_name="Ann",
        last_name="Lee",
        email="ann.lee@acme.example",
        phone="555-0100",
        street=("1 Main St",),
        city="Springfield",
        region="IL",
        postcode="62701",
        country="US",
    )


@pytest.mark.parametrize("update", [False, True], ids=["create", "update"])
def test_party_to_vendor_and_back_is_lossless(update: bool) -> None:
    vendor = party_to_vendor(FULL, "MC-ABC", update=update)
    assert vendor["VENDORID"] == "MC-ABC"
    assert vendor["DISPLAYCONTACT"]["MAILADDRESS"]["COUNTRY"] == "United States"
    assert ("STATUS" in vendor) is not update  # a new vendor is active; an update leaves the status alone
    assert vendor_to_party(flatten(vendor)) == FULL


def test_a_vendor_record_round_trips_through_the_party() -> None:
    party = vendor_to_party(_vendor())
    assert vendor_to_party(flatten(party_to_vendor(party, "V100", update=True))) == party


def test_an_update_clears_what_the_party_lacks_and_a_create_leaves_it_out() -> None:
    party = Party(name="Bare Co", email="x@bare.example")
    update = party_to_vendor(party, "V1", update=True)["DISPLAYCONTACT"]
    create = party_to_vendor(party, "V1")["DISPLAYCONTACT"]
    assert update["PHONE1"] == ""
    assert update["MAILADDRESS"]["CITY"] == ""
    assert create["PHONE1"] is None
    assert create["MAILADDRESS"]["CITY"] is None


def test_a_vendor_needs_a_name() -> None:
    with pytest.raises(MappingError, match="an Intacct vendor needs NAME"):
        party_to_vendor(Party(email="x@y.example"), "V1")


# ------------------------------------------------------------------------------------------ Commerce


def test_customer_without_company_is_named_after_the_person_and_uses_the_billing_address() -> None:
    party = customer_to_party(_customer(), None)
    assert party.name == "Jane Doe"
    assert party.email == "jane.doe@example.com"
    assert party.street == ("123 Oak Ave", "Floor 2, Room 7")
    assert (party.city, party.region, party.postcode, party.country) == ("Purchase", "NY", "10577", "US")
    assert party.phone == "512-555-1234"


def test_a_company_admin_is_named_after_the_company_and_uses_its_address() -> None:
    party = customer_to_party(_customer(), COMPANY)
    assert (party.name, party.first_name, party.last_name) == ("Doe Trading", "Jane", "Doe")
    assert party.email == "jane.doe@example.com"  # the contact's email, not the company's
    assert (party.street, party.city, party.region, party.phone) == (
        ("77 Market St",),
        "San Francisco",
        "California",
        "415-555-0000",
    )


def test_party_to_customer_and_company_and_back_is_lossless() -> None:
    customer = {**party_to_customer(FULL), "id": 5}
    company = party_to_company(FULL, 5)
    assert company["super_user_id"] == 5
    assert company["company_email"] == FULL.email
    assert company["status"] == 1
    assert customer_to_party(customer, company) == FULL


def test_a_customer_without_company_round_trips_when_its_name_is_the_persons() -> None:
    party = Party(**{**FULL.payload(), "name": "Ann Lee", "street": ("1 Main St",)})
    assert customer_to_party(party_to_customer(party), None) == party


@pytest.mark.parametrize("company", [None, COMPANY], ids=["customer", "company-admin"])
def test_commerce_records_round_trip_through_the_party(company: dict[str, Any] | None) -> None:
    customer = _customer()
    party = customer_to_party(customer, company)
    new_customer = party_to_customer(party, customer)
    new_company = party_to_company(party, 12, company) if company is not None else None
    assert customer_to_party(new_customer, new_company) == party
    assert content_hash(customer_to_party(new_customer, new_company).payload()) == content_hash(party.payload())


def test_an_update_keeps_what_the_party_does_not_own() -> None:
    customer, company = _customer(), COMPANY
    party = Party(**{**customer_to_party(customer, company).payload(), "name": "Doe & Sons", "phone": "1"})
    updated = party_to_company(party, 12, company)
    assert updated["company_email"] == "ap3@doe.example"  # the company's own email is not the contact's
    assert updated["region_id"] == 12  # an unchanged region keeps its id
    assert (updated["company_name"], updated["telephone"], updated["id"]) == ("Doe & Sons", "1", 3)
    new_customer = party_to_customer(party, customer)
    assert [a["id"] for a in new_customer["addresses"]] == [29, 30]
    assert new_customer["addresses"][0] == customer["addresses"][0]  # only the billing address takes the party's


def test_a_changed_region_drops_the_stale_region_id() -> None:
    party = Party(**{**customer_to_party(_customer(), None).payload(), "region": "CT"})
    address = party_to_customer(party, _customer())["addresses"][1]
    assert address["region"] == {"region": "CT"}
    assert "region_id" not in address
    company = party_to_company(party, 12, COMPANY)
    assert company["region"] == "CT"
    assert "region_id" not in company


def test_an_incomplete_address_is_not_written_to_the_customer() -> None:
    party = Party(first_name="A", last_name="B", email="a@b.example", city="Paris")
    assert "addresses" not in party_to_customer(party)


def test_what_a_company_needs_is_named_when_missing() -> None:
    party = Party(name="Bare Co", first_name="A", last_name="B", email="a@b.example", city="Paris", country="FR")
    with pytest.raises(MappingError) as caught:
        party_to_company(party, 1)
    expected = "a Commerce company needs street, postcode, telephone, which the record does not have"
    assert str(caught.value) == expected


def test_what_a_customer_needs_is_named_when_missing() -> None:
    with pytest.raises(MappingError, match="a Commerce customer needs email, lastname,"):
        party_to_customer(Party(name="X", first_name="Ann"))


def test_a_country_without_iso_code_cannot_go_to_commerce() -> None:
    party = Party(**{**FULL.payload(), "country": "Narnia"})
    assert vendor_to_party(flatten(party_to_vendor(party, "V1"))).country == "Narnia"  # Intacct keeps it as it is
    with pytest.raises(MappingError, match="'Narnia' has no ISO code"):
        party_to_company(party, 1)


# ------------------------------------------------------------------------------------------ stream mappings


def test_both_directions_hash_the_same_party() -> None:
    """The heart of loop prevention: a vendor and the customer + company written from it map to one payload."""
    vendor = _vendor()
    from_vendor = vendor_record_to_party(SourceRecord("V100", vendor), ("active",))
    party = Party.from_payload(from_vendor)
    customer = {**party_to_customer(party), "id": 9}
    record = SourceRecord("9", {**customer, COMPANY_KEY: party_to_company(party, 9)})
    assert content_hash(customer_record_to_party(record)) == content_hash(from_vendor)


def test_vendors_outside_the_configured_statuses_are_skipped() -> None:
    vendor = {**_vendor(), "STATUS": "inactive"}
    with pytest.raises(SkipRecord, match="STATUS is inactive"):
        vendor_record_to_party(SourceRecord("V100", vendor), ("active",))
    assert vendor_record_to_party(SourceRecord("V100", vendor), ("active", "inactive"))["name"] == "Acme Supplies"


# ------------------------------------------------------------------------------------------ config


def test_config_defaults_and_overrides() -> None:
    default = VendorMasterConfig.from_secret({"base_url": "https://shop.example/rest"})
    assert (default.customers_to_vendors, default.vendors_to_commerce, default.vendor_statuses) == (
        False,
        False,
        ("active",),
    )
    custom = VendorMasterConfig.from_config(
        {"vendors_to_commerce": True, "vendor_statuses": ["Active", "inactive"], "customer_group_id": 4}
    )
    assert custom.vendor_statuses == ("active", "inactive")
    assert custom.customer_group_id == 4


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"vendor_to_commerce": True}, "unknown keys: vendor_to_commerce"),
        ({"vendors_to_commerce": "yes"}, "must be true or false"),
        ({"vendor_statuses": "active"}, "list of STATUS values"),
        ({"customer_group_id": "4"}, "customer group id"),
    ],
)
def test_config_refuses_what_it_does_not_know(config: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        VendorMasterConfig.from_config(config)
