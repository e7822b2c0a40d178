"""DynamoDB tables: encryption with the stack's key, recovery, billing, TTL and keys."""

from typing import Any

import pytest

from .cfn import Template, referenced_resource, resources

PK_SK = {"pk": "HASH", "sk": "RANGE"}
TABLES = ["StateTable", "LinksTable", "AuditTable"]


def key_schema(keys: list[dict[str, str]]) -> dict[str, str]:
    return {key["AttributeName"]: key["KeyType"] for key in keys}


def table(template: Template, name: str) -> dict[str, Any]:
    props = resources(template, "AWS::DynamoDB::Table")[name]["Properties"]
    assert isinstance(props, dict)
    return props


def test_exactly_the_three_tables(template: Template) -> None:
    assert sorted(resources(template, "AWS::DynamoDB::Table")) == sorted(TABLES)


@pytest.mark.parametrize("name", TABLES)
def test_table_is_encrypted_with_the_stack_key(template: Template, name: str) -> None:
    sse = table(template, name)["SSESpecification"]
    assert sse["SSEEnabled"] is True
    assert sse["SSEType"] == "KMS"
    key = referenced_resource(sse["KMSMasterKeyId"])
    assert key is not None, "KMSMasterKeyId must point at the template's own key"
    assert template["Resources"][key]["Type"] == "AWS::KMS::Key"


@pytest.mark.parametrize("name", TABLES)
def test_table_has_pitr_on_demand_billing_and_ttl(template: Template, name: str) -> None:
    props = table(template, name)
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


@pytest.mark.parametrize("name", TABLES)
def test_table_deletion_protection_follows_a_parameter(template: Template, name: str) -> None:
    protection = table(template, name)["DeletionProtectionEnabled"]
    condition, when_true, when_false = protection["Fn::If"]
    assert (when_true, when_false) == (True, False)
    parameter = template["Conditions"][condition]["Fn::Equals"][0]["Ref"]
    assert parameter in template["Parameters"]


@pytest.mark.parametrize("name", TABLES)
def test_table_keys_are_pk_and_sk(template: Template, name: str) -> None:
    props = table(template, name)
    assert key_schema(props["KeySchema"]) == PK_SK
    attributes = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
    assert attributes["pk"] == attributes["sk"] == "S"


def test_only_the_audit_table_has_the_gsi(template: Template) -> None:
    assert "GlobalSecondaryIndexes" not in table(template, "StateTable")
    assert "GlobalSecondaryIndexes" not in table(template, "LinksTable")
    (index,) = table(template, "AuditTable")["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "gsi1"
    assert key_schema(index["KeySchema"]) == {"gsi1pk": "HASH", "gsi1sk": "RANGE"}
    assert index["Projection"] == {"ProjectionType": "ALL"}
    attributes = {a["AttributeName"]: a["AttributeType"] for a in table(template, "AuditTable")["AttributeDefinitions"]}
    assert attributes == {"pk": "S", "sk": "S", "gsi1pk": "S", "gsi1sk": "S"}


@pytest.mark.parametrize("name", [*TABLES, "ConnectorKey"])
def test_ledger_and_its_key_survive_stack_deletion_and_replacement(template: Template, name: str) -> None:
    resource = template["Resources"][name]
    assert resource["DeletionPolicy"] == "Retain"
    assert resource["UpdateReplacePolicy"] == "Retain"
