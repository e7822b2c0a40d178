"""Function objects: limits, filters, order, quoting and record building."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlconnector.systems.intacct.functions import (
    Create,
    Delete,
    GetAPISession,
    Order,
    Query,
    Read,
    ReadByName,
    ReadByQuery,
    ReadMore,
    Update,
    stable_order,
)
from mlconnector.systems.intacct.functions.filters import (
    Comparison,
    Logical,
    and_,
    between,
    equalto,
    in_,
    isnull,
    like,
    or_,
)
from mlconnector.systems.intacct.functions.read_by_query import all_of, condition, in_list, quote_literal
from mlconnector.systems.intacct.xml import render


def test_query_pagesize_and_offset_limits() -> None:
    assert Query("VENDOR", ("RECORDNO",), pagesize=2000).pagesize == 2000
    for bad in (0, 2001):
        with pytest.raises(ValueError, match="pagesize"):
            Query("VENDOR", ("RECORDNO",), pagesize=bad)
    with pytest.raises(ValueError, match="offset"):
        Query("VENDOR", ("RECORDNO",), offset=-1)
    with pytest.raises(ValueError, match="select"):
        Query("VENDOR", ())
    with pytest.raises(ValueError):
        Query("VENDOR", ("RECORDNO; DROP",))


def test_query_omits_options_when_defaults_and_writes_docparid() -> None:
    xml = render(Query("PODOCUMENT", ("DOCNO",), docparid="Purchase Order", controlid="c").to_element())
    assert xml == (
        "<query><select><field>DOCNO</field></select><object>PODOCUMENT</object>"
        "<docparid>Purchase Order</docparid><pagesize>100</pagesize><offset>0</offset></query>"
    )


def test_filter_value_counts() -> None:
    assert render(between("TOTALDUE", Decimal("1.00"), 5).to_element()) == (
        "<between><field>TOTALDUE</field><value>1.00</value><value>5</value></between>"
    )
    assert render(isnull("PARENTID").to_element()) == "<isnull><field>PARENTID</field></isnull>"
    with pytest.raises(ValueError):
        Comparison("between", "X", ("1",))
    with pytest.raises(ValueError):
        in_("STATUS", [])
    with pytest.raises(ValueError):
        Comparison("isnull", "X", ("1",))
    with pytest.raises(ValueError):
        Comparison("equalto", "X", ("1", "2"))
    with pytest.raises(ValueError):
        equalto("BAD FIELD", "1")


def test_and_or_nest_and_collapse_single_filters() -> None:
    single = equalto("STATUS", "active")
    assert and_(single) is single
    tree = or_(and_(single, like("NAME", "A%")), equalto("VENDORID", "V1"))
    assert render(tree.to_element()) == (
        "<or><and><equalto><field>STATUS</field><value>active</value></equalto>"
        "<like><field>NAME</field><value>A%</value></like></and>"
        "<equalto><field>VENDORID</field><value>V1</value></equalto></or>"
    )
    with pytest.raises(ValueError):
        and_()
    with pytest.raises(ValueError):
        Logical("and", (single,))


def test_stable_order_appends_recordno_once() -> None:
    assert stable_order([]) == (Order("RECORDNO"),)
    assert stable_order([Order("WHENMODIFIED")]) == (Order("WHENMODIFIED"), Order("RECORDNO"))
    descending = (Order("recordno", "descending"),)
    assert stable_order(descending) == descending


def test_quote_literal_escapes_quotes_and_backslashes() -> None:
    assert quote_literal("Bob's") == "'Bob\\'s'"
    assert quote_literal("ends with \\") == "'ends with \\\\'"
    assert quote_literal(42) == "'42'"
    assert condition("VENDORID", "=", "V'1") == "VENDORID = 'V\\'1'"
    assert in_list("STATUS", ["active", "in'active"]) == "STATUS IN ('active', 'in\\'active')"
    assert all_of("A = '1'", "", "B = '2' OR C = '3'") == "A = '1' AND (B = '2' OR C = '3')"
    with pytest.raises(ValueError):
        condition("NAME = 'x' OR 1", "=", "y")


def test_read_limits() -> None:
    keys = tuple(f"V{i}" for i in range(100))
    assert ReadByName("VENDOR", keys).keys == keys
    with pytest.raises(ValueError, match="at most 100"):
        ReadByName("VENDOR", (*keys, "V100"))
    with pytest.raises(ValueError, match="at most 100"):
        Read("VENDOR", tuple(range(101)))
    with pytest.raises(ValueError):
        ReadByName("VENDOR", ())
    with pytest.raises(ValueError, match="comma"):
        ReadByName("VENDOR", ("A,B",))
    with pytest.raises(ValueError):
        ReadByQuery("VENDOR", pagesize=1001)
    with pytest.raises(ValueError):
        ReadMore("")
    with pytest.raises(ValueError):
        Delete("VENDOR", tuple(range(101)))


def test_read_more_and_delete_and_session_elements() -> None:
    assert render(ReadMore("7765623330").to_element()) == "<readMore><resultId>7765623330</resultId></readMore>"
    assert render(Delete("VENDOR", (12, 13)).to_element()) == (
        "<delete><object>VENDOR</object><keys>12,13</keys></delete>"
    )
    assert render(GetAPISession().to_element()) == "<getAPISession/>"
    assert render(GetAPISession("").to_element()) == "<getAPISession><locationid/></getAPISession>"
    assert render(GetAPISession("E1").to_element()) == "<getAPISession><locationid>E1</locationid></getAPISession>"


def test_create_lists_repeat_elements_and_none_is_left_out() -> None:
    bill = {
        "VENDORID": "V100",
        "RECORDID": "INV-1",
        "DESCRIPTION": None,
        "APBILLITEMS": {
            "APBILLITEM": [
                {"ACCOUNTNO": "6000", "TRX_AMOUNT": Decimal("10.50")},
                {"ACCOUNTNO": "6100", "TRX_AMOUNT": 5},
            ]
        },
    }
    assert render(Create("APBILL", (bill,), controlid="c").to_element()) == (
        "<create><APBILL><VENDORID>V100</VENDORID><RECORDID>INV-1</RECORDID><APBILLITEMS>"
        "<APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO><TRX_AMOUNT>10.50</TRX_AMOUNT></APBILLITEM>"
        "<APBILLITEM><ACCOUNTNO>6100</ACCOUNTNO><TRX_AMOUNT>5</TRX_AMOUNT></APBILLITEM>"
        "</APBILLITEMS></APBILL></create>"
    )


def test_update_several_objects_in_one_function() -> None:
    update = Update("VENDOR", ({"RECORDNO": 1, "NAME": "A"}, {"RECORDNO": 2, "NAME": "B"}), controlid="u")
    assert render(update.to_element()) == (
        "<update><VENDOR><RECORDNO>1</RECORDNO><NAME>A</NAME></VENDOR>"
        "<VENDOR><RECORDNO>2</RECORDNO><NAME>B</NAME></VENDOR></update>"
    )


def test_write_validation_happens_at_construction() -> None:
    with pytest.raises(ValueError, match="UPPERCASE"):
        Create("VENDOR", ({"VendorId": "V1"},))
    with pytest.raises(ValueError, match="UPPERCASE"):
        Create("VENDOR", ({"DISPLAYCONTACT": {"email1": "x"}},))
    with pytest.raises(ValueError):
        Create("VENDOR", ())
    with pytest.raises(TypeError):
        Create("VENDOR", ({"TOTAL": 1.5},))
    with pytest.raises(ValueError):
        Create("VENDOR", ({"BAD/NAME": "x"},))


def test_default_controlids_are_unique() -> None:
    assert Query("VENDOR", ("RECORDNO",)).controlid != Query("VENDOR", ("RECORDNO",)).controlid
