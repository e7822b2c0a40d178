"""The filterable/sortable columns of each entity's main table (only top-level attributes are)."""

from __future__ import annotations

_DOCUMENT = frozenset(
    {"entity_id", "increment_id", "order_id", "store_id", "state", "order_currency_code", "base_currency_code",
     "global_currency_code", "subtotal", "base_subtotal", "tax_amount", "base_tax_amount", "shipping_amount",
     "base_shipping_amount", "discount_amount", "grand_total", "base_grand_total", "billing_address_id",
     "created_at", "updated_at"}
)  # fmt: skip

COLUMNS: dict[str, frozenset[str]] = {
    "orders": frozenset(
        {"entity_id", "increment_id", "quote_id", "state", "status", "created_at", "updated_at", "store_id",
         "store_name", "customer_id", "customer_is_guest", "customer_email", "customer_firstname",
         "customer_lastname", "customer_group_id", "order_currency_code", "base_currency_code",
         "global_currency_code", "store_currency_code", "grand_total", "base_grand_total", "subtotal",
         "base_subtotal", "tax_amount", "base_tax_amount", "shipping_amount", "discount_amount", "total_due",
         "total_paid", "total_invoiced", "total_refunded", "total_item_count", "total_qty_ordered", "is_virtual"}
    ),
    "invoices": _DOCUMENT,
    "creditmemos": _DOCUMENT
    | {"invoice_id", "adjustment_positive", "adjustment_negative", "creditmemo_status"},
    "customers": frozenset(
        {"entity_id", "email", "firstname", "lastname", "middlename", "group_id", "store_id", "website_id",
         "created_at", "updated_at", "default_billing", "default_shipping", "created_in", "dob", "gender",
         "taxvat", "disable_auto_group_change"}
    ),
    "companies": frozenset(
        {"id", "status", "company_name", "legal_name", "company_email", "vat_tax_id", "reseller_id", "comment",
         "city", "country_id", "region", "region_id", "postcode", "telephone", "customer_group_id",
         "sales_representative_id", "super_user_id", "reject_reason", "rejected_at"}
    ),
}  # fmt: skip

# Columns whose REST data object names them differently. The customer table's key is `entity_id`, while the
# customer data object says `id`; searchCriteria filters and sorts on the column, and `id` is refused (it is no
# attribute of the customer collection, magento2#7530).
FIELD_OF_COLUMN: dict[str, dict[str, str]] = {"customers": {"entity_id": "id"}}
