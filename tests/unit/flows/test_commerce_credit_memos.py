"""The pure mapping of Commerce credit memos to Intacct AP adjustments, and the function built from it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord, WriteItem
from mlconnector.flows.commerce_intacct.adjustment_writer import adjustment
from mlconnector.flows.commerce_intacct.memo_mapping import (
    ORDER_KEY,
    AdjustmentConfig,
    adjustment_total,
    memo_to_adjustment,
)
from mlconnector.flows.commerce_intacct.posting import PostingConfig

CONFIG = AdjustmentConfig()


def _memo(**overrides: Any) -> dict[str, Any]:
    memo: dict[str, Any] = {
        "entity_id": 7,
        "increment_id": "000000007",
        "order_id": 42,
        "state": 2,
        "order_currency_code": "USD",
        "created_at": "2024-03-05 23:59:01",
        "items": [
            {"sku": "WS12", "name": "Radiant Tee", "qty": 2, "row_total": 44, "discount_amount": 4},
            {"sku": "WS12-M", "name": "child", "qty": 2, "row_total": 0, "parent_item_id": 9},
            {"sku": "FREE", "name": "gift", "qty": 1, "row_total": 0},
        ],
        "shipping_amount": 5,
        "tax_amount": "3.30",
        "adjustment_positive": 10,
        "adjustment_negative": 2.5,
        "grand_total": "55.80",
    }
    memo.update(overrides)
    return memo


def _map(config: AdjustmentConfig = CONFIG, **overrides: Any) -> dict[str, Any]:
    memo = _memo(**overrides)
    return memo_to_adjustment(SourceRecord(str(memo["increment_id"]), memo), config)


def test_a_memo_becomes_negative_lines_per_item_shipping_tax_and_adjustments() -> None:
    payload = _map()
    assert payload["adjustmentno"] == "MC-CM-000000007"
    assert payload["datecreated"] == "2024-03-05"
    assert payload["currency"] == "USD"
    assert payload[ORDER_KEY] == {"id": "42"}
    assert [(line["glaccountno"], line["amount"]) for line in payload["lines"]] == [
        ("5000", "-40.00"),  # row total less the item's discount; the child and the zero line are left out
        ("6700", "-5.00"),
        ("2200", "-3.30"),
        ("5000", "-10.00"),
        ("5000", "2.50"),  # the adjustment fee is kept by the merchant: it reduces the credit
    ]
    assert payload["lines"][0]["memo"] == "Refund WS12 Radiant Tee x2"
    assert adjustment_total(payload) == -Decimal("55.80")  # the memo's grand total, as a credit


def test_sign_and_accounts_follow_the_config() -> None:
    config = AdjustmentConfig(PostingConfig(item_account="4000"), credit_sign=1, adjustment_account="4900")
    amounts = [(line["glaccountno"], line["amount"]) for line in _map(config)["lines"]]
    assert amounts[0] == ("4000", "40.00")
    assert amounts[-2:] == [("4900", "10.00"), ("4900", "-2.50")]
    with pytest.raises(ConfigurationError, match="credit_sign"):
        AdjustmentConfig(credit_sign=0)


def test_the_adjustments_config_comes_from_the_secret_and_refuses_unknown_keys() -> None:
    posting = PostingConfig(item_account="4000")
    config = AdjustmentConfig.from_config(posting, {"credit_sign": 1, "adjustment_prefix": "CM-"})
    assert (config.posting, config.credit_sign, config.adjustment_prefix) == (posting, 1, "CM-")
    assert AdjustmentConfig.from_config(posting, None) == AdjustmentConfig(posting)
    with pytest.raises(ConfigurationError, match="unknown keys: credit_sing"):
        AdjustmentConfig.from_config(posting, {"credit_sing": 1})
    with pytest.raises(ConfigurationError, match="unknown keys: posting"):
        AdjustmentConfig.from_config(posting, {"posting": {}})


def test_the_order_reference_carries_customer_and_number_when_the_memo_has_them() -> None:
    reference = _map(order_increment_id="000000042", customer_id=3, customer_email="Jo@Example.com")[ORDER_KEY]
    assert reference == {
        "id": "42",
        "increment_id": "000000042",
        "customer": {"key": "customer:3", "email": "jo@example.com", "name": "Jo@Example.com"},
    }


def test_a_shipping_only_refund_is_a_valid_adjustment() -> None:
    lines = _map(items=[], tax_amount=0, adjustment_positive=0, adjustment_negative=0)["lines"]
    assert [(line["memo"], line["amount"]) for line in lines] == [("Shipping refund", "-5.00")]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"items": [], "shipping_amount": 0, "tax_amount": 0, "adjustment_positive": 0, "adjustment_negative": 0},
         "no lines"),
        ({"order_currency_code": "XTS"}, "currency 'XTS' is not enabled"),
        ({"order_currency_code": None}, "currency None is not enabled"),
        ({"order_id": None}, "does not name an order"),
        ({"created_at": "yesterday"}, "not a Commerce timestamp"),
        ({"shipping_amount": "lots"}, "shipping_amount 'lots' is not an amount"),
    ],
)  # fmt: skip
def test_bad_memos_fail_with_their_reason(overrides: dict[str, Any], reason: str) -> None:
    with pytest.raises(MappingError, match=reason):
        _map(**overrides)


def test_a_canceled_memo_is_skipped() -> None:
    with pytest.raises(SkipRecord, match="canceled"):
        _map(state=3)


def test_the_function_is_deterministic_per_memo_and_content() -> None:
    payload = _map()

    def function(content_hash: str) -> Any:
        item = WriteItem(SourceRecord("000000007", _memo()), payload, content_hash, None)
        return adjustment(item, "V100", "MC-000000042")

    first, again, changed = function("a" * 64), function("a" * 64), function("b" * 64)
    assert first.controlid == again.controlid != changed.controlid
    assert (first.vendor_id, first.bill_no, first.adjustment_no) == ("V100", "MC-000000042", "MC-CM-000000007")
    assert [line.amount for line in first.lines] == [Decimal(line["amount"]) for line in payload["lines"]]
    assert first.date_created.isoformat() == "2024-03-05"
