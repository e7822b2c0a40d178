"""Platform Services custom objects in the simulator: zendesk_ticket with its relationships, lookup, inspect,
installApp, and the switch that turns Platform Services off."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
import requests

from sandbox.core import SimClock
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, descriptions, errornos, fn, query

START = datetime(2025, 6, 30, 23, 30, 5, tzinfo=UTC)


def _ticket(name: str, extra: str = "", tag: str = "zendesk_ticket") -> str:
    return f"<{tag}><name>{name}</name><zd_ticket_id>{name[3:]}</zd_ticket_id>{extra}</{tag}>"


def _one(gw: Gateway, body: str, controlid: str = "f") -> ET.Element:
    (result,) = gw.login_call(fn(controlid, body)).findall("./operation/result")
    return result


def _start(start_sim: StartSim, **config: object) -> tuple[IntacctSimulator, Gateway]:
    sim = start_sim(config=IntacctSimConfig(**config), clock=SimClock(START, frozen=True))  # type: ignore[arg-type]
    return sim, Gateway(sim)


def _vendor_id(sim: IntacctSimulator, index: int = 0) -> tuple[str, str]:
    vendor = sim.store.all("VENDOR")[index]
    return vendor["VENDORID"], vendor["RECORDNO"]


def test_create_with_relationship_then_read_by_name_and_query_across_it(start_sim: StartSim) -> None:
    sim, gw = _start(start_sim)
    vendor_id, vendor_no = _vendor_id(sim)
    extra = (
        "<zd_subject>Invoice 1001 not received</zd_subject><zd_status>open</zd_status>"
        "<zd_created_at>2024-03-01T12:00:00Z</zd_created_at><zd_updated_at>03/02/2024 09:30:00</zd_updated_at>"
        f"<RVENDOR>{vendor_id}</RVENDOR>"
    )
    created = _one(gw, f"<create>{_ticket('ZD-35436', extra)}</create>")
    assert created.findtext("status") == "success", descriptions(created)
    echo = created.find("data/zendesk_ticket")
    assert echo is not None
    assert (echo.findtext("ID"), echo.findtext("NAME")) == ("10001", "ZD-35436")
    (stored,) = sim.custom_records("zendesk_ticket")
    assert stored["ID"] == "10001"
    assert stored["ZD_CREATED_AT"] == "03/01/2024 12:00:00"
    assert stored["ZD_UPDATED_AT"] == "03/02/2024 09:30:00"
    assert stored["R_ZENDESK_TICKET_VENDOR.VENDORID"] == vendor_id
    assert stored["R_ZENDESK_TICKET_VENDOR.RECORDNO"] == vendor_no
    assert stored["WHENCREATED"] == stored["WHENMODIFIED"] == "06/30/2025 23:30:05"

    read = _one(gw, "<readByName><object>zendesk_ticket</object><keys>ZD-35436</keys><fields>id,name,zd_updated_at"
                "</fields></readByName>")  # fmt: skip
    record = read.find("data/ZENDESK_TICKET")
    assert record is not None
    assert [child.tag for child in record] == ["ID", "NAME", "ZD_UPDATED_AT"]
    assert record.findtext("ID") == "10001"

    filter_xml = f"<equalto><field>R_zendesk_ticket_vendor.VENDORID</field><value>{vendor_id}</value></equalto>"
    listed = _one(gw, query("zendesk_ticket", ["name", "zd_status"], filter_xml=filter_xml))
    assert listed.findtext("status") == "success", descriptions(listed)
    assert [r.findtext("NAME") for r in listed.findall("data/ZENDESK_TICKET")] == ["ZD-35436"]
    other = f"<equalto><field>R_zendesk_ticket_vendor.VENDORID</field><value>{_vendor_id(sim, 1)[0]}</value></equalto>"
    assert _one(gw, query("zendesk_ticket", ["name"], filter_xml=other)).findall("data/ZENDESK_TICKET") == []


def test_read_by_query_across_the_relationship(start_sim: StartSim) -> None:
    sim, gw = _start(start_sim)
    vendor_id, _ = _vendor_id(sim)
    _one(gw, f"<create>{_ticket('ZD-1', f'<RVENDOR>{vendor_id}</RVENDOR>')}{_ticket('ZD-2')}</create>")
    query_text = f"R_zendesk_ticket_vendor.VENDORID = '{vendor_id}'"
    body = (
        f"<readByQuery><object>zendesk_ticket</object><fields>id,name</fields><query>{query_text}</query></readByQuery>"
    )
    result = _one(gw, body)
    assert result.findtext("status") == "success", descriptions(result)
    assert [r.findtext("NAME") for r in result.findall("data/zendesk_ticket")] == ["ZD-1"]


def test_update_by_id_read_and_delete(start_sim: StartSim) -> None:
    sim, gw = _start(start_sim)
    _one(gw, f"<create>{_ticket('ZD-1')}{_ticket('ZD-2')}</create>")
    sim.clock.advance(60)
    updated = _one(gw, "<update><zendesk_ticket><id>10002</id><zd_status>solved</zd_status></zendesk_ticket></update>")
    assert updated.findtext("status") == "success", descriptions(updated)
    read = _one(gw, "<read><object>ZENDESK_TICKET</object><keys>10002</keys><fields>*</fields></read>")
    record = read.find("data/ZENDESK_TICKET")
    assert record is not None
    assert (record.findtext("NAME"), record.findtext("ZD_STATUS")) == ("ZD-2", "solved")
    assert record.findtext("WHENMODIFIED") == "06/30/2025 23:31:05"
    deleted = _one(gw, "<delete><object>zendesk_ticket</object><keys>10001</keys></delete>")
    assert deleted.findtext("status") == "success"
    assert [r["NAME"] for r in sim.custom_records("zendesk_ticket")] == ["ZD-2"]


def test_relationship_takes_the_configured_key_and_can_be_cleared(start_sim: StartSim) -> None:
    sim, gw = _start(start_sim, relationship_key="RECORDNO")
    vendor_id, vendor_no = _vendor_id(sim)
    by_id = _one(gw, f"<create>{_ticket('ZD-1', f'<RVENDOR>{vendor_id}</RVENDOR>')}</create>")
    assert by_id.findtext("status") == "failure"
    assert "RVENDOR" in descriptions(by_id)
    customer = sim.store.all("CUSTOMER")[0]
    both = f"<RVENDOR>{vendor_no}</RVENDOR><RCUSTOMER>{customer['RECORDNO']}</RCUSTOMER>"
    assert _one(gw, f"<create>{_ticket('ZD-1', both)}</create>").findtext("status") == "success"
    (stored,) = sim.custom_records("zendesk_ticket")
    assert stored["R_ZENDESK_TICKET_VENDOR.VENDORID"] == vendor_id
    assert stored["R_ZENDESK_TICKET_CUSTOMER.CUSTOMERID"] == customer["CUSTOMERID"]
    cleared = _one(gw, "<update><zendesk_ticket><id>10001</id><RVENDOR></RVENDOR></zendesk_ticket></update>")
    assert cleared.findtext("status") == "success", descriptions(cleared)
    (stored,) = sim.custom_records("zendesk_ticket")
    assert "RVENDOR" not in stored
    assert "R_ZENDESK_TICKET_VENDOR.VENDORID" not in stored
    assert stored["R_ZENDESK_TICKET_CUSTOMER.RECORDNO"] == customer["RECORDNO"]


def test_relationship_fields_are_not_written_directly_and_names_are_unique(start_sim: StartSim) -> None:
    _sim, gw = _start(start_sim)
    related = "<R_zendesk_ticket_vendor><VENDORID>V1</VENDORID></R_zendesk_ticket_vendor>"
    direct = _one(gw, f"<create>{_ticket('ZD-1', related)}</create>")
    assert direct.findtext("status") == "failure"
    assert _one(gw, f"<create>{_ticket('ZD-1')}</create>").findtext("status") == "success"
    again = _one(gw, f"<create>{_ticket('ZD-1')}</create>")
    assert again.findtext("status") == "failure"
    assert "already exists" in descriptions(again)


@pytest.mark.parametrize(
    ("accepted", "iso_ok", "us_ok"), [("iso", True, False), ("us", False, True), ("both", True, True)]
)
def test_date_forms_follow_the_configuration(start_sim: StartSim, accepted: str, iso_ok: bool, us_ok: bool) -> None:
    _sim, gw = _start(start_sim, custom_date_input=accepted)
    iso = _one(gw, f"<create>{_ticket('ZD-1', '<zd_created_at>2024-03-01</zd_created_at>')}</create>")
    us = _one(gw, f"<create>{_ticket('ZD-2', '<zd_created_at>03/01/2024 08:00:00</zd_created_at>')}</create>")
    assert (iso.findtext("status") == "success", us.findtext("status") == "success") == (iso_ok, us_ok)


def test_at_most_100_records_per_create(start_sim: StartSim) -> None:
    sim, gw = _start(start_sim)
    too_many = _one(gw, "<create>" + "".join(_ticket(f"ZD-{n}") for n in range(101)) + "</create>")
    assert too_many.findtext("status") == "failure"
    assert sim.custom_records("zendesk_ticket") == []
    assert (
        _one(gw, "<create>" + "".join(_ticket(f"ZD-{n}") for n in range(100)) + "</create>").findtext("status")
        == "success"
    )


def test_lookup_names_fields_and_relationships(gw: Gateway) -> None:
    result = _one(gw, "<lookup><object>zendesk_ticket</object></lookup>")
    assert result.findtext("status") == "success", descriptions(result)
    type_element = result.find("data/Type")
    assert type_element is not None
    assert type_element.get("Name") == "zendesk_ticket"
    ids = [f.findtext("ID") for f in type_element.findall("Fields/Field")]
    assert ids[:3] == ["id", "name", "zd_ticket_id"]
    assert "RVENDOR" in ids
    assert not any(i and i.startswith("R_") for i in ids)
    relationships = [
        (r.findtext("OBJECTPATH"), r.findtext("OBJECTNAME"), r.findtext("RELATEDBY"))
        for r in type_element.findall("Relationships/Relationship")
    ]
    assert relationships == [
        ("R_zendesk_ticket_vendor", "VENDOR", "RVENDOR"),
        ("R_zendesk_ticket_customer", "CUSTOMER", "RCUSTOMER"),
    ]
    vendor = _one(gw, "<lookup><object>VENDOR</object></lookup>").find("data/Type")
    assert vendor is not None
    assert vendor.find("Relationships") is None


def test_inspect_lists_the_custom_object(gw: Gateway) -> None:
    listed = _one(gw, "<inspect><object>*</object></inspect>")
    names = [t.get("typename") for t in listed.findall("data/type")]
    assert "VENDOR" in names
    assert "zendesk_ticket" in names
    one = _one(gw, "<inspect><object>zendesk_ticket</object></inspect>")
    assert [f.text for f in one.findall("data/Type/Fields/Field")][:2] == ["id", "name"]


@pytest.mark.parametrize("config", [{"platform_services": False}, {"custom_objects_installed": ()}])
def test_without_platform_services_the_object_is_unknown(start_sim: StartSim, config: dict[str, object]) -> None:
    sim, gw = _start(start_sim, **config)
    unknown = sim.config.unknown_object_errorno
    calls = [
        f"<create>{_ticket('ZD-1')}</create>",
        "<readByName><object>zendesk_ticket</object><keys>ZD-1</keys></readByName>",
        "<read><object>zendesk_ticket</object><keys>10001</keys></read>",
        "<delete><object>zendesk_ticket</object><keys>10001</keys></delete>",
        query("zendesk_ticket", ["name"]),
        "<readByQuery><object>zendesk_ticket</object><query></query></readByQuery>",
        "<lookup><object>zendesk_ticket</object></lookup>",
        "<inspect><object>zendesk_ticket</object></inspect>",
        "<update><zendesk_ticket><id>10001</id></zendesk_ticket></update>",
    ]
    for body in calls:
        result = _one(gw, body)
        assert result.findtext("status") == "failure", body
        assert errornos(result) == [unknown], body
        assert "Object definition zendesk_ticket not found" in descriptions(result)
    names = [t.get("typename") for t in _one(gw, "<inspect><object>*</object></inspect>").findall("data/type")]
    assert "zendesk_ticket" not in names


def test_install_app_installs_the_object(start_sim: StartSim) -> None:
    sim, gw = _start(start_sim, custom_objects_installed=())
    refused = _one(gw, "<installApp><appxml><![CDATA[<application>other</application>]]></appxml></installApp>")
    assert refused.findtext("status") == "failure"
    appxml = "<application><object name='zendesk_ticket'/></application>"
    app = f"<installApp><appxml><![CDATA[{appxml}]]></appxml></installApp>"
    assert _one(gw, app).findtext("status") == "success"
    assert sim.config.custom_objects_installed == ("zendesk_ticket",)
    assert _one(gw, f"<create>{_ticket('ZD-1')}</create>").findtext("status") == "success"
    sim.config.platform_services = False
    assert _one(gw, app).findtext("status") == "failure"


def test_admin_lists_custom_records_and_switches_platform_services(gw: Gateway) -> None:
    _one(gw, f"<create>{_ticket('ZD-7')}</create>")
    base = gw.sim.url + "/_sandbox"
    listed = requests.get(f"{base}/custom/zendesk_ticket", timeout=5).json()
    assert [r["NAME"] for r in listed["records"]] == ["ZD-7"]
    assert requests.get(f"{base}/records/ZENDESK_TICKET/ZD-7", timeout=5).json()["record"]["ID"] == "10001"
    patched = requests.patch(
        f"{base}/config", json={"platform_services": False, "custom_objects_installed": []}, timeout=5
    )
    assert patched.status_code == 200
    assert gw.sim.config.custom_objects_installed == ()
    assert requests.patch(f"{base}/config", json={"relationship_key": "X"}, timeout=5).status_code == 400


def test_python_accessors_edit_custom_records(sim: IntacctSimulator) -> None:
    added = sim.insert_record("ZENDESK_TICKET", {"NAME": "ZD-9", "ZD_STATUS": "new"})
    assert added["ID"] == added["RECORDNO"] == "10001"
    sim.update_record("ZENDESK_TICKET", "ZD-9", {"ZD_STATUS": "open", "ID": "5"})
    stored = sim.get_record("ZENDESK_TICKET", "10001")
    assert stored is not None
    assert (stored["NAME"], stored["ZD_STATUS"], stored["ID"]) == ("ZD-9", "open", "10001")
