"""Contract: marketorestpython 0.5.25, a maintained third-party client, against the Marketo simulator.

The calls our Intacct -> Marketo flow makes (token, describe companies and leads, Sync Companies,
Sync Leads with createOrUpdate on email and externalCompanyId links, queries by filter type with a
``fields`` list), a few it does not make (get lead by id, createOnly / updateOnly, delete companies,
paging), and error paths (bad credentials, invalid fields, 606/615 retried, 603 not retried).

The library's habits are the point: it sends ``_method=GET`` inside the form body of lead queries, a
``fields`` list as repeated keys, the token as a Bearer header, and it paces itself to 5 calls per second.
"""

from __future__ import annotations

from typing import Any

import pytest
from marketorestpython.client import MarketoClient

from sandbox.marketo import MarketoSimulator
from tests.contract.marketo.conftest import client_for

pytestmark = pytest.mark.integration

VENDORS = [
    {
        "externalCompanyId": "V100",
        "company": "Acme Supply",
        "billingCity": "Springfield",
        "intacctVendorStatus": "active",
    },
    {
        "externalCompanyId": "V200",
        "company": "Widgets Ltd",
        "website": "widgets.example",
        "intacctVendorStatus": "hold",
    },
]


def _code(error: pytest.ExceptionInfo[Exception]) -> str:
    """The Marketo code the library raises as ``Exception({'message': ..., 'code': ...})``."""
    (detail,) = error.value.args
    assert isinstance(detail, dict), detail
    return str(detail["code"])


def _reason(record: dict[str, Any]) -> str:
    """The one reason code of a skipped record."""
    assert record["status"] == "skipped", record
    assert "id" not in record
    (reason,) = record["reasons"]
    return str(reason["code"])


def _execute(client: MarketoClient, method: str, **arguments: Any) -> Any:
    result = client.execute(method=method, **arguments)
    assert result is not None, f"{method} returned nothing"
    return result


# ---------------------------------------------------------------------------- what the flow does
def test_token_and_describe_companies_and_leads(client: MarketoClient, sim: MarketoSimulator) -> None:
    company = _execute(client, "describe_company")
    assert client.token.endswith(":" + sim.config.pod_tag)
    assert (client.token_type, client.scope) == ("bearer", sim.config.api_user)
    assert 0 < client.expires_in <= 3600
    assert (company[0]["idField"], company[0]["dedupeFields"]) == ("id", ["externalCompanyId"])
    assert {"externalCompanyId", "company", "intacctVendorStatus"} <= {field["name"] for field in company[0]["fields"]}
    leads = _execute(client, "describe")
    rest = {entry["rest"]["name"]: entry for entry in leads}
    assert rest["email"]["dataType"] == "email"
    assert rest["id"]["rest"]["readOnly"] is True
    searchable = _execute(client, "describe2")[0]["searchableFields"]
    assert ["email"] in searchable
    # One token for all three calls (reused, not re-requested), and identity calls are not charged.
    assert client.API_CALLS_MADE == 4
    assert sim.calls.count("identity") == 1
    assert sim.usage()["window"] == 3


def test_sync_companies_then_update_and_read_back_with_a_field_list(
    client: MarketoClient, sim: MarketoSimulator
) -> None:
    created = _execute(
        client, "create_update_companies", input=VENDORS, action="createOrUpdate", dedupeBy="dedupeFields"
    )
    assert [(row["seq"], row["status"]) for row in created] == [(0, "created"), (1, "created")]
    assert sim.companies["V100"]["billingCity"] == "Springfield"
    assert sim.companies["V200"]["intacctVendorStatus"] == "hold"

    changed = [{"externalCompanyId": "V200", "company": "Widgets Limited", "intacctVendorStatus": "active"}]
    updated = _execute(client, "create_update_companies", input=changed)
    assert updated == [{"seq": 0, "status": "updated", "id": created[1]["id"]}]
    assert sim.companies["V200"]["company"] == "Widgets Limited"

    fields = ["externalCompanyId", "company", "website", "intacctVendorStatus"]
    found = _execute(
        client, "get_companies", filterType="externalCompanyId", filterValues=["V100", "V200"], fields=fields
    )
    assert [{name: row[name] for name in fields} for row in found] == [
        {"externalCompanyId": "V100", "company": "Acme Supply", "website": None, "intacctVendorStatus": "active"},
        {
            "externalCompanyId": "V200",
            "company": "Widgets Limited",
            "website": "widgets.example",
            "intacctVendorStatus": "active",
        },
    ]
    assert sim.calls.count("companies.query") == 1


def test_create_or_update_leads_linked_to_their_company(client: MarketoClient, sim: MarketoSimulator) -> None:
    _execute(client, "create_update_companies", input=VENDORS)
    leads = [
        {"email": "ann@acme.example", "firstName": "Ann", "lastName": "Ames", "externalCompanyId": "V100"},
        {"email": "bob@widgets.example", "firstName": "Bob", "title": "AP clerk", "externalCompanyId": "V200"},
    ]
    created = _execute(client, "create_update_leads", leads=leads, action="createOrUpdate", lookupField="email")
    assert [row["status"] for row in created] == ["created", "created"]
    assert "seq" not in created[0]
    ann = sim.leads["ann@acme.example"]
    assert (ann["id"], ann["lastName"], ann["externalCompanyId"]) == (created[0]["id"], "Ames", "V100")
    assert ann["billingCity"] == "Springfield"  # inherited from the linked company

    again = _execute(client, "create_update_leads", leads=[{"email": "bob@widgets.example", "title": "AP lead"}])
    assert again == [{"id": created[1]["id"], "status": "updated"}]
    assert sim.leads["bob@widgets.example"]["title"] == "AP lead"
    assert len(sim.leads) == 2


def test_leads_by_filter_type_tunnel_300_values_in_the_form_body(client: MarketoClient, sim: MarketoSimulator) -> None:
    """The library POSTs ``_method=GET`` + filterValues + repeated ``fields`` as a form; 300 long values
    would be far over the 8 KB URI limit as a GET."""
    leads = [{"email": f"contact-{i:03d}@a-rather-long-vendor-domain.example", "firstName": f"C{i}"} for i in range(40)]
    _execute(client, "create_update_leads", leads=leads)
    wanted = [lead["email"] for lead in leads[::2]] + [
        f"absent-{i:03d}@a-rather-long-vendor-domain.example" for i in range(280)
    ]
    assert len(wanted) == 300
    assert len(",".join(wanted)) > sim.config.max_uri_bytes
    syncs = sim.calls.count("leads.sync")

    found = _execute(
        client,
        "get_multiple_leads_by_filter_type",
        filterType="email",
        filterValues=wanted,
        fields=["email", "firstName", "id"],
    )
    assert [row["email"] for row in found] == wanted[:20]
    assert [row["firstName"] for row in found] == [f"C{i}" for i in range(0, 40, 2)]
    assert all(set(row) == {"email", "firstName", "id"} for row in found)
    assert sim.calls.count("leads.query") == 1
    assert sim.calls.count("leads.sync") == syncs  # the query wrote nothing
    assert len(sim.leads) == 40


def test_custom_filter_field_and_default_fields(client: MarketoClient, sim: MarketoSimulator) -> None:
    created = _execute(
        client, "create_update_leads", leads=[{"email": "dan@x.example", "firstName": "Dan", "lastName": "Dee"}]
    )
    by_id = _execute(client, "get_multiple_leads_by_filter_type", filterType="id", filterValues=[str(created[0]["id"])])
    assert by_id[0]["email"] == "dan@x.example"
    assert {"id", "email", "firstName", "lastName", "createdAt", "updatedAt"} <= set(by_id[0])
    assert by_id[0]["updatedAt"] == sim.now_stamp()


# ---------------------------------------------------------------------------- what the flow does not do
def test_lead_by_id_with_a_field_list(client: MarketoClient) -> None:
    created = _execute(
        client, "create_update_leads", leads=[{"email": "eve@x.example", "firstName": "Eve", "lastName": "Eck"}]
    )
    lead = _execute(client, "get_lead_by_id", id=created[0]["id"], fields=["lastName", "firstName"])
    assert lead == [{"lastName": "Eck", "firstName": "Eve"}]


def test_paging_follows_next_page_tokens(client: MarketoClient, sim: MarketoSimulator) -> None:
    companies = [{"externalCompanyId": f"P{i}", "company": f"Paged {i}"} for i in range(5)]
    _execute(client, "create_update_companies", input=companies)
    _execute(client, "create_update_leads", leads=[{"email": f"p{i}@x.example", "lastName": f"L{i}"} for i in range(5)])

    found = _execute(
        client,
        "get_companies",
        filterType="externalCompanyId",
        filterValues=[f"P{i}" for i in range(5)],
        fields=["company"],
        batchSize=2,
    )
    assert [row["company"] for row in found] == [f"Paged {i}" for i in range(5)]
    people = _execute(
        client,
        "get_multiple_leads_by_filter_type",
        filterType="email",
        filterValues=[f"p{i}@x.example" for i in range(5)],
        fields=["lastName"],
        batchSize=2,
    )
    assert [row["lastName"] for row in people] == [f"L{i}" for i in range(5)]
    assert sim.calls.count("companies.query") == 3
    assert sim.calls.count("leads.query") == 3


def test_create_only_update_only_and_delete_companies(client: MarketoClient, sim: MarketoSimulator) -> None:
    _execute(client, "create_update_leads", leads=[{"email": "fay@x.example", "firstName": "Fay"}])
    leads = _execute(
        client,
        "create_update_leads",
        leads=[{"email": "fay@x.example"}, {"email": "gus@x.example"}],
        action="createOnly",
    )
    assert [_reason(leads[0]), leads[1]["status"]] == ["1005", "created"]
    missing = _execute(client, "create_update_leads", leads=[{"email": "hal@x.example"}], action="updateOnly")
    assert _reason(missing[0]) == "1004"
    assert sorted(sim.leads) == ["fay@x.example", "gus@x.example"]

    created = _execute(client, "create_update_companies", input=VENDORS)
    by_id = _execute(
        client,
        "create_update_companies",
        input=[{"id": created[0]["id"], "company": "Acme Renamed"}],
        action="updateOnly",
        dedupeBy="idField",
    )
    assert by_id == [{"seq": 0, "status": "updated", "id": created[0]["id"]}]
    assert sim.companies["V100"]["company"] == "Acme Renamed"
    deleted = _execute(client, "delete_companies", input=[{"externalCompanyId": "V200"}, {"externalCompanyId": "NOPE"}])
    assert deleted[0] == {"seq": 0, "status": "deleted", "id": created[1]["id"]}
    assert _reason(deleted[1]) == "1013"
    assert sorted(sim.companies) == ["V100"]


# ---------------------------------------------------------------------------- errors
def test_wrong_client_secret_or_id_raise_the_identity_message(sim: MarketoSimulator) -> None:
    with pytest.raises(Exception, match=r"^Bad client credentials$"):
        client_for(sim, client_secret="not-the-secret").execute(method="describe")
    with pytest.raises(Exception, match=r"^No client with requested id: nobody$"):
        client_for(sim, client_id="nobody").execute(method="describe")
    assert sim.calls.count("identity") == 2
    assert sim.usage()["window"] == 0  # no REST call was attempted


def test_invalid_fields(client: MarketoClient, sim: MarketoSimulator) -> None:
    with pytest.raises(Exception) as queried:
        client.execute(
            method="get_multiple_leads_by_filter_type",
            filterType="email",
            filterValues=["a@x.example"],
            fields=["email", "noSuchField"],
        )
    assert _code(queried) == "1006"
    with pytest.raises(Exception) as filtered:
        client.execute(method="get_multiple_leads_by_filter_type", filterType="firstName", filterValues=["Ann"])
    assert _code(filtered) == "1011"
    written = _execute(client, "create_update_leads", leads=[{"email": "ivy@x.example", "noSuchField": "x"}])
    assert _reason(written[0]) == "1006"
    assert sim.leads == {}


@pytest.mark.parametrize("code", ["606", "615"])
def test_rate_and_concurrency_limits_are_retried_but_the_retry_has_no_token(
    client: MarketoClient, sim: MarketoSimulator, code: str
) -> None:
    """marketorestpython 0.5.25 retries 606/615 with backoff, but its HttpLib.post pops ``access_token``
    from the arguments before the first attempt, so the retry goes out without an Authorization header
    (upstream issue #84) and the API refuses it (600 "Empty access token"). Nothing is written. A fixed
    library release turns this test red: then assert that the lead is created after one retry."""
    client.execute(method="describe")  # the token exists before the fault
    rule = sim.inject_error(code, times=1, match="leads.sync")
    with pytest.raises(Exception) as refused:
        client.execute(method="create_update_leads", leads=[{"email": "jo@x.example", "firstName": "Jo"}])
    assert _code(refused) == sim.config.empty_auth_code == "600"
    assert sim.calls.count("leads.sync") == 2  # the limit, then the library's retry without a token
    assert sim.calls.faults == {rule.kind: 1}
    assert sim.leads == {}


def test_access_denied_is_not_retried(client: MarketoClient, sim: MarketoSimulator) -> None:
    sim.inject_error("603", times=None, match="companies.sync")
    with pytest.raises(Exception) as denied:
        client.execute(method="create_update_companies", input=VENDORS)
    assert _code(denied) == "603"
    assert sim.calls.count("companies.sync") == 1
    assert sim.companies == {}


def test_a_token_the_server_expired_is_never_replaced(client: MarketoClient, sim: MarketoSimulator) -> None:
    """On 601/602 the library calls authenticate(), which asks for a new token only when its *own* clock
    says the old one is within 60 s of expiry; a token the server expired earlier (clock skew, revoked
    service) is re-sent ten times (602, then 601) and execute() returns None without raising."""
    _execute(client, "create_update_leads", leads=[{"email": "kim@x.example"}])
    assert sim.expire_tokens() == 1
    assert client.execute(method="create_update_leads", leads=[{"email": "lee@x.example"}]) is None
    assert sim.calls.count("leads.sync") == 11
    assert sim.calls.count("identity") == 1
    assert sorted(sim.leads) == ["kim@x.example"]
