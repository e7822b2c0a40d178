"""searchCriteria: filters (AND of ORs), condition types, sorting, paging, limits, fields=."""

from __future__ import annotations

from sandbox.commerce import CommerceSimConfig, CommerceSimulator
from tests.unit.sandbox_commerce.conftest import StartCommerce, criteria, get


def _ids(response_json: dict[str, object]) -> list[int]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [item["entity_id"] for item in items]


def test_groups_are_anded_filters_ored(sim: CommerceSimulator) -> None:
    params = criteria(
        [("status", "complete", "eq"), ("status", "closed", "eq")],
        [("order_currency_code", "USD", "eq")],
        pageSize=100,
    )
    body = get(sim, "/orders", params).json()
    expected = sorted(
        i for i, o in sim.orders.items()
        if o["status"] in ("complete", "closed") and o["order_currency_code"] == "USD"
    )  # fmt: skip
    assert expected
    assert sorted(_ids(body)) == expected
    assert body["total_count"] == len(expected)
    assert body["search_criteria"]["filter_groups"][0]["filters"][1]["value"] == "closed"


def test_condition_types(sim: CommerceSimulator) -> None:
    orders = sim.orders

    def ids(field: str, value: str, condition: str) -> list[int]:
        return sorted(_ids(get(sim, "/orders", criteria([(field, value, condition)], pageSize=300)).json()))

    assert ids("entity_id", "5", "gt") == [i for i in orders if i > 5]
    assert ids("entity_id", "5", "lteq") == [1, 2, 3, 4, 5]
    assert ids("entity_id", "2,4,99", "in") == [2, 4]
    assert ids("entity_id", "2,4", "nin") == [i for i in orders if i not in (2, 4)]
    assert ids("customer_id", "", "null") == [i for i, o in orders.items() if "customer_id" not in o]
    assert ids("customer_email", "", "notnull") == [i for i, o in orders.items() if "customer_email" in o]
    # MySQL collation: case-insensitive; NULL matches neither neq nor nlike.
    email = orders[1]["customer_email"]
    assert ids("customer_email", email.upper(), "eq") == [
        i for i, o in orders.items() if o.get("customer_email") == email
    ]
    assert ids("customer_email", "%EXAMPLE.NET", "like") == [
        i for i, o in orders.items() if o.get("customer_email", "").endswith("example.net")
    ]
    assert ids("customer_email", email, "neq") == [
        i for i, o in orders.items() if "customer_email" in o and o["customer_email"] != email
    ]
    assert ids("grand_total", "100", "moreq") == [i for i, o in orders.items() if o["grand_total"] >= 100]


def test_updated_at_incremental_filter_sees_changes(sim: CommerceSimulator) -> None:
    sim.clock.advance(60)
    watermark = sim.now_stamp()
    params = criteria(
        [("updated_at", watermark, "gteq")], sort=[("updated_at", "ASC"), ("entity_id", "ASC")], pageSize=100
    )
    assert get(sim, "/orders", params).json()["total_count"] == 0
    before = sim.orders[7]["updated_at"]
    changed = sim.update_order(7, {"status": "holded", "state": "holded"})
    assert changed["updated_at"] > before
    added = sim.add_order(customer_id=2, invoiced=True)
    body = get(sim, "/orders", params).json()
    assert _ids(body) == [7, added["entity_id"]]
    invoices = get(sim, "/invoices", criteria([("updated_at", watermark, "gteq")])).json()
    assert [inv["order_id"] for inv in invoices["items"]] == [added["entity_id"]]


def test_sort_defaults_to_descending_and_paging(sim: CommerceSimulator) -> None:
    body = get(sim, "/orders", criteria(sort=[("grand_total", "")], pageSize=3, currentPage=2)).json()
    totals = sorted((o["grand_total"] for o in sim.orders.values()), reverse=True)
    assert [item["grand_total"] for item in body["items"]] == totals[3:6]
    assert body["total_count"] == len(sim.orders)
    assert body["search_criteria"]["current_page"] == 2


def test_out_of_range_page_empty_or_legacy_last_page(start_commerce: StartCommerce) -> None:
    modern = start_commerce(size=10)
    total = len(modern.orders)
    body = get(modern, "/orders", criteria(pageSize=10, currentPage=99)).json()
    assert (body["items"], body["total_count"]) == ([], total)
    legacy = start_commerce(size=10, config=CommerceSimConfig(legacy_repeat_last_page=True))
    last = get(legacy, "/orders", criteria(pageSize=10, currentPage=(total + 9) // 10)).json()
    again = get(legacy, "/orders", criteria(pageSize=10, currentPage=99)).json()
    assert again["items"] == last["items"] != []


def test_limits_and_bad_criteria_are_400(sim: CommerceSimulator) -> None:
    too_big = get(sim, "/orders", criteria(pageSize=301))
    assert too_big.status_code == 400
    assert too_big.json() == {"message": "Maximum SearchCriteria pageSize is %max", "parameters": {"max": 300}}
    assert get(sim, "/orders", criteria(pageSize=300)).status_code == 200
    missing = get(sim, "/orders")
    assert missing.status_code == 400
    assert missing.json()["parameters"] == {"fieldName": "searchCriteria"}
    assert get(sim, "/orders", criteria([("entity_id", "1", "almost")])).status_code == 400
    assert get(sim, "/orders", criteria(sort=[("entity_id", "UP")])).status_code == 400
    assert get(sim, "/orders", criteria(pageSize="ten")).status_code == 400
    unknown_column = get(sim, "/orders", criteria([("items", "x", "eq")]))
    assert unknown_column.status_code == 500
    assert unknown_column.json()["message"].startswith("Internal Error.")


def test_default_page_size_applies_without_page_size(sim: CommerceSimulator) -> None:
    body = get(sim, "/orders", criteria()).json()
    assert len(body["items"]) == sim.config.default_page_size < body["total_count"]


def test_fields_projection(sim: CommerceSimulator) -> None:
    params = {**criteria(pageSize=2), "fields": "items[entity_id,increment_id,billing_address[city]],total_count"}
    body = get(sim, "/orders", params).json()
    assert set(body) == {"items", "total_count"}
    assert set(body["items"][0]) == {"entity_id", "increment_id", "billing_address"}
    assert set(body["items"][0]["billing_address"]) == {"city"}
    one = get(sim, "/orders/3", {"fields": "entity_id,updated_at"}).json()
    assert one == {"entity_id": 3, "updated_at": sim.orders[3]["updated_at"]}
