"""Every registered system, end to end through its spec alone: its simulator serves it, the stack puts its secret,
the connection builds its client, and its ping passes."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.plugin import SystemSpec
from mlconnector.systems.registry import SYSTEMS
from tests.integration.conftest import Stack


@pytest.mark.parametrize("spec", list(SYSTEMS.values()), ids=list(SYSTEMS))
def test_a_system_is_served_built_and_pinged_through_its_spec(stack: Stack, spec: SystemSpec[Any]) -> None:
    if spec.name in stack.serving:  # the stack's own Intacct
        _check(stack, spec)
        return
    with stack.serve(spec.simulator(3, 5)):
        _check(stack, spec)


def _check(stack: Stack, spec: SystemSpec[Any]) -> None:
    connection = stack.connection(read_only=True)
    client = connection.client(spec)
    assert connection.client(spec.name) is client
    result = spec.ping(connection)
    assert (result.system, result.ok) == (spec.name, True), result
    assert client.calls > 0
    assert connection.api_calls()[spec.name] == client.calls
