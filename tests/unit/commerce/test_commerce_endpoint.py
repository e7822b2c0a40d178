"""Flavour from the instance URL, host checks, and credentials from the secret (secrets kept out of reprs)."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.commerce import CommerceCredentials, ConfigurationError, check_instance_url, detect_flavour
from mlconnector.systems.commerce.credentials import DEFAULT_IMS_SCOPES
from tests.unit.commerce.commerce_fakes import (
    ACCESS_TOKEN,
    ACCESS_TOKEN_SECRET,
    CONSUMER_SECRET,
    IMS_CLIENT_SECRET,
    PAAS_URL,
    SAAS_URL,
    paas,
    saas,
)


@pytest.mark.parametrize(
    ("url", "flavour"),
    [
        ("https://na1.api.commerce.adobe.com/TenantA1", "saas"),
        ("https://eu.api.commerce.adobe.com/T9/V1", "saas"),
        ("https://shop.example.com/rest/default", "paas"),
        ("https://x.magentosite.cloud/rest/V1", "paas"),
        ("https://shop.example.com/", None),
    ],
)
def test_flavour_is_read_from_the_url(url: str, flavour: str | None) -> None:
    assert detect_flavour(url) == flavour


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://shop.example.com/rest/default", "https://shop.example.com/rest/default"),
        ("https://shop.example.com/rest/V1/", "https://shop.example.com/rest"),
        ("https://shop.example.com/magento/rest/fr_fr", "https://shop.example.com/magento/rest/fr_fr"),
        ("https://na1.api.commerce.adobe.com/TenantA1/V1", "https://na1.api.commerce.adobe.com/TenantA1"),
    ],
)
def test_rest_root(url: str, root: str) -> None:
    instance = check_instance_url(url)
    assert instance.rest_root == root
    assert instance.url("V1/orders") == root + "/V1/orders"


def test_explicit_flavour_is_used_when_the_url_does_not_say() -> None:
    instance = check_instance_url("https://shop.example.com/shop", "paas")
    assert (instance.flavour, instance.rest_root) == ("paas", "https://shop.example.com/shop/rest")
    with pytest.raises(ConfigurationError, match="cannot tell the Commerce flavour"):
        check_instance_url("https://shop.example.com/shop")


@pytest.mark.parametrize(
    ("url", "flavour", "message"),
    [
        ("http://shop.example.com/rest", None, "https on the default port"),
        ("https://shop.example.com:8443/rest", None, "https on the default port"),
        ("https://10.0.0.5/rest", None, "DNS name"),
        ("https://localhost/rest", None, "DNS name"),
        ("https://user:pw@shop.example.com/rest", None, "user info"),
        ("https://shop.example.com/rest?x=1", None, "query"),
        ("https://shop.example.com/rest/all", None, "store code 'all'"),
        ("https://shop.example.com/rest/a/b", None, "/rest/<store_code>"),
        ("https://na1.api.commerce.adobe.com/TenantA1", "paas", "flavour is saas"),
        ("https://evil.example.com/TenantA1", "saas", "not under api.commerce.adobe.com"),
        ("https://na1.api.commerce.adobe.com/", None, "tenant_id"),
        ("https://na1.api.commerce.adobe.com.evil.example/T1/rest", "saas", "not under"),
    ],
)
def test_urls_credentials_must_not_go_to(url: str, flavour: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        check_instance_url(url, flavour)


def test_sandbox_hosts_only_through_the_allow_list() -> None:
    with pytest.raises(ConfigurationError):
        check_instance_url("http://127.0.0.1:8090/rest/default")
    allowed = check_instance_url("http://127.0.0.1:8090/rest/default", allowed_sandbox_hosts=["127.0.0.1"])
    assert allowed.sandbox
    assert allowed.rest_root == "http://127.0.0.1:8090/rest/default"
    saas_sim = check_instance_url("http://127.0.0.1:8090/T1", "saas", allowed_sandbox_hosts=["127.0.0.1:8090"])
    assert (saas_sim.flavour, saas_sim.rest_root) == ("saas", "http://127.0.0.1:8090/T1")
    with pytest.raises(ConfigurationError):
        check_instance_url("http://127.0.0.1:8091/T1", "saas", allowed_sandbox_hosts=["127.0.0.1:8090"])


def test_paas_secret_with_four_values_signs_oauth1_and_a_lone_token_is_bearer() -> None:
    assert paas().paas_auth == "oauth1"
    assert paas().flavour == "paas"
    bearer = paas(consumer_key=None, consumer_secret=None, access_token_secret=None)
    assert bearer.paas_auth == "bearer"
    with pytest.raises(ConfigurationError, match="access_token_secret"):
        paas(access_token_secret="")


def test_saas_secret() -> None:
    credentials = saas(ims_scopes="openid, AdobeID,commerce.accs", store_view="fr_fr")
    assert credentials.flavour == "saas"
    assert credentials.ims_scopes == ("openid", "AdobeID", "commerce.accs")
    assert saas().ims_scopes == DEFAULT_IMS_SCOPES
    with pytest.raises(ConfigurationError, match=r"commerce\.accs"):
        saas(ims_scopes=["openid"])
    with pytest.raises(ConfigurationError, match="ims_org_id"):
        saas(ims_org_id="")
    with pytest.raises(ConfigurationError, match="IMS token URL host"):
        saas(ims_token_url="https://ims.evil.example/ims/token/v3")
    with pytest.raises(ConfigurationError, match="store_view"):
        saas(store_view="x\r\nInjected: 1")


def test_secret_flavour_key_and_bad_values() -> None:
    explicit = CommerceCredentials.from_secret(
        {"base_url": "https://shop.example.com", "flavour": "PaaS", "access_token": ACCESS_TOKEN}
    )
    assert explicit.instance.rest_root == "https://shop.example.com/rest"
    with pytest.raises(ConfigurationError, match="flavour must be one of"):
        CommerceCredentials.from_secret({"base_url": PAAS_URL, "flavour": "cloud", "access_token": "t"})
    with pytest.raises(ConfigurationError, match="base_url"):
        CommerceCredentials.from_secret({"access_token": "t"})
    with pytest.raises(ConfigurationError, match="must be a string"):
        CommerceCredentials.from_secret({"base_url": PAAS_URL, "access_token": 12345})


def test_reprs_hide_every_secret() -> None:
    for credentials in (paas(), saas()):
        text = repr(credentials) + str(credentials)
        for secret in (CONSUMER_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET, IMS_CLIENT_SECRET):
            assert secret not in text
    assert set(paas().secrets()) == {CONSUMER_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET}
    assert saas().secrets() == (IMS_CLIENT_SECRET,)
    assert SAAS_URL in repr(saas())
