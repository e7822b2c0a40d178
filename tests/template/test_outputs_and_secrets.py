"""What the CLI reads (Outputs), the default secret, and the reasons for every skipped checkov check."""

import json
import re
from typing import Any

import pytest

from mlconnector.systems.plugin import SystemSpec
from mlconnector.systems.registry import SYSTEMS

from .cfn import Template, referenced_resource, resources

OUTPUT_TARGETS = {
    "StateTableName": "StateTable",
    "LinksTableName": "LinksTable",
    "AuditTableName": "AuditTable",
    "PollerFunctionName": "PollerFunction",
    "KmsKeyArn": "ConnectorKey",
}
INTACCT_FIELDS = {"sender_id", "sender_password", "company_id", "user_id", "user_password"}
MARKETO_FIELDS = {"munchkin_id", "client_id", "client_secret"}
COMMERCE_FIELDS = {"base_url", "consumer_key", "consumer_secret", "access_token", "access_token_secret"}
"""What the first three systems' placeholder secrets have held since they shipped: their specs must keep it."""


def test_outputs_point_at_their_resources(template: Template) -> None:
    outputs = template["Outputs"]
    for output, resource in OUTPUT_TARGETS.items():
        assert referenced_resource(outputs[output]["Value"]) == resource, output


def test_secret_prefix_output_matches_what_functions_are_told(template: Template) -> None:
    prefix = template["Outputs"]["SecretPrefix"]["Value"]
    assert prefix == template["Globals"]["Function"]["Environment"]["Variables"]["MLC_SECRET_PREFIX"]
    assert prefix == {"Fn::Sub": "ml-connector/${AWS::StackName}"}


def test_the_first_systems_keep_their_secret_fields() -> None:
    shipped = {"intacct": INTACCT_FIELDS, "marketo": MARKETO_FIELDS, "commerce": COMMERCE_FIELDS}
    assert {name: set(SYSTEMS[name].secret_fields) for name in shipped} == shipped


@pytest.mark.parametrize("spec", list(SYSTEMS.values()), ids=list(SYSTEMS))
def test_default_secrets_are_placeholders_under_the_prefix(template: Template, spec: SystemSpec[Any]) -> None:
    """One placeholder secret per registered system, holding exactly its spec's secret fields."""
    system, fields = spec.name, set(spec.secret_fields)
    prefix = template["Outputs"]["SecretPrefix"]["Value"]["Fn::Sub"]
    by_name = {
        secret["Properties"]["Name"]["Fn::Sub"]: secret["Properties"]
        for secret in resources(template, "AWS::SecretsManager::Secret").values()
    }
    props = by_name[f"{prefix}/default/{system}"]
    assert template["Resources"][referenced_resource(props["KmsKeyId"])]["Type"] == "AWS::KMS::Key"
    body = json.loads(props["SecretString"])
    assert set(body) == fields
    assert all(value == "" for value in body.values()), "the template must not carry credentials"


def test_every_checkov_skip_has_a_reason(template: Template) -> None:
    skips = [
        skip
        for resource in template["Resources"].values()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips, "expected the documented skips (no VPC, manual rotation of vendor credentials)"
    for skip in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), skip
        assert len(skip.get("comment", "").split()) >= 8, f"{skip['id']} needs a real justification"
