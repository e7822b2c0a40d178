"""Start every available simulator on loopback and hand back URLs, simulators and credentials.

    with start_all(seed=7, size=200) as sandbox:
        sandbox.urls["intacct"]            # base URL of the Intacct login listener
        sandbox.intacct.gateway_url        # .../ia/xml/xmlgw.phtml
        sandbox.credentials["intacct"].as_dict()

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

from sandbox.commerce import CommerceSimulator
from sandbox.core.credentials import Credentials
from sandbox.core.server import LoopbackServer
from sandbox.core.simulator import Simulator
from sandbox.intacct import IntacctSimulator
from sandbox.marketo import MarketoSimulator

SimulatorFactory = Callable[[int, int], Simulator]

# Every simulator the sandbox offers; the next ones (Marketo, Mailchimp, ...) register here.
FACTORIES: dict[str, SimulatorFactory] = {
    IntacctSimulator.name: lambda seed, size: IntacctSimulator(seed=seed, size=size),
    # Marketo starts empty (the connector populates it): size does not apply.
    MarketoSimulator.name: lambda seed, _size: MarketoSimulator(seed=seed),
    # Commerce: size = number of seeded orders (customers, invoices, companies scale with it).
    CommerceSimulator.name: lambda seed, size: CommerceSimulator(seed=seed, size=size),
}


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

    @property
    def intacct(self) -> IntacctSimulator:
        simulator = self.servers[IntacctSimulator.name].simulator
        assert isinstance(simulator, IntacctSimulator)
        return simulator

    @property
    def marketo(self) -> MarketoSimulator:
        simulator = self.servers[MarketoSimulator.name].simulator
        assert isinstance(simulator, MarketoSimulator)
        return simulator

    @property
    def commerce(self) -> CommerceSimulator:
        simulator = self.servers[CommerceSimulator.name].simulator
        assert isinstance(simulator, CommerceSimulator)
        return simulator

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


def start_all(seed: int = 0, size: int = 100, ports: Mapping[str, int] | None = None) -> RunningSandbox:
    """Start every simulator in FACTORIES; on any failure, stop the ones already started."""
    ports = dict(ports or {})
    known = {key.split(".")[0] for key in ports}
    if not known <= set(FACTORIES):
        raise ValueError(f"unknown simulators in ports: {sorted(known - set(FACTORIES))}")
    running = RunningSandbox()
    try:
        for name, factory in FACTORIES.items():
            simulator = factory(seed, size)
            running.servers[name] = LoopbackServer(simulator, _ports_for(name, simulator, ports)).start()
    except BaseException:
        running.stop()
        raise
    return running
