"""The envelope and the HTTP-level answers: requestId, success/result/errors, 413, 414, 605, 609,
610, 612, and the 404 outside the API."""

from __future__ import annotations

import requests

from sandbox.marketo import MarketoSimulator
from tests.unit.sandbox_marketo.api import Api, envelope, error_codes


def test_success_and_failure_shapes(api: Api) -> None:
    good = envelope(api.get("/rest/v1/companies/describe.json"))
    assert set(good) == {"requestId", "result", "success"}
    bad = envelope(api.get("/rest/v1/companies/describe.json", headers={}))
    assert set(bad) == {"requestId", "success", "errors"}
    assert bad["errors"] == [{"code": "600", "message": "Empty access token"}]
    assert good["requestId"] != bad["requestId"]


def test_body_over_one_megabyte_is_http_413(api: Api, sim: MarketoSimulator) -> None:
    big = [{"externalCompanyId": f"V{i}", "company": "x" * 250} for i in range(300)]
    small = api.post("/rest/v1/companies.json", {"input": big[:10]})
    padded = api.post("/rest/v1/companies.json", {"input": big, "pad": "y" * 1_000_000})
    assert padded.status_code == 413
    assert padded.headers["Content-Type"].startswith("text/html")
    assert len(api.ok(small)) == 10
    assert len(sim.companies) == 10
    assert sim.usage()["window"] == 1


def test_uri_over_8k_is_http_414_and_method_get_tunnelling_works(api: Api) -> None:
    api.sync_companies([{"externalCompanyId": "V1", "company": "One"}])
    values = ",".join(["V1"] + [f"LONG-{i:05d}-{'z' * 20}" for i in range(299)])
    too_long = api.get("/rest/v1/companies.json", params={"filterType": "externalCompanyId", "filterValues": values})
    assert too_long.status_code == 414
    tunnelled = api.post(
        "/rest/v1/companies.json",
        params={"_method": "GET"},
        data={"filterType": "externalCompanyId", "filterValues": values, "fields": "company"},
        headers={**api.auth(), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert api.ok(tunnelled) == [{"seq": 0, "company": "One"}]


def test_get_on_a_sync_endpoint_is_605_and_unknown_resources_610(api: Api, sim: MarketoSimulator) -> None:
    assert error_codes(api.get("/rest/v1/leads.json")) == ["605"]
    assert error_codes(api.get("/rest/v1/companies/delete.json")) == ["605"]
    assert error_codes(api.get("/rest/v1/nothing.json")) == ["610"]
    assert requests.get(sim.base_url + "/elsewhere", timeout=10).status_code == 404
    assert sim.calls.count("leads.sync") == 1


def test_writes_need_json_content_type_and_valid_json(api: Api) -> None:
    as_form = api.post("/rest/v1/leads.json", data={"input": "x"}, headers={**api.auth()})
    broken = api.post(
        "/rest/v1/leads.json", data=b'{"input": [', headers={**api.auth(), "Content-Type": "application/json"}
    )
    assert error_codes(as_form) == ["612"]
    assert error_codes(broken) == ["609"]
    assert error_codes(api.post("/rest/v1/leads.json", {})) == ["701"]
