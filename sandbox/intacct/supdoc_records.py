"""Attachments (supdocs), their files and folders as store tables, and read-only views of them for tests.

The tables are internal: generic functions never see them (they are not in schema.OBJECTS); only the legacy
attachment functions (supdocs.py, legacy_get.py) and the accessors below use them. Keeping them in the store
gives them the same function-level atomicity and transaction rollback as every other write.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sandbox.intacct.schema import ObjectDef, parse_fields
from sandbox.intacct.store import Record, RecordStore

SUPDOC = ObjectDef(
    name="SUPDOC",
    label="Attachment",
    id_field="SUPDOCID",
    writable=False,
    fields=parse_fields(
        "RECORDNO:int SUPDOCID SUPDOCNAME SUPDOCFOLDERNAME SUPDOCDESCRIPTION CREATIONDATE:date WHENCREATED:ts "
        "WHENMODIFIED:ts"
    ),
)
SUPDOCFILE = ObjectDef(
    name="SUPDOCFILE",
    label="Attachment file",
    writable=False,
    fields=parse_fields("RECORDNO:int RECORDKEY:int ATTACHMENTNAME ATTACHMENTTYPE ATTACHMENTDATA WHENCREATED:ts"),
)
SUPDOCFOLDER = ObjectDef(
    name="SUPDOCFOLDER",
    label="Attachment folder",
    id_field="SUPDOCFOLDERNAME",
    writable=False,
    fields=parse_fields(
        "RECORDNO:int SUPDOCFOLDERNAME SUPDOCFOLDERDESCRIPTION SUPDOCPARENTFOLDERNAME WHENCREATED:ts WHENMODIFIED:ts"
    ),
)
SUPDOC_OBJECTS: Mapping[str, ObjectDef] = MappingProxyType(
    {obj.name: obj for obj in (SUPDOC, SUPDOCFILE, SUPDOCFOLDER)}
)


@dataclass(frozen=True)
class SupdocFile:
    name: str  # attachmentname: no period, no extension
    type: str  # attachmenttype: the extension
    data: bytes  # decoded

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.type}" if self.type else self.name


@dataclass(frozen=True)
class Supdoc:
    supdoc_id: str
    name: str
    folder: str
    description: str
    files: tuple[SupdocFile, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "supdocid": self.supdoc_id,
            "supdocname": self.name,
            "supdocfoldername": self.folder,
            "supdocdescription": self.description,
            "attachments": [
                {
                    "attachmentname": f.name,
                    "attachmenttype": f.type,
                    "attachmentdata": base64.b64encode(f.data).decode("ascii"),
                }
                for f in self.files
            ],
        }


def files_of(store: RecordStore, header: Record) -> list[Record]:
    """The file rows of one attachment, in the order they were added."""
    return [row for row in store.all("SUPDOCFILE") if row.get("RECORDKEY") == header["RECORDNO"]]


def supdoc_view(store: RecordStore, header: Record) -> Supdoc:
    files = tuple(
        SupdocFile(
            row.get("ATTACHMENTNAME", ""),
            row.get("ATTACHMENTTYPE", ""),
            base64.b64decode(row.get("ATTACHMENTDATA", "")),
        )
        for row in files_of(store, header)
    )
    return Supdoc(
        header["SUPDOCID"],
        header.get("SUPDOCNAME", ""),
        header.get("SUPDOCFOLDERNAME", ""),
        header.get("SUPDOCDESCRIPTION", ""),
        files,
    )


def all_supdocs(store: RecordStore) -> list[Supdoc]:
    with store.lock:
        return [supdoc_view(store, header) for header in store.all("SUPDOC")]


def find_supdoc(store: RecordStore, supdoc_id: str) -> Supdoc | None:
    with store.lock:
        header = store.find("SUPDOC", supdoc_id)
        return supdoc_view(store, header) if header is not None else None
