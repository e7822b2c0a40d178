"""Generic create/update/delete: WHENMODIFIED, validation, uniqueid duplicates, transactions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from sandbox.core import SimClock
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, descriptions, errornos, fn

START = datetime(2025, 6, 30, 23, 30, 5, tzinfo=UTC)


def _vendor(vendor_id: str | None, name: str | None = "Acme &amp; Co", extra: str = "") -> str:
    vid = f"<VENDORID>{vendor_id}</VENDORID>" if vendor_id is not None else ""
    nm = f"<NAME>{name}</NAME>" if name is not None else ""
    return f"<VENDOR>{vid}{nm}{extra}</VENDOR>"


def _create(*objects: str) -> str:
    return "<create>" + "".join(objects) + "</create>"


def _results(
    gw: Gateway, functions: str, *, uniqueid: str | None = "false", transaction: str | None = None
) -> list[ET.Element]:
    return gw.login_call(functions, uniqueid=uniqueid, transaction=transaction).findall("./operation/result")


def _frozen(start_sim: StartSim, **config: object) -> tuple[IntacctSimulator, Gateway]:
    sim = start_sim(config=IntacctSimConfig(**config), clock=SimClock(START, frozen=True))  # type: ignore[arg-type]
    return sim, Gateway(sim)


def test_create_returns_objects_and_stamps_whenmodified(start_sim: StartSim) -> None:
    sim, gw = _frozen(start_sim)
    (result,) = _results(
        gw, fn("c", _create(_vendor("VNEW", extra="<DISPLAYCONTACT><EMAIL1>ap@new.example</EMAIL1></DISPLAYCONTACT>")))
    )
    assert result.findtext("status") == "success"
    data = result.find("data")
    assert data is not None
    assert (data.get("listtype"), data.get("count")) == ("objects", "1")
    created = data.find("vendor")
    assert created is not None
    assert created.findtext("VENDORID") == "VNEW"
    stored = sim.get_record("VENDOR", "VNEW")
    assert stored is not None
    assert created.findtext("RECORDNO") == stored["RECORDNO"]
    assert stored["WHENMODIFIED"] == stored["WHENCREATED"] == "06/30/2025 23:30:05"
    assert stored["DISPLAYCONTACT.EMAIL1"] == "ap@new.example"
    assert stored["STATUS"] == "active"
    assert stored["DISPLAYCONTACT.CONTACTNAME"] == "Acme & Co(VVNEW)"


def test_update_moves_whenmodified_in_the_configured_zone(start_sim: StartSim) -> None:
    sim, gw = _frozen(start_sim, timezone="America/Los_Angeles")
    sim.clock.advance(3600)
    (result,) = _results(gw, fn("u", "<update><VENDOR><VENDORID>V100</VENDORID><NAME>Renamed</NAME></VENDOR></update>"))
    assert result.findtext("status") == "success"
    assert result.findtext("data/vendor/VENDORID") == "V100"
    stored = sim.get_record("VENDOR", "V100")
    assert stored is not None
    assert stored["NAME"] == "Renamed"
    assert stored["WHENMODIFIED"] == "06/30/2025 17:30:05"  # 00:30:05 UTC on 07/01 is PDT -7h


def test_update_by_recordno_and_clearing_a_field(sim: IntacctSimulator, gw: Gateway) -> None:
    record = sim.get_record("VENDOR", "V104")
    assert record is not None
    body = f"<update><VENDOR><RECORDNO>{record['RECORDNO']}</RECORDNO><TERMNAME></TERMNAME></VENDOR></update>"
    (result,) = _results(gw, fn("u", body))
    assert result.findtext("status") == "success"
    after = sim.get_record("VENDOR", "V104")
    assert after is not None
    assert "TERMNAME" not in after
    assert after["NAME"] == record["NAME"]


def test_vendor_validation(sim: IntacctSimulator, gw: Gateway) -> None:
    count = sim.store.count("VENDOR")
    cases = {
        "duplicate": (_create(_vendor("V100")), ["BL34000061", "BL01001973"]),
        "no name": (_create(_vendor("VX1", name=None)), ["SIM-REQUIRED-FIELD", "BL01001973"]),
        "no id": (_create(_vendor(None)), ["SIM-REQUIRED-FIELD", "BL01001973"]),
        "bad status": (_create(_vendor("VX2", extra="<STATUS>gone</STATUS>")), ["SIM-INVALID-VALUE", "BL01001973"]),
        "unknown field": (_create(_vendor("VX3", extra="<COLOUR>red</COLOUR>")), ["SIM-UNKNOWN-FIELD", "BL01001973"]),
        "bad parent": (_create(_vendor("VX4", extra="<PARENTID>NOPE</PARENTID>")), ["SIM-INVALID-VALUE", "BL01001973"]),
        "update missing": (
            "<update><VENDOR><VENDORID>NOPE</VENDORID></VENDOR></update>",
            ["SIM-RECORD-NOT-FOUND", "BL01001973"],
        ),
        "read-only object": ("<create><APPYMT><VENDORID>V100</VENDORID></APPYMT></create>", ["SIM-UNSUPPORTED"]),
        "unknown object": ("<create><VENDORX><NAME>x</NAME></VENDORX></create>", ["SIM-UNKNOWN-OBJECT"]),
    }
    for label, (body, expected) in cases.items():
        (result,) = _results(gw, fn("c", body))
        assert result.findtext("status") == "failure", label
        assert errornos(result) == expected, label
    assert "already exists" in descriptions(_results(gw, fn("c", _create(_vendor("V100"))))[0])
    assert sim.store.count("VENDOR") == count


def test_vendor_autonumber(start_sim: StartSim) -> None:
    sim = start_sim(config=IntacctSimConfig(vendor_autonumber=True))
    (result,) = _results(Gateway(sim), fn("c", _create(_vendor(None, "Auto Numbered"))))
    assert result.findtext("status") == "success"
    vendor_id = result.findtext("data/vendor/VENDORID", "")
    assert vendor_id
    assert sim.get_record("VENDOR", vendor_id) is not None


def test_one_function_with_several_objects_is_atomic(sim: IntacctSimulator, gw: Gateway) -> None:
    (ok,) = _results(gw, fn("c1", _create(_vendor("VA"), _vendor("VB"))))
    assert [v.findtext("VENDORID") for v in ok.findall("data/vendor")] == ["VA", "VB"]
    (bad,) = _results(gw, fn("c2", _create(_vendor("VC"), _vendor("VA"))))
    assert bad.findtext("status") == "failure"
    assert sim.get_record("VENDOR", "VC") is None


def test_uniqueid_refuses_a_repeated_controlid_without_side_effects(sim: IntacctSimulator, gw: Gateway) -> None:
    request = fn("vendor-create-VDUP", "<update><VENDOR><VENDORID>V100</VENDORID><NAME>Once</NAME></VENDOR></update>")
    (first,) = _results(gw, request, uniqueid="true")
    assert first.findtext("status") == "success"
    sim.update_record("VENDOR", "V100", {"NAME": "Changed in the UI"})
    (again,) = _results(gw, request, uniqueid="true")
    assert again.findtext("status") == "failure"
    assert errornos(again) == ["SIM-DUPLICATE-CONTROLID"]
    stored = sim.get_record("VENDOR", "V100")
    assert stored is not None
    assert stored["NAME"] == "Changed in the UI"
    (omitted,) = _results(gw, request, uniqueid=None)  # omitted = true
    assert omitted.findtext("status") == "failure"
    (allowed,) = _results(gw, request, uniqueid="false")
    assert allowed.findtext("status") == "success"


def test_failed_function_may_be_retried_with_the_same_controlid(sim: IntacctSimulator, gw: Gateway) -> None:
    (failed,) = _results(gw, fn("retry-me", _create(_vendor("VR", name=None))), uniqueid="true")
    assert failed.findtext("status") == "failure"
    (fixed,) = _results(gw, fn("retry-me", _create(_vendor("VR"))), uniqueid="true")
    assert fixed.findtext("status") == "success"


def test_duplicate_shape_without_status(start_sim: StartSim) -> None:
    sim = start_sim(config=IntacctSimConfig(duplicate_controlid_style="no_status"))
    gw = Gateway(sim)
    request = fn("same", _create(_vendor("VNS")))
    _results(gw, request, uniqueid="true")
    (again,) = _results(gw, request, uniqueid="true")
    assert again.find("status") is None
    assert again.findtext("controlid") == "same"
    assert sim.store.count("VENDOR") == 31


def test_functions_are_independent_without_a_transaction(sim: IntacctSimulator, gw: Gateway) -> None:
    results = _results(gw, fn("a", _create(_vendor("VT1"))) + fn("b", _create(_vendor("V100"))))
    assert [r.findtext("status") for r in results] == ["success", "failure"]
    assert sim.get_record("VENDOR", "VT1") is not None


def test_transaction_rolls_back_everything(sim: IntacctSimulator, gw: Gateway) -> None:
    body = (
        fn("a", _create(_vendor("VT1")))
        + fn("b", "<update><VENDOR><VENDORID>V101</VENDORID><NAME>Changed</NAME></VENDOR></update>")
        + fn("c", _create(_vendor("V100")))
        + fn("d", _create(_vendor("VT2")))
    )
    before = sim.get_record("VENDOR", "V101")
    results = _results(gw, body, transaction="true", uniqueid="true")
    assert [r.findtext("status") for r in results] == ["aborted", "aborted", "failure", "aborted"]
    assert errornos(results[2]) == ["BL34000061", "BL01001973", "XL03000009"]
    assert all(errornos(r) == ["XL03000009"] for r in results if r.findtext("status") == "aborted")
    assert sim.get_record("VENDOR", "VT1") is None
    assert sim.get_record("VENDOR", "VT2") is None
    assert sim.get_record("VENDOR", "V101") == before
    retried = _results(gw, fn("a", _create(_vendor("VT1"))), uniqueid="true")  # "a" never completed
    assert retried[0].findtext("status") == "success"


def test_delete(sim: IntacctSimulator, gw: Gateway) -> None:
    record = sim.get_record("CONTACT", "1")
    assert record is not None
    (done,) = _results(gw, fn("d", f"<delete><object>CONTACT</object><keys>{record['RECORDNO']}</keys></delete>"))
    assert done.findtext("status") == "success"
    assert sim.store.get("CONTACT", int(record["RECORDNO"])) is None
    (missing,) = _results(gw, fn("d2", "<delete><object>CONTACT</object><keys>99999</keys></delete>"))
    assert errornos(missing) == ["SIM-RECORD-NOT-FOUND", "BL01001973"]


def test_ui_edit_is_seen_by_a_whenmodified_cursor(start_sim: StartSim) -> None:
    sim, gw = _frozen(start_sim)
    sim.clock.advance(120)
    edited = sim.update_record("VENDOR", "V107", {"STATUS": "inactive"})
    assert edited["WHENMODIFIED"] == "06/30/2025 23:32:05"
    cursor = (
        "<greaterthanorequalto><field>WHENMODIFIED</field><value>06/30/2025 23:30:00</value></greaterthanorequalto>"
    )
    root = gw.login_call(
        fn(
            "q",
            f"<query><object>VENDOR</object><select><field>VENDORID</field></select><filter>{cursor}</filter></query>",
        )
    )
    assert [r.findtext("VENDORID") for r in root.findall("./operation/result/data/VENDOR")] == ["V107"]
