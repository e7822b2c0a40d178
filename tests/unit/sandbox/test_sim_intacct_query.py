"""The ``query`` function: select, filters, orderby, options and offset paging."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping

import pytest

from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from sandbox.intacct.values import parse_when
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, descriptions, envelope, errornos, fn, login, query

Row = Mapping[str, str]


def _run(gw: Gateway, obj: str, fields: list[str], filter_xml: str = "", extra: str = "") -> ET.Element:
    result = gw.login_call(fn("q", query(obj, fields, filter_xml=filter_xml, extra=extra))).find("./operation/result")
    assert result is not None
    return result


def _data(result: ET.Element) -> ET.Element:
    assert result.findtext("status") == "success", descriptions(result)
    data = result.find("data")
    assert data is not None
    return data


def _ids(result: ET.Element, field: str = "RECORDNO") -> list[str]:
    return [record.findtext(field, "") for record in _data(result)]


def _expected(sim: IntacctSimulator, obj: str, keep: Callable[[Row], bool]) -> list[str]:
    return [record["RECORDNO"] for record in sim.store.all(obj) if keep(record)]


def test_offset_paging_really_advances(sim: IntacctSimulator, gw: Gateway) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        data = _data(_run(gw, "VENDOR", ["RECORDNO"], extra=f"<pagesize>7</pagesize><offset>{offset}</offset>"))
        assert data.get("listtype") == "VENDOR"
        assert data.get("offset") == str(offset)
        assert data.get("totalcount") == "30"
        page = [record.findtext("RECORDNO", "") for record in data]
        assert int(data.get("count", "")) == len(page)
        assert int(data.get("numremaining", "")) == 30 - offset - len(page)
        assert not set(page) & set(seen)
        seen += page
        offset += len(page)
        if data.get("numremaining") == "0":
            break
    assert seen == [record["RECORDNO"] for record in sim.store.all("VENDOR")]


def test_pagesize_limits_and_default(start_sim: StartSim) -> None:
    gw = Gateway(start_sim(size=120))
    data = _data(_run(gw, "VENDOR", ["RECORDNO"]))
    assert (data.get("count"), data.get("numremaining")) == ("100", "20")
    assert _data(_run(gw, "VENDOR", ["RECORDNO"], extra="<pagesize>2000</pagesize>")).get("count") == "120"
    for bad in ("0", "2001", "ten"):
        result = _run(gw, "VENDOR", ["RECORDNO"], extra=f"<pagesize>{bad}</pagesize>")
        assert result.findtext("status") == "failure"


def _f(op: str, field: str, *values: str) -> str:
    return f"<{op}><field>{field}</field>" + "".join(f"<value>{v}</value>" for v in values) + f"</{op}>"


def _n(record: Row) -> int:
    return int(record["RECORDNO"])


FILTERS: list[tuple[str, Callable[[Row], bool]]] = [
    (_f("equalto", "STATUS", "inactive"), lambda r: r.get("STATUS") == "inactive"),
    (_f("notequalto", "CURRENCY", "USD"), lambda r: r.get("CURRENCY", "USD") != "USD"),
    (_f("lessthan", "RECORDNO", "9"), lambda r: _n(r) < 9),
    (_f("lessthanorequalto", "RECORDNO", "9"), lambda r: _n(r) <= 9),
    (_f("greaterthan", "CREDITLIMIT", "25000"), lambda r: float(r["CREDITLIMIT"]) > 25000),
    (_f("greaterthanorequalto", "RECORDNO", "25"), lambda r: _n(r) >= 25),
    (_f("between", "RECORDNO", "3", "6"), lambda r: 3 <= _n(r) <= 6),
    (_f("in", "VENDORID", "V101", "V105", "V999"), lambda r: r["VENDORID"] in ("V101", "V105")),
    (_f("notin", "TERMNAME", "N30", "N15"), lambda r: r.get("TERMNAME", "") not in ("", "N30", "N15")),
    (_f("like", "NAME", "%&amp;%"), lambda r: "&" in r["NAME"]),
    (_f("notlike", "NAME", "%Inc."), lambda r: not r["NAME"].endswith("Inc.")),
    (_f("isnull", "PARENTID"), lambda r: not r.get("PARENTID")),
    (_f("isnotnull", "DISPLAYCONTACT.EMAIL2"), lambda r: bool(r.get("DISPLAYCONTACT.EMAIL2"))),
    (
        "<or>" + _f("equalto", "VENDORID", "V100")
        + "<and>" + _f("greaterthan", "RECORDNO", "20") + _f("equalto", "STATUS", "active") + "</and></or>",
        lambda r: r["VENDORID"] == "V100" or (_n(r) > 20 and r["STATUS"] == "active"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("filter_xml", "keep"), FILTERS, ids=[f[0].split(">")[0][1:] for f in FILTERS])
def test_filters_match_like_sql(
    sim: IntacctSimulator, gw: Gateway, filter_xml: str, keep: Callable[[Row], bool]
) -> None:
    expected = _expected(sim, "VENDOR", keep)
    assert expected, "the seed should contain matches for every operator"
    assert _ids(_run(gw, "VENDOR", ["RECORDNO"], filter_xml, "<pagesize>2000</pagesize>")) == expected


def test_malformed_filters_fail_the_function(gw: Gateway) -> None:
    for filter_xml in (
        "<and><equalto><field>STATUS</field><value>active</value></equalto></and>",
        "<between><field>RECORDNO</field><value>3</value></between>",
        "<equalto><field>RECORDNO</field><value>abc</value></equalto>",
        "<approximately><field>NAME</field><value>x</value></approximately>",
    ):
        assert _run(gw, "VENDOR", ["RECORDNO"], filter_xml).findtext("status") == "failure", filter_xml


def test_timestamps_compare_chronologically_not_as_text(sim: IntacctSimulator, gw: Gateway) -> None:
    late = sim.insert_record("VENDOR", {"VENDORID": "VLATE", "NAME": "Late", "WHENMODIFIED": "01/05/2030 00:00:00"})
    early = sim.insert_record("VENDOR", {"VENDORID": "VEARLY", "NAME": "Early", "WHENMODIFIED": "12/31/2029 23:59:59"})
    filter_xml = "<greaterthan><field>WHENMODIFIED</field><value>12/31/2029 12:00:00</value></greaterthan>"
    assert _ids(_run(gw, "VENDOR", ["RECORDNO"], filter_xml)) == [late["RECORDNO"], early["RECORDNO"]]


def test_caseinsensitive_option(gw: Gateway) -> None:
    filter_xml = "<equalto><field>NAME</field><value>o'brien &amp; sons hardware</value></equalto>"
    assert _ids(_run(gw, "VENDOR", ["VENDORID"], filter_xml), "VENDORID") == []
    options = "<options><caseinsensitive>true</caseinsensitive></options>"
    assert _ids(_run(gw, "VENDOR", ["VENDORID"], filter_xml, options), "VENDORID") == ["V101"]


def test_orderby_with_tie_breaker(sim: IntacctSimulator, gw: Gateway) -> None:
    order = (
        "<orderby><order><field>WHENMODIFIED</field><descending/></order>"
        "<order><field>RECORDNO</field><ascending/></order></orderby><pagesize>2000</pagesize>"
    )
    got = _ids(_run(gw, "VENDOR", ["RECORDNO"], extra=order))
    records = sorted(sim.store.all("VENDOR"), key=lambda r: int(r["RECORDNO"]))
    records.sort(key=lambda r: parse_when(r["WHENMODIFIED"]), reverse=True)
    assert got == [r["RECORDNO"] for r in records]
    assert got != sorted(got, key=int)


_DOTTED = ["VENDORID", "DISPLAYCONTACT.EMAIL1", "NAME", "DISPLAYCONTACT.MAILADDRESS.CITY"]
_V103 = "<equalto><field>VENDORID</field><value>V103</value></equalto>"


def test_dotted_fields_come_back_flat_by_default_as_the_real_gateway_sends_them(
    sim: IntacctSimulator, gw: Gateway
) -> None:
    (record,) = list(_data(_run(gw, "VENDOR", _DOTTED, _V103)))
    stored = sim.get_record("VENDOR", "V103")
    assert stored is not None
    assert record.tag == "VENDOR"
    assert [child.tag for child in record] == _DOTTED
    assert record.findtext("DISPLAYCONTACT.EMAIL1") == stored["DISPLAYCONTACT.EMAIL1"] != ""
    assert record.findtext("DISPLAYCONTACT.MAILADDRESS.CITY") == stored["DISPLAYCONTACT.MAILADDRESS.CITY"] != ""


def test_dotted_fields_come_back_nested_when_configured(start_sim: StartSim) -> None:
    sim = start_sim(config=IntacctSimConfig(dotted_fields="nested"))
    (record,) = list(_data(_run(Gateway(sim), "VENDOR", _DOTTED, _V103)))
    stored = sim.get_record("VENDOR", "V103")
    assert stored is not None
    assert [child.tag for child in record] == ["VENDORID", "DISPLAYCONTACT", "NAME"]
    assert record.findtext("DISPLAYCONTACT/EMAIL1") == stored["DISPLAYCONTACT.EMAIL1"] != ""
    assert record.findtext("DISPLAYCONTACT/MAILADDRESS/CITY") == stored["DISPLAYCONTACT.MAILADDRESS.CITY"] != ""


@pytest.mark.parametrize(("mode", "tag"), [("nested", "DISPLAYCONTACT"), ("flat", "DISPLAYCONTACT.EMAIL1")])
def test_read_by_name_star_renders_related_fields_as_configured(start_sim: StartSim, mode: str, tag: str) -> None:
    sim = start_sim(config=IntacctSimConfig(dotted_fields_star=mode))
    call = "<readByName><object>VENDOR</object><keys>V103</keys><fields>*</fields></readByName>"
    result = Gateway(sim).login_call(fn("r", call)).find("./operation/result")
    assert result is not None
    (record,) = list(_data(result))
    assert tag in [child.tag for child in record]
    assert "DISPLAYCONTACT.EMAIL1" not in [child.tag for child in record] or mode == "flat"


@pytest.mark.parametrize(
    ("mode", "wire"), [("raw", b"Bell\x07Co"), ("reference", b"Bell&#7;Co"), ("strip", b"BellCo")]
)
def test_a_stored_forbidden_character_is_sent_as_configured(start_sim: StartSim, mode: str, wire: bytes) -> None:
    sim = start_sim(config=IntacctSimConfig(forbidden_chars=mode))
    sim.update_record("VENDOR", "V103", {"NAME": "Bell\x07Co"})
    config = sim.config
    request = envelope(config, login(config), fn("q", query("VENDOR", ["VENDORID", "NAME"], filter_xml=_V103)))
    body = Gateway(sim).post(request).content
    assert wire in body
    if mode != "strip":
        with pytest.raises(ET.ParseError):
            ET.fromstring(body)


def test_awkward_values_round_trip(sim: IntacctSimulator, gw: Gateway) -> None:
    got = {r.findtext("VENDORID"): r.findtext("NAME") for r in _data(_run(gw, "VENDOR", ["VENDORID", "NAME"]))}
    assert got == {r["VENDORID"]: r["NAME"] for r in sim.store.all("VENDOR")}
    assert any("<" in name for name in got.values() if name)


def test_unknown_fields_are_xl03000010(gw: Gateway) -> None:
    cases = [
        (["VENDORID", "NOSUCHFIELD"], "", ""),
        (["*"], "", ""),
        (["VENDORID"], "<equalto><field>NOPE</field><value>1</value></equalto>", ""),
        (["VENDORID"], "", "<orderby><order><field>NOPE</field></order></orderby>"),
    ]
    for fields, filter_xml, extra in cases:
        result = _run(gw, "VENDOR", fields, filter_xml, extra)
        assert result.findtext("status") == "failure"
        assert errornos(result) == ["XL03000010"]
        assert "Field requested is not valid: vendor." in descriptions(result)


def test_unknown_object(gw: Gateway) -> None:
    result = _run(gw, "VENDORX", ["RECORDNO"])
    assert result.findtext("status") == "failure"
    assert errornos(result) == ["SIM-UNKNOWN-OBJECT"]
    assert "Object definition VENDORX not found" in descriptions(result)


def test_functions_fail_independently(gw: Gateway) -> None:
    root = gw.login_call(
        fn("a", query("VENDOR", ["RECORDNO"]))
        + fn("b", query("VENDOR", ["BAD"]))
        + fn("c", query("CUSTOMER", ["CUSTOMERID"]))
    )
    statuses = [(r.findtext("controlid"), r.findtext("status")) for r in root.findall("./operation/result")]
    assert statuses == [("a", "success"), ("b", "failure"), ("c", "success")]
