"""PaaS OAuth 1.0a and Bearer, SaaS IMS tokens, ACL: who gets in and what the refusals look like."""

from __future__ import annotations

import time

import requests
from oauthlib.oauth1 import Client

from sandbox.commerce import CommerceSimConfig, CommerceSimulator
from tests.unit.sandbox_commerce.conftest import StartCommerce, criteria, get, oauth1

NOT_AUTHORIZED = "The consumer isn't authorized to access %resources."


def test_oauth1_hmac_sha256_and_sha1_are_accepted_with_bracketed_query(sim: CommerceSimulator) -> None:
    params = criteria([("customer_email", "%@example.com", "like")], pageSize=5)
    for method in ("HMAC-SHA256", "HMAC-SHA1"):
        response = get(sim, "/orders", params, auth=oauth1(sim, method))
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == 5
    assert sim.calls.count("orders.list") == 2


def test_store_code_path_and_unknown_store(sim: CommerceSimulator) -> None:
    ok = requests.get(f"{sim.api_url}/rest/default/V1/orders/1", auth=oauth1(sim), timeout=5)
    assert ok.status_code == 200
    assert ok.json()["entity_id"] == 1
    unknown = requests.get(f"{sim.api_url}/rest/nostore/V1/orders/1", auth=oauth1(sim), timeout=5)
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Request does not match any route."}
    all_store = requests.get(f"{sim.api_url}/rest/all/V1/orders/1", auth=oauth1(sim), timeout=5)
    assert all_store.status_code == 400


def test_bad_signature_wrong_key_and_missing_auth_are_401(sim: CommerceSimulator) -> None:
    refused = [
        oauth1(sim, consumer_secret="wrong"),
        oauth1(sim, access_token_secret="wrong"),
        oauth1(sim, consumer_key="nosuchconsumer"),
        oauth1(sim, access_token="nosuchtoken"),
        None,
    ]
    for auth in refused:
        response = requests.get(f"{sim.api_url}/rest/V1/orders/1", auth=auth, timeout=5)
        assert response.status_code == 401
        assert response.json() == {
            "message": NOT_AUTHORIZED,
            "parameters": {"resources": "Magento_Sales::actions_view"},
        }


def _signed_headers(
    sim: CommerceSimulator, url: str, timestamp: str | None = None, nonce: str | None = None
) -> dict[str, str]:
    creds = sim.credentials_for("paas").as_dict()
    client = Client(
        creds["consumer_key"], creds["consumer_secret"], creds["access_token"], creds["access_token_secret"],
        signature_method="HMAC-SHA256", timestamp=timestamp, nonce=nonce,
    )  # fmt: skip
    _uri, headers, _body = client.sign(url, "GET")
    return dict(headers)


def test_replayed_nonce_and_stale_timestamp_are_refused(start_commerce: StartCommerce) -> None:
    sim = start_commerce(config=CommerceSimConfig(oauth_error_style="oauth"))
    url = f"{sim.api_url}/rest/V1/orders/2"
    headers = _signed_headers(sim, url, nonce="fixednonce0000000001")
    assert requests.get(url, headers=headers, timeout=5).status_code == 200
    replay = requests.get(url, headers=headers, timeout=5)
    assert (replay.status_code, replay.json()["message"]) == (401, "nonce_used")

    stale = _signed_headers(sim, url, timestamp=str(int(time.time()) - 601))
    refused = requests.get(url, headers=stale, timeout=5)
    assert (refused.status_code, refused.json()["message"]) == (400, "timestamp_refused")
    fresh = _signed_headers(sim, url)
    sim.clock.advance(601)  # the simulator's clock moved on: a just-signed request is now stale
    assert requests.get(url, headers=fresh, timeout=5).status_code == 400

    bad = requests.get(url, auth=oauth1(sim, consumer_secret="nope"), timeout=5)
    assert bad.status_code == 400  # the clock is still 601 s ahead
    assert bad.json()["message"] == "timestamp_refused"


def test_oauth_problem_texts_in_oauth_style(start_commerce: StartCommerce) -> None:
    sim = start_commerce(config=CommerceSimConfig(oauth_error_style="oauth"))
    url = f"{sim.api_url}/rest/V1/orders/2"
    assert requests.get(url, auth=oauth1(sim, consumer_secret="x"), timeout=5).json()["message"] == "signature_invalid"
    assert requests.get(url, auth=oauth1(sim, consumer_key="zz"), timeout=5).json()["message"] == (
        "consumer_key_rejected"
    )
    plaintext = requests.get(url, auth=oauth1(sim, "PLAINTEXT"), timeout=5)
    assert (plaintext.status_code, plaintext.json()["message"]) == (400, "signature_method_rejected")


def test_integration_token_as_bearer_only_when_enabled(start_commerce: StartCommerce) -> None:
    off = start_commerce()
    token = off.credentials_for("paas").as_dict()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{off.api_url}/rest/V1/orders/1", headers=bearer, timeout=5).status_code == 401
    on = start_commerce(config=CommerceSimConfig(integration_token_as_bearer=True))
    assert requests.get(f"{on.api_url}/rest/V1/orders/1", headers=bearer, timeout=5).status_code == 200
    wrong = {"Authorization": "Bearer not-the-token"}
    assert requests.get(f"{on.api_url}/rest/V1/orders/1", headers=wrong, timeout=5).status_code == 401


def _ims_token(sim: CommerceSimulator, **overrides: str) -> requests.Response:
    creds = sim.credentials_for("saas").as_dict()
    form = {
        "grant_type": "client_credentials",
        "client_id": creds["ims_client_id"],
        "client_secret": creds["ims_client_secret"],
        "scope": creds["ims_scopes"],
        **overrides,
    }
    return requests.post(creds["ims_token_url"], data=form, timeout=5)


def test_saas_ims_token_flow_and_expiry(start_commerce: StartCommerce) -> None:
    sim = start_commerce(config=CommerceSimConfig(served="saas", ims_token_lifetime_s=120))
    creds = sim.credentials.as_dict()
    assert creds["flavour"] == "saas"
    issued = _ims_token(sim)
    assert issued.status_code == 200
    assert issued.json()["token_type"] == "bearer"
    assert issued.json()["expires_in"] == 120
    headers = {
        "Authorization": f"Bearer {issued.json()['access_token']}",
        "x-api-key": creds["ims_client_id"],
        "x-gw-ims-org-id": creds["ims_org_id"],
    }
    url = f"{creds['base_url']}/V1/orders"
    assert requests.get(url, params=criteria(pageSize=2), headers=headers, timeout=5).status_code == 200
    assert requests.get(url, params=criteria(), headers={**headers, "x-api-key": "other"}, timeout=5).status_code == 401
    no_org = {k: v for k, v in headers.items() if k != "x-gw-ims-org-id"}
    assert requests.get(url, params=criteria(), headers=no_org, timeout=5).status_code == 401
    sim.clock.advance(121)
    expired = requests.get(url, params=criteria(), headers=headers, timeout=5)
    assert expired.status_code == 401
    assert expired.json()["message"] == NOT_AUTHORIZED
    # PaaS layout is not served by a SaaS-only instance.
    assert requests.get(f"{sim.api_url}/rest/V1/orders/1", auth=oauth1(sim), timeout=5).status_code == 404


def test_ims_token_refusals(start_commerce: StartCommerce) -> None:
    sim = start_commerce(config=CommerceSimConfig(served="saas"))
    assert _ims_token(sim, client_secret="wrong").status_code == 401
    assert _ims_token(sim, client_id="wrong").json()["error"] == "invalid_client"
    assert _ims_token(sim, scope="openid,AdobeID").json()["error"] == "invalid_scope"
    assert _ims_token(sim, grant_type="password").json()["error"] == "unsupported_grant_type"
    assert sim.calls.count("ims.token") == 4


def test_acl_missing_resource_is_401_naming_it(start_commerce: StartCommerce) -> None:
    sim = start_commerce(config=CommerceSimConfig(acl_resources=frozenset({"Magento_Sales::actions_view"})))
    assert get(sim, "/orders/1").status_code == 200
    refused = get(sim, "/invoices", criteria())
    assert refused.status_code == 401
    assert refused.json()["parameters"] == {"resources": "Magento_Sales::sales_invoice"}


def test_credentials_hide_secrets(sim: CommerceSimulator) -> None:
    creds = sim.credentials
    secrets_ = [creds.as_dict()[k] for k in ("consumer_secret", "access_token", "access_token_secret")]
    assert creds.as_dict()["base_url"] == f"{sim.api_url}/rest"
    for secret in secrets_:
        assert secret not in repr(creds)
        assert secret not in repr(sim.config)
