"""`mlc --help` stays quick (no engine, boto3 or Rich imported), the sandbox's system list matches the registry, and
ping's FIX column matches the cause."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mlc.commands.ping import fix_for
from mlc.commands.sandbox import SYSTEM_NAMES
from mlconnector.systems.plugin import PingResult
from mlconnector.systems.registry import SYSTEMS

PROBE = """
import json, sys
from mlc.main import main
code = main(["--help"])
print(json.dumps([code, sorted({m.split(".")[0] for m in sys.modules} & {"boto3", "mlconnector", "rich", "moto"})]))
"""


def test_top_level_help_imports_no_engine_no_boto3_no_rich() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == [0, []]


def test_the_sandbox_knows_every_registered_system() -> None:
    assert tuple(SYSTEMS) == SYSTEM_NAMES


@pytest.mark.parametrize(
    ("system", "detail", "fix"),
    [
        ("intacct", "Intacct endpoint api.intacct.com must use https", "use an https:// URL"),
        ("commerce", "Commerce base URL for shop.example.com must be https on the default port", "use an https:// URL"),
        (
            "marketo",
            "Marketo secret is missing or has empty keys: client_id, client_secret",
            "add client_id, client_secret",
        ),
        ("intacct", "Intacct credentials: user_id is empty", "add user_id to"),
        ("commerce", "Commerce secret is missing base_url", "add base_url to"),
        ("commerce", "Commerce SaaS credentials: client_id, client_secret empty", "add client_id, client_secret to"),
        ("zendesk", "Zendesk secret is missing subdomain (acme for https://acme.zendesk.com)", "add subdomain to"),
        ("zendesk", "Zendesk secret: API-token auth needs both email and api_token", "add email and api_token to"),
    ],
)
def test_ping_fix_matches_the_cause(system: str, detail: str, fix: str) -> None:
    said = fix_for(PingResult(system, False, 3, detail, "check the secret"), "ml-connector/prod", "acme")
    assert said.startswith(fix), said
    assert said.endswith(f"the secret ml-connector/prod/acme/{system}")


def test_ping_keeps_the_systems_own_fix_otherwise() -> None:
    result = PingResult("zoho", False, 3, "Zoho refused the refresh token", "grant a new refresh token")
    assert fix_for(result, "p", "default") == "grant a new refresh token"
