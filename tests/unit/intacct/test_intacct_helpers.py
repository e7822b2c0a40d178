"""Deterministic controlids, credentials, log redaction and the WHENMODIFIED cursor helpers."""

from __future__ import annotations

import pytest

from mlconnector.systems.intacct.controlids import deterministic_controlid
from mlconnector.systems.intacct.credentials import IntacctCredentials
from mlconnector.systems.intacct.endpoint import DEFAULT_ENDPOINT
from mlconnector.systems.intacct.errors import ConfigurationError
from mlconnector.systems.intacct.functions.filters import Comparison, Logical
from mlconnector.systems.intacct.incremental import max_timestamp, parse_timestamp, whenmodified_filter
from mlconnector.systems.intacct.redact import redact_xml
from tests.unit.intacct.intacct_fakes import SENDER_PASSWORD, USER_PASSWORD, credentials

SECRET = {
    "sender_id": "SENDER",
    "sender_password": SENDER_PASSWORD,
    "company_id": "ACME",
    "user_id": "WS_USER",
    "user_password": USER_PASSWORD,
}


def test_deterministic_controlid_is_stable_and_distinguishes_parts() -> None:
    first = deterministic_controlid("commerce-intacct", "order", "1001", "create-bill", 1)
    assert first == deterministic_controlid("commerce-intacct", "order", "1001", "create-bill", 1)
    assert first.startswith("commerce-intacct-order-1001-create-bill-1-")
    assert first != deterministic_controlid("commerce-intacct", "order", "1001", "create-bill", 2)
    assert deterministic_controlid("a-b", "c") != deterministic_controlid("a", "b-c")
    assert deterministic_controlid("1") != deterministic_controlid(1, "")


def test_deterministic_controlid_is_bounded_and_safe() -> None:
    long_id = deterministic_controlid("x" * 1000, "y" * 1000)
    assert len(long_id) <= 256
    odd = deterministic_controlid("order <1001> & 'quote'", "ünïcode")
    assert all(c.isascii() and (c.isalnum() or c in "-_.") for c in odd)
    assert len(deterministic_controlid("<<<>>>")) == 64  # nothing readable left: the hash alone
    with pytest.raises(ValueError):
        deterministic_controlid()


def test_credentials_from_secret() -> None:
    creds = IntacctCredentials.from_secret(SECRET)
    assert (creds.sender_id, creds.company_id, creds.user_id, creds.entity_id) == ("SENDER", "ACME", "WS_USER", None)
    assert creds.endpoint_url == DEFAULT_ENDPOINT
    assert creds.allowed_sandbox_hosts == ()
    sandbox = IntacctCredentials.from_secret(
        {**SECRET, "entity_id": "E1", "endpoint_url": "http://127.0.0.1:8080/ia/xml/xmlgw.phtml"},
        allowed_sandbox_hosts=["127.0.0.1"],
    )
    assert sandbox.entity_id == "E1"
    assert sandbox.endpoint_url == "http://127.0.0.1:8080/ia/xml/xmlgw.phtml"


def test_credentials_repr_hides_passwords() -> None:
    text = repr(credentials()) + str(credentials())
    assert SENDER_PASSWORD not in text
    assert USER_PASSWORD not in text
    assert "ACME" in text


def test_credentials_errors_name_keys_not_values() -> None:
    with pytest.raises(ConfigurationError) as caught:
        IntacctCredentials.from_secret({**SECRET, "user_password": "", "sender_id": None})
    assert "user_password" in str(caught.value)
    assert "sender_id" in str(caught.value)
    assert SENDER_PASSWORD not in str(caught.value)
    with pytest.raises(ConfigurationError, match="not an Intacct domain"):
        IntacctCredentials.from_secret({**SECRET, "endpoint_url": "https://evil.example/ia/xml/xmlgw.phtml"})
    with pytest.raises(ConfigurationError):
        credentials(company_id="")


def test_sandbox_hosts_never_come_from_the_secret() -> None:
    secret = {**SECRET, "endpoint_url": "http://127.0.0.1:1/x", "allowed_sandbox_hosts": ["127.0.0.1"]}
    with pytest.raises(ConfigurationError):
        IntacctCredentials.from_secret(secret)


def test_redaction_covers_credentials_ids_and_bank_fields() -> None:
    xml = (
        "<control><senderid>SENDER</senderid><password>SP</password></control>"
        "<login><userid>U</userid><companyid>ACME</companyid><PASSWORD>UP</PASSWORD></login>"
        '<sessionid attr="1">S\nID</sessionid><VENDOR><NAME>Acme</NAME><TAXID>12-345</TAXID>'
        "<ACHACCOUNTNUMBER>999</ACHACCOUNTNUMBER><ACHBANKROUTINGNUMBER>021</ACHBANKROUTINGNUMBER><PARENTID/>"
        "<PASSWORDHINT>keep</PASSWORDHINT></VENDOR>"
    )
    assert redact_xml(xml) == (
        "<control><senderid>REDACTED</senderid><password>REDACTED</password></control>"
        "<login><userid>REDACTED</userid><companyid>ACME</companyid><PASSWORD>REDACTED</PASSWORD></login>"
        '<sessionid attr="1">REDACTED</sessionid><VENDOR><NAME>Acme</NAME><TAXID>REDACTED</TAXID>'
        "<ACHACCOUNTNUMBER>REDACTED</ACHACCOUNTNUMBER><ACHBANKROUTINGNUMBER>REDACTED</ACHBANKROUTINGNUMBER>"
        "<PARENTID/><PASSWORDHINT>keep</PASSWORDHINT></VENDOR>"
    )


def test_whenmodified_filter_starts_overlap_before_the_raw_cursor() -> None:
    found = whenmodified_filter("01/01/2024 00:02:00", overlap_seconds=300)
    assert found == Comparison("greaterthanorequalto", "WHENMODIFIED", ("12/31/2023 23:57:00",))


def test_whenmodified_filter_with_upper_bound_and_no_cursor() -> None:
    found = whenmodified_filter("02/29/2024 10:00:00", 0, upper_bound="03/01/2024 00:00:00")
    assert found == Logical(
        "and",
        (
            Comparison("greaterthanorequalto", "WHENMODIFIED", ("02/29/2024 10:00:00",)),
            Comparison("lessthan", "WHENMODIFIED", ("03/01/2024 00:00:00",)),
        ),
    )
    assert whenmodified_filter(None) is None
    assert whenmodified_filter(None, upper_bound="03/01/2024 00:00:00") == Comparison(
        "lessthan", "WHENMODIFIED", ("03/01/2024 00:00:00",)
    )
    with pytest.raises(ValueError):
        whenmodified_filter("2024-01-01T00:00:00", 60)
    with pytest.raises(ValueError):
        whenmodified_filter("01/01/2024 00:00:00", -1)


def test_max_timestamp_compares_as_times_and_keeps_the_raw_string() -> None:
    records = [
        {"WHENMODIFIED": "12/31/2023 23:59:59"},
        {"WHENMODIFIED": "01/01/2024 00:00:00"},
        {"WHENMODIFIED": ""},
        {"NAME": "no timestamp"},
    ]
    assert max_timestamp(records, None) == "01/01/2024 00:00:00"  # string order would pick 12/31/2023
    assert max_timestamp(records, "01/02/2024 00:00:00") == "01/02/2024 00:00:00"
    assert max_timestamp([], None) is None
    assert parse_timestamp(" 07/24/2017 15:19:46 ").hour == 15
