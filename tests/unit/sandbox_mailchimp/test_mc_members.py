"""Audience members: keyed by md5(lower(email)); PUT upserts with status_if_new and keeps an existing status;
POST refuses a known address; DELETE archives; delete-permanent forgets; compliance, forgotten, fake-email and
merge-field refusals with the live API's texts; tags only on create, and the tags endpoint."""

from __future__ import annotations

import hashlib

from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator, MergeFieldSpec
from tests.unit.sandbox_mailchimp.api import Api, ok, problem
from tests.unit.sandbox_mailchimp.conftest import StartMailchimp

ANN = "ann.lee@acme.example.com"


def _hash(email: str) -> str:
    return hashlib.md5(email.lower().encode()).hexdigest()


def test_put_creates_with_status_if_new_and_the_hash_is_md5_of_lowercase(api: Api, sim: MailchimpSimulator) -> None:
    member = ok(
        api.put(
            api.member_path(_hash("Ann.Lee@Acme.Example.com")),
            {
                "email_address": "Ann.Lee@Acme.Example.com",
                "status_if_new": "transactional",
                "merge_fields": {"FNAME": "Ann", "LNAME": "Lee", "COMPANY": "Acme"},
            },
        )
    )
    assert member["id"] == _hash(ANN)
    assert member["status"] == "transactional"
    assert member["merge_fields"] == {"FNAME": "Ann", "LNAME": "Lee", "ADDRESS": "", "PHONE": "", "COMPANY": "Acme"}
    assert member["full_name"] == "Ann Lee"
    assert member["list_id"] == sim.list_id
    assert sim.member(ANN) is not None
    assert sim.calls.count("members.put") == 1
    got = ok(api.get(api.member_path(_hash(ANN))))
    assert got["email_address"] == "Ann.Lee@Acme.Example.com"
    assert ok(api.get(api.member_path(ANN)))["id"] == _hash(ANN)  # the address itself names the member too


def test_put_keeps_an_existing_status_unless_status_is_sent(api: Api) -> None:
    api.subscribe(ANN)
    again = ok(api.put_member(ANN, status_if_new="transactional", merge_fields={"FNAME": "Ann"}))
    assert again["status"] == "subscribed"
    assert again["merge_fields"]["FNAME"] == "Ann"
    changed = ok(api.put_member(ANN, status="unsubscribed"))
    assert changed["status"] == "unsubscribed"


def test_put_of_a_new_member_needs_status_if_new(api: Api, sim: MailchimpSimulator) -> None:
    body = problem(api.put_member(ANN, status="subscribed"), 400, "Invalid Resource")
    assert body["errors"] == [{"field": "status_if_new", "message": "Schema describes enum, NULL found instead"}]
    sim.config.put_requires_status_if_new = False
    assert ok(api.put_member(ANN, status="pending"))["status"] == "pending"


def test_put_on_a_mixed_case_hash_is_member_exists(api: Api) -> None:
    api.subscribe(ANN)
    wrong = hashlib.md5(b"Ann.Lee@acme.example.com").hexdigest()
    body = problem(
        api.put(api.member_path(wrong), {"email_address": ANN, "status_if_new": "subscribed"}), 400, "Member Exists"
    )
    assert body["detail"] == f"{ANN} is already a list member. Use PUT to insert or update list members."


def test_post_adds_only_new_addresses(api: Api) -> None:
    path = f"/lists/{api.list_id}/members"
    created = ok(api.post(path, {"email_address": ANN, "status": "subscribed", "tags": ["vip"]}))
    assert created["tags"] == [{"id": created["tags"][0]["id"], "name": "vip"}]
    body = problem(api.post(path, {"email_address": ANN.upper(), "status": "subscribed"}), 400, "Member Exists")
    assert "is already a list member" in body["detail"]
    assert api.delete(api.member_path(_hash(ANN))).status_code == 204
    problem(api.post(path, {"email_address": ANN, "status": "subscribed"}), 400, "Member Exists")  # archived too
    missing = problem(api.post(path, {"status": "subscribed"}), 400, "Invalid Resource")
    assert missing["errors"] == [{"field": "", "message": "Required fields were not provided: email_address"}]


def test_get_and_patch_of_an_absent_member_are_404(api: Api) -> None:
    for response in (
        api.get(api.member_path(_hash(ANN))),
        api.patch(api.member_path(_hash(ANN)), {"merge_fields": {"FNAME": "A"}}),
        api.delete(api.member_path(_hash(ANN))),
        api.get(f"/lists/nolist/members/{_hash(ANN)}"),
    ):
        body = problem(response, 404, "Resource Not Found")
        assert body["detail"] == "The requested resource could not be found."


def test_patch_updates_and_applies_status(api: Api) -> None:
    api.subscribe(ANN, merge_fields={"FNAME": "Ann", "LNAME": "Lee"})
    patched = ok(api.patch(api.member_path(_hash(ANN)), {"merge_fields": {"LNAME": "Li"}, "status": "pending"}))
    assert patched["merge_fields"]["FNAME"] == "Ann"
    assert patched["merge_fields"]["LNAME"] == "Li"
    assert patched["status"] == "pending"


def test_delete_archives_and_put_brings_the_member_back(api: Api, sim: MailchimpSimulator) -> None:
    api.subscribe(ANN)
    response = api.delete(api.member_path(_hash(ANN)))
    assert (response.status_code, response.content) == (204, b"")
    assert ok(api.get(api.member_path(_hash(ANN))))["status"] == "archived"
    assert ok(api.get(f"/lists/{api.list_id}/members"))["total_items"] == 0
    assert ok(api.get(f"/lists/{api.list_id}/members", {"status": "archived"}))["total_items"] == 1
    back = ok(api.put_member(ANN, status_if_new="subscribed"))
    assert back["status"] == "subscribed"
    assert sim.calls.count("members.archive") == 1


def test_delete_permanent_forgets_even_for_pending(api: Api, sim: MailchimpSimulator) -> None:
    api.subscribe(ANN)
    forget = api.post(api.member_path(_hash(ANN)) + "/actions/delete-permanent")
    assert forget.status_code == 204
    assert sim.forgotten() == [ANN]
    problem(api.get(api.member_path(_hash(ANN))), 404, "Resource Not Found")
    for status in ("subscribed", "pending", "transactional"):
        body = problem(api.put_member(ANN, status_if_new=status), 400, "Forgotten Email Not Subscribed")
        assert body["detail"] == (
            f"{ANN} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on"
            " the list."
        )
    problem(
        api.post(f"/lists/{api.list_id}/members", {"email_address": ANN, "status": "pending"}),
        400,
        "Forgotten Email Not Subscribed",
    )


def test_subscribing_an_unsubscribed_or_cleaned_member_is_a_compliance_state(api: Api, sim: MailchimpSimulator) -> None:
    for status in ("unsubscribed", "cleaned"):
        email = f"{status}@acme.example.com"
        sim.set_member_status(email, status)
        body = problem(api.put_member(email, status="subscribed"), 400, "Member In Compliance State")
        assert body["detail"] == (
            f"{email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be"
            " subscribed."
        )
        assert sim.member(email)["status"] == status  # type: ignore[index]
        untouched = ok(api.put_member(email, status_if_new="subscribed", merge_fields={"FNAME": "X"}))
        assert untouched["status"] == status
        assert ok(api.put_member(email, status="pending"))["status"] == "pending"  # re-confirmation is allowed


def test_an_archived_unsubscribed_member_stays_in_compliance_state(api: Api, sim: MailchimpSimulator) -> None:
    sim.set_member_status(ANN, "unsubscribed")
    assert api.delete(api.member_path(_hash(ANN))).status_code == 204
    problem(api.put_member(ANN, status_if_new="subscribed"), 400, "Member In Compliance State")


def test_fake_and_invalid_addresses(api: Api, sim: MailchimpSimulator) -> None:
    for email in ("john.doe@example.com", "test@acme.example.com", "x@mailinator.com"):
        body = problem(api.put_member(email, status_if_new="subscribed"), 400, "Invalid Resource")
        assert body["detail"] == f"{email} looks fake or invalid, please enter a real email address."
    invalid = problem(api.put_member("not-an-address", status_if_new="subscribed"), 400, "Invalid Resource")
    assert invalid["detail"] == "Please provide a valid email address."
    ok(api.put_member("ap@vendor.example.com", status_if_new="subscribed"))  # a subdomain of example.com is fine
    sim.add_fake_email_pattern("*@vendor.example.com")
    problem(api.put_member("ar@vendor.example.com", status_if_new="subscribed"), 400, "Invalid Resource")
    assert sim.member("ar@vendor.example.com") is None


def test_required_merge_fields_unless_skipped(start_mailchimp: StartMailchimp) -> None:
    config = MailchimpSimConfig(extra_merge_fields=(MergeFieldSpec("COMPANY", "Company", required=True),))
    sim = start_mailchimp(config=config)
    api = Api(sim)
    body = problem(api.put_member(ANN, status_if_new="subscribed"), 400, "Invalid Resource")
    assert body["detail"] == "Your merge fields were invalid."
    assert body["errors"] == [{"field": "COMPANY", "message": "Please enter a value"}]
    skipped = api.put(
        api.member_path(_hash(ANN)),
        {"email_address": ANN, "status_if_new": "subscribed"},
        params={"skip_merge_validation": True},
    )
    assert ok(skipped)["merge_fields"]["COMPANY"] == ""
    emptied = problem(
        api.patch(api.member_path(_hash(ANN)), {"merge_fields": {"COMPANY": ""}}), 400, "Invalid Resource"
    )
    assert emptied["errors"][0]["field"] == "COMPANY"
    ok(api.patch(api.member_path(_hash(ANN)), {"merge_fields": {"FNAME": "A"}}))  # others may change


def test_merge_field_values_are_checked_by_type(api: Api, sim: MailchimpSimulator) -> None:
    sim.add_merge_field(MergeFieldSpec("SCORE", "Score", "number"))
    sim.add_merge_field(MergeFieldSpec("TIER", "Tier", "dropdown", choices=("gold", "silver")))
    body = problem(
        api.put_member(
            ANN,
            status_if_new="subscribed",
            merge_fields={
                "SCORE": "lots",
                "ADDRESS": {"addr1": "1 Main St", "city": "Springfield"},
                "TIER": "bronze",
            },
        ),
        400,
        "Invalid Resource",
    )
    assert body["errors"] == [
        {"field": "ADDRESS", "message": "Please enter a complete address"},
        {"field": "SCORE", "message": "Please enter a number"},
        {"field": "TIER", "message": "Value must be one of: gold, silver (not bronze)"},
    ]
    address = {"addr1": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701", "country": "US"}
    member = api.subscribe(ANN, merge_fields={"SCORE": 7, "ADDRESS": address, "TIER": "gold", "NOSUCH": "x"})
    assert member["merge_fields"]["ADDRESS"] == address
    assert member["merge_fields"]["SCORE"] == 7
    assert "NOSUCH" not in member["merge_fields"]


def test_tags_on_put_apply_only_when_the_member_is_created(api: Api) -> None:
    created = api.subscribe(ANN, tags=["intacct-customer"])
    assert [tag["name"] for tag in created["tags"]] == ["intacct-customer"]
    again = ok(api.put_member(ANN, status_if_new="subscribed", tags=["other"]))
    assert [tag["name"] for tag in again["tags"]] == ["intacct-customer"]
    patched = ok(api.patch(api.member_path(_hash(ANN)), {"tags": ["other"]}))
    assert patched["tags_count"] == 1


def test_the_tags_endpoint(api: Api, sim: MailchimpSimulator) -> None:
    api.subscribe(ANN, tags=["old"])
    path = api.member_path(_hash(ANN)) + "/tags"
    response = api.post(
        path,
        {"tags": [{"name": "vendor", "status": "active"}, {"name": "old", "status": "inactive"}], "is_syncing": True},
    )
    assert (response.status_code, response.content) == (204, b"")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    tags = ok(api.get(path))
    assert [tag["name"] for tag in tags["tags"]] == ["vendor"]
    assert tags["total_items"] == 1
    assert set(tags["tags"][0]) == {"id", "name", "date_added"}
    problem(
        api.post(api.member_path(_hash("nobody@acme.example.com")) + "/tags", {"tags": []}), 404, "Resource Not Found"
    )
    assert sim.calls.count("member_tags.update") == 2
