"""Contract: mailchimp-marketing 3.0.80, Mailchimp's own generated Python client, against the simulator.

The calls the Intacct -> Mailchimp flow makes (ping, the audience and its merge fields, PUT upserts, batch
subscribe, member tags, e-commerce stores, customers, products and orders, /batches) and the library's habits: it
sends Basic auth with username ``user``, bodies with ``json.dumps``, booleans in the query as ``True``, and it
parses a body only when the content type contains ``application/json`` -- so a problem+json error reaches the
caller as raw text in ``ApiClientError.text``, and an empty answer (a 204, or a body-less 429) comes back as the
raw ``requests.Response`` without raising.
"""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

import mailchimp_marketing
import pytest
import requests
from mailchimp_marketing.api_client import ApiClientError

from sandbox.mailchimp import MailchimpFault, MailchimpSimulator
from sandbox.mailchimp.values import subscriber_hash
from tests.contract.mailchimp.conftest import client_for

pytestmark = pytest.mark.integration

ANN = "ann.lee@acme.example.com"
PRODUCT = {"id": "GL-4000", "title": "Sales", "variants": [{"id": "GL-4000", "title": "Sales"}]}
ORDER: dict[str, Any] = {
    "id": "INV-000123",
    "customer": {"id": "V100", "email_address": "ap@acme.example.com", "opt_in_status": False},
    "currency_code": "USD",
    "order_total": 1250.0,
    "financial_status": "pending",
    "processed_at_foreign": "2026-03-01T12:00:00+00:00",
    "lines": [
        {"id": "INV-000123-1", "product_id": "GL-4000", "product_variant_id": "GL-4000", "quantity": 5, "price": 250.0}
    ],
}


def _problem(error: pytest.ExceptionInfo[ApiClientError]) -> dict[str, Any]:
    """The library leaves problem+json unparsed: ``text`` is the raw body."""
    assert isinstance(error.value.text, str)
    body: dict[str, Any] = json.loads(error.value.text)
    assert body["status"] == error.value.status_code
    return body


def _store(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    client.ecommerce.add_store({"id": "s1", "list_id": sim.list_id, "name": "Intacct", "currency_code": "USD"})


# ---------------------------------------------------------------------------------------------- audience
def test_ping_audience_and_merge_fields(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    assert client.ping.get() == {"health_status": "Everything's Chimpy!"}
    audience = client.lists.get_list(sim.list_id)
    assert audience["id"] == sim.list_id
    assert client.lists.get_list(sim.list_id, fields=["id", "name"]) == {"id": sim.list_id, "name": audience["name"]}
    fields = client.lists.get_list_merge_fields(sim.list_id, count=100)
    assert [item["tag"] for item in fields["merge_fields"]] == ["FNAME", "LNAME", "ADDRESS", "PHONE", "COMPANY"]
    assert sim.calls.by_name == {"ping.get": 1, "lists.get": 2, "merge_fields.list": 1}


def test_set_list_member_upserts(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    body = {"email_address": ANN, "status_if_new": "subscribed", "merge_fields": {"FNAME": "Ann", "LNAME": "Lee"}}
    member = client.lists.set_list_member(sim.list_id, subscriber_hash(ANN), body)
    assert (member["id"], member["status"], member["full_name"]) == (subscriber_hash(ANN), "subscribed", "Ann Lee")
    again = client.lists.set_list_member(sim.list_id, subscriber_hash(ANN), {**body, "status_if_new": "pending"})
    assert again["status"] == "subscribed"
    assert client.lists.get_list_member(sim.list_id, subscriber_hash(ANN))["email_address"] == ANN


def test_batch_list_members(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    client.lists.set_list_member(
        sim.list_id, subscriber_hash(ANN), {"email_address": ANN, "status_if_new": "subscribed"}
    )
    result = client.lists.batch_list_members(
        sim.list_id,
        {
            "members": [
                {"email_address": ANN, "status_if_new": "subscribed", "merge_fields": {"COMPANY": "Acme"}},
                {"email_address": "bob@acme.example.com", "status_if_new": "transactional"},
                {"email_address": "john.doe@example.com", "status_if_new": "subscribed"},
            ],
            "update_existing": True,
        },
        skip_merge_validation=True,
    )
    assert (result["total_created"], result["total_updated"], result["error_count"]) == (1, 1, 1)
    assert result["updated_members"][0]["merge_fields"]["COMPANY"] == "Acme"
    assert result["errors"][0]["error_code"] == "ERROR_GENERIC"
    assert "looks fake or invalid" in result["errors"][0]["error"]


def test_update_list_member_tags_returns_the_raw_204(
    client: mailchimp_marketing.Client, sim: MailchimpSimulator
) -> None:
    client.lists.set_list_member(
        sim.list_id, subscriber_hash(ANN), {"email_address": ANN, "status_if_new": "subscribed"}
    )
    response = client.lists.update_list_member_tags(
        sim.list_id, subscriber_hash(ANN), {"tags": [{"name": "intacct-vendor", "status": "active"}]}
    )
    assert isinstance(response, requests.Response)
    assert response.status_code == 204
    tags = client.lists.get_list_member_tags(sim.list_id, subscriber_hash(ANN))
    assert [tag["name"] for tag in tags["tags"]] == ["intacct-vendor"]


# ---------------------------------------------------------------------------------------------- errors
def test_errors_raise_api_client_error_with_the_raw_problem(
    client: mailchimp_marketing.Client, sim: MailchimpSimulator
) -> None:
    client.lists.add_list_member(sim.list_id, {"email_address": ANN, "status": "subscribed"})
    with pytest.raises(ApiClientError) as exists:
        client.lists.add_list_member(sim.list_id, {"email_address": ANN, "status": "subscribed"})
    assert exists.value.status_code == 400
    assert _problem(exists)["title"] == "Member Exists"
    sim.set_member_status("gone@acme.example.com", "unsubscribed")
    with pytest.raises(ApiClientError) as compliance:
        client.lists.set_list_member(sim.list_id, subscriber_hash("gone@acme.example.com"), {"status": "subscribed"})
    assert _problem(compliance)["title"] == "Member In Compliance State"
    with pytest.raises(ApiClientError) as missing:
        client.lists.get_list("nosuchlist")
    assert (missing.value.status_code, _problem(missing)["title"]) == (404, "Resource Not Found")


def test_a_key_of_another_data_centre(sim: MailchimpSimulator) -> None:
    other = client_for(sim, {"api_key": sim.config.api_key.replace("-us6", "-us9")})
    assert other.api_client.server == "us9"
    with pytest.raises(ApiClientError) as refused:
        other.ping.get()
    assert refused.value.status_code == 401
    assert "wrong datacenter" in _problem(refused)["detail"]


def test_an_oauth_token(sim: MailchimpSimulator) -> None:
    oauth = client_for(sim, {"access_token": sim.config.oauth_tokens[0], "server": sim.config.dc})
    assert oauth.ping.get()["health_status"] == "Everything's Chimpy!"
    bad = client_for(sim, {"access_token": "not-a-token", "server": sim.config.dc})
    with pytest.raises(ApiClientError) as refused:
        bad.ping.get()
    assert refused.value.status_code == 401


def test_a_body_less_429_comes_back_as_a_response(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    """The SDK's pitfall (verified §1.5): an empty answer is returned, not raised, whatever its status."""
    sim.faults.add(MailchimpFault.EMPTY_429, match="ping.get")
    answer = client.ping.get()
    assert isinstance(answer, requests.Response)
    assert answer.status_code == 429


# ---------------------------------------------------------------------------------------------- e-commerce
def test_store_customer_product_order(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    _store(client, sim)
    assert client.ecommerce.update_store("s1", {"is_syncing": True})["is_syncing"] is True
    customer = {"id": "V100", "email_address": "ap@acme.example.com", "opt_in_status": False, "company": "Acme"}
    assert client.ecommerce.add_store_customer("s1", customer)["company"] == "Acme"
    assert client.ecommerce.set_store_customer("s1", "V100", {**customer, "company": "Acme Corp"})["company"] == (
        "Acme Corp"
    )
    assert sim.member("ap@acme.example.com")["status"] == "transactional"  # type: ignore[index]
    assert client.ecommerce.add_store_product("s1", PRODUCT)["variants"][0]["id"] == "GL-4000"
    order = client.ecommerce.add_store_order("s1", ORDER)
    assert (order["id"], order["customer"]["company"]) == ("INV-000123", "Acme Corp")
    assert order["lines"][0]["product_title"] == "Sales"
    paid = client.ecommerce.update_order("s1", "INV-000123", {"financial_status": "paid"})
    assert paid["financial_status"] == "paid"
    assert client.ecommerce.get_order("s1", "INV-000123")["financial_status"] == "paid"
    assert sim.calls.count("orders.create") == 1
    assert sim.calls.count("orders.patch") == 1


def test_e_commerce_refusals(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    _store(client, sim)
    with pytest.raises(ApiClientError) as no_product:
        client.ecommerce.add_store_order("s1", ORDER)
    assert (
        _problem(no_product)["detail"] == "A product with the provided ID does not exist in the account for this list."
    )
    client.ecommerce.add_store_product("s1", PRODUCT)
    with pytest.raises(ApiClientError) as twice:
        client.ecommerce.add_store_product("s1", PRODUCT)
    assert "already exists in the account" in _problem(twice)["detail"]
    client.ecommerce.add_store_order("s1", ORDER)
    with pytest.raises(ApiClientError) as order_twice:
        client.ecommerce.add_store_order("s1", ORDER)
    assert (order_twice.value.status_code, _problem(order_twice)["title"]) == (400, "Bad Request")
    with pytest.raises(ApiClientError) as moved:
        client.ecommerce.update_store("s1", {"list_id": "0123456789"})
    assert moved.value.status_code == 400


# ---------------------------------------------------------------------------------------------- batches
def test_batches_start_status_and_archive(client: mailchimp_marketing.Client, sim: MailchimpSimulator) -> None:
    member = {"email_address": ANN, "status_if_new": "subscribed"}
    started = client.batches.start(
        {
            "operations": [
                {
                    "method": "PUT",
                    "path": f"/lists/{sim.list_id}/members/{subscriber_hash(ANN)}",
                    "operation_id": "m1",
                    "body": json.dumps(member),
                },
                {"method": "GET", "path": "/ecommerce/stores/none", "operation_id": "missing"},
            ]
        }
    )
    assert started["status"] == "pending"
    statuses = [client.batches.status(started["id"])["status"] for _ in range(4)]
    assert statuses == ["preprocessing", "started", "finalizing", "finished"]
    finished = client.batches.status(started["id"])
    assert (finished["finished_operations"], finished["errored_operations"]) == (2, 1)
    archive = requests.get(finished["response_body_url"], timeout=10)
    results: dict[str, dict[str, Any]] = {}
    with tarfile.open(fileobj=io.BytesIO(archive.content), mode="r|gz") as tar:
        for item in tar:
            handle = tar.extractfile(item) if item.isfile() else None
            content = handle.read() if handle is not None else b""
            if content:
                results.update({entry["operation_id"]: entry for entry in json.loads(content)})
    assert results["m1"]["status_code"] == 200
    assert json.loads(results["m1"]["response"])["email_address"] == ANN
    assert results["missing"]["status_code"] == 404
    with pytest.raises(ApiClientError) as bad_body:
        client.batches.start({"operations": [{"method": "PUT", "path": "/lists/x/members/y", "body": member}]})
    assert _problem(bad_body)["errors"][0]["field"] == "operations.item:0"
