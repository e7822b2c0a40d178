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


def test_the_flows_declare_their_streams_with_the_systems_and_objects_the_audit_has_always_used(
    shop: Stack,
) -> None:
    from mlconnector.flows.registry import get_integration  # noqa: PLC0415

    shop._put(
        "default",
        "commerce",
        {
            **shop.commerce.credentials.as_dict(),
            "vendor_master": {"customers_to_vendors": True, "vendors_to_commerce": True},
        },
    )
    flow = get_integration("commerce-intacct").build(shop.connection())
    assert [(s.name, s.source_system, s.source_object, s.destination_system) for s in flow.streams] == [
        ("customers-to-vendors", "commerce", "customer", "intacct"),
        ("order-bills", "commerce", "order", "intacct"),
        ("purchase-orders", "commerce", "purchase order", "intacct"),
        ("credit-memo-adjustments", "commerce", "credit memo", "intacct"),
        ("vendors-to-companies", "intacct", "VENDOR", "commerce"),
    ]


def test_the_marketo_flow_declares_its_streams_with_the_audits_systems_and_objects(both: Stack) -> None:
    from mlconnector.flows.registry import get_integration  # noqa: PLC0415

    flow = get_integration("intacct-marketo").build(both.connection())
    assert [(s.name, s.source_system, s.source_object, s.destination_system) for s in flow.streams] == [
        ("companies", "intacct", "VENDOR", "marketo"),
        ("leads", "intacct", "CONTACT", "marketo"),
    ]
