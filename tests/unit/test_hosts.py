"""The shared URL checks every client runs before sending a credential."""

from __future__ import annotations

import pytest

from mlconnector.hosts import in_domain, is_default_https, is_sandbox_host, parse_url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://api.intacct.com /x", "whitespace"),
        ("https://api.intacct.com\\@evil.example", "backslash"),
        ("https://user:pw@api.intacct.com/", "user info"),
        ("https:///path", "no host"),
        ("https://api.intacct.com:99999/", "malformed"),
    ],
)
def test_urls_credentials_must_never_reach_are_refused(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_url(url, "endpoint")


def test_parts_are_normalised() -> None:
    url = parse_url("HTTPS://API.Intacct.COM./ia/xml/xmlgw.phtml", "endpoint")
    assert (url.host, url.port, url.path) == ("api.intacct.com", None, "/ia/xml/xmlgw.phtml")


def test_domains_match_whole_labels_only() -> None:
    assert in_domain("api.intacct.com", "intacct.com")
    assert in_domain("intacct.com", "intacct.com")
    assert not in_domain("evilintacct.com", "intacct.com")
    assert not in_domain("intacct.com.evil.example", "intacct.com")


def test_sandbox_hosts_are_only_the_listed_ones() -> None:
    local = parse_url("http://127.0.0.1:8081/x", "endpoint")
    assert is_sandbox_host(local, ["127.0.0.1"])
    assert is_sandbox_host(local, ["127.0.0.1:8081"])
    assert not is_sandbox_host(local, ["127.0.0.1:8082"])
    assert not is_sandbox_host(local, [])
    assert not is_sandbox_host(parse_url("ftp://127.0.0.1/", "endpoint"), ["127.0.0.1"])


def test_default_https_means_https_on_443() -> None:
    assert is_default_https(parse_url("https://a.example/", "x"))
    assert is_default_https(parse_url("https://a.example:443/", "x"))
    assert not is_default_https(parse_url("https://a.example:8443/", "x"))
    assert not is_default_https(parse_url("http://a.example/", "x"))
