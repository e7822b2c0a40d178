"""Pure mapping: a Commerce credit memo as an Intacct AP adjustment (legacy `create_apadjustment` fields).

The memo names its order only by `order_id`; the writer reads the order for the bill number and the customer
(its vendor) unless the memo already carries them. They are kept out of the hashed payload on purpose: they are
fixed by the order, so a memo's content hash depends on the memo alone.

With bills from invoices (posting config bill_source = "invoices") a memo goes against the bill of its invoice:
its `invoice_id` joins the reference (only then, so a memo's hash with bills from orders stays what it was), and
a memo without one fails with that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.commerce_intacct.order_mapping import customer_of, money, text
from mlconnector.flows.commerce_intacct.posting import PostingConfig

ORDER_KEY = "__order__"  # the memo's order; the writer resolves it to the bill number and the vendor
CANCELED = 3  # Magento\Sales\Model\Order\Creditmemo::STATE_CANCELED


@dataclass(frozen=True)
class AdjustmentConfig:
    posting: PostingConfig = field(default_factory=PostingConfig)
    # UNVERIFIED (Intacct reference §7.4): a negative line amount is a credit memo that reduces what is owed to
    # the vendor. Set +1 if a sandbox company shows the opposite convention.
    credit_sign: int = -1
    adjustment_prefix: str = "MC-CM-"  # adjustmentno = prefix + the credit memo's increment id
    adjustment_account: str | None = None  # "adjustment refund / fee" lines; None = the product lines' account

    def __post_init__(self) -> None:
        if self.credit_sign not in (-1, 1):
            raise ConfigurationError("Commerce adjustments config credit_sign must be -1 or +1")

    @classmethod
    def from_config(cls, posting: PostingConfig, config: Mapping[str, Any] | None) -> AdjustmentConfig:
        """From the optional "adjustments" object of the Commerce secret (credit_sign, adjustment_prefix,
        adjustment_account); an unknown key is a configuration error."""
        config = dict(config or {})
        unknown = sorted(set(config) - {f.name for f in fields(cls)} | ({"posting"} & set(config)))
        if unknown:
            raise ConfigurationError(f"Commerce adjustments config has unknown keys: {', '.join(unknown)}")
        return cls(posting, **config)


def memo_to_adjustment(record: SourceRecord, config: AdjustmentConfig) -> dict[str, Any]:
    """create_apadjustment fields, plus the memo's order under ORDER_KEY for the writer to resolve."""
    memo = dict(record.data)
    if str(memo.get("state")) == str(CANCELED):
        raise SkipRecord("credit memo is canceled")
    currency = text(memo.get("order_currency_code"))
    enabled = config.posting.currencies
    if currency not in enabled:
        raise MappingError(f"currency {currency!r} is not enabled in Intacct (enabled: {', '.join(enabled)})")
    lines = memo_lines(memo, config)
    if not lines:
        raise MappingError("the credit memo has no lines with an amount; an Intacct adjustment needs at least one")
    return {
        ORDER_KEY: order_reference(memo, with_invoice=config.posting.bill_source == "invoices"),
        "adjustmentno": f"{config.adjustment_prefix}{record.key}",
        "datecreated": _date(memo.get("created_at")),
        "description": f"Adobe Commerce credit memo {record.key}",
        "currency": currency,
        "lines": lines,
    }


def order_reference(memo: dict[str, Any], *, with_invoice: bool = False) -> dict[str, Any]:
    """The order's id, and its increment id and customer when the memo carries them (then no order is read);
    `with_invoice`: the id of the memo's invoice too, whose bill the adjustment goes against."""
    order_id = text(memo.get("order_id"))
    if order_id is None or not order_id.isdigit():
        raise MappingError(f"order_id {memo.get('order_id')!r} does not name an order")
    reference: dict[str, Any] = {"id": order_id}
    if with_invoice:
        invoice_id = text(memo.get("invoice_id"))
        if invoice_id is None or not invoice_id.isdigit():
            raise MappingError(
                f"invoice_id {memo.get('invoice_id')!r} names no invoice, and bills are posted per invoice "
                "(posting bill_source = invoices): the adjustment has no bill to go against"
            )
        reference["invoice_id"] = invoice_id
    increment_id = text(memo.get("order_increment_id"))
    if increment_id is not None:
        reference["increment_id"] = increment_id
    if memo.get("customer_id") or memo.get("customer_email"):
        customer = customer_of(memo)
        reference["customer"] = {"key": customer.key, "email": customer.email, "name": customer.name}
    return reference


def memo_lines(memo: dict[str, Any], config: AdjustmentConfig) -> list[dict[str, str]]:
    """One line per refunded item, then shipping, tax and the memo's adjustments; zero amounts are left out."""
    posting, sign = config.posting, config.credit_sign
    lines: list[dict[str, str]] = []
    for item in memo.get("items") or []:
        if item.get("parent_item_id"):
            continue  # a configurable product's child: its parent carries the price
        amount = money(item.get("row_total"), "row_total") - money(item.get("discount_amount") or 0, "discount")
        if amount:
            qty = money(item.get("qty"), "qty").normalize()
            description = f"{text(item.get('sku')) or '?'} {text(item.get('name')) or ''} x{qty}".strip()
            lines.append(_line(posting.item_account, sign * amount, f"Refund {description}"))
    adjustment_account = config.adjustment_account or posting.item_account
    for label, name, account, direction in (
        ("Shipping refund", "shipping_amount", posting.shipping_account, 1),
        ("Tax refund", "tax_amount", posting.tax_account, 1),
        ("Adjustment refund", "adjustment_positive", adjustment_account, 1),
        ("Adjustment fee", "adjustment_negative", adjustment_account, -1),  # kept by the merchant: less refunded
    ):
        amount = money(memo.get(name) or 0, name)
        if amount:
            lines.append(_line(account, sign * direction * amount, label))
    return lines


def adjustment_total(payload: dict[str, Any]) -> Decimal:
    return sum((Decimal(line["amount"]) for line in payload["lines"]), Decimal(0))


def _line(account: str, amount: Decimal, memo: str) -> dict[str, str]:
    return {"glaccountno": account, "amount": str(amount), "memo": memo}


def _date(value: Any) -> str:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").date().isoformat()
    except ValueError:
        raise MappingError(f"created_at {value!r} is not a Commerce timestamp") from None
