"""`mlc` says what is wrong with a system's secret in one line, without a traceback, for every system: the CLI
catches the one error root (mlconnector.errors.ConnectorError)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mlc.embedded import LocalEnvironment
from mlc.main import main
from mlconnector.config import secret_name

pytestmark = pytest.mark.integration

BAD_SECRETS = {
    # client_secret missing: MarketoCredentials refuses the secret (a Marketo ConfigurationError)
    ("intacct-marketo", "marketo"): ({"munchkin_id": "123-ABC-456", "client_id": "x"}, "Marketo secret"),
    # base_url missing: CommerceCredentials refuses the secret (a Commerce ConfigurationError)
    ("commerce-intacct", "commerce"): ({"flavour": "paas"}, "Commerce secret"),
}


def _spoil(local: LocalEnvironment, system: str, secret: dict[str, Any]) -> None:
    assert local.description is not None
    settings = local.description.settings()
    name = secret_name(settings.secret_prefix, "default", system)
    boto3.client("secretsmanager").put_secret_value(SecretId=name, SecretString=json.dumps(secret))


def _one_line(capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> str:
    """`mlc argv` fails, prints no traceback, and says `expected` on exactly one line (as the error itself, or as
    the reason of a failed run's report); returns that line."""
    capsys.readouterr()
    assert main(argv) != 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    [line] = [line for line in (out + err).splitlines() if expected in line]
    return line


@pytest.mark.parametrize(("integration", "system"), list(BAD_SECRETS), ids=["marketo", "commerce"])
def test_a_bad_secret_is_one_line_for_sync(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str], integration: str, system: str
) -> None:
    secret, expected = BAD_SECRETS[(integration, system)]
    _spoil(local, system, secret)
    _one_line(capsys, ["sync", integration, "--dry-run"], expected)
    _one_line(capsys, ["sync", integration], expected)


@pytest.mark.parametrize(("integration", "system"), list(BAD_SECRETS), ids=["marketo", "commerce"])
def test_a_bad_secret_is_one_line_for_ping(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str], integration: str, system: str
) -> None:
    secret, expected = BAD_SECRETS[(integration, system)]
    _spoil(local, system, secret)
    assert system in _one_line(capsys, ["ping", integration], expected)


def test_a_refused_marketo_secret_is_one_line_for_sync(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a configuration error: Marketo's identity refuses the client secret (an AuthenticationError)."""
    assert local.description is not None
    name = secret_name(local.description.settings().secret_prefix, "default", "marketo")
    client = boto3.client("secretsmanager")
    secret = json.loads(client.get_secret_value(SecretId=name)["SecretString"])
    _spoil(local, "marketo", {**secret, "client_secret": "not-the-secret"})
    line = _one_line(capsys, ["sync", "intacct-marketo"], "client id or secret refused")
    assert "not-the-secret" not in line
