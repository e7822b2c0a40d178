"""Ping's checks: the credentials (OAuth, or an API token with the retirement note), the admin role the export needs,
the organization fields the option names, the webhook's configuration when the connection uses one; each failure
says what to fix."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.plugin import PingFailed
from mlconnector.systems.zendesk.credentials import ZendeskCredentials
from mlconnector.systems.zendesk.ping import run_checks
from tests.conftest import FakeClock
from tests.unit.zendesk.zendesk_fakes import API_TOKEN, EMAIL, ME, FakeZendesk, error, make, secret

FIELDS = {"organization_fields": [{"id": 1, "key": "intacct_id", "type": "text", "title": "Intacct", "active": True}]}


@pytest.fixture
def fake(clock: FakeClock) -> FakeZendesk:
    fake = FakeZendesk(clock)
    fake.handlers[("GET", "/users/me")] = lambda _call: ME
    fake.handlers[("GET", "/organization_fields")] = lambda _call: FIELDS
    return fake


def test_an_oauth_admin_with_its_fields_passes(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    detail = run_checks(client, {"organizations": {"fields": ["intacct_id"]}})
    assert "OAuth (refresh-token grant; token pair generation 1" in detail
    assert "role admin" in detail
    assert "1 organization fields (1 active)" in detail


def test_an_api_token_passes_with_the_retirement_note(fake: FakeZendesk) -> None:
    creds = ZendeskCredentials.from_secret({"subdomain": "acme", "email": EMAIL, "api_token": API_TOKEN})
    client, _ = make(fake, creds=creds)
    detail = run_checks(client, {})
    assert "API token of admin@acme.example" in detail
    assert "2027-04-30" in detail
    assert "move this connection to OAuth" in detail


def test_an_agent_cannot_run_the_export(fake: FakeZendesk) -> None:
    fake.handlers[("GET", "/users/me")] = lambda _call: {"user": {"id": 2, "role": "agent"}}
    client, _ = make(fake)
    with pytest.raises(PingFailed, match="needs an admin") as caught:
        run_checks(client, {})
    assert "admin" in caught.value.fix


def test_refused_credentials_say_what_to_check(fake: FakeZendesk) -> None:
    fake.live_refresh = "dead"
    client, _ = make(fake)
    with pytest.raises(PingFailed) as caught:
        run_checks(client, {})
    assert "client_id, client_secret, refresh_token" in caught.value.fix


def test_a_missing_organization_field_is_named(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    with pytest.raises(PingFailed, match="no active organization field tier"):
        run_checks(client, {"organizations": {"fields": ["intacct_id", "tier"]}})


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        ({"status": "inactive", "endpoint": "https://x/webhooks/zendesk/default"}, "is inactive"),
        ({"status": "active", "endpoint": "https://elsewhere.example/hook"}, "not the connector's webhook route"),
    ],
)
def test_the_webhook_is_checked_when_the_connection_uses_one(
    fake: FakeZendesk, hook: dict[str, Any], message: str
) -> None:
    fake.handlers[("GET", "/webhooks/01HWEBHOOK")] = lambda _call: {"webhook": {"id": "01HWEBHOOK", **hook}}
    creds = ZendeskCredentials.from_secret(secret(webhook_secret="whsec-abc"))
    client, _ = make(fake, creds=creds)
    with pytest.raises(PingFailed, match=message):
        run_checks(client, {"webhook": {"id": "01HWEBHOOK"}})
    hook.update(status="active", endpoint="https://api.example/webhooks/zendesk/default")
    assert "webhook 01HWEBHOOK active" in run_checks(client, {"webhook": {"id": "01HWEBHOOK"}})


def test_a_webhook_named_in_the_option_is_checked_without_a_secret_in_the_zendesk_secret(fake: FakeZendesk) -> None:
    hook = {"id": "01HWEBHOOK", "status": "inactive", "endpoint": "https://api.example/webhooks/zendesk/default"}
    fake.handlers[("GET", "/webhooks/01HWEBHOOK")] = lambda _call: {"webhook": hook}
    client, _ = make(fake)
    with pytest.raises(PingFailed, match="is inactive"):
        run_checks(client, {"webhook": {"id": "01HWEBHOOK"}})
    assert "webhook" not in run_checks(client, {})


def test_a_webhook_the_user_may_not_read_says_who_may(fake: FakeZendesk) -> None:
    fake.handlers[("GET", "/webhooks/01HWEBHOOK")] = lambda _call: error(403, "Forbidden")
    client, _ = make(fake, creds=ZendeskCredentials.from_secret(secret(webhook_secret="whsec-abc")))
    with pytest.raises(PingFailed) as caught:
        run_checks(client, {"webhook": {"id": "01HWEBHOOK"}})
    assert "admin" in caught.value.fix
