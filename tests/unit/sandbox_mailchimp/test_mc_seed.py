"""The seeded account and its credentials; the connector's sandbox data passes the fake-email check."""

from __future__ import annotations

from sandbox.intacct import IntacctSimulator
from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator
from sandbox.mailchimp.config import DEFAULT_FAKE_EMAILS
from sandbox.mailchimp.emails import is_fake, refusal
from tests.unit.sandbox_mailchimp.api import Api, ok


def test_one_empty_audience_and_no_stores(api: Api, sim: MailchimpSimulator) -> None:
    lists = ok(api.get("/lists"))
    assert [audience["id"] for audience in lists["lists"]] == [sim.list_id]
    assert len(sim.list_id) == 10
    assert lists["lists"][0]["stats"]["member_count"] == 0
    assert sim.members() == {}
    assert ok(api.get("/ecommerce/stores"))["total_items"] == 0
    assert MailchimpSimulator(seed=4).list_id == sim.list_id
    assert MailchimpSimulator(seed=5).list_id != sim.list_id


def test_credentials_carry_the_key_the_base_url_and_the_audience(sim: MailchimpSimulator) -> None:
    secret = sim.credentials.as_dict()
    assert secret == {"api_key": sim.config.api_key, "base_url": sim.base_url, "list_id": sim.list_id}
    assert secret["api_key"].endswith("-us6")
    assert secret["base_url"].startswith("http://127.0.0.1:")
    assert sim.config.api_key not in repr(sim.credentials)
    other = MailchimpSimConfig(dc="us19", api_key="0123456789abcdef0123456789abcdef-us19")
    assert other.credentials("http://127.0.0.1:1", "abc").secret["api_key"].endswith("-us19")


def test_intacct_sandbox_addresses_are_not_fake() -> None:
    intacct = IntacctSimulator(seed=0, size=200)
    addresses = {
        value
        for name in ("CONTACT", "VENDOR", "CUSTOMER", "EMPLOYEE")
        for record in intacct.store.all(name)
        for key, value in record.items()
        if "EMAIL" in key.upper() and isinstance(value, str) and "@" in value
    }
    assert len(addresses) > 100
    assert [email for email in addresses if refusal(email, DEFAULT_FAKE_EMAILS) is not None] == []


def test_the_default_fake_patterns() -> None:
    assert is_fake("John.Doe@Example.com", DEFAULT_FAKE_EMAILS)
    assert is_fake("test@acme.example.com", DEFAULT_FAKE_EMAILS)
    assert not is_fake("ap@acme.example.com", DEFAULT_FAKE_EMAILS)
    assert not is_fake("contest@acme.example.com", DEFAULT_FAKE_EMAILS)
