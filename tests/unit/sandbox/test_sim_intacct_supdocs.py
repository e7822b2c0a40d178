"""Attachments in the simulator: folders, create_supdoc with base64 files, update_supdoc that adds files but
never replaces one, get, delete, VENDOR.SUPDOCID, and the admin/Python views."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import requests

from sandbox.intacct import IntacctSimConfig
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, descriptions, errornos, fn


def _file(name: str, data: bytes, kind: str = "json") -> str:
    encoded = base64.b64encode(data).decode()
    return (
        f"<attachment><attachmentname>{name}</attachmentname><attachmenttype>{kind}</attachmenttype>"
        f"<attachmentdata>{encoded}</attachmentdata></attachment>"
    )


def _folder(name: str = "Zendesk") -> str:
    return f"<create_supdocfolder><supdocfoldername>{name}</supdocfoldername></create_supdocfolder>"


def _create(supdoc_id: str, *files: str, folder: str = "Zendesk") -> str:
    ident = f"<supdocid>{supdoc_id}</supdocid>" if supdoc_id else ""
    return (
        f"<create_supdoc>{ident}<supdocname>Zendesk tickets</supdocname><supdocfoldername>{folder}</supdocfoldername>"
        f"<supdocdescription>Ticket snapshots</supdocdescription><attachments>{''.join(files)}</attachments>"
        "</create_supdoc>"
    )


def _update(supdoc_id: str, *files: str) -> str:
    return f"<update_supdoc><supdocid>{supdoc_id}</supdocid><attachments>{''.join(files)}</attachments></update_supdoc>"


def _one(gw: Gateway, body: str) -> ET.Element:
    (result,) = gw.login_call(fn("f", body)).findall("./operation/result")
    return result


def test_create_then_add_files_but_never_replace_one(gw: Gateway) -> None:
    assert _one(gw, _folder()).findtext("key") == "Zendesk"
    created = _one(gw, _create("ZD-V100", _file("ticket-1-v1", b'{"id": 1}')))
    assert created.findtext("status") == "success", descriptions(created)
    assert created.findtext("key") == "ZD-V100"
    added = _one(gw, _update("ZD-V100", _file("ticket-2-v1", b'{"id": 2}')))
    assert added.findtext("status") == "success", descriptions(added)
    replaced = _one(gw, _update("ZD-V100", _file("ticket-1-v1", b'{"id": 1, "changed": true}')))
    assert replaced.findtext("status") == "failure"
    assert errornos(replaced)[0] == "SIM-SUPDOC-FILE-EXISTS"
    same_name_other_type = _one(gw, _update("ZD-V100", _file("ticket-1-v1", b"text", kind="txt")))
    assert same_name_other_type.findtext("status") == "success"
    supdoc = gw.sim.supdoc("ZD-V100")
    assert supdoc is not None
    assert [(f.filename, f.data) for f in supdoc.files] == [
        ("ticket-1-v1.json", b'{"id": 1}'),
        ("ticket-2-v1.json", b'{"id": 2}'),
        ("ticket-1-v1.txt", b"text"),
    ]
    assert (supdoc.name, supdoc.folder, supdoc.description) == ("Zendesk tickets", "Zendesk", "Ticket snapshots")


def test_refusals(start_sim: StartSim) -> None:
    gw = Gateway(start_sim())
    no_folder = _one(gw, _create("A1", _file("a", b"x")))
    assert no_folder.findtext("status") == "failure"
    _one(gw, _folder())
    assert _one(gw, _folder()).findtext("status") == "failure"
    no_id = _one(gw, _create("", _file("a", b"x")))
    assert no_id.findtext("status") == "failure"
    bad_file = (
        "<attachment><attachmentname>a</attachmentname><attachmenttype>txt</attachmenttype>"
        "<attachmentdata>not base64!</attachmentdata></attachment>"
    )
    bad_data = _one(gw, _create("A1", bad_file))
    assert bad_data.findtext("status") == "failure"
    twice = _one(gw, _create("A1", _file("a", b"x"), _file("a", b"y")))
    assert twice.findtext("status") == "failure"
    assert _one(gw, _update("NOPE", _file("a", b"x"))).findtext("status") == "failure"
    out_of_order = _one(gw, "<create_supdoc><supdocname>n</supdocname><supdocid>A1</supdocid></create_supdoc>")
    assert errornos(out_of_order) == ["XL03000003"]
    assert gw.sim.supdocs() == []


def test_autonumber_and_loose_folders(start_sim: StartSim) -> None:
    gw = Gateway(start_sim(config=IntacctSimConfig(supdoc_autonumber=True, supdoc_folder_must_exist=False)))
    created = _one(gw, _create("", _file("a", b"x"), folder="Anywhere"))
    assert created.findtext("key") == "ATT-00001"


def test_get_returns_header_and_files(gw: Gateway) -> None:
    _one(gw, _folder())
    _one(gw, _create("ZD-V1", _file("t1", b"hello")))
    got = _one(gw, '<get object="supdoc" key="ZD-V1"></get>')
    supdoc = got.find("data/supdoc")
    assert supdoc is not None
    assert (supdoc.findtext("supdocid"), supdoc.findtext("folder")) == ("ZD-V1", "Zendesk")
    assert [a.findtext("attachmentname") for a in supdoc.findall("attachments/attachment")] == ["t1"]
    assert base64.b64decode(supdoc.findtext("attachments/attachment/attachmentdata") or "") == b"hello"
    missing = _one(gw, '<get object="supdoc" key="NOPE"/>').find("data")
    assert missing is not None
    assert missing.get("count") == "0"
    folder = _one(gw, '<get object="supdocfolder" key="Zendesk"/>')
    assert folder.findtext("data/supdocfolder/name") == "Zendesk"
    deleted = _one(gw, '<delete_supdoc key="ZD-V1"></delete_supdoc>')
    assert deleted.findtext("status") == "success"
    assert gw.sim.supdocs() == []


def test_vendor_supdocid_must_name_an_attachment(gw: Gateway) -> None:
    vendor = gw.sim.store.all("VENDOR")[0]
    update = f"<update><VENDOR><VENDORID>{vendor['VENDORID']}</VENDORID><SUPDOCID>ZD-V1</SUPDOCID></VENDOR></update>"
    assert _one(gw, update).findtext("status") == "failure"
    _one(gw, _folder())
    _one(gw, _create("ZD-V1"))
    assert _one(gw, update).findtext("status") == "success"
    stored = gw.sim.get_record("VENDOR", vendor["VENDORID"])
    assert stored is not None
    assert stored["SUPDOCID"] == "ZD-V1"


def test_a_failed_transaction_keeps_no_attachment(gw: Gateway) -> None:
    functions = fn("a", _folder()) + fn("b", _create("ZD-V1", _file("a", b"x"))) + fn("c", _update("NOPE"))
    results = gw.login_call(functions, transaction="true").findall("./operation/result")
    assert [r.findtext("status") for r in results] == ["aborted", "aborted", "failure"]
    assert gw.sim.supdocs() == []
    assert gw.sim.store.all("SUPDOCFOLDER") == []


def test_admin_lists_attachments(gw: Gateway) -> None:
    _one(gw, _folder())
    _one(gw, _create("ZD-V1", _file("a", b"x")))
    base = gw.sim.url + "/_sandbox"
    (listed,) = requests.get(f"{base}/supdocs", timeout=5).json()["supdocs"]
    assert listed["supdocid"] == "ZD-V1"
    assert listed["attachments"] == [{"attachmentname": "a", "attachmenttype": "json", "attachmentdata": "eA=="}]
    assert requests.get(f"{base}/supdocs/ZD-V1", timeout=5).json()["supdoc"]["supdocname"] == "Zendesk tickets"
    assert requests.get(f"{base}/supdocs/NOPE", timeout=5).status_code == 404
