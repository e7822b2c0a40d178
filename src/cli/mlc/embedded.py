"""The embedded default: moto serves DynamoDB, Secrets Manager, SQS, Step Functions and EventBridge Scheduler on
127.0.0.1, the sandbox serves the APIs.

It is provisioned the way template.yaml provisions a stack (tables, one secret per registered system for the
default connection, the schedules and their state machine: local_stack.py), so the same handlers and the same CLI
commands run against it.

moto and the sandbox are imported only when a local environment starts (`mlc sandbox`, `mlc demo`): a command
on a deployed stack reads LocalDescription at most, and runs without them (pip install ml-connector[local] adds
them).
"""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import requests

from mlconnector.config import LOCAL_ONLY_SANDBOX_HOSTS, ConfigurationError, Settings, secret_name
from mlconnector.state.tables import TableNames, create_local_tables
from mlconnector.systems.registry import SYSTEMS

if TYPE_CHECKING:
    from moto.server import ThreadedMotoServer

    from sandbox.registry import RunningSandbox

LOOPBACK = "127.0.0.1"
REGION = "us-east-1"
STATE_FILE = Path(".mlc") / "local.json"
TABLES = TableNames(state="mlc-local-state", links="mlc-local-links", audit="mlc-local-audit")
SECRET_PREFIX = "ml-connector/local"  # noqa: S105 - a name, not a secret
DEFAULT_CONNECTION = "default"


@dataclass
class LocalDescription:
    """What another process needs to use a running local environment (written to .mlc/local.json)."""

    aws_endpoint: str
    sandbox_urls: dict[str, str]
    sandbox_hosts: list[str]
    region: str = REGION
    tables: dict[str, str] = field(default_factory=lambda: asdict(TABLES))
    secret_prefix: str = SECRET_PREFIX
    outputs: dict[str, str] = field(default_factory=dict)
    """The local stack's outputs, as a deployed stack's (the schedule group, the state machine: local_stack.py)."""

    def settings(self) -> Settings:
        return Settings(
            tables=TableNames(**self.tables),
            secret_prefix=self.secret_prefix,
            audit_retention_days=30,
            region=self.region,
            sandbox_hosts=tuple(self.sandbox_hosts),
        )

    def environment(self) -> dict[str, str]:
        """Process environment that points boto3, pynamodb and the handlers at this environment."""
        settings = self.settings()
        return {
            "AWS_ENDPOINT_URL": self.aws_endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",  # moto accepts any credentials
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "MLC_STATE_TABLE": settings.tables.state,
            "MLC_LINKS_TABLE": settings.tables.links,
            "MLC_AUDIT_TABLE": settings.tables.audit,
            "MLC_SECRET_PREFIX": settings.secret_prefix,
            "MLC_AUDIT_RETENTION_DAYS": str(settings.audit_retention_days),
            LOCAL_ONLY_SANDBOX_HOSTS: ",".join(self.sandbox_hosts),
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        }

    def activate(self) -> Settings:
        os.environ.update(self.environment())
        os.environ.pop("AWS_PROFILE", None)
        return self.settings()

    def save(self, path: Path = STATE_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, path: Path | None = None) -> LocalDescription | None:
        """The description at `path`, or (by default) the nearest .mlc/local.json in this folder or a parent, so a
        command finds the local environment from any folder of the checkout."""
        path = path or find_state_file()
        if path is None:
            return None
        try:
            return cls(**json.loads(path.read_text()))
        except FileNotFoundError:
            return None

    def is_running(self) -> bool:
        """Whether its embedded AWS still answers (a sandbox killed without Ctrl-C leaves its file behind)."""
        host, _, port = self.aws_endpoint.removeprefix("http://").partition(":")
        try:
            with socket.create_connection((host, int(port or 80)), timeout=1):
                return True
        except OSError:
            return False


def find_state_file(start: Path | None = None) -> Path | None:
    """The nearest .mlc/local.json from `start` (the current folder) up to the filesystem's root."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STATE_FILE).is_file():
            return folder / STATE_FILE
    return None


def checkout_root(start: Path | None = None) -> Path:
    """Where `mlc sandbox` writes .mlc/local.json: the checkout's top folder (one with .git or pyproject.toml),
    else the current folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists() or (folder / "pyproject.toml").is_file():
            return folder
    return here


def check_port_free(port: int, what: str) -> None:
    """Refuse a pinned port already in use, at once (a server thread would otherwise wait on it for ever)."""
    if not port:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            raise ConfigurationError(
                f"port {port} on {LOOPBACK} is in use ({what}): pick another port, or 0 for any free one"
            ) from None


# What the local connection turns on beyond credentials, so every stream has something to do: each system's
# spec says (for Commerce, purchase-order lines go to the simulator's catch-all Intacct item and the vendor master
# runs both ways; both are off by default).
LOCAL_OPTIONS: dict[str, dict[str, Any]] = {spec.name: dict(spec.local_options) for spec in SYSTEMS.values()}


class LocalEnvironment:
    """Starts moto and every simulator, provisions tables and secrets; stop() ends both."""

    def __init__(self, *, seed: int = 7, size: int = 200, aws_port: int = 0, ports: dict[str, int] | None = None):
        self.seed, self.size, self.aws_port, self.ports = seed, size, aws_port, ports
        self._moto: ThreadedMotoServer | None = None
        self.sandbox: RunningSandbox | None = None
        self.description: LocalDescription | None = None

    def start(self) -> LocalDescription:
        from moto.server import ThreadedMotoServer  # noqa: PLC0415 - the local environment only

        from sandbox.registry import start_all  # noqa: PLC0415

        check_port_free(self.aws_port, "--aws-port")
        for system, port in (self.ports or {}).items():
            check_port_free(port, f"the {system} simulator")
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
        self._moto = ThreadedMotoServer(ip_address=LOOPBACK, port=self.aws_port, verbose=False)
        self._moto.start()
        host, port = self._moto.get_host_and_port()
        # moto keeps its backends per process: start from empty even if this process ran one before.
        requests.post(f"http://{host}:{port}/moto-api/reset", timeout=10).raise_for_status()
        self.sandbox = start_all(seed=self.seed, size=self.size, ports=self.ports)
        self.description = LocalDescription(
            aws_endpoint=f"http://{host}:{port}",
            sandbox_urls=dict(self.sandbox.urls),
            sandbox_hosts=[LOOPBACK],
        )
        settings = self.description.activate()
        create_local_tables(settings.tables, region=settings.region)
        self._put_secrets(settings)
        from mlc.local_stack import provision  # noqa: PLC0415 - the local environment only

        self.description.outputs = provision(self.description.region, DEFAULT_CONNECTION)
        return self.description

    def _put_secrets(self, settings: Settings) -> None:
        assert self.sandbox is not None
        client = boto3.client("secretsmanager")
        credentials = self.sandbox.credentials
        for spec in SYSTEMS.values():
            client.create_secret(
                Name=secret_name(settings.secret_prefix, DEFAULT_CONNECTION, spec.name),
                SecretString=json.dumps({**credentials[spec.name].as_dict(), **LOCAL_OPTIONS[spec.name]}),
            )

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None

    def __enter__(self) -> LocalDescription:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
