"""Batch subscribe, POST /lists/{id}: at most 500 members, HTTP 200 with per-member outcomes; existing members are
ERROR_CONTACT_EXISTS unless update_existing, which applies a sent status (compliance refused) while status_if_new
alone leaves it; the single-member refusals come back as ERROR_GENERIC with the same texts."""

from __future__ import annotations

from typing import Any

from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator, MergeFieldSpec
from tests.unit.sandbox_mailchimp.api import Api, ok, problem
from tests.unit.sandbox_mailchimp.conftest import StartMailchimp


def _batch(api: Api, members: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    params = {key: options.pop(key) for key in ("skip_merge_validation", "skip_duplicate_check") if key in options}
    return ok(api.post(f"/lists/{api.list_id}", {"members": members, **options}, params=params or None))


def _errors(result: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {item["email_address"]: (item["error_code"], item["error"]) for item in result["errors"]}


def test_new_members_and_counters(api: Api, sim: MailchimpSimulator) -> None:
    result = _batch(
        api,
        [
            {"email_address": "a@acme.example.com", "status": "subscribed", "tags": ["t1"]},
            {"email_address": "b@acme.example.com", "status_if_new": "transactional", "merge_fields": {"FNAME": "B"}},
        ],
    )
    assert (result["total_created"], result["total_updated"], result["error_count"]) == (2, 0, 0)
    assert [member["status"] for member in result["new_members"]] == ["subscribed", "transactional"]
    assert sim.member("a@acme.example.com")["tags"][0]["name"] == "t1"  # type: ignore[index]
    assert result["updated_members"] == []
    assert sim.calls.count("lists.batch_subscribe") == 1


def test_existing_members_without_update_existing(api: Api) -> None:
    api.subscribe("a@acme.example.com")
    result = _batch(api, [{"email_address": "a@acme.example.com", "status": "unsubscribed"}])
    code, text = _errors(result)["a@acme.example.com"]
    assert code == "ERROR_CONTACT_EXISTS"
    assert text == (
        "a@acme.example.com is already a list member, do you want to update? please provide update_existing:true in"
        " the request body"
    )
    assert result["error_count"] == 1
    assert ok(api.get(api.member_path("a@acme.example.com")))["status"] == "subscribed"


def test_update_existing_applies_a_sent_status_and_leaves_it_with_status_if_new(
    api: Api, sim: MailchimpSimulator
) -> None:
    api.subscribe("a@acme.example.com")
    api.subscribe("b@acme.example.com")
    sim.set_member_status("c@acme.example.com", "unsubscribed")
    result = _batch(
        api,
        [
            {"email_address": "a@acme.example.com", "status": "unsubscribed"},
            {"email_address": "b@acme.example.com", "status_if_new": "transactional", "merge_fields": {"FNAME": "B"}},
            {"email_address": "c@acme.example.com", "status": "subscribed"},
        ],
        update_existing=True,
    )
    assert [m["status"] for m in result["updated_members"]] == ["unsubscribed", "subscribed"]
    assert result["updated_members"][1]["merge_fields"]["FNAME"] == "B"
    code, text = _errors(result)["c@acme.example.com"]
    assert code == "ERROR_GENERIC"
    assert "is in a compliance state due to unsubscribe, bounce, or compliance review" in text
    assert (result["total_created"], result["total_updated"], result["error_count"]) == (0, 2, 1)


def test_refusals_are_error_generic_with_the_single_call_texts(start_mailchimp: StartMailchimp) -> None:
    config = MailchimpSimConfig(extra_merge_fields=(MergeFieldSpec("COMPANY", "Company", required=True),))
    sim = start_mailchimp(config=config)
    api = Api(sim)
    sim.set_member_status("gone@acme.example.com", "forgotten")
    result = _batch(
        api,
        [
            {"email_address": "john@example.com", "status": "subscribed", "merge_fields": {"COMPANY": "X"}},
            {"email_address": "gone@acme.example.com", "status": "pending", "merge_fields": {"COMPANY": "X"}},
            {"email_address": "nomerge@acme.example.com", "status": "subscribed"},
        ],
    )
    errors = {item["email_address"]: item for item in result["errors"]}
    assert errors["john@example.com"]["error"] == (
        "john@example.com looks fake or invalid, please enter a real email address."
    )
    assert errors["gone@acme.example.com"]["error"].startswith("gone@acme.example.com was permanently deleted")
    merge = errors["nomerge@acme.example.com"]
    assert (merge["error"], merge["field"], merge["field_message"]) == (
        "Your merge fields were invalid.",
        "COMPANY",
        "Please enter a value",
    )
    assert {item["error_code"] for item in result["errors"]} == {"ERROR_GENERIC"}
    skipped = _batch(
        api, [{"email_address": "nomerge@acme.example.com", "status": "subscribed"}], skip_merge_validation=True
    )
    assert skipped["total_created"] == 1


def test_more_than_500_members_is_400(api: Api, sim: MailchimpSimulator) -> None:
    members = [{"email_address": f"m{n}@acme.example.com", "status": "subscribed"} for n in range(501)]
    body = problem(api.post(f"/lists/{api.list_id}", {"members": members}), 400, "Invalid Resource")
    assert body["errors"][0]["field"] == "members"
    assert sim.members() == {}
    assert _batch(api, members[:500])["total_created"] == 500


def test_sync_tags_replaces_the_tags(api: Api) -> None:
    api.subscribe("a@acme.example.com", tags=["old", "keep"])
    result = _batch(
        api,
        [{"email_address": "a@acme.example.com", "status_if_new": "subscribed", "tags": ["keep", "new"]}],
        update_existing=True,
        sync_tags=True,
    )
    assert sorted(tag["name"] for tag in result["updated_members"][0]["tags"]) == ["keep", "new"]
    plain = _batch(
        api,
        [{"email_address": "a@acme.example.com", "status_if_new": "subscribed", "tags": ["x"]}],
        update_existing=True,
    )
    assert sorted(tag["name"] for tag in plain["updated_members"][0]["tags"]) == ["keep", "new"]


def test_duplicates_in_one_request(api: Api) -> None:
    twice = [
        {"email_address": "a@acme.example.com", "status": "subscribed"},
        {"email_address": "A@acme.example.com", "status": "unsubscribed"},
    ]
    flagged = _batch(api, twice)
    assert (flagged["total_created"], flagged["error_count"]) == (1, 1)
    first_wins = _batch(
        api,
        [{**twice[0], "email_address": "b@acme.example.com"}, {**twice[1], "email_address": "B@acme.example.com"}],
        skip_duplicate_check=True,
    )
    assert (first_wins["total_created"], first_wins["error_count"]) == (1, 0)
    assert first_wins["new_members"][0]["status"] == "subscribed"


def test_an_unknown_audience_is_404(api: Api) -> None:
    problem(api.post("/lists/nolist", {"members": []}), 404, "Resource Not Found")
