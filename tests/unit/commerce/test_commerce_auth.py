"""Authentication: OAuth 1.0a signatures checked by oauthlib's server-side endpoint (query included), Bearer,
and IMS tokens (shared cache, re-mint once on 401, a second 401 fails clearly). PaaS 401 fails fast."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.http import HttpPolicy, HttpRequest, RetryPolicy
from mlconnector.systems.commerce import (
    AccessToken,
    AuthenticationError,
    CommerceClient,
    CommerceCredentials,
    Filter,
    InMemoryTokenCache,
    SearchCriteria,
    token_cache_key,
)
from mlconnector.systems.commerce.auth import oauth1_authorization
from tests.unit.commerce.commerce_fakes import (
    ACCESS_TOKEN,
    IMS_CLIENT_SECRET,
    FakeCommerce,
    SleepRecorder,
    paas,
    reply,
    saas,
    search_handler,
)

ORDERS_PATH = "/rest/default/V1/orders"
SAAS_ORDERS = "/TenantA1/V1/orders"
ROWS = [{"entity_id": 1, "increment_id": "000000001", "updated_at": "2024-01-01 10:00:00", "customer_email": "a b"}]


def make(
    fake: FakeCommerce, credentials: CommerceCredentials, cache: InMemoryTokenCache | None = None, **kwargs: Any
) -> CommerceClient:
    for path in (ORDERS_PATH, SAAS_ORDERS):
        fake.handlers[("GET", path)] = search_handler(ROWS)
    return CommerceClient(
        credentials,
        cache,
        transport=fake,
        clock=fake.clock,
        sleep=SleepRecorder(fake.clock),
        jitter=lambda: 0.0,
        http=HttpPolicy(retry=RetryPolicy(base=1.0, cap=4.0, max_attempts=3)),
        **kwargs,
    )


def test_oauth1_signature_covers_the_bracketed_query_and_is_verified_server_side() -> None:
    fake = FakeCommerce(auth="oauth1")
    client = make(fake, paas())
    criteria = SearchCriteria(page_size=5).where(Filter("customer_email", "a b", "eq"))
    page = client.search("orders", criteria)
    assert [item["entity_id"] for item in page.items] == [1]  # the fake answered only after verifying
    request = fake.requests[-1]
    auth = request.headers["Authorization"]
    assert auth.startswith("OAuth ")
    assert 'oauth_signature_method="HMAC-SHA256"' in auth
    assert "%5Bfilter_groups%5D" in request.url
    assert "a%20b" in request.url
    assert "+" not in request.url.split("?")[1]


def test_a_tampered_query_fails_verification() -> None:
    fake = FakeCommerce(auth="oauth1")
    credentials = paas()
    url = "https://shop.example.com/rest/default/V1/orders?searchCriteria%5BpageSize%5D=5"
    header = oauth1_authorization(credentials, "GET", url)
    fake.handlers[("GET", ORDERS_PATH)] = search_handler(ROWS)
    ok = fake.send(HttpRequest("GET", url, headers={"Authorization": header}), timeout=(1, 1))
    assert ok.status == 200
    fresh = oauth1_authorization(credentials, "GET", url)
    tampered = fake.send(HttpRequest("GET", url.replace("=5", "=6"), headers={"Authorization": fresh}), timeout=(1, 1))
    assert tampered.status == 401


def test_each_attempt_is_signed_afresh() -> None:
    fake = FakeCommerce(auth="oauth1", faults=[reply(b"", 503)])
    make(fake, paas()).search("orders", SearchCriteria())
    first, second = (r.headers["Authorization"] for r in fake.requests)
    assert first != second  # new nonce: the fake's validator refuses a replayed nonce


def test_paas_401_fails_fast_with_what_to_check() -> None:
    fake = FakeCommerce(auth="oauth1")
    client = make(fake, paas(access_token_secret="wrong-S3cret-value"))
    with pytest.raises(AuthenticationError) as caught:
        client.search("orders", SearchCriteria())
    message = str(caught.value)
    assert "Magento_Sales::actions_view" in message
    assert "consumer key" in message
    assert "600 s" in message
    assert caught.value.resources == "Magento_Sales::actions_view"
    assert len(fake.requests) == 1
    assert "wrong-S3cret-value" not in message


def test_bearer_mode() -> None:
    fake = FakeCommerce(auth="bearer")
    client = make(fake, paas(consumer_key=None, consumer_secret=None, access_token_secret=None))
    assert client.search("orders", SearchCriteria()).total_count == 1
    assert fake.requests[-1].headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    refused = FakeCommerce(auth="oauth1")  # a store that does not accept integration tokens as Bearer
    bearer_client = make(refused, paas(consumer_key=None, consumer_secret=None, access_token_secret=None))
    with pytest.raises(AuthenticationError, match="standalone Bearer"):
        bearer_client.search("orders", SearchCriteria())


def test_ims_token_is_minted_once_cached_and_sent_with_api_key_and_org() -> None:
    fake = FakeCommerce(auth="ims")
    cache = InMemoryTokenCache()
    client = make(fake, saas(store_view="fr_fr"), cache)
    client.search("orders", SearchCriteria())
    client.search("orders", SearchCriteria())
    assert fake.ims_calls == 1
    headers = fake.requests[-1].headers
    assert headers["x-api-key"] == "ims-client-0001"
    assert headers["x-gw-ims-org-id"] == "ABC123@AdobeOrg"
    assert headers["Store"] == "fr_fr"
    stored = cache.get(token_cache_key(saas()))
    assert stored is not None
    assert headers["Authorization"] == f"Bearer {stored.token}"
    other_container = make(fake, saas(), cache)
    other_container.search("orders", SearchCriteria())
    assert fake.ims_calls == 1
    assert client.calls == 3  # one IMS call and two searches


def test_ims_token_is_reminted_ahead_of_expiry() -> None:
    fake = FakeCommerce(auth="ims")
    client = make(fake, saas())
    client.search("orders", SearchCriteria())
    fake.clock.advance(86399 - 3000)  # inside the one-hour margin
    client.search("orders", SearchCriteria())
    assert fake.ims_calls == 2


def test_ims_401_refreshes_once_and_replays() -> None:
    fake = FakeCommerce(auth="ims")
    cache = InMemoryTokenCache()
    key = token_cache_key(saas())
    cache.put(key, AccessToken("revoked-token", fake.clock(), fake.clock() + 80000))
    client = make(fake, saas(), cache)
    assert client.search("orders", SearchCriteria()).total_count == 1
    assert fake.ims_calls == 1
    stored = cache.get(key)
    assert stored is not None
    assert stored.token != "revoked-token"


def test_a_second_401_is_a_clear_authentication_error() -> None:
    fake = FakeCommerce(auth="ims", refuse=5)
    client = make(fake, saas())
    with pytest.raises(AuthenticationError) as caught:
        client.search("orders", SearchCriteria())
    assert "freshly minted IMS token" in str(caught.value)
    assert "Magento_Sales::actions_view" in str(caught.value)
    assert fake.ims_calls == 2
    assert len(fake.calls) == 2
    assert all(token not in str(caught.value) for token in fake.issued)


def test_refused_ims_credentials_fail_fast_without_leaking_the_secret() -> None:
    fake = FakeCommerce(auth="ims")
    client = make(fake, saas(ims_client_secret="other-S3cret"))
    with pytest.raises(AuthenticationError) as caught:
        client.search("orders", SearchCriteria())
    assert fake.ims_calls == 1
    assert "other-S3cret" not in str(caught.value)
    assert IMS_CLIENT_SECRET not in str(caught.value)
    assert fake.calls == []


def test_ims_outage_is_retried() -> None:
    fake = FakeCommerce(auth="ims", ims_faults=[reply(b"", 503)])
    assert make(fake, saas()).search("orders", SearchCriteria()).total_count == 1
    assert fake.ims_calls == 2
