"""Golden requests and answer parsing for what Zendesk tickets need in Intacct: custom object records
(create/update with R… relationships, readByName, queries across the relationship), lookup, inspect and the
attachment (supdoc) fallback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from mlconnector.systems.intacct.errors import ErrorDetail, ResultError
from mlconnector.systems.intacct.functions import (
    AttachmentFile,
    Create,
    CreateSupdoc,
    CreateSupdocFolder,
    GetSupdoc,
    Inspect,
    InstallApp,
    Lookup,
    Query,
    ReadByName,
    Update,
    UpdateSupdoc,
)
from mlconnector.systems.intacct.functions.custom_object import (
    custom_date,
    custom_datetime,
    parse_custom_datetime,
    relationship_value,
)
from mlconnector.systems.intacct.functions.filters import equalto
from mlconnector.systems.intacct.functions.inspect import has_object, inspected_fields, parse_inspect
from mlconnector.systems.intacct.functions.lookup import parse_lookup, unknown_object
from mlconnector.systems.intacct.functions.write import MAX_WRITE_RECORDS
from mlconnector.systems.intacct.response import parse_response
from mlconnector.systems.intacct.xml import render
from tests.unit.intacct.intacct_fakes import response_xml, result_xml
from tests.unit.intacct.test_intacct_ap_functions import content
from tests.unit.intacct.test_intacct_request_golden import golden


def ticket(**extra: Any) -> dict[str, Any]:
    return {
        "name": "ZD-35436",
        "zd_ticket_id": 35436,
        "zd_subject": "Invoice 1001 not received",
        "zd_status": "open",
        "zd_created_at": custom_datetime(datetime(2024, 3, 1, 12, tzinfo=UTC), "iso"),
        "RVENDOR": "V100",
        **extra,
    }


def test_create_of_a_custom_record_keeps_field_names_and_the_relationship_element() -> None:
    create = Create("zendesk_ticket", (ticket(),), "zd-35436-20240302T093000Z", custom_object=True)
    assert content(create) == golden(
        """
        <function controlid="zd-35436-20240302T093000Z">
          <create>
            <zendesk_ticket>
              <name>ZD-35436</name>
              <zd_ticket_id>35436</zd_ticket_id>
              <zd_subject>Invoice 1001 not received</zd_subject>
              <zd_status>open</zd_status>
              <zd_created_at>2024-03-01T12:00:00Z</zd_created_at>
              <RVENDOR>V100</RVENDOR>
            </zendesk_ticket>
          </create>
        </function>
        """
    )


def test_update_of_a_custom_record_by_id() -> None:
    record = {"id": 10027, "zd_status": "solved", "zd_updated_at": custom_datetime(datetime(2024, 3, 3, 8), "us")}
    update = Update("zendesk_ticket", (record,), "zd-35436-20240303T080000Z", custom_object=True)
    assert content(update) == golden(
        """
        <function controlid="zd-35436-20240303T080000Z">
          <update>
            <zendesk_ticket>
              <id>10027</id>
              <zd_status>solved</zd_status>
              <zd_updated_at>03/03/2024 08:00:00</zd_updated_at>
            </zendesk_ticket>
          </update>
        </function>
        """
    )


def test_custom_writes_still_check_names_and_the_record_limit() -> None:
    with pytest.raises(ValueError, match="UPPERCASE"):
        Create("zendesk_ticket", (ticket(),))
    with pytest.raises(ValueError, match="at most 100"):
        Create("zendesk_ticket", tuple(ticket() for _ in range(MAX_WRITE_RECORDS + 1)), custom_object=True)
    with pytest.raises(ValueError, match="at most 100"):
        Update("VENDOR", tuple({"VENDORID": f"V{n}"} for n in range(MAX_WRITE_RECORDS + 1)))
    with pytest.raises(ValueError, match="element name"):
        Create("zendesk_ticket", ({"zd subject": "x"},), custom_object=True)
    assert len(Create("zendesk_ticket", tuple(ticket() for _ in range(100)), custom_object=True).records) == 100


def test_read_by_name_and_a_query_across_the_relationship() -> None:
    find = ReadByName("zendesk_ticket", ("ZD-35436",), ("id", "name", "zd_updated_at"), controlid="zd-35436-find")
    assert content(find) == golden(
        """
        <function controlid="zd-35436-find">
          <readByName>
            <object>zendesk_ticket</object>
            <keys>ZD-35436</keys>
            <fields>id,name,zd_updated_at</fields>
            <returnFormat>xml</returnFormat>
          </readByName>
        </function>
        """
    )
    listed = Query(
        "zendesk_ticket",
        ("name", "zd_status", "zd_updated_at"),
        equalto("R_zendesk_ticket_vendor.VENDORID", "V100"),
        controlid="zd-v100",
    )
    assert render(listed.to_element()) == golden(
        """
        <query>
          <select><field>name</field><field>zd_status</field><field>zd_updated_at</field></select>
          <object>zendesk_ticket</object>
          <filter><equalto><field>R_zendesk_ticket_vendor.VENDORID</field><value>V100</value></equalto></filter>
          <pagesize>100</pagesize>
          <offset>0</offset>
        </query>
        """
    )


def test_lookup_and_inspect_requests() -> None:
    assert render(Lookup("zendesk_ticket").to_element()) == "<lookup><object>zendesk_ticket</object></lookup>"
    assert render(Inspect().to_element()) == "<inspect><object>*</object></inspect>"
    detailed = render(Inspect("VENDOR", detail=True).to_element())
    assert detailed == '<inspect detail="1"><object>VENDOR</object></inspect>'


def test_install_app_request_escapes_the_application_xml() -> None:
    install = InstallApp("<application><object>zendesk_ticket</object></application>", controlid="zd-app")
    assert render(install.to_element()) == (
        "<installApp><appxml>&lt;application&gt;&lt;object&gt;zendesk_ticket&lt;/object&gt;&lt;/application&gt;"
        "</appxml></installApp>"
    )
    assert "application" not in repr(install)


def test_supdoc_requests() -> None:
    folder = CreateSupdocFolder("Zendesk", description="Zendesk ticket snapshots", controlid="zd-folder")
    assert content(folder) == golden(
        """
        <function controlid="zd-folder">
          <create_supdocfolder>
            <supdocfoldername>Zendesk</supdocfoldername>
            <supdocfolderdescription>Zendesk ticket snapshots</supdocfolderdescription>
          </create_supdocfolder>
        </function>
        """
    )
    create = CreateSupdoc(
        "Zendesk tickets V100",
        "Zendesk",
        supdoc_id="ZD-V100",
        description="Tickets & events",
        files=(AttachmentFile("ticket-35436-20240302T093000Z", "json", b'{"id": 35436}'),),
        controlid="zd-supdoc-V100",
    )
    assert content(create) == golden(
        """
        <function controlid="zd-supdoc-V100">
          <create_supdoc>
            <supdocid>ZD-V100</supdocid>
            <supdocname>Zendesk tickets V100</supdocname>
            <supdocfoldername>Zendesk</supdocfoldername>
            <supdocdescription>Tickets &amp; events</supdocdescription>
            <attachments>
              <attachment>
                <attachmentname>ticket-35436-20240302T093000Z</attachmentname>
                <attachmenttype>json</attachmenttype>
                <attachmentdata>eyJpZCI6IDM1NDM2fQ==</attachmentdata>
              </attachment>
            </attachments>
          </create_supdoc>
        </function>
        """
    )
    update = UpdateSupdoc("ZD-V100", files=(AttachmentFile("ticket-35436-2", "txt", b"solved"),), controlid="u")
    assert render(update.to_element()) == golden(
        """
        <update_supdoc>
          <supdocid>ZD-V100</supdocid>
          <attachments>
            <attachment>
              <attachmentname>ticket-35436-2</attachmentname>
              <attachmenttype>txt</attachmenttype>
              <attachmentdata>c29sdmVk</attachmentdata>
            </attachment>
          </attachments>
        </update_supdoc>
        """
    )
    assert render(GetSupdoc("ZD-V100").to_element()) == '<get object="supdoc" key="ZD-V100"/>'


def test_supdoc_validation() -> None:
    with pytest.raises(ValueError, match="period"):
        AttachmentFile("ticket.json", "json", b"")
    with pytest.raises(ValueError, match="distinct"):
        UpdateSupdoc("ZD-V1", files=(AttachmentFile("a", "json", b"1"), AttachmentFile("a", "json", b"2")))
    with pytest.raises(ValueError, match="required"):
        CreateSupdoc("", "Zendesk")
    assert "data" not in repr(AttachmentFile("a", "txt", b"secret"))


LOOKUP_DATA = """<data listtype="All" count="1"><Type Name="zendesk_ticket" DocumentType=""><Fields>
<Field><ID>id</ID><LABEL>Id</LABEL><DESCRIPTION/><REQUIRED>false</REQUIRED><READONLY>true</READONLY>
<DATATYPE>INTEGER</DATATYPE><ISCUSTOM>false</ISCUSTOM></Field>
<Field><ID>name</ID><LABEL>Name</LABEL><REQUIRED>true</REQUIRED><DATATYPE>TEXT</DATATYPE><ISCUSTOM>true</ISCUSTOM></Field>
</Fields><Relationships><Relationship><OBJECTPATH>R_zendesk_ticket_vendor</OBJECTPATH><OBJECTNAME>VENDOR</OBJECTNAME>
<LABEL>Vendor</LABEL><RELATIONSHIPTYPE>MANY2ONE</RELATIONSHIPTYPE><RELATEDBY>RVENDOR</RELATEDBY></Relationship>
</Relationships></Type></data>"""


def _result(function: str, data: str) -> Any:
    body = response_xml(result_xml(function, "c", data=data))
    (result,) = parse_response(body.encode(), used_session=True, uniqueid=False).results
    return result


def test_lookup_answer_is_parsed_into_fields_and_relationships() -> None:
    definition = parse_lookup(_result("lookup", LOOKUP_DATA))
    assert definition.name == "zendesk_ticket"
    assert definition.field_ids() == ["id", "name"]
    assert (definition.fields[0].readonly, definition.fields[1].required, definition.fields[1].custom) == (
        True,
        True,
        True,
    )
    vendor = definition.relationship_to("vendor")
    assert vendor is not None
    assert (vendor.object_path, vendor.related_by, vendor.relationship_type) == (
        "R_zendesk_ticket_vendor",
        "RVENDOR",
        "MANY2ONE",
    )
    assert vendor.field("VENDORID") == "R_zendesk_ticket_vendor.VENDORID"
    assert definition.relationship_to("CUSTOMER") is None
    lower = LOOKUP_DATA.replace("<Relationships>", "<relationships>").replace("</Relationships>", "</relationships>")
    assert parse_lookup(_result("lookup", lower)).relationships == definition.relationships


def test_inspect_answer_is_parsed_with_name_in_the_attribute_or_the_text() -> None:
    data = (
        '<data listtype="All" count="3"><type typename="VENDOR">Vendor</type>'
        '<type typename="zendesk_ticket">Zendesk Ticket</type><type>CUSTOMER</type></data>'
    )
    result = _result("inspect", data)
    assert [(t.name, t.label) for t in parse_inspect(result)] == [
        ("VENDOR", "Vendor"),
        ("zendesk_ticket", "Zendesk Ticket"),
        ("CUSTOMER", ""),
    ]
    assert has_object(result, "ZENDESK_TICKET")
    assert not has_object(result, "asset")
    one = _result("inspect", '<data listtype="VENDOR" count="1"><Type Name="VENDOR"><Fields><Field>RECORDNO</Field>'
                  "<Field>VENDORID</Field></Fields></Type></data>")  # fmt: skip
    assert inspected_fields(one) == ["RECORDNO", "VENDORID"]


def test_unknown_object_is_recognised_from_the_error_text() -> None:
    text = "Object definition zendesk_ticket not found"
    missing = ResultError("lookup", [ErrorDetail("SIM-UNKNOWN-OBJECT", "", text)])
    assert unknown_object(missing)
    assert not unknown_object(ResultError("lookup", [ErrorDetail("XL03000010", "", "Field requested is not valid")]))


def test_custom_values_in_either_form() -> None:
    assert relationship_value("ID", record_id="V100", recordno=17) == "V100"
    assert relationship_value("RECORDNO", record_id="V100", recordno=17) == "17"
    with pytest.raises(ValueError, match="empty"):
        relationship_value("ID", record_id="", recordno=17)
    assert custom_date(date(2024, 3, 1), "iso") == "2024-03-01"
    assert custom_date(date(2024, 3, 1), "us") == "03/01/2024"
    with pytest.raises(ValueError, match="aware"):
        custom_datetime(datetime(2024, 3, 1), "iso")
    assert parse_custom_datetime("03/02/2024 09:30:00") == datetime(2024, 3, 2, 9, 30)
    assert parse_custom_datetime("03/02/2024") == datetime(2024, 3, 2)
    assert parse_custom_datetime("2024-03-02T09:30:00Z") == datetime(2024, 3, 2, 9, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="MM/DD"):
        parse_custom_datetime("13/45/2024")
