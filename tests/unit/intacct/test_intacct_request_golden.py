"""Golden request XML: the exact bytes we send, for the shapes the connector uses."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mlconnector.systems.intacct.functions import (
    ApiFunction,
    Create,
    Lookup,
    Order,
    Query,
    Read,
    ReadByName,
    ReadByQuery,
)
from mlconnector.systems.intacct.functions.filters import and_, greaterthanorequalto, in_, lessthan
from mlconnector.systems.intacct.functions.read_by_query import all_of, condition
from mlconnector.systems.intacct.request import ControlBlock, LoginAuth, SessionAuth, build_request


def golden(text: str) -> str:
    """The expected XML written readably: indentation and line breaks between elements removed."""
    return "".join(line.strip() for line in text.strip().splitlines())


def read_control() -> ControlBlock:
    return ControlBlock("SENDER_ID", "SENDER_PASSWORD", "1700000000", uniqueid=False)


def test_login_request_with_a_query() -> None:
    query = Query(
        "VENDOR",
        ("RECORDNO", "VENDORID", "DISPLAYCONTACT.EMAIL1", "WHENMODIFIED"),
        and_(
            greaterthanorequalto("WHENMODIFIED", "01/31/2024 00:00:00"),
            lessthan("WHENMODIFIED", "02/01/2024 00:00:00"),
            in_("STATUS", ["active", "inactive"]),
        ),
        (Order("WHENMODIFIED"), Order("RECORDNO")),
        case_insensitive=True,
        show_private=True,
        pagesize=2000,
        offset=4000,
        controlid="query-vendors-1",
    )
    auth = LoginAuth("WS_USER", "ACME", "USER_PASSWORD", location_id="US-EAST")
    assert build_request(read_control(), auth, [query]) == golden(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <request>
          <control>
            <senderid>SENDER_ID</senderid>
            <password>SENDER_PASSWORD</password>
            <controlid>1700000000</controlid>
            <uniqueid>false</uniqueid>
            <dtdversion>3.0</dtdversion>
            <includewhitespace>false</includewhitespace>
          </control>
          <operation transaction="false">
            <authentication>
              <login>
                <userid>WS_USER</userid>
                <companyid>ACME</companyid>
                <password>USER_PASSWORD</password>
                <locationid>US-EAST</locationid>
              </login>
            </authentication>
            <content>
              <function controlid="query-vendors-1">
                <query>
                  <select>
                    <field>RECORDNO</field>
                    <field>VENDORID</field>
                    <field>DISPLAYCONTACT.EMAIL1</field>
                    <field>WHENMODIFIED</field>
                  </select>
                  <object>VENDOR</object>
                  <filter>
                    <and>
                      <greaterthanorequalto>
                        <field>WHENMODIFIED</field><value>01/31/2024 00:00:00</value>
                      </greaterthanorequalto>
                      <lessthan><field>WHENMODIFIED</field><value>02/01/2024 00:00:00</value></lessthan>
                      <in><field>STATUS</field><value>active</value><value>inactive</value></in>
                    </and>
                  </filter>
                  <orderby>
                    <order><field>WHENMODIFIED</field><ascending/></order>
                    <order><field>RECORDNO</field><ascending/></order>
                  </orderby>
                  <options>
                    <caseinsensitive>true</caseinsensitive>
                    <showprivate>true</showprivate>
                  </options>
                  <pagesize>2000</pagesize>
                  <offset>4000</offset>
                </query>
              </function>
            </content>
          </operation>
        </request>
        """
    )


def test_session_request_with_several_functions() -> None:
    functions: list[ApiFunction] = [
        ReadByName("VENDOR", ("V100", "V200"), ("RECORDNO", "VENDORID", "NAME"), controlid="f-1"),
        Read("APBILL", (29181, 29182), controlid="f-2"),
        Lookup("APBILL", controlid="f-3"),
    ]
    assert build_request(read_control(), SessionAuth("SESSION_ID.."), functions) == golden(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <request>
          <control>
            <senderid>SENDER_ID</senderid>
            <password>SENDER_PASSWORD</password>
            <controlid>1700000000</controlid>
            <uniqueid>false</uniqueid>
            <dtdversion>3.0</dtdversion>
            <includewhitespace>false</includewhitespace>
          </control>
          <operation transaction="false">
            <authentication>
              <sessionid>SESSION_ID..</sessionid>
            </authentication>
            <content>
              <function controlid="f-1">
                <readByName>
                  <object>VENDOR</object>
                  <keys>V100,V200</keys>
                  <fields>RECORDNO,VENDORID,NAME</fields>
                  <returnFormat>xml</returnFormat>
                </readByName>
              </function>
              <function controlid="f-2">
                <read>
                  <object>APBILL</object>
                  <keys>29181,29182</keys>
                  <fields>*</fields>
                  <returnFormat>xml</returnFormat>
                </read>
              </function>
              <function controlid="f-3">
                <lookup><object>APBILL</object></lookup>
              </function>
            </content>
          </operation>
        </request>
        """
    )


def test_create_with_nested_fields_is_a_unique_write() -> None:
    vendor = {
        "VENDORID": "V100",
        "NAME": "Acme & Sons <Supplies>",
        "DISPLAYCONTACT": {
            "PRINTAS": "Acme",
            "EMAIL1": "ap@acme.example",
            "MAILADDRESS": {"ADDRESS1": "1 Main St", "ADDRESS2": "", "CITY": "Springfield"},
        },
        "ONHOLD": False,
        "PARENTID": None,
        "STATUS": "active",
    }
    control = ControlBlock("SENDER_ID", "SENDER_PASSWORD", "1700000001", uniqueid=True)
    create = Create("VENDOR", (vendor,), controlid="vendor-create-V100-v1")
    assert build_request(control, SessionAuth("SESSION_ID"), [create]) == golden(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <request>
          <control>
            <senderid>SENDER_ID</senderid>
            <password>SENDER_PASSWORD</password>
            <controlid>1700000001</controlid>
            <uniqueid>true</uniqueid>
            <dtdversion>3.0</dtdversion>
            <includewhitespace>false</includewhitespace>
          </control>
          <operation transaction="false">
            <authentication><sessionid>SESSION_ID</sessionid></authentication>
            <content>
              <function controlid="vendor-create-V100-v1">
                <create>
                  <VENDOR>
                    <VENDORID>V100</VENDORID>
                    <NAME>Acme &amp; Sons &lt;Supplies&gt;</NAME>
                    <DISPLAYCONTACT>
                      <PRINTAS>Acme</PRINTAS>
                      <EMAIL1>ap@acme.example</EMAIL1>
                      <MAILADDRESS>
                        <ADDRESS1>1 Main St</ADDRESS1>
                        <ADDRESS2/>
                        <CITY>Springfield</CITY>
                      </MAILADDRESS>
                    </DISPLAYCONTACT>
                    <ONHOLD>false</ONHOLD>
                    <STATUS>active</STATUS>
                  </VENDOR>
                </create>
              </function>
            </content>
          </operation>
        </request>
        """
    )


def test_read_by_query_with_a_quoted_value() -> None:
    query = all_of(condition("NAME", "=", "Bob's <Pizza> & Co"), condition("WHENMODIFIED", ">=", "01/31/2024 00:00:00"))
    function = ReadByQuery("PROJECT", ("RECORDNO", "PROJECTID", "NAME"), query, pagesize=500, controlid="rbq-1")
    assert build_request(read_control(), SessionAuth("SESSION_ID"), [function], transaction=True) == golden(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <request>
          <control>
            <senderid>SENDER_ID</senderid>
            <password>SENDER_PASSWORD</password>
            <controlid>1700000000</controlid>
            <uniqueid>false</uniqueid>
            <dtdversion>3.0</dtdversion>
            <includewhitespace>false</includewhitespace>
          </control>
          <operation transaction="true">
            <authentication><sessionid>SESSION_ID</sessionid></authentication>
            <content>
              <function controlid="rbq-1">
                <readByQuery>
                  <object>PROJECT</object>
                  <query>NAME = 'Bob\\'s &lt;Pizza&gt; &amp; Co' AND WHENMODIFIED &gt;= '01/31/2024 00:00:00'</query>
                  <fields>RECORDNO,PROJECTID,NAME</fields>
                  <pagesize>500</pagesize>
                  <returnFormat>xml</returnFormat>
                </readByQuery>
              </function>
            </content>
          </operation>
        </request>
        """
    )


def test_golden_requests_are_well_formed_and_round_trip_the_values() -> None:
    function = ReadByQuery("PROJECT", ("NAME",), condition("NAME", "=", "Bob's"), controlid="r")
    root = ET.fromstring(build_request(read_control(), SessionAuth("S"), [function]))
    assert root.findtext("operation/content/function/readByQuery/query") == "NAME = 'Bob\\'s'"


def test_credentials_are_hidden_from_reprs() -> None:
    text = repr(read_control()) + repr(LoginAuth("U", "C", "USER_PASSWORD")) + repr(SessionAuth("SESSION_ID"))
    assert "SENDER_PASSWORD" not in text
    assert "USER_PASSWORD" not in text
    assert "SESSION_ID" not in text


def test_request_rules() -> None:
    with pytest.raises(ValueError, match="at least one function"):
        build_request(read_control(), SessionAuth("S"), [])
    with pytest.raises(ValueError, match="unique"):
        build_request(read_control(), SessionAuth("S"), [Lookup("A", controlid="x"), Lookup("B", controlid="x")])
    with pytest.raises(ValueError, match=r"1\.\.256"):
        build_request(read_control(), SessionAuth("S"), [Lookup("A", controlid="x" * 257)])
    with pytest.raises(ValueError, match=r"1\.\.256"):
        build_request(ControlBlock("S", "P", "", uniqueid=False), SessionAuth("S"), [Lookup("A", controlid="x")])
