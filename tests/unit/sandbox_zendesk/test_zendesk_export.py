"""Tickets: the cursor-based incremental export (start_time then cursor, 1,000 a page, after_cursor on every page,
end_of_stream, deleted tickets with status deleted, page[size] refused, the last minute left out), its 10 requests a
minute with APIRateLimitExceeded, show and show_many."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import unquote

import requests

from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator
from tests.unit.sandbox_zendesk.api import Api
from tests.unit.sandbox_zendesk.conftest import START, StartZendesk

EXPORT = "/incremental/tickets/cursor.json"


def _export(api: Api, **params: Any) -> dict[str, Any]:
    response = api.get(EXPORT, **params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def _add_tickets(sim: ZendeskSimulator, count: int) -> list[int]:
    sim.add_organization({"name": "Acme", "external_id": "V100"})
    return [
        sim.add_ticket(organization_external_id="V100", requester_email="ap@acme.example", subject=f"T{n}")
        for n in range(count)
    ]


def test_pages_of_1000_with_cursors_until_end_of_stream(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(incremental_per_minute=100))
    api = Api(sim, sim.access_token())
    ids = _add_tickets(sim, 2_100)
    sim.clock.advance(61)
    api.token = sim.access_token()
    first = _export(api, start_time=int(START.timestamp()) - 10)
    assert len(first["tickets"]) == 1_000
    assert first["end_of_stream"] is False
    assert first["before_url"] is None
    assert first["before_cursor"] is None
    after_url = unquote(first["after_url"])
    assert after_url == f"{sim.base_url}/api/v2/incremental/tickets/cursor.json?cursor={first['after_cursor']}"
    assert base64.b64decode(first["after_cursor"]).decode().endswith("||1000|")  # opaque, Zendesk-like
    second = _export(api, cursor=first["after_cursor"])
    third = _export(api, cursor=second["after_cursor"])
    assert (len(second["tickets"]), second["end_of_stream"]) == (1_000, False)
    assert (len(third["tickets"]), third["end_of_stream"]) == (100, True)
    seen = [ticket["id"] for page in (first, second, third) for ticket in page["tickets"]]
    assert seen == ids
    # The last page still hands out a cursor; resuming from it later returns only what changed since.
    assert third["after_cursor"]
    assert _export(api, cursor=third["after_cursor"]) == {**third, "tickets": [], "end_of_stream": True}
    sim.update_ticket(ids[5], status="solved")
    sim.clock.advance(61)
    api.token = sim.access_token()
    later = _export(api, cursor=third["after_cursor"])
    assert [(ticket["id"], ticket["status"]) for ticket in later["tickets"]] == [(ids[5], "solved")]
    assert later["tickets"][0]["updated_at"] == "2026-03-10T12:01:31Z"


def test_per_page_lowers_the_page(api: Api, sim: ZendeskSimulator) -> None:
    _add_tickets(sim, 5)
    sim.clock.advance(61)
    api.token = sim.access_token()
    page = _export(api, start_time=0, per_page=2)
    assert len(page["tickets"]) == 2
    assert page["end_of_stream"] is False


def test_the_last_minute_is_left_for_later(api: Api, sim: ZendeskSimulator) -> None:
    _add_tickets(sim, 1)
    page = _export(api, start_time=0)
    assert page["tickets"] == []
    assert page["end_of_stream"] is True
    sim.clock.advance(61)
    api.token = sim.access_token()
    assert len(_export(api, cursor=page["after_cursor"])["tickets"]) == 1


def test_deleted_tickets_stay_in_the_export_with_status_deleted(api: Api, sim: ZendeskSimulator) -> None:
    ids = _add_tickets(sim, 2)
    sim.delete_ticket(ids[0])
    sim.clock.advance(61)
    api.token = sim.access_token()
    statuses = {ticket["id"]: ticket["status"] for ticket in _export(api, start_time=0)["tickets"]}
    assert statuses == {ids[0]: "deleted", ids[1]: "new"}
    assert [ticket["id"] for ticket in _export(api, start_time=0, exclude_deleted="true")["tickets"]] == [ids[1]]
    assert api.get(f"/tickets/{ids[0]}.json").status_code == 404
    assert [
        ticket["id"] for ticket in api.get("/tickets/show_many.json", ids=f"{ids[0]},{ids[1]}").json()["tickets"]
    ] == [ids[1]]


def test_bad_parameters(api: Api, sim: ZendeskSimulator) -> None:
    refused = api.get(EXPORT, start_time=0, **{"page[size]": 100})
    assert refused.status_code == 400
    assert refused.json()["description"] == "page must be an integer"
    assert api.get(EXPORT).status_code == 400
    recent = api.get(EXPORT, start_time=int(sim.clock.now().timestamp()) - 30)
    assert recent.status_code == 400
    assert recent.json()["error"] == "InvalidValue"
    assert api.get(EXPORT, cursor="not a cursor!").status_code == 400


def test_ten_requests_a_minute_then_429(api: Api, sim: ZendeskSimulator) -> None:
    for _ in range(10):
        assert api.get(EXPORT, start_time=0).status_code == 200
    refused = api.get(EXPORT, start_time=0)
    assert refused.status_code == 429
    assert refused.json() == {
        "error": "APIRateLimitExceeded",
        "description": "Number of allowed incremental export API requests per minute exceeded",
    }
    assert refused.headers["Retry-After"] == "30"  # the clock stands 30 s into its minute
    assert api.get("/tickets/show_many", ids="1").status_code == 200  # other endpoints are unaffected
    sim.clock.advance(30)
    api.token = sim.access_token()
    assert api.get(EXPORT, start_time=0).status_code == 200


def test_show_and_show_many(api: Api, sim: ZendeskSimulator) -> None:
    ids = _add_tickets(sim, 3)
    ticket = api.get(f"/tickets/{ids[0]}").json()["ticket"]
    org = sim.organization_by_external_id("V100")
    requester = sim.user_by_email("ap@acme.example")
    assert org is not None
    assert requester is not None
    assert ticket["organization_id"] == org["id"]
    assert ticket["requester_id"] == requester["id"]
    assert requester["organization_id"] == org["id"]
    assert ticket["url"] == f"{sim.base_url}/api/v2/tickets/{ids[0]}.json"
    many = api.get("/tickets/show_many.json", ids=",".join(map(str, [*ids, 999]))).json()
    assert [item["id"] for item in many["tickets"]] == ids
    too_many = api.get("/tickets/show_many.json", ids=",".join(str(n) for n in range(101)))
    assert too_many.json()["error"] == "TooManyValues"


def test_add_ticket_needs_an_existing_org(sim: ZendeskSimulator) -> None:
    try:
        sim.add_ticket(organization_external_id="V404")
    except KeyError:
        pass
    else:
        raise AssertionError("a ticket for an org that does not exist was added")
    response = requests.post(sim.base_url + "/_sandbox/tickets", json={"organization_external_id": "V404"}, timeout=5)
    assert response.status_code == 404


def test_sideloads_users_and_organizations(api: Api, sim: ZendeskSimulator) -> None:
    ids = _add_tickets(sim, 2)
    sim.clock.advance(61)
    api.token = sim.access_token()
    page = _export(api, start_time=0, include="users,organizations")
    assert [org["external_id"] for org in page["organizations"]] == ["V100"]
    assert [user["email"] for user in page["users"]] == ["ap@acme.example"]
    shown = api.get("/tickets/show_many.json", ids=",".join(map(str, ids)), include="organizations").json()
    assert [org["external_id"] for org in shown["organizations"]] == ["V100"]
    assert "users" not in shown
    assert "organizations" not in _export(api, start_time=0)
