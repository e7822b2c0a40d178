"""Which environment a command works on: the running local one (default) or a deployed stack (--stack)."""

from __future__ import annotations

from typing import Any

import boto3

from mlc.embedded import LocalDescription, find_state_file
from mlconnector.config import ConfigurationError, Settings
from mlconnector.state.tables import TableNames

OUTPUTS = ("StateTableName", "LinksTableName", "AuditTableName", "SecretPrefix")


def resolve(stack: str | None, region: str | None) -> Settings:
    if stack:
        return settings_from_stack(stack, region)
    if region:
        raise ConfigurationError("--region goes with --stack NAME; the local environment needs neither")
    local = LocalDescription.load()
    if local is None:
        raise ConfigurationError(
            "no local environment is running here: start one with `mlc sandbox` in another terminal, "
            "or name a deployed stack with --stack NAME --region R"
        )
    if not local.is_running():
        raise ConfigurationError(
            f"the local environment in {find_state_file()} is not running any more (its `mlc sandbox` was stopped "
            "or killed): start `mlc sandbox` again"
        )
    return local.activate()


def outputs_of(stack: str | None, region: str | None) -> tuple[dict[str, str], str]:
    """The stack's outputs and its region: a deployed stack's (--stack), or the local environment's stand-ins."""
    if stack:
        region = _region(stack, region)
        return stack_outputs(stack, boto3.client("cloudformation", region_name=region)), region
    settings = resolve(None, region)
    local = LocalDescription.load()
    assert local is not None  # resolve() refused a missing one
    return dict(local.outputs), str(settings.region)


def stack_outputs(stack: str, client: Any) -> dict[str, str]:
    try:
        found = client.describe_stacks(StackName=stack)["Stacks"]
    except Exception as error:  # botocore's ClientError and credential errors alike: say what to check
        raise ConfigurationError(f"cannot describe stack {stack!r}: {error}") from None
    return {o["OutputKey"]: o["OutputValue"] for o in found[0].get("Outputs", [])}


def _region(stack: str, region: str | None) -> str:
    region = region or boto3.session.Session().region_name
    if not region:
        raise ConfigurationError(f"--stack {stack} needs a region: add --region R (or set AWS_REGION)")
    return region


def settings_from_stack(stack: str, region: str | None, client: Any | None = None) -> Settings:
    """Table and secret names from the stack's outputs."""
    if client is None:
        region = _region(stack, region)
        client = boto3.client("cloudformation", region_name=region)
    outputs = stack_outputs(stack, client)
    missing = [name for name in OUTPUTS if name not in outputs]
    if missing:
        raise ConfigurationError(f"stack {stack!r} has no output(s) {', '.join(missing)}: is it an ml-connector stack?")
    return Settings(
        tables=TableNames(outputs["StateTableName"], outputs["LinksTableName"], outputs["AuditTableName"]),
        secret_prefix=outputs["SecretPrefix"],
        audit_retention_days=90,
        region=region or client.meta.region_name,
    )
