"""Settings from the environment (set by template.yaml or the local environment) and secrets from Secrets Manager."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

from mlconnector.state.tables import TableNames

LOCAL_ONLY_SANDBOX_HOSTS = "MLC_SANDBOX_HOSTS"
"""Set by the local environment only (see Settings.sandbox_hosts); template.yaml must not set it."""

CONNECTION_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class ConfigurationError(RuntimeError):
    """Deployment or credentials are not set up right; the message says what to fix. Never retried."""


@dataclass(frozen=True)
class Settings:
    tables: TableNames
    secret_prefix: str
    audit_retention_days: int
    region: str | None = None
    # Local runs only: simulator hosts the clients may talk to. Never set by template.yaml, so in AWS every
    # endpoint must be the vendor's own domain.
    sandbox_hosts: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def need(name: str) -> str:
            value = env.get(name, "").strip()
            if not value:
                raise ConfigurationError(f"environment variable {name} is not set (template.yaml sets it)")
            return value

        retention = env.get("MLC_AUDIT_RETENTION_DAYS", "90")
        if not retention.isdigit() or int(retention) < 1:
            raise ConfigurationError(f"MLC_AUDIT_RETENTION_DAYS must be a whole number of days, got {retention!r}")
        return cls(
            tables=TableNames(
                state=need("MLC_STATE_TABLE"), links=need("MLC_LINKS_TABLE"), audit=need("MLC_AUDIT_TABLE")
            ),
            secret_prefix=need("MLC_SECRET_PREFIX").rstrip("/"),
            audit_retention_days=int(retention),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
            sandbox_hosts=tuple(h.strip() for h in env.get(LOCAL_ONLY_SANDBOX_HOSTS, "").split(",") if h.strip()),
        )


def check_connection_name(connection: str) -> str:
    """Connection names become parts of keys and secret names: keep them plain."""
    if not CONNECTION_NAME.match(connection):
        raise ConfigurationError(
            f"connection name {connection!r} is not valid: use lowercase letters, digits and dashes (max 63)"
        )
    return connection


def secret_name(prefix: str, connection: str, system: str) -> str:
    """One JSON secret per connected system per connection: <prefix>/<connection>/<system>."""
    return f"{prefix}/{check_connection_name(connection)}/{system}"


class SecretReader:
    """Reads a connection's JSON secret for one system, once per reader (one run). Values are never put in
    messages or logs."""

    def __init__(self, prefix: str, client: Any | None = None, region: str | None = None) -> None:
        self.prefix = prefix
        self._client = client
        self._region = region
        self._read: dict[str, dict[str, Any]] = {}

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = boto3.client("secretsmanager", region_name=self._region)
        return self._client

    def get(self, connection: str, system: str) -> dict[str, Any]:
        name = secret_name(self.prefix, connection, system)
        if name not in self._read:
            self._read[name] = self._fetch(name)
        return dict(self._read[name])

    def _fetch(self, name: str) -> dict[str, Any]:
        try:
            raw = self.client.get_secret_value(SecretId=name)["SecretString"]
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Error")
            raise ConfigurationError(
                f"cannot read secret {name} ({code}): create it and put the credentials in it"
            ) from None
        try:
            value = json.loads(raw)
        except ValueError:
            raise ConfigurationError(f"secret {name} is not valid JSON") from None
        if not isinstance(value, dict):
            raise ConfigurationError(f"secret {name} must hold a JSON object")
        return value
