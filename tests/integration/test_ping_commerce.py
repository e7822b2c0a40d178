"""`ping commerce-intacct` against the simulators: credentials, B2B, where purchase orders come from, and the
vendor master's directions, each said in one line, with what to fix when something is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.ping import PingResult, ping
from sandbox.commerce import CommerceSimulator
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration


def _commerce(stack: Stack) -> CommerceSimulator:
    assert stack.commerce is not None
    return stack.commerce


def _ping(stack: Stack, **secret: Any) -> dict[str, PingResult]:
    stack._put("default", "commerce", {**_commerce(stack).credentials.as_dict(), **secret})
    return {result.system: result for result in ping("commerce-intacct", stack.connection(read_only=True))}


def test_ping_signs_in_to_both_and_says_purchase_orders_come_from_placed_orders(shop: Stack) -> None:
    results = _ping(shop)

    assert results["intacct"].ok, results["intacct"].detail
    commerce = results["commerce"]
    assert commerce.ok, commerce.detail
    assert f"{len(_commerce(shop).orders)} orders visible" in commerce.detail
    assert "B2B installed" in commerce.detail
    assert "has no purchase-order REST route" in commerce.detail
    assert "customers → Intacct vendors off" in commerce.detail


def test_ping_says_when_the_store_has_no_b2b_and_fails_when_the_vendor_master_needs_it(shop: Stack) -> None:
    _commerce(shop).config.b2b_installed = False

    plain = _ping(shop)["commerce"]
    pushing = _ping(shop, vendor_master={"vendors_to_commerce": True})["commerce"]

    assert plain.ok, plain.detail
    assert "B2B is not installed on this store: no purchase orders to post" in plain.detail
    assert not pushing.ok
    assert "vendor_master.vendors_to_commerce" in pushing.fix


def test_ping_reports_an_extension_route_for_purchase_orders(shop: Stack) -> None:
    _commerce(shop).config.purchase_order_route = True

    commerce = _ping(shop)["commerce"]

    assert commerce.ok, commerce.detail
    assert "read from the store's purchase-order REST route" in commerce.detail


def test_ping_with_a_wrong_token_fails_with_the_fix_and_no_secret_in_the_message(shop: Stack) -> None:
    credentials = _commerce(shop).credentials.as_dict()
    wrong = {key: "not-the-secret-value" if "secret" in key else value for key, value in credentials.items()}
    shop._put("default", "commerce", wrong)

    commerce = {r.system: r for r in ping("commerce-intacct", shop.connection(read_only=True))}["commerce"]

    assert not commerce.ok
    assert "OAuth" in commerce.fix
    assert "not-the-secret-value" not in commerce.detail


def test_ping_names_an_unknown_config_key(shop: Stack) -> None:
    commerce = _ping(shop, vendor_master={"vendor_to_commerce": True})["commerce"]

    assert not commerce.ok
    assert "unknown keys: vendor_to_commerce" in commerce.detail
    assert "Commerce secret" in commerce.fix
