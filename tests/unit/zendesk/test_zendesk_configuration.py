"""The secret: the subdomain validated and its host checked, a base_url only for an allowed sandbox host, the three
ways to authenticate, secrets out of reprs, the spec import-light."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlconnector.systems.zendesk.credentials import AuthMode, ZendeskCredentials
from mlconnector.systems.zendesk.endpoint import check_subdomain
from mlconnector.systems.zendesk.errors import ConfigurationError
from tests.unit.zendesk.zendesk_fakes import CLIENT_SECRET, REFRESH_TOKEN, credentials, secret


@pytest.mark.parametrize("value", ["acme", "ACME", "acme-support", "a1", "x" * 63, " acme "])
def test_a_subdomain_is_letters_digits_and_hyphens(value: str) -> None:
    assert check_subdomain(value) == value.strip().lower()


@pytest.mark.parametrize(
    "value",
    [
        "",
        "-acme",
        "acme-",
        "acme.evil.com",
        "acme.zendesk.com",
        "acme/..",
        "acme@evil",
        "ac me",
        "x" * 64,
        "acme_support",
        "ácme",
        "acme:443",
    ],
)
def test_anything_else_is_refused_before_a_url_is_built(value: str) -> None:
    with pytest.raises(ConfigurationError, match="subdomain"):
        check_subdomain(value)


def test_requests_go_to_the_subdomains_zendesk_host() -> None:
    assert credentials().origin == "https://acme.zendesk.com"


def test_a_base_url_is_only_for_an_allowed_sandbox_host() -> None:
    with pytest.raises(ConfigurationError, match="not an allowed sandbox host"):
        ZendeskCredentials.from_secret(secret(base_url="https://evil.example"))
    sandbox = ZendeskCredentials.from_secret(
        secret(base_url="http://127.0.0.1:8123"), allowed_sandbox_hosts=("127.0.0.1:8123",)
    )
    assert sandbox.origin == "http://127.0.0.1:8123"
    with pytest.raises(ConfigurationError, match="scheme and host only"):
        ZendeskCredentials.from_secret(secret(base_url="http://127.0.0.1:8123/x"), allowed_sandbox_hosts=("127.0.0.1",))


def test_the_three_ways_to_authenticate() -> None:
    assert credentials().mode is AuthMode.OAUTH
    fixed = ZendeskCredentials.from_secret({"subdomain": "acme", "access_token": "t"})
    assert fixed.mode is AuthMode.ACCESS_TOKEN
    legacy = ZendeskCredentials.from_secret({"subdomain": "acme", "email": "a@b.c", "api_token": "t"})
    assert legacy.mode is AuthMode.API_TOKEN
    with pytest.raises(ConfigurationError, match="missing client_secret"):
        ZendeskCredentials.from_secret(secret(client_secret=None))
    with pytest.raises(ConfigurationError, match="both email and api_token"):
        ZendeskCredentials.from_secret({"subdomain": "acme", "email": "a@b.c"})
    with pytest.raises(ConfigurationError, match="no credentials"):
        ZendeskCredentials.from_secret({"subdomain": "acme"})
    with pytest.raises(ConfigurationError, match="missing subdomain"):
        ZendeskCredentials.from_secret(secret(subdomain=None))
    with pytest.raises(ConfigurationError, match="must be text"):
        ZendeskCredentials.from_secret(secret(refresh_token=123))


def test_secrets_stay_out_of_the_repr_and_the_pair_key() -> None:
    creds = credentials()
    assert CLIENT_SECRET not in repr(creds)
    assert REFRESH_TOKEN not in repr(creds)
    assert REFRESH_TOKEN not in creds.pair_key()
    assert creds.pair_key() != credentials(refresh_token="a-new-authorisation").pair_key()


def test_the_spec_imports_neither_the_client_nor_requests() -> None:
    code = (
        "import sys; import mlconnector.systems.zendesk.spec as s; "
        "print(s.ZENDESK.name, 'mlconnector.systems.zendesk.client' in sys.modules, 'requests' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["zendesk", "False", "False"]
