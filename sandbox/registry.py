"""Start every available simulator on loopback and hand back URLs, simulators and credentials.

    with start_all(seed=7, size=200) as sandbox:
        sandbox.urls["intacct"]            # base URL of the Intacct login listener
        sandbox["intacct"]                 # the simulator; sandbox.intacct is the same, typed
        sandbox.intacct.gateway_url        # .../ia/xml/xmlgw.phtml
        sandbox.credentials["intacct"].as_dict()

The simulators are those of the connector's systems registry (mlconnector/systems/registry.py): each system's
spec names the simulator that serves it, built as ``simulator(seed, size)``.

``ports`` pins ports: ``{"intacct": 8081, "intacct.session": 8082}`` (``<name>`` = the primary
listener, ``<name>.<listener>`` = another one); everything else is ephemeral (port 0). Intacct's
``session`` listener only serves sessions when its ``session_endpoint_mode`` is ``"session"``; by
default getAPISession hands out the login URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from mlconnector.systems.registry import SYSTEMS
from sandbox.commerce import CommerceSimulator
from sandbox.core.credentials import Credentials
from sandbox.core.server import LoopbackServer
from sandbox.core.simulator import Simulator
from sandbox.intacct import IntacctSimulator
from sandbox.marketo import MarketoSimulator

SimulatorFactory = Callable[[int, int], Simulator]
"""simulator(seed, size): size is how much to seed (Intacct vendors, Commerce orders); a simulator that starts
empty ignores it."""

# Every simulator the sandbox offers: one per registered system, from its spec.
FACTORIES: dict[str, SimulatorFactory] = {spec.name: spec.simulator for spec in SYSTEMS.values()}


def _credentials(simulator: Simulator) -> Credentials:
    found = getattr(simulator, "credentials", None)
    return found if isinstance(found, Credentials) else Credentials({}, {})


@dataclass
class RunningSandbox:
    servers: dict[str, LoopbackServer] = field(default_factory=dict)

    @property
    def simulators(self) -> dict[str, Simulator]:
        return {name: server.simulator for name, server in self.servers.items()}

    @property
    def urls(self) -> dict[str, str]:
        """Base URL of each simulator's primary listener."""
        return {name: server.url for name, server in self.servers.items()}

    @property
    def credentials(self) -> dict[str, Credentials]:
        return {name: _credentials(server.simulator) for name, server in self.servers.items()}

    def __getitem__(self, name: str) -> Simulator:
        """The running simulator of a system, by its registered name."""
        return self.servers[name].simulator

    def of[S: Simulator](self, kind: type[S]) -> S:
        """The running simulator of this class, typed: ``sandbox.of(IntacctSimulator)``."""
        simulator = self[kind.name]
        assert isinstance(simulator, kind)
        return simulator

    # Typed shortcuts kept for existing callers; a new system needs none (sandbox[name] or sandbox.of(cls)).
    @property
    def intacct(self) -> IntacctSimulator:
        return self.of(IntacctSimulator)

    @property
    def marketo(self) -> MarketoSimulator:
        return self.of(MarketoSimulator)

    @property
    def commerce(self) -> CommerceSimulator:
        return self.of(CommerceSimulator)

    def stop(self) -> None:
        for server in reversed(list(self.servers.values())):
            server.stop()
        self.servers.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _ports_for(name: str, simulator: Simulator, ports: Mapping[str, int]) -> dict[str, int]:
    primary, *others = simulator.listener_names
    chosen = {primary: ports[name]} if name in ports else {}
    chosen.update({listener: ports[f"{name}.{listener}"] for listener in others if f"{name}.{listener}" in ports})
    return chosen


def start_all(
    seed: int = 0,
    size: int = 100,
    ports: Mapping[str, int] | None = None,
    factories: Mapping[str, SimulatorFactory] | None = None,
) -> RunningSandbox:
    """Start every simulator in FACTORIES; on any failure, stop the ones already started. ``factories`` builds
    some of them another way (e.g. an Intacct seeded with other volumes), by name."""
    ports = dict(ports or {})
    chosen = {**FACTORIES, **(factories or {})}
    known = {key.split(".")[0] for key in ports} | set(factories or {})
    if not known <= set(FACTORIES):
        raise ValueError(f"unknown simulators in ports or factories: {sorted(known - set(FACTORIES))}")
    running = RunningSandbox()
    try:
        for name, factory in chosen.items():
            simulator = factory(seed, size)
            running.servers[name] = LoopbackServer(simulator, _ports_for(name, simulator, ports)).start()
    except BaseException:
        running.stop()
        raise
    return running
