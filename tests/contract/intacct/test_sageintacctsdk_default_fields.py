"""fylein's sageintacctsdk 1.28.1, unchanged, reading with its own default field lists (no ``fields`` argument).

``get_all()`` / ``get_all_generator()`` without ``fields`` select ``dimensions_fields_mapping[object]``
(sageintacctsdk/apis/constants.py), the lists production Fyle code sends, so every name in them is a field real
tenants have. The simulator must accept each list (no XL03000010) and hand back every stored record, every
selected field as stored. Checked against the simulator's store.
"""

from __future__ import annotations

import pytest
from sageintacctsdk.apis.constants import dimensions_fields_mapping

from sandbox.intacct import IntacctSimulator
from sandbox.intacct.schema import OBJECTS
from tests.contract.intacct.conftest import MakeSdk, StartSim
from tests.contract.intacct.test_sageintacctsdk import as_read

# SDK attribute -> (object, key field that must round-trip).
SDK_OBJECTS = {
    "vendors": ("VENDOR", "VENDORID"),
    "contacts": ("CONTACT", "CONTACTNAME"),
    "customers": ("CUSTOMER", "CUSTOMERID"),
    "accounts": ("GLACCOUNT", "ACCOUNTNO"),
    "departments": ("DEPARTMENT", "DEPARTMENTID"),
    "locations": ("LOCATION", "LOCATIONID"),
    "classes": ("CLASS", "CLASSID"),
    "projects": ("PROJECT", "PROJECTID"),
    "items": ("ITEM", "ITEMID"),
    "employees": ("EMPLOYEE", "EMPLOYEEID"),
    "bills": ("APBILL", "RECORDNO"),
}


def test_every_simulated_object_with_an_sdk_default_list_is_covered() -> None:
    with_list = {name for name in OBJECTS if name in dimensions_fields_mapping}
    assert {object_name for object_name, _ in SDK_OBJECTS.values()} == with_list


@pytest.mark.parametrize("object_name", sorted(n for n in OBJECTS if n in dimensions_fields_mapping))
def test_the_schema_knows_every_sdk_default_field(object_name: str) -> None:
    fields = OBJECTS[object_name].fields
    assert [name for name in dimensions_fields_mapping[object_name] if name not in fields] == []


def _check(sim: IntacctSimulator, object_name: str, key: str, records: list[dict[str, str | None]]) -> None:
    defaults = dimensions_fields_mapping[object_name]
    stored = {as_read(r[key]): r for r in sim.store.all(object_name)}
    assert len(records) == len(stored)
    assert sorted(str(r[key]) for r in records) == sorted(str(k) for k in stored)
    for record in records:
        expected = stored[record[key]]
        assert set(record) == set(defaults), record[key]
        assert record["RECORDNO"] == expected["RECORDNO"]
        for name in defaults:
            assert record[name] == as_read(expected.get(name)), (record[key], name)


@pytest.mark.parametrize("attribute", sorted(SDK_OBJECTS))
def test_get_all_with_the_sdk_default_fields(sim: IntacctSimulator, sdk: object, attribute: str) -> None:
    object_name, key = SDK_OBJECTS[attribute]
    records = getattr(sdk, attribute).get_all()
    assert records
    _check(sim, object_name, key, records)


@pytest.mark.parametrize("attribute", sorted(SDK_OBJECTS))
def test_get_all_generator_with_the_sdk_default_fields(sim: IntacctSimulator, sdk: object, attribute: str) -> None:
    object_name, key = SDK_OBJECTS[attribute]
    records = [record for page in getattr(sdk, attribute).get_all_generator() for record in page]
    _check(sim, object_name, key, records)


def test_default_fields_across_several_pages(start_sim: StartSim, make_sdk: MakeSdk) -> None:
    """Offset paging with the default list: the SDK's page size (2000) is its private ``__pagesize``; only that
    attribute is lowered so the 15 seeded customers span four pages."""
    sim = start_sim(size=30)
    sdk = make_sdk(sim)
    sdk.customers._ApiBase__pagesize = 4  # type: ignore[attr-defined]
    records = sdk.customers.get_all()
    _check(sim, "CUSTOMER", "CUSTOMERID", records)
    queries = [call for call in sim.calls.log if call.operations == ("query",)]
    assert len(queries) == 1 + 4  # count, then four pages


def test_seeded_sdk_default_fields(sim: IntacctSimulator, sdk: object) -> None:
    """The few SDK-list fields the seed fills (values UNVERIFIED) come back as stored."""
    customers = sdk.customers.get_all()  # type: ignore[attr-defined]
    for customer in customers:
        assert customer["ENTITY"] == "C" + str(customer["CUSTOMERID"])
        assert str(customer["CREATEDBY"]).isdigit()
        assert str(customer["MODIFIEDBY"]).isdigit()
        assert customer["OBJECTRESTRICTION"] == "Unrestricted"
    for class_ in sdk.classes.get_all():  # type: ignore[attr-defined]
        assert class_["RECORD_URL"]
        assert str(class_["CREATEDBY"]).isdigit()
    by_customer_id = {c["CUSTOMERID"]: c["RECORDNO"] for c in customers}
    for project in sdk.projects.get_all():  # type: ignore[attr-defined]
        assert project["CUSTOMERKEY"] == by_customer_id[project["CUSTOMERID"]]
