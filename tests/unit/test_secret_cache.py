"""SecretReader kept by a warm container: secrets expire after a max age, a forced re-read is rate-limited, and a
secret that cannot be read is not asked for on every request. A fake clock and a fake client that counts reads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mlconnector.config import (
    DEFAULT_SECRET_CACHE_SECONDS,
    REMEMBERED_FAILURES,
    SECRET_CACHE_VARIABLE,
    ConfigurationError,
    SecretReader,
    Settings,
)
from mlconnector.state.tables import TableNames
from tests.conftest import FakeClock

NAME = "p/default/commerce-webhook"


class SecretsClient:
    """Holds secret strings by name; counts every read, as Secrets Manager would bill it."""

    def __init__(self, secrets: dict[str, Any] | None = None) -> None:
        self.secrets = {name: json.dumps(value) for name, value in (secrets or {}).items()}
        self.reads: list[str] = []

    def put(self, name: str, value: Any) -> None:
        self.secrets[name] = json.dumps(value)

    def get_secret_value(self, SecretId: str) -> dict[str, str]:
        self.reads.append(SecretId)
        if SecretId not in self.secrets:
            error = {"Error": {"Code": "ResourceNotFoundException", "Message": "not found"}}
            raise ClientError(error, "GetSecretValue")
        return {"SecretString": self.secrets[SecretId]}


@pytest.fixture
def client() -> SecretsClient:
    return SecretsClient({NAME: {"hmac_secret": "first"}})


def _reader(client: SecretsClient, clock: FakeClock, **options: Any) -> SecretReader:
    return SecretReader("p", client=client, clock=clock, **options)


def test_the_default_reader_keeps_a_secret_for_its_whole_life(client: SecretsClient, clock: FakeClock) -> None:
    reader = _reader(client, clock)
    assert reader.get("default", "commerce-webhook") == {"hmac_secret": "first"}
    client.put(NAME, {"hmac_secret": "rotated"})
    clock.advance(86_400)
    assert reader.get("default", "commerce-webhook") == {"hmac_secret": "first"}
    assert client.reads == [NAME]


def test_a_kept_secret_is_read_again_once_it_is_older_than_the_max_age(client: SecretsClient, clock: FakeClock) -> None:
    reader = _reader(client, clock, max_age_seconds=300)
    for _ in range(50):  # fifty deliveries within five minutes: one read
        assert reader.get("default", "commerce-webhook")["hmac_secret"] == "first"
        clock.advance(5.9)
    assert client.reads == [NAME]
    client.put(NAME, {"hmac_secret": "rotated"})
    clock.advance(10)  # 305 s since the read
    assert reader.get("default", "commerce-webhook")["hmac_secret"] == "rotated"
    assert reader.get("default", "commerce-webhook")["hmac_secret"] == "rotated"
    assert client.reads == [NAME, NAME]


def test_a_forced_reread_is_refused_while_the_kept_copy_is_fresh(client: SecretsClient, clock: FakeClock) -> None:
    reader = _reader(client, clock, max_age_seconds=300)
    reader.get("default", "commerce-webhook")
    client.put(NAME, {"hmac_secret": "rotated"})
    clock.advance(2)
    assert reader.reread("default", "commerce-webhook", older_than=5, not_within=30) is None
    clock.advance(4)
    assert reader.reread("default", "commerce-webhook", older_than=5, not_within=30) == {"hmac_secret": "rotated"}
    assert reader.get("default", "commerce-webhook") == {"hmac_secret": "rotated"}  # kept from the re-read
    assert client.reads == [NAME, NAME]


def test_forced_rereads_cost_at_most_one_read_per_interval(client: SecretsClient, clock: FakeClock) -> None:
    reader = _reader(client, clock, max_age_seconds=300)
    reader.get("default", "commerce-webhook")
    clock.advance(60)
    granted = 0
    for _ in range(120):  # a forged delivery every second for two minutes, each failing its signature
        reader.get("default", "commerce-webhook")
        if reader.reread("default", "commerce-webhook", older_than=5, not_within=30) is not None:
            granted += 1
        clock.advance(1)
    assert granted == 4  # at 0 s, 30 s, 60 s and 90 s
    assert len(client.reads) == 1 + granted


def test_a_secret_that_cannot_be_read_is_asked_for_again_only_after_the_failure_ttl(clock: FakeClock) -> None:
    client = SecretsClient()
    reader = _reader(client, clock, max_age_seconds=300, failure_ttl_seconds=30)
    for _ in range(20):
        with pytest.raises(ConfigurationError, match="ResourceNotFoundException"):
            reader.get("made-up", "commerce-webhook")
        clock.advance(1)
    assert client.reads == ["p/made-up/commerce-webhook"]
    client.put("p/made-up/commerce-webhook", {"hmac_secret": "now there"})
    clock.advance(10)
    assert reader.get("made-up", "commerce-webhook") == {"hmac_secret": "now there"}
    assert len(client.reads) == 2


def test_remembered_failures_are_bounded(clock: FakeClock) -> None:
    client = SecretsClient()
    reader = _reader(client, clock, max_age_seconds=300, failure_ttl_seconds=30)
    for number in range(REMEMBERED_FAILURES + 10):
        with pytest.raises(ConfigurationError):
            reader.get(f"made-up-{number}", "commerce-webhook")
    with pytest.raises(ConfigurationError):
        reader.get("made-up-0", "commerce-webhook")  # forgotten (the oldest): read again
    with pytest.raises(ConfigurationError):
        reader.get(f"made-up-{REMEMBERED_FAILURES + 9}", "commerce-webhook")  # remembered: not read
    assert len(client.reads) == REMEMBERED_FAILURES + 11


def test_without_a_failure_ttl_a_failed_read_is_retried_every_time(clock: FakeClock) -> None:
    client = SecretsClient()
    reader = _reader(client, clock)
    for _ in range(3):
        with pytest.raises(ConfigurationError):
            reader.get("default", "intacct")
    assert len(client.reads) == 3


def test_the_container_reader_takes_its_max_age_from_the_environment(client: SecretsClient) -> None:
    settings = Settings(TableNames("s", "l", "a"), "p", 30, region="us-east-1")
    assert SecretReader.for_container(settings, {}).max_age_seconds == DEFAULT_SECRET_CACHE_SECONDS
    reader = SecretReader.for_container(settings, {SECRET_CACHE_VARIABLE: "60"}, client=client)
    assert (reader.max_age_seconds, reader.failure_ttl_seconds) == (60, 30)
    assert reader.get("default", "commerce-webhook") == {"hmac_secret": "first"}
    with pytest.raises(ConfigurationError, match=SECRET_CACHE_VARIABLE):
        SecretReader.for_container(settings, {SECRET_CACHE_VARIABLE: "5 minutes"})


def test_errors_never_carry_the_secret_value(clock: FakeClock) -> None:
    client = SecretsClient()
    client.secrets[NAME] = '{"hmac_secret": "pw-value"'  # truncated JSON
    reader = _reader(client, clock, max_age_seconds=300, failure_ttl_seconds=30)
    for _ in range(2):  # read, then remembered
        with pytest.raises(ConfigurationError, match="not valid JSON") as caught:
            reader.get("default", "commerce-webhook")
        assert "pw-value" not in str(caught.value)
