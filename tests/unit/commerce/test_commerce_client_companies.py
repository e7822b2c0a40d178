"""The client's B2B company calls: detection, companies by their admin, get, create (never repeated once it may
have reached Commerce) and update (the id in the body)."""

from __future__ import annotations

import pytest
import requests

from mlconnector.systems.commerce import B2BUnavailable, TransientError
from tests.unit.commerce.commerce_fakes import FakeCommerce, search_handler
from tests.unit.commerce.test_commerce_client import ROOT, make

COMPANIES = [{"id": n, "company_name": f"Co {n}", "super_user_id": 10 + n} for n in range(1, 251)]


def test_has_b2b_is_false_on_a_store_without_the_company_routes() -> None:
    fake = FakeCommerce()
    client, _ = make(fake)
    assert client.has_b2b() is False
    fake.handlers[("GET", f"{ROOT}/company/")] = search_handler(COMPANIES[:1], id_key="id")
    assert client.has_b2b() is True
    with pytest.raises(B2BUnavailable):
        client.get_company(1)  # no get route in this fake: a B2B route that is missing


def test_companies_administered_by_searches_super_user_id_100_customers_at_a_time() -> None:
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/company/")] = search_handler(COMPANIES, id_key="id")
    client, _ = make(fake)
    wanted = [11, "12", 999, *range(100, 250)]
    found = client.companies_administered_by(wanted)
    assert sorted(c["super_user_id"] for c in found) == sorted({11, 12, *range(100, 250)})  # no company for 999
    assert len(fake.calls) == 2  # 152 distinct ids: two searches
    first = fake.calls[0].params
    assert first["searchCriteria[filter_groups][0][filters][0][field]"] == "super_user_id"
    assert first["searchCriteria[filter_groups][0][filters][0][condition_type]"] == "in"
    assert client.companies_administered_by([]) == []
    with pytest.raises(ValueError, match="positive integers"):
        client.companies_administered_by(["1 OR 1=1"])


def test_get_and_update_company_use_the_company_routes() -> None:
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/company/4")] = lambda call: {"id": 4}
    fake.handlers[("PUT", f"{ROOT}/company/4")] = lambda call: call.json["company"]
    client, _ = make(fake)
    assert client.get_company(4) == {"id": 4}
    assert client.update_company(4, {"company_name": "Acme"}) == {"company_name": "Acme", "id": 4}
    with pytest.raises(ValueError, match="positive integer"):
        client.update_company("4/../../orders", {})


def test_create_company_is_not_repeated_once_it_may_have_reached_commerce() -> None:
    fake = FakeCommerce(faults=[requests.ReadTimeout("timed out")])
    fake.handlers[("POST", f"{ROOT}/company/")] = lambda call: {"id": 9, **call.json["company"]}
    client, _ = make(fake)
    with pytest.raises(TransientError):
        client.create_company({"company_name": "Acme"})
    assert len(fake.calls) == 1
    fake.faults = [requests.ConnectTimeout("no connection")]
    assert client.create_company({"company_name": "Acme"}) == {"id": 9, "company_name": "Acme"}
    assert fake.calls[-1].json == {"company": {"company_name": "Acme"}}


def test_customers_by_emails_searches_100_emails_at_a_time() -> None:
    rows = [{"id": n, "email": f"c{n}@example.com"} for n in range(1, 151)] + [{"id": 999, "email": '"a,b"@x.example'}]
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/customers/search")] = search_handler(rows, id_key="id")
    client, _ = make(fake)
    wanted = [f"c{n}@example.com" for n in range(1, 121)] + ['"a,b"@x.example', " ", "nobody@example.com"]
    found = client.search_customers_by_emails(wanted)
    assert sorted(c["id"] for c in found) == [*range(1, 121), 999]
    conditions = [call.params["searchCriteria[filter_groups][0][filters][0][condition_type]"] for call in fake.calls]
    assert conditions == ["in", "in", "eq"]  # 121 plain emails in two searches, the one with a comma on its own
