"""``lookup`` and ``inspect``: object definitions, including installed Platform Services custom objects.

Shapes (reference §4.2: lookup answers ``Type/Fields/Field`` with ``ID``, ``DATATYPE``…, inspect ``<type
typename="…">``; the elements beyond those and their exact case are UNVERIFIED)::

    <data listtype="All" count="1"><Type Name="zendesk_ticket" DocumentType="">
      <Fields><Field><ID>name</ID><LABEL>Name</LABEL><DESCRIPTION/><REQUIRED>true</REQUIRED>
        <READONLY>false</READONLY><DATATYPE>TEXT</DATATYPE><ISCUSTOM>true</ISCUSTOM></Field>…</Fields>
      <Relationships><Relationship><OBJECTPATH>R_zendesk_ticket_vendor</OBJECTPATH><OBJECTNAME>VENDOR</OBJECTNAME>
        <LABEL>Vendor</LABEL><RELATIONSHIPTYPE>MANY2ONE</RELATIONSHIPTYPE><RELATEDBY>RVENDOR</RELATEDBY>
      </Relationship></Relationships></Type></data>

    inspect *:      <data listtype="All" count="N"><type typename="VENDOR">Vendor</type>…</data>
    inspect VENDOR: <data listtype="VENDOR" count="1"><Type Name="VENDOR"><Fields><Field>RECORDNO</Field>…

An object the company does not have (a custom object without Platform Services or not installed) fails as any
unknown object does: "Object definition X not found".
"""

from __future__ import annotations

from sandbox.intacct.catalogue import visible_objects
from sandbox.intacct.context import FunctionContext, child_text
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import FunctionFailure, invalid_query
from sandbox.intacct.query import resolve_object
from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.values import FieldType
from sandbox.intacct.xmlwrite import data_element, element, escape, escape_attr

_SYSTEM = frozenset({"RECORDNO", "ID", "WHENCREATED", "WHENMODIFIED"})


def _field_id(obj: ObjectDef, name: str) -> str:
    """Custom fields go by their lower-case integration names; R… elements and standard fields as they are."""
    if obj.custom and name not in {r.related_by.upper() for r in obj.relationships}:
        return name.lower()
    return name


def _own_fields(obj: ObjectDef) -> list[str]:
    """Fields of the object itself (related ones, R_….X, are reached through Relationships)."""
    paths = tuple(relationship.object_path.upper() + "." for relationship in obj.relationships)
    return [name for name in obj.fields if not name.startswith(paths)]


def _label(name: str) -> str:
    return name.replace("_", " ").replace(".", " ").title()


def _field_xml(obj: ObjectDef, name: str, field_type: FieldType) -> str:
    return (
        "<Field>"
        + element("ID", _field_id(obj, name))
        + element("LABEL", _label(name))
        + "<DESCRIPTION/>"
        + element("REQUIRED", "true" if name in obj.required else "false")
        + element("READONLY", "true" if name in _SYSTEM else "false")
        + element("DATATYPE", field_type.value.upper())
        + element("ISCUSTOM", "true" if obj.custom and name not in _SYSTEM else "false")
        + "</Field>"
    )


def _relationships_xml(obj: ObjectDef) -> str:
    if not obj.relationships:
        return ""
    inner = "".join(
        "<Relationship>"
        + element("OBJECTPATH", relationship.object_path)
        + element("OBJECTNAME", relationship.related_object)
        + element("LABEL", relationship.label)
        + element("RELATIONSHIPTYPE", relationship.relationship_type)
        + element("RELATEDBY", relationship.related_by)
        + "</Relationship>"
        for relationship in obj.relationships
    )
    return f"<Relationships>{inner}</Relationships>"


def run_lookup(ctx: FunctionContext, call: FunctionCall) -> str:
    obj = resolve_object(ctx, child_text(call.element, "object"))
    fields = "".join(_field_xml(obj, name, obj.fields[name]) for name in _own_fields(obj))
    inner = (
        f'<Type Name="{escape_attr(obj.api_name)}" DocumentType="">'
        f"<Fields>{fields}</Fields>{_relationships_xml(obj)}</Type>"
    )
    return data_element(inner, {"listtype": "All", "count": 1})


def run_inspect(ctx: FunctionContext, call: FunctionCall) -> str:
    name = (child_text(call.element, "object") or "").strip()
    if not name:
        raise FunctionFailure(invalid_query("inspect needs an object (or *)"))
    if name == "*":
        objects = visible_objects(ctx.config)
        inner = "".join(f'<type typename="{escape_attr(obj.api_name)}">{escape(obj.label)}</type>' for obj in objects)
        return data_element(inner, {"listtype": "All", "count": len(objects)})
    obj = resolve_object(ctx, name)
    fields = "".join(element("Field", _field_id(obj, field)) for field in _own_fields(obj))
    inner = f'<Type Name="{escape_attr(obj.api_name)}"><Fields>{fields}</Fields></Type>'
    return data_element(inner, {"listtype": obj.api_name, "count": 1})
