"""Configuration: data centres and their accounts servers (CA is zohocloud.ca), accounts_url and api_domain checks,
the secret, the edition's concurrency and search criteria."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.zoho import criteria
from mlconnector.systems.zoho.credentials import ZohoCredentials
from mlconnector.systems.zoho.endpoint import API_HOSTS, DATA_CENTRES, api_url, check_api_domain, data_centre
from mlconnector.systems.zoho.errors import ConfigurationError
from mlconnector.systems.zoho.limits import edition_name, max_concurrent
from tests.unit.zoho.zoho_fakes import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

SECRET = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN}


@pytest.mark.parametrize(
    ("code", "accounts", "api"),
    [
        ("US", "https://accounts.zoho.com", "https://www.zohoapis.com"),
        ("eu", "https://accounts.zoho.eu", "https://www.zohoapis.eu"),
        ("IN", "https://accounts.zoho.in", "https://www.zohoapis.in"),
        ("AU", "https://accounts.zoho.com.au", "https://www.zohoapis.com.au"),
        ("JP", "https://accounts.zoho.jp", "https://www.zohoapis.jp"),
        ("CA", "https://accounts.zohocloud.ca", "https://www.zohoapis.ca"),
        ("SA", "https://accounts.zoho.sa", "https://www.zohoapis.sa"),
        ("CN", "https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn"),
    ],
)
def test_each_data_centre_has_its_accounts_server_and_api_host(code: str, accounts: str, api: str) -> None:
    creds = ZohoCredentials.from_secret({**SECRET, "data_centre": code})
    assert (creds.data_centre, creds.accounts_url, creds.default_api_domain) == (code.upper(), accounts, api)
    assert not creds.sandbox


def test_api_hosts_are_www_sandbox_and_developer_of_each_data_centre() -> None:
    assert len(API_HOSTS) == 3 * len(DATA_CENTRES) == 24
    for host in ("www.zohoapis.com", "sandbox.zohoapis.ca", "developer.zohoapis.com.cn", "WWW.ZOHOAPIS.EU."):
        assert check_api_domain(f"https://{host}/") == f"https://{host.lower().rstrip('.')}"
    for bad in ("https://zohoapis.com", "https://www.zohoapis.ca.evil.io", "https://www.zoho.com", "ftp://x"):
        with pytest.raises(ConfigurationError, match=r"not a Zoho API host|scheme and host only"):
            check_api_domain(bad)
    with pytest.raises(ConfigurationError, match="user info"):
        check_api_domain("https://user@www.zohoapis.com")
    assert api_url("https://www.zohoapis.eu", "/Accounts/upsert") == "https://www.zohoapis.eu/crm/v8/Accounts/upsert"


def test_the_data_centre_may_come_from_the_accounts_url() -> None:
    creds = ZohoCredentials.from_secret({**SECRET, "accounts_url": "https://accounts.zohocloud.ca/"})
    assert (creds.data_centre, creds.accounts_url) == ("CA", "https://accounts.zohocloud.ca")
    agreeing = ZohoCredentials.from_secret(
        {**SECRET, "data_centre": "ca", "accounts_url": "https://accounts.zohocloud.ca"}
    )
    assert agreeing.data_centre == "CA"


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ({}, "set data_centre"),
        ({"data_centre": "UK"}, "'UK' is not one of US, EU"),
        ({"accounts_url": "https://accounts.zoho.ca"}, "not a Zoho accounts server"),  # Canada is zohocloud.ca
        ({"accounts_url": "http://accounts.zoho.com"}, "not a Zoho accounts server"),
        ({"accounts_url": "https://accounts.zoho.com/oauth"}, "scheme and host only"),
        ({"accounts_url": "https://accounts.zoho.eu", "data_centre": "US"}, "the EU data centre's, but data_centre"),
        ({"accounts_url": "http://127.0.0.1:9000"}, "nor an allowed sandbox host"),
        ({"data_centre": 1}, "data_centre must be text"),
    ],
)
def test_wrong_places_are_configuration_errors(secret: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        ZohoCredentials.from_secret({**SECRET, **secret})


def test_missing_keys_are_named_without_values() -> None:
    with pytest.raises(ConfigurationError, match="missing or has empty keys: client_secret, refresh_token") as caught:
        ZohoCredentials.from_secret({"client_id": CLIENT_ID, "client_secret": " ", "data_centre": "US"})
    assert CLIENT_ID not in str(caught.value)


def test_a_sandbox_accounts_server_only_from_the_deployments_list() -> None:
    secret = {**SECRET, "accounts_url": "http://127.0.0.1:9000", "data_centre": "US"}
    creds = ZohoCredentials.from_secret(secret, allowed_sandbox_hosts=["127.0.0.1"])
    assert (creds.accounts_url, creds.sandbox, creds.default_api_domain) == (
        "http://127.0.0.1:9000",
        True,
        "http://127.0.0.1:9000",
    )
    assert creds.data_centre == "US"
    assert data_centre("us").accounts_host == "accounts.zoho.com"
    other_dc = {**secret, "accounts_url": "http://127.0.0.1:9000/dc/eu/"}  # a simulator's other data centre
    creds = ZohoCredentials.from_secret(other_dc, allowed_sandbox_hosts=["127.0.0.1"])
    assert (creds.accounts_url, creds.default_api_domain) == ("http://127.0.0.1:9000/dc/eu", "http://127.0.0.1:9000")


@pytest.mark.parametrize(
    ("secret", "limit"),
    [
        ({}, 15),
        ({"edition": "Free"}, 5),
        ({"edition": "standard"}, 10),
        ({"edition": "Starter"}, 10),
        ({"edition": "enterprise"}, 20),
        ({"edition": "Zoho One"}, 20),
        ({"edition": "ultimate"}, 25),
        ({"edition": "CRM Plus"}, 25),
        ({"edition": "ultimate", "max_concurrent": 5}, 5),
    ],
)
def test_the_editions_limit_of_calls_at_once(secret: dict[str, Any], limit: int) -> None:
    assert max_concurrent(secret) == limit


def test_edition_names_as_zoho_reports_them() -> None:
    assert edition_name("crmplusprofessional") == "professional"
    assert edition_name("zohooneenterprise") == "enterprise"
    assert edition_name("crmplus") == "ultimate"
    with pytest.raises(ConfigurationError, match="edition 'gold'"):
        edition_name("gold")
    with pytest.raises(ConfigurationError, match="max_concurrent"):
        max_concurrent({"max_concurrent": 40})


def test_search_criteria_escape_values() -> None:
    assert criteria.equals("Account_Name", "Acme (UK), Ltd") == r"(Account_Name:equals:Acme \(UK\)\, Ltd)"
    both = criteria.all_of(criteria.equals("A", "1"), criteria.condition("B", "in", ["x,y", "z"]))
    assert both == r"((A:equals:1)and(B:in:x\,y,z))"
    assert criteria.any_of(criteria.equals("A", "1")) == "(A:equals:1)"
    with pytest.raises(ValueError, match="operator"):
        criteria.condition("A", "like", "1")
    with pytest.raises(ValueError, match="1 to 100 values"):
        criteria.condition("A", "in", [str(i) for i in range(101)])
    with pytest.raises(ValueError, match="API name"):
        criteria.condition("A:equals:1)or(B", "equals", "1")
