"""Legacy ``get`` of an attachment or an attachment folder: ``<get object="supdoc" key="ATT-1"/>``.

Answer (lower-case legacy elements; the exact field set is UNVERIFIED)::

    <data listtype="supdoc" count="1"><supdoc><recordno>…</recordno><supdocid>…</supdocid><supdocname>…
      </supdocname><folder>…</folder><description>…</description><creationdate>MM/DD/YYYY</creationdate>
      <attachments><attachment><attachmentname>…</attachmentname><attachmenttype>…</attachmenttype>
      <attachmentdata>base64</attachmentdata></attachment></attachments></supdoc></data>

An unknown key answers ``count="0"`` (UNVERIFIED). Other objects are not simulated.
"""

from __future__ import annotations

from sandbox.intacct.context import FunctionContext
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import FunctionFailure, invalid_argument, unsupported
from sandbox.intacct.store import Record
from sandbox.intacct.supdoc_records import files_of
from sandbox.intacct.xmlwrite import data_element, element


def _supdoc_xml(ctx: FunctionContext, header: Record) -> str:
    files = "".join(
        "<attachment>"
        + element("attachmentname", row.get("ATTACHMENTNAME", ""))
        + element("attachmenttype", row.get("ATTACHMENTTYPE", ""))
        + element("attachmentdata", row.get("ATTACHMENTDATA", ""))
        + "</attachment>"
        for row in files_of(ctx.store, header)
    )
    return (
        "<supdoc>"
        + element("recordno", header["RECORDNO"])
        + element("supdocid", header.get("SUPDOCID", ""))
        + element("supdocname", header.get("SUPDOCNAME", ""))
        + element("folder", header.get("SUPDOCFOLDERNAME", ""))
        + element("description", header.get("SUPDOCDESCRIPTION", ""))
        + element("creationdate", header.get("CREATIONDATE", ""))
        + f"<attachments>{files}</attachments>"
        + "</supdoc>"
    )


def _folder_xml(record: Record) -> str:
    return (
        "<supdocfolder>"
        + element("recordno", record["RECORDNO"])
        + element("name", record.get("SUPDOCFOLDERNAME", ""))
        + element("description", record.get("SUPDOCFOLDERDESCRIPTION", ""))
        + element("parentfolder", record.get("SUPDOCPARENTFOLDERNAME", ""))
        + "</supdocfolder>"
    )


def run_get(ctx: FunctionContext, call: FunctionCall) -> str:
    object_name = (call.element.get("object") or "").strip().lower()
    key = (call.element.get("key") or "").strip()
    if not key:
        raise FunctionFailure(invalid_argument("get needs a key attribute"))
    if object_name == "supdoc":
        header = ctx.store.find("SUPDOC", key)
        inner = _supdoc_xml(ctx, header) if header is not None else ""
    elif object_name == "supdocfolder":
        folder = ctx.store.find("SUPDOCFOLDER", key)
        inner = _folder_xml(folder) if folder is not None else ""
    else:
        raise FunctionFailure(unsupported(f"get of object {object_name or '(none)'}"))
    return data_element(inner, {"listtype": object_name, "count": 1 if inner else 0})
