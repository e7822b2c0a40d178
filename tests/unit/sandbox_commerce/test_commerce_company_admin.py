"""A company's super user belongs to it: the simulator shows the B2B company_attributes on that customer."""

from __future__ import annotations

import requests

from sandbox.commerce import CommerceSimulator
from tests.unit.sandbox_commerce.conftest import oauth1


def _send(sim: CommerceSimulator, method: str, path: str, body: object) -> requests.Response:
    return requests.request(method, f"{sim.api_url}/rest/V1{path}", json=body, auth=oauth1(sim), timeout=5)


def test_creating_a_company_makes_its_super_user_a_member(sim: CommerceSimulator) -> None:
    admins = {c["super_user_id"] for c in sim.companies.values()}
    customer_id = next(i for i in sim.customers if i not in admins)
    assert "company_attributes" not in sim.customers[customer_id]["extension_attributes"]
    company = {
        "company_name": "Vendor Co",
        "company_email": "ap@vendor-co.example",
        "street": ["1 Main"],
        "city": "Austin",
        "country_id": "US",
        "postcode": "78701",
        "telephone": "512-555-0100",
        "super_user_id": customer_id,
    }
    created = _send(sim, "POST", "/company/", {"company": company})
    assert created.status_code == 200, created.text
    attributes = sim.customers[customer_id]["extension_attributes"]["company_attributes"]
    assert (attributes["company_id"], attributes["customer_id"], attributes["status"]) == (
        created.json()["id"],
        customer_id,
        1,
    )
    assert attributes["telephone"] == "512-555-0100"
