"""Credentials and session ids only go to Intacct hosts, or to explicitly allowed sandbox hosts."""

from __future__ import annotations

import pytest

from mlconnector.systems.intacct.endpoint import check_endpoint
from mlconnector.systems.intacct.errors import ConfigurationError


@pytest.mark.parametrize(
    "url",
    [
        "https://api.intacct.com/ia/xml/xmlgw.phtml",
        "https://unittest.intacct.com/ia/xml/xmlgw.phtml",
        "https://API.Intacct.COM/ia/xml/xmlgw.phtml",
        "https://api.intacct.com:443/ia/xml/xmlgw.phtml",
        "https://intacct.com/ia/xml/xmlgw.phtml",
    ],
)
def test_intacct_hosts_are_allowed(url: str) -> None:
    assert check_endpoint(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://api.intacct.com/ia/xml/xmlgw.phtml",
        "https://api.intacct.com.evil.example/ia/xml/xmlgw.phtml",
        "https://evilintacct.com/ia/xml/xmlgw.phtml",
        "https://api.intacct.com@evil.example/ia/xml/xmlgw.phtml",
        "https://user:pw@api.intacct.com/ia/xml/xmlgw.phtml",
        "https://api.intacct.com:8443/ia/xml/xmlgw.phtml",
        "https://evil.example/#.intacct.com",
        "https://evil.example\\.intacct.com/",
        "https://api.intacct.com /x",
        "ftp://api.intacct.com/x",
        "https:///ia/xml/xmlgw.phtml",
        "https://api.intacct.com:99999/x",
        "http://127.0.0.1:8080/ia/xml/xmlgw.phtml",
        "",
    ],
)
def test_other_hosts_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        check_endpoint(url)


def test_sandbox_hosts_must_be_listed_explicitly() -> None:
    url = "http://127.0.0.1:8123/ia/xml/xmlgw.phtml"
    assert check_endpoint(url, ("127.0.0.1",)) == url
    assert check_endpoint(url, ("127.0.0.1:8123",)) == url
    assert check_endpoint("https://localhost/x", ("LOCALHOST",)) == "https://localhost/x"
    with pytest.raises(ConfigurationError):
        check_endpoint(url, ("127.0.0.1:9999",))
    with pytest.raises(ConfigurationError):
        check_endpoint(url, ("localhost",))
    with pytest.raises(ConfigurationError):
        check_endpoint("ftp://127.0.0.1/x", ("127.0.0.1",))


def test_refusal_names_the_host_only() -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_endpoint("https://evil.example/ia/xml/xmlgw.phtml?sessionid=SECRET")
    assert "evil.example" in str(caught.value)
    assert "SECRET" not in str(caught.value)
