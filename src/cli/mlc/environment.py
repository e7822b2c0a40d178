"""Which environment a command works on: the running local one (default) or a deployed stack (--stack)."""

from __future__ import annotations

from typing import Any

import boto3

from mlc.embedded import LocalDescription
from mlconnector.config import ConfigurationError, Settings
from mlconnector.state.tables import TableNames

OUTPUTS = ("StateTableName", "LinksTableName", "AuditTableName", "SecretPrefix")


def resolve(stack: str | None, region: str | None) -> Settings:
    if stack:
        return settings_from_stack(stack, region)
    local = LocalDescription.load()
    if local is None:
        raise ConfigurationError(
            "no local environment is running here: start one with `mlc sandbox` in another terminal, "
            "or name a deployed stack with --stack NAME --region R"
        )
    return local.activate()


def settings_from_stack(stack: str, region: str | None, client: Any | None = None) -> Settings:
    """Table and secret names from the stack's outputs."""
    client = client or boto3.client("cloudformation", region_name=region)
    try:
        found = client.describe_stacks(StackName=stack)["Stacks"]
    except Exception as error:  # botocore's ClientError and credential errors alike: say what to check
        raise ConfigurationError(f"cannot describe stack {stack!r}: {error}") from None
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found[0].get("Outputs", [])}
    missing = [name for name in OUTPUTS if name not in outputs]
    if missing:
        raise ConfigurationError(f"stack {stack!r} has no output(s) {', '.join(missing)}: is it an ml-connector stack?")
    return Settings(
        tables=TableNames(outputs["StateTableName"], outputs["LinksTableName"], outputs["AuditTableName"]),
        secret_prefix=outputs["SecretPrefix"],
        audit_retention_days=90,
        region=region or client.meta.region_name,
    )
