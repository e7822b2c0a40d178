"""Munchkin id validation, URL building, the base-URL allow-list and the credentials object."""

from __future__ import annotations

import pytest

from mlconnector.systems.marketo.credentials import MarketoCredentials
from mlconnector.systems.marketo.endpoint import (
    check_base_url,
    default_base_url,
    identity_url,
    normalize_munchkin_id,
    rest_url,
)
from mlconnector.systems.marketo.errors import ConfigurationError
from tests.unit.marketo.marketo_fakes import CLIENT_SECRET, MUNCHKIN, credentials


@pytest.mark.parametrize(("raw", "expected"), [("123-ABC-456", "123-ABC-456"), (" 284-rpr-133 ", "284-RPR-133")])
def test_munchkin_ids_are_normalised(raw: str, expected: str) -> None:
    assert normalize_munchkin_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "123ABC456",
        "12-ABC-456",
        "123-AB1-456",
        "123-ABC-4567",
        "123-ABC-456.evil.example",
        "x/123-ABC-456",
        "123-ÄBC-456",
    ],
)
def test_malformed_munchkin_ids_are_refused(raw: str) -> None:
    with pytest.raises(ConfigurationError, match="123-ABC-456"):
        normalize_munchkin_id(raw)


def test_urls_are_built_from_the_munchkin_id_without_double_slashes() -> None:
    base = default_base_url("284-rpr-133")
    assert base == "https://284-RPR-133.mktorest.com"
    assert identity_url(base) == "https://284-RPR-133.mktorest.com/identity/oauth/token"
    assert rest_url(base + "/", "/v1/companies.json") == "https://284-RPR-133.mktorest.com/rest/v1/companies.json"
    assert "//" not in rest_url(base, "v1/leads.json").removeprefix("https://")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8085", ("127.0.0.1",)),
        ("http://127.0.0.1:8085/", ("127.0.0.1:8085",)),
        ("https://localhost", ("localhost",)),
        ("https://123-abc-456.mktorest.com", ()),
        ("https://123-ABC-456.mktorest.com:443/", ()),
    ],
)
def test_allowed_base_urls(url: str, allowed: tuple[str, ...]) -> None:
    assert check_base_url(url, MUNCHKIN, allowed) == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8085", ()),  # sandbox host not on the allow-list
        ("http://127.0.0.1:9999", ("127.0.0.1:8085",)),  # other port than allowed
        ("https://999-XYZ-999.mktorest.com", ()),  # another instance
        ("http://123-ABC-456.mktorest.com", ()),  # no TLS
        ("https://123-ABC-456.mktorest.com:8443", ()),
        ("https://123-ABC-456.mktorest.com.evil.example", ()),
        ("https://user:pw@127.0.0.1", ("127.0.0.1",)),
        ("https://127.0.0.1/rest", ("127.0.0.1",)),  # paths are ours to add
        ("https://127.0.0.1?x=1", ("127.0.0.1",)),
        ("https://evil.example\\@127.0.0.1", ("127.0.0.1",)),
        ("https:// 127.0.0.1", ("127.0.0.1",)),
        ("ftp://127.0.0.1", ("127.0.0.1",)),
        ("https://127.0.0.1:99999", ("127.0.0.1",)),
        ("https:///x", ()),
    ],
)
def test_refused_base_urls(url: str, allowed: tuple[str, ...]) -> None:
    with pytest.raises(ConfigurationError):
        check_base_url(url, MUNCHKIN, allowed)


def test_credentials_default_to_the_instance_host_and_hide_the_secret() -> None:
    creds = credentials(munchkin_id="123-abc-456")
    assert creds.munchkin_id == "123-ABC-456"
    assert creds.base == "https://123-ABC-456.mktorest.com"
    assert CLIENT_SECRET not in repr(creds)
    assert creds.secrets() == (CLIENT_SECRET,)


def test_base_url_override_needs_the_sandbox_allow_list() -> None:
    with pytest.raises(ConfigurationError, match=r"127\.0\.0\.1"):
        credentials(base_url="http://127.0.0.1:8085")
    creds = credentials(base_url="http://127.0.0.1:8085/", allowed_sandbox_hosts=("127.0.0.1",))
    assert creds.base == "http://127.0.0.1:8085"


def test_from_secret_reads_the_documented_keys() -> None:
    secret = {
        "munchkin_id": MUNCHKIN,
        "client_id": "cid",
        "client_secret": CLIENT_SECRET,
        "base_url": "http://127.0.0.1:1",
    }
    creds = MarketoCredentials.from_secret(secret, allowed_sandbox_hosts=["127.0.0.1"])
    assert (creds.client_id, creds.client_secret, creds.base) == ("cid", CLIENT_SECRET, "http://127.0.0.1:1")
    assert creds.allowed_sandbox_hosts == ("127.0.0.1",)
    without_base = MarketoCredentials.from_secret({k: v for k, v in secret.items() if k != "base_url"})
    assert without_base.base == "https://123-ABC-456.mktorest.com"


def test_from_secret_names_missing_keys_but_never_values() -> None:
    with pytest.raises(ConfigurationError) as raised:
        MarketoCredentials.from_secret({"munchkin_id": MUNCHKIN, "client_id": "", "client_secret": CLIENT_SECRET})
    assert "client_id" in str(raised.value)
    assert CLIENT_SECRET not in str(raised.value)
    with pytest.raises(ConfigurationError, match="base_url"):
        MarketoCredentials.from_secret({"munchkin_id": MUNCHKIN, "client_id": "c", "client_secret": "s", "base_url": 5})
