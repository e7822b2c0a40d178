"""What an external system plugs in: one `SystemSpec` per system, in `systems/<name>/spec.py`, listed once in
`systems/registry.py`.

A spec is import-light: it names its client factory, ping check and simulator through small functions that
import the heavy modules (the client, its auth, the simulator) only when called, so a process imports a system's
client only when a flow or a ping uses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from mlconnector.errors import ConfigurationError
from mlconnector.state.read_only import Cache, ReadOnlyCache
from mlconnector.state.token_cache import StoredTokenCache, Token

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.state.tokens import TokenStore
    from sandbox.core.simulator import Simulator


class Client(Protocol):
    """What the composition root needs of every client: how many API calls it made (for the run report)."""

    @property
    def calls(self) -> int: ...


@dataclass(frozen=True)
class PingResult:
    system: str
    ok: bool
    latency_ms: int | None
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class ClientContext:
    """What a client factory gets from the connection: its secret, the deployment's limits, and the caches."""

    system: str
    secret: Mapping[str, Any]
    sandbox_hosts: tuple[str, ...]
    """Non-vendor hosts a client may send credentials to (the local simulators only); empty in production."""
    tokens: TokenStore
    read_only: bool
    """A dry run: whatever the client caches (sessions, tokens) stays in memory, never in DynamoDB."""
    deadline: Callable[[], float | None]
    """Seconds left in the run (None: no deadline), so retries never outlive the Lambda."""
    sleep: Callable[[float], None]
    monotonic: Callable[[], float]

    def cache[T](self, shared: Cache[T]) -> Cache[T]:
        """The shared (DynamoDB) cache, or for a dry run a read-only view of it."""
        return ReadOnlyCache[T](shared) if self.read_only else shared

    def token_cache[T: Token](self, build: Callable[[str, float, float, str | None], T]) -> Cache[T]:
        """OAuth access tokens kept in the connection's token store under this system's name; `build` makes the
        client's token from token, created_at, expires_at and endpoint (e.g. `AccessToken`)."""
        return self.cache(StoredTokenCache(self.tokens, self.system, build))


@dataclass(frozen=True)
class SystemSpec[C: Client]:
    """One external system: everything the connector, the CLI, the sandbox and the tests need to know of it."""

    name: str
    """The name in secret names (`<prefix>/<connection>/<name>`), token-store keys, flows and `mlc` output."""
    title: str
    """How messages name it ("Intacct")."""
    secret_fields: tuple[str, ...]
    """The keys an operator fills in: the template's placeholder secret has exactly these."""
    error_root: type[Exception]
    """The base class of every error its client raises."""
    client: Callable[[ClientContext], C]
    """Builds the client (lazily imports it): credentials from the secret, token cache, dry-run wrapping."""
    ping: Callable[[Connection], PingResult]
    """Cheap, side-effect-free checks of the credentials and permissions; says what to fix."""
    simulator: Callable[[int, int], Simulator]
    """The simulator that serves it locally, built as simulator(seed, size) (imports the sandbox when called)."""
    options: tuple[str, ...] = ()
    """Non-secret configuration objects its secret may carry, read by flows and ping (`Connection.options`)."""
    local_options: Mapping[str, Any] = field(default_factory=dict)
    """What the local environment's secret adds to the simulator's credentials, so every stream has work."""

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or not self.name.islower():
            raise ValueError(f"system name {self.name!r}: lower-case letters, digits and underscores")
        if not self.secret_fields:
            raise ValueError(f"system {self.name!r} declares no secret fields")


class Registry(Mapping[str, SystemSpec[Any]]):
    """Every system this deployment knows, by name, in the order registered."""

    def __init__(self, specs: Sequence[SystemSpec[Any]]) -> None:
        self._specs: dict[str, SystemSpec[Any]] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"system {spec.name!r} registered twice")
            self._specs[spec.name] = spec

    def __getitem__(self, name: str) -> SystemSpec[Any]:
        try:
            return self._specs[name]
        except KeyError:
            raise KeyError(f"unknown system {name!r}; registered: {', '.join(self._specs)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)


def elapsed_ms(started: float) -> int:
    """Milliseconds since `started` (a time.perf_counter() reading), for a ping result's latency."""
    return int((time.perf_counter() - started) * 1000)


class PingFailed(Exception):
    """A ping check that failed: what is wrong (`detail`) and what to fix (`fix`)."""

    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fix = fix


TRANSIENT_FIX = "see the error; retry later if it is transient"


def checked_ping(system: str, checks: Callable[[], str], *, error_root: type[Exception], secret_fix: str) -> PingResult:
    """A system's ping checks, timed, as one PingResult: their summary when all pass; a PingFailed's detail and fix;
    a configuration error (no secret, a malformed one) with `secret_fix`; any other of the system's errors as it
    reads."""
    started = time.perf_counter()
    try:
        detail = checks()
    except PingFailed as failed:
        return PingResult(system, False, elapsed_ms(started), failed.detail, failed.fix)
    except ConfigurationError as error:
        return PingResult(system, False, elapsed_ms(started), str(error), secret_fix)
    except error_root as error:
        return PingResult(system, False, elapsed_ms(started), str(error), TRANSIENT_FIX)
    return PingResult(system, True, elapsed_ms(started), detail)
