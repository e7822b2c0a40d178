"""Settings from the environment (set by template.yaml or the local environment) and secrets from Secrets Manager."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from mlconnector import aws, errors
from mlconnector.state.tables import TableNames

LOCAL_ONLY_SANDBOX_HOSTS = "MLC_SANDBOX_HOSTS"
"""Set by the local environment only (see Settings.sandbox_hosts); template.yaml must not set it."""

CONNECTION_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

ConfigurationError = errors.ConfigurationError
"""Deployment, secrets or settings are not right; the message says what to fix. Never retried. The one
configuration kind of `mlconnector.errors`: every system's configuration error is one."""


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


SECRET_CACHE_VARIABLE = "MLC_SECRET_CACHE_SECONDS"  # noqa: S105 - a variable name, not a secret
"""How long a warm container keeps a secret it read (SecretReader.for_container); template.yaml sets it where used."""
DEFAULT_SECRET_CACHE_SECONDS = 300
REMEMBERED_FAILURES = 256
"""At most this many failed secret names are remembered (a flood of made-up connection names cannot grow memory)."""


@dataclass(frozen=True)
class _Kept:
    value: dict[str, Any]
    read_at: float


class SecretReader:
    """Reads a connection's JSON secret for one system and keeps it. Values are never put in messages or logs.

    By default a secret is kept for the reader's life: one reader per Connection, so one read per run. A reader
    that outlives a run (one per warm Lambda container, see `for_container`) is given `max_age_seconds`, so a
    rotated secret is picked up within that time, and `failure_ttl_seconds`, so a secret that cannot be read is
    not asked for again on every request in between. `reread` serves a caller with evidence that the secret
    changed (a signature that stopped verifying)."""

    def __init__(
        self,
        prefix: str,
        client: Any | None = None,
        region: str | None = None,
        *,
        max_age_seconds: float | None = None,
        failure_ttl_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_age_seconds is not None and max_age_seconds < 0:
            raise ValueError("max_age_seconds must be >= 0 (or None: keep for the reader's life)")
        if failure_ttl_seconds < 0:
            raise ValueError("failure_ttl_seconds must be >= 0")
        self.prefix = prefix
        self.max_age_seconds = max_age_seconds
        self.failure_ttl_seconds = failure_ttl_seconds
        self._client = client
        self._region = region
        self._clock = clock
        self._read: dict[str, _Kept] = {}
        self._failed: dict[str, tuple[float, str]] = {}  # name -> (when, the ConfigurationError's message)
        self._forced_at: dict[str, float] = {}

    @classmethod
    def for_container(
        cls, settings: Settings, env: Mapping[str, str] | None = None, *, client: Any | None = None
    ) -> SecretReader:
        """A reader a warm Lambda container keeps across invocations: secrets are re-read after
        MLC_SECRET_CACHE_SECONDS (default 300), and a failed read is retried after at most 30 s."""
        env = os.environ if env is None else env
        raw = env.get(SECRET_CACHE_VARIABLE, "").strip() or str(DEFAULT_SECRET_CACHE_SECONDS)
        if not raw.isdigit():
            raise ConfigurationError(f"{SECRET_CACHE_VARIABLE} must be a whole number of seconds, got {raw!r}")
        max_age = int(raw)
        return cls(
            settings.secret_prefix,
            client,
            settings.region,
            max_age_seconds=max_age,
            failure_ttl_seconds=min(max_age, 30),
        )

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("secretsmanager", self._region)
        return self._client

    def get(self, connection: str, system: str) -> dict[str, Any]:
        """The secret, read now or kept from an earlier read younger than `max_age_seconds`; a copy."""
        name = secret_name(self.prefix, connection, system)
        now = self._clock()
        kept = self._read.get(name)
        if kept is None or (self.max_age_seconds is not None and now - kept.read_at >= self.max_age_seconds):
            kept = self._load(name, now)
        return dict(kept.value)

    def reread(self, connection: str, system: str, *, older_than: float, not_within: float) -> dict[str, Any] | None:
        """Read the secret again now, for a caller with reason to think it changed; a copy, or None when refused.

        Refused when the kept copy is younger than `older_than` seconds (it is already current) or when a forced
        read of this secret happened in the last `not_within` seconds, so a flood of requests that each claim a
        rotation costs at most one Secrets Manager call per `not_within` seconds."""
        name = secret_name(self.prefix, connection, system)
        now = self._clock()
        kept = self._read.get(name)
        if kept is not None and now - kept.read_at < older_than:
            return None
        forced = self._forced_at.get(name)
        if forced is not None and now - forced < not_within:
            return None
        self._forced_at[name] = now
        return dict(self._load(name, now).value)

    def _load(self, name: str, now: float) -> _Kept:
        failed = self._failed.get(name)
        if failed is not None and now - failed[0] < self.failure_ttl_seconds:
            raise ConfigurationError(failed[1])
        try:
            kept = _Kept(self._fetch(name), now)
        except ConfigurationError as error:
            if self.failure_ttl_seconds > 0:
                self._remember_failure(name, now, str(error))
            raise
        self._failed.pop(name, None)
        self._read[name] = kept
        return kept

    def _remember_failure(self, name: str, now: float, message: str) -> None:
        self._failed.pop(name, None)
        while len(self._failed) >= REMEMBERED_FAILURES:
            del self._failed[next(iter(self._failed))]  # the oldest
        self._failed[name] = (now, message)

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
