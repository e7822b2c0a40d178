"""No secret, token or password reaches a log line, with every logger at DEBUG, through a whole sync."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from mlconnector.engine.observability import logger as powertools_logger
from mlconnector.service import ping, sync
from mlconnector.state.models import TokenItem
from mlconnector.state.tokens import TokenStore
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration


@pytest.fixture
def everything_at_debug() -> Iterator[None]:
    root = logging.getLogger()
    levels = (root.level, powertools_logger.log_level)
    root.setLevel(logging.DEBUG)
    powertools_logger.setLevel("DEBUG")
    yield
    root.setLevel(levels[0])
    powertools_logger.setLevel(levels[1])


def test_a_full_sync_logs_no_secret(
    both: Stack, everything_at_debug: None, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    assert both.marketo is not None
    both.marketo.expire_tokens()
    both.simulator.expire_sessions()
    ping("intacct-marketo", both.connection(read_only=True))
    report = sync("intacct-marketo", both.connection())
    both.simulator.faults.add("status", status=503, match="query", times=1)  # a retry logs its reason
    sync("intacct-marketo", both.connection())
    assert report.counts["created"] > 0

    intacct = both.simulator.credentials.secret
    marketo = both.marketo.credentials.secret
    tokens = TokenStore("default")
    cached = [t.token for t in (tokens.get("intacct", k) for k in _token_keys()) if t] + [
        t.token for t in (tokens.get("marketo", k) for k in _token_keys("marketo")) if t
    ]
    secrets = [*intacct.values(), *marketo.values(), *cached]
    assert len(secrets) >= 4  # two Intacct passwords, the Marketo client secret, the cached session and token
    output = caplog.text + "".join(capsys.readouterr())
    assert "run finished" in output  # the logs really were captured
    for secret in secrets:
        assert secret not in output


def _token_keys(system: str = "intacct") -> list[str]:
    parts = [item.pk.split("#") for item in TokenItem.scan()]
    return [p[-1] for p in parts if len(p) > 2 and p[2] == system]


def test_commerce_intacct_with_every_stream_logs_no_secret(
    shop: Stack, everything_at_debug: None, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bills, purchase orders, credit memos and the vendor master both ways, with an OAuth 1.0a retry."""
    caplog.set_level(logging.DEBUG)
    assert shop.commerce is not None
    options = {
        "posting": {"po_default_item": "COMMERCE-ITEM"},
        "vendor_master": {"customers_to_vendors": True, "vendors_to_commerce": True},
    }
    shop._put("default", "commerce", {**shop.commerce.credentials.as_dict(), **options})
    ping("commerce-intacct", shop.connection(read_only=True))
    shop.commerce.faults.add("status", status=503, match="orders.list", times=1)  # a retry logs its reason
    report = sync("commerce-intacct", shop.connection())
    assert report.counts["created"] > 0
    assert set(report.streams) >= {"customers-to-vendors", "purchase-orders", "vendors-to-companies"}

    secrets = [*shop.simulator.credentials.secret.values(), *shop.commerce.credentials.secret.values()]
    secrets += [t.token for t in (TokenStore("default").get("intacct", k) for k in _token_keys()) if t]
    assert len(secrets) >= 6  # two Intacct passwords, three OAuth 1.0a secrets, the cached Intacct session
    output = caplog.text + "".join(capsys.readouterr())
    assert "run finished" in output
    for secret in secrets:
        assert secret not in output
