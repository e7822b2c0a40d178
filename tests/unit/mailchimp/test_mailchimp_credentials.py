"""Credentials and hosts: the data centre from the key, one clear line when it is missing, overrides only for the
deployment's sandbox hosts, OAuth metadata and batch archive hosts, and the key kept out of reprs and messages."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.mailchimp.credentials import MailchimpCredentials
from mlconnector.systems.mailchimp.endpoint import api_root, check_api_root, check_archive_url, data_centre_of_key
from mlconnector.systems.mailchimp.errors import ConfigurationError
from tests.unit.mailchimp.mailchimp_fakes import KEY, LIST_ID, TOKEN, credentials

SANDBOX = ("127.0.0.1",)


@pytest.mark.parametrize(
    ("key", "dc"),
    [
        (KEY, "us6"),
        ("0123456789abcdef0123456789abcdef-us21", "us21"),
        ("  0123456789abcdef0123456789abcdef-US19 ", "us19"),
    ],
)
def test_the_data_centre_is_the_key_suffix(key: str, dc: str) -> None:
    assert data_centre_of_key(key) == dc
    assert credentials(api_key=key).root == f"https://{dc}.api.mailchimp.com/3.0"


@pytest.mark.parametrize(
    "key",
    [
        "f00dfeedc0ffee00f00dfeedc0ffee00",  # no dash
        "f00dfeedc0ffee00f00dfeedc0ffee00-",  # nothing after it
        "f00dfeedc0ffee00f00dfeedc0ffee00-us6.evil.example",  # a host, not a data centre
        "f00dfeedc0ffee00f00dfeedc0ffee00-us6/x",
        "f00dfeedc0ffee00f00dfeedc0ffee00-6",
        "f00d-feed-us6",
        "-us6",
    ],
)
def test_a_key_without_a_data_centre_is_one_clear_line(key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        credentials(api_key=key)
    message = str(caught.value)
    assert "\n" not in message
    assert "no data centre" in message
    assert "looks like 0123456789abcdef0123456789abcdef-us6" in message
    assert "f00dfeed" not in message


def test_the_key_never_shows_in_a_repr() -> None:
    shown = repr(credentials())
    assert KEY not in shown
    assert "f00dfeed" not in shown
    assert TOKEN not in repr(MailchimpCredentials(access_token=TOKEN))


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ({"list_id": LIST_ID}, "no api_key"),
        ({"api_key": "", "list_id": LIST_ID}, "no api_key"),
        ({"api_key": 6, "list_id": LIST_ID}, "api_key must be text"),
        ({"api_key": KEY, "access_token": TOKEN}, "not both"),
        ({"api_key": KEY, "list_id": "../lists"}, "list_id must be the audience id"),
        ({"api_key": KEY, "base_url": "https://evil.example"}, "neither https://<dc>.api.mailchimp.com"),
        ({"api_key": KEY, "base_url": "http://us6.api.mailchimp.com"}, "neither"),
        ({"api_key": KEY, "base_url": "https://us6.api.mailchimp.com.evil.example/3.0"}, "neither"),
        ({"api_key": KEY, "base_url": "https://us7.api.mailchimp.com"}, "does not match the API key's data centre us6"),
        ({"api_key": KEY, "base_url": "https://us6.api.mailchimp.com/4.0"}, "must be the host alone"),
        ({"access_token": TOKEN, "metadata_url": "https://evil.example/oauth2/metadata"}, "metadata URL host"),
    ],
)
def test_secret_problems_say_what_is_wrong(secret: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        MailchimpCredentials.from_secret(secret, allowed_sandbox_hosts=SANDBOX)
    assert KEY not in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_overrides_are_allowed_for_sandbox_hosts_only() -> None:
    secret = {"api_key": KEY, "list_id": LIST_ID, "base_url": "http://127.0.0.1:8123"}
    local = MailchimpCredentials.from_secret(secret, allowed_sandbox_hosts=SANDBOX)
    assert local.root == "http://127.0.0.1:8123/3.0"
    assert local.data_centre == "us6"
    with pytest.raises(ConfigurationError, match=r"127\.0\.0\.1"):
        MailchimpCredentials.from_secret(secret)  # production lists no sandbox host
    oauth = MailchimpCredentials.from_secret(
        {"access_token": TOKEN, "metadata_url": "http://127.0.0.1:8123"}, allowed_sandbox_hosts=SANDBOX
    )
    assert oauth.metadata_url == "http://127.0.0.1:8123/oauth2/metadata"
    assert oauth.root is None  # learned from the metadata endpoint
    own = MailchimpCredentials.from_secret({"api_key": KEY, "base_url": "https://us6.api.mailchimp.com/3.0/"})
    assert own.root == "https://us6.api.mailchimp.com/3.0"


def test_api_endpoints_are_checked_like_any_host() -> None:
    assert check_api_root("https://us20.api.mailchimp.com") == "https://us20.api.mailchimp.com/3.0"
    assert api_root("US21") == "https://us21.api.mailchimp.com/3.0"
    for bad in ("https://api.mailchimp.com", "https://x.us20.api.mailchimp.com", "https://us20.api.mailchimp.com:8443"):
        with pytest.raises(ConfigurationError):
            check_api_root(bad)


@pytest.mark.parametrize(
    "url",
    [
        "https://mailchimp-api-batch.s3.amazonaws.com/b1-response.tar.gz?AWSAccessKeyId=A&Signature=x",
        "https://mailchimp-api-batch.s3.us-east-1.amazonaws.com/b1-response.tar.gz",
        "https://s3.amazonaws.com/mailchimp-api-batch/b1-response.tar.gz",
        "https://batches.mailchimp.com/b1-response.tar.gz",
        "http://127.0.0.1:9000/3.0/batches/b1/archive",
    ],
)
def test_batch_archives_come_from_mailchimps_store(url: str) -> None:
    assert check_archive_url(url, SANDBOX) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://mailchimp-api-batch.s3.amazonaws.com/b1.tar.gz",
        "https://other-bucket.s3.amazonaws.com/b1.tar.gz",
        "https://s3.amazonaws.com/other-bucket/b1.tar.gz",
        "https://169.254.169.254/latest/meta-data",
        "https://mailchimp.com.evil.example/b1.tar.gz",
        "http://127.0.0.1:9000/b1.tar.gz",  # not a sandbox host in production
    ],
)
def test_other_archive_hosts_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        check_archive_url(url)
