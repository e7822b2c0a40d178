"""Collections: count (default 10, at most 1000) and offset with total_items; fields / exclude_fields with dot
notation on GETs."""

from __future__ import annotations

from sandbox.mailchimp import MailchimpSimulator
from tests.unit.sandbox_mailchimp.api import Api, ok, problem


def _seed(sim: MailchimpSimulator, count: int) -> None:
    sim.seed_members({"email_address": f"m{n:04}@acme.example.com", "status": "subscribed"} for n in range(count))


def test_count_offset_total_items(api: Api, sim: MailchimpSimulator) -> None:
    _seed(sim, 25)
    path = f"/lists/{api.list_id}/members"
    first = ok(api.get(path))
    assert (len(first["members"]), first["total_items"], first["list_id"]) == (10, 25, api.list_id)
    last = ok(api.get(path, {"count": 10, "offset": 20}))
    assert [m["email_address"] for m in last["members"]] == [f"m{n:04}@acme.example.com" for n in range(20, 25)]
    assert ok(api.get(path, {"offset": 30}))["members"] == []
    problem(api.get(path, {"count": "many"}), 400, "Invalid Resource")


def test_count_is_capped_at_1000(api: Api, sim: MailchimpSimulator) -> None:
    _seed(sim, 1001)
    page = ok(api.get(f"/lists/{api.list_id}/members", {"count": 5000, "fields": "members.id,total_items"}))
    assert (len(page["members"]), page["total_items"]) == (1000, 1001)


def test_fields_and_exclude_fields(api: Api, sim: MailchimpSimulator) -> None:
    _seed(sim, 2)
    path = f"/lists/{api.list_id}/members"
    only = ok(api.get(path, {"fields": "members.email_address,members.merge_fields.FNAME,total_items"}))
    assert only == {
        "members": [
            {"email_address": "m0000@acme.example.com", "merge_fields": {"FNAME": ""}},
            {"email_address": "m0001@acme.example.com", "merge_fields": {"FNAME": ""}},
        ],
        "total_items": 2,
    }
    without = ok(api.get(path, {"exclude_fields": "members._links,members.merge_fields,_links"}))
    assert "_links" not in without
    assert "merge_fields" not in without["members"][0]
    assert "email_address" in without["members"][0]
    lists = ok(api.get("/lists", {"fields": "lists.id,lists.stats.member_count"}))
    assert lists == {"lists": [{"id": api.list_id, "stats": {"member_count": 2}}]}
    one = ok(api.get(f"/lists/{api.list_id}", {"fields": "name"}))
    assert one == {"name": sim.config.list_name}


def test_writes_ignore_fields(api: Api) -> None:
    member = ok(
        api.put(
            api.member_path("a@acme.example.com"),
            {"email_address": "a@acme.example.com", "status_if_new": "subscribed"},
            params={"fields": "id"},
        )
    )
    assert "status" in member


def test_members_changed_since(api: Api, sim: MailchimpSimulator) -> None:
    api.subscribe("early@acme.example.com")
    sim.clock.advance(3600)
    api.subscribe("late@acme.example.com")
    path = f"/lists/{api.list_id}/members"
    since = ok(api.get(path, {"since_last_changed": "2026-03-10T12:30:00+00:00"}))
    assert [m["email_address"] for m in since["members"]] == ["late@acme.example.com"]
    before = ok(api.get(path, {"before_last_changed": "2026-03-10 12:30:00"}))
    assert [m["email_address"] for m in before["members"]] == ["early@acme.example.com"]
    assert ok(api.get(path, {"status": "subscribed"}))["total_items"] == 2
    assert ok(api.get(path, {"status": "unsubscribed"}))["total_items"] == 0
