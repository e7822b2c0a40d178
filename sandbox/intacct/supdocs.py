"""Legacy attachment functions (reference verified-2026-12 §4): ``create_supdocfolder``, ``create_supdoc``,
``update_supdoc``, ``delete_supdoc``.

``update_supdoc`` changes the header and **adds** files; it cannot modify a file that is already there, so a
file with the name and type of an existing one fails the function (the error text and code are UNVERIFIED).
Attachment data must be base64. Each answers ``<key>`` (the attachment ID, or the folder name).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from sandbox.intacct.context import FunctionContext
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import (
    FunctionFailure,
    IntacctError,
    already_exists,
    could_not,
    invalid_value,
    record_not_found,
    required_field,
)
from sandbox.intacct.legacy_xml import children, read_sequence, steps, text
from sandbox.intacct.store import Record
from sandbox.intacct.supdoc_records import files_of
from sandbox.intacct.xmlwrite import element

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

FOLDER_SEQUENCE = steps("supdocfoldername! supdocfolderdescription supdocparentfoldername")
CREATE_SEQUENCE = steps("supdocid supdocname! supdocfoldername! supdocdescription attachments")
UPDATE_SEQUENCE = steps("supdocid! supdocname supdocfoldername supdocdescription attachments")
ATTACHMENT_SEQUENCE = steps("attachmentname! attachmenttype! attachmentdata!")
_FILE_EXISTS_ERRORNO = "SIM-SUPDOC-FILE-EXISTS"


def file_exists(supdoc_id: str, filename: str) -> IntacctError:
    return IntacctError(
        _FILE_EXISTS_ERRORNO,
        description2=f"Attachment {supdoc_id} already has a file {filename}; update_supdoc cannot modify it.",
        correction="Add the file under a new name, or delete the attachment and create it again.",
    )


def _files(found: dict[str, Element], errors: list[IntacctError]) -> list[Record]:
    files: list[Record] = []
    for number, item in enumerate(children(found, "attachments", "attachment"), start=1):
        parts = read_sequence(item, ATTACHMENT_SEQUENCE)
        name, kind, data = (text(parts, tag) for tag in ("attachmentname", "attachmenttype", "attachmentdata"))
        try:
            base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            errors.append(invalid_value(f"attachment {number} attachmentdata", data[:20], "base64 data"))
        if not name:
            errors.append(required_field("Attachment", f"attachment {number} attachmentname"))
        files.append({"ATTACHMENTNAME": name, "ATTACHMENTTYPE": kind, "ATTACHMENTDATA": "".join(data.split())})
    return files


def _filename(row: Record) -> str:
    return f"{row.get('ATTACHMENTNAME', '')}.{row.get('ATTACHMENTTYPE', '')}"


def _duplicates(supdoc_id: str, existing: list[Record], new: list[Record]) -> list[IntacctError]:
    seen = {_filename(row) for row in existing}
    errors: list[IntacctError] = []
    for row in new:
        filename = _filename(row)
        if filename in seen:
            errors.append(file_exists(supdoc_id, filename))
        seen.add(filename)
    return errors


def _folder_errors(ctx: FunctionContext, folder: str) -> list[IntacctError]:
    if folder and ctx.config.supdoc_folder_must_exist and ctx.store.find("SUPDOCFOLDER", folder) is None:
        return [invalid_value("supdocfoldername", folder, "an existing attachment folder (create_supdocfolder)")]
    return []


def _add_files(ctx: FunctionContext, header: Record, files: list[Record], stamp: str) -> None:
    for row in files:
        ctx.store.insert("SUPDOCFILE", {**row, "RECORDKEY": header["RECORDNO"], "WHENCREATED": stamp})


def run_create_supdocfolder(ctx: FunctionContext, call: FunctionCall) -> str:
    found = read_sequence(call.element, FOLDER_SEQUENCE)
    name, parent = text(found, "supdocfoldername"), text(found, "supdocparentfoldername")
    errors: list[IntacctError] = []
    if not name:
        errors.append(required_field("Attachment folder", "supdocfoldername"))
    elif ctx.store.find("SUPDOCFOLDER", name) is not None:
        errors.append(already_exists(ctx.config.duplicate_id_errorno, "Attachment folder", name))
    if parent and ctx.store.find("SUPDOCFOLDER", parent) is None:
        errors.append(invalid_value("supdocparentfoldername", parent, "an existing attachment folder"))
    if errors:
        raise FunctionFailure(*errors, could_not("create", "attachment folder"))
    stamp = ctx.now_stamp()
    values = {
        "SUPDOCFOLDERNAME": name,
        "SUPDOCFOLDERDESCRIPTION": text(found, "supdocfolderdescription"),
        "SUPDOCPARENTFOLDERNAME": parent,
        "WHENCREATED": stamp,
        "WHENMODIFIED": stamp,
    }
    ctx.store.insert("SUPDOCFOLDER", values)
    return element("key", name)


def _next_supdoc_id(ctx: FunctionContext) -> str:
    number = ctx.store.count("SUPDOC") + 1
    while ctx.store.find("SUPDOC", f"ATT-{number:05d}") is not None:
        number += 1
    return f"ATT-{number:05d}"


def run_create_supdoc(ctx: FunctionContext, call: FunctionCall) -> str:
    found = read_sequence(call.element, CREATE_SEQUENCE)
    errors: list[IntacctError] = []
    supdoc_id, folder = text(found, "supdocid"), text(found, "supdocfoldername")
    if not supdoc_id and ctx.config.supdoc_autonumber:
        supdoc_id = _next_supdoc_id(ctx)
    if not supdoc_id:
        errors.append(required_field("Attachment", "supdocid (attachment autonumbering is off)"))
    elif ctx.store.find("SUPDOC", supdoc_id) is not None:
        errors.append(already_exists(ctx.config.duplicate_id_errorno, "Attachment", supdoc_id))
    if not text(found, "supdocname"):
        errors.append(required_field("Attachment", "supdocname"))
    errors += _folder_errors(ctx, folder)
    files = _files(found, errors)
    errors += _duplicates(supdoc_id, [], files)
    if errors:
        raise FunctionFailure(*errors, could_not("create", "attachment"))
    stamp = ctx.now_stamp()
    header = ctx.store.insert(
        "SUPDOC",
        {
            "SUPDOCID": supdoc_id,
            "SUPDOCNAME": text(found, "supdocname"),
            "SUPDOCFOLDERNAME": folder,
            "SUPDOCDESCRIPTION": text(found, "supdocdescription"),
            "CREATIONDATE": stamp.split(" ")[0],
            "WHENCREATED": stamp,
            "WHENMODIFIED": stamp,
        },
    )
    _add_files(ctx, header, files, stamp)
    return element("key", supdoc_id)


def run_update_supdoc(ctx: FunctionContext, call: FunctionCall) -> str:
    found = read_sequence(call.element, UPDATE_SEQUENCE)
    supdoc_id = text(found, "supdocid")
    header = ctx.store.find("SUPDOC", supdoc_id)
    if header is None:
        raise FunctionFailure(record_not_found("Attachment", supdoc_id), could_not("update", "attachment"))
    errors: list[IntacctError] = []
    changes = {
        field: text(found, tag)
        for tag, field in (
            ("supdocname", "SUPDOCNAME"),
            ("supdocfoldername", "SUPDOCFOLDERNAME"),
            ("supdocdescription", "SUPDOCDESCRIPTION"),
        )
        if tag in found
    }
    if "SUPDOCNAME" in changes and not changes["SUPDOCNAME"]:
        errors.append(required_field("Attachment", "supdocname"))
    errors += _folder_errors(ctx, changes.get("SUPDOCFOLDERNAME", ""))
    files = _files(found, errors)
    errors += _duplicates(supdoc_id, files_of(ctx.store, header), files)
    if errors:
        raise FunctionFailure(*errors, could_not("update", "attachment"))
    stamp = ctx.now_stamp()
    updated = ctx.store.replace("SUPDOC", int(header["RECORDNO"]), {**header, **changes, "WHENMODIFIED": stamp})
    _add_files(ctx, updated, files, stamp)
    return element("key", supdoc_id)


def run_delete_supdoc(ctx: FunctionContext, call: FunctionCall) -> str:
    supdoc_id = (call.element.get("key") or "").strip()
    header = ctx.store.find("SUPDOC", supdoc_id) if supdoc_id else None
    if header is None:
        raise FunctionFailure(record_not_found("Attachment", supdoc_id), could_not("delete", "attachment"))
    for row in files_of(ctx.store, header):
        ctx.store.delete("SUPDOCFILE", int(row["RECORDNO"]))
    ctx.store.delete("SUPDOC", int(header["RECORDNO"]))
    return element("key", supdoc_id)
