"""Legacy attachment functions: `create_supdocfolder`, `create_supdoc`, `update_supdoc` and `get` of a supdoc.

Element order follows the documented examples (supdocid, supdocname, supdocfoldername, supdocdescription,
attachments). An attachment file is `attachmentname` (no period, no extension), `attachmenttype` (the
extension) and `attachmentdata` (base64, encoded here from bytes). `update_supdoc` can add files but cannot
change one already there: give every new version of a file a new name. The answer is `<key>`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from mlconnector.systems.intacct.functions.base import new_controlid
from mlconnector.systems.intacct.functions.legacy import optional, require_text
from mlconnector.systems.intacct.xml import Element, el


@dataclass(frozen=True)
class AttachmentFile:
    name: str
    type: str
    data: bytes = field(repr=False)

    def __post_init__(self) -> None:
        require_text(self.name, "attachment name")
        require_text(self.type, "attachment type")
        if "." in self.name or "." in self.type:
            raise ValueError("attachment name and type take no period (name 'ticket-1', type 'json')")

    def to_element(self) -> Element:
        return el(
            "attachment",
            el("attachmentname", text=self.name),
            el("attachmenttype", text=self.type),
            el("attachmentdata", text=base64.b64encode(self.data).decode("ascii")),
        )


def _attachments(files: tuple[AttachmentFile, ...]) -> list[Element]:
    return [el("attachments", *(f.to_element() for f in files))] if files else []


@dataclass(frozen=True)
class CreateSupdocFolder:
    folder_name: str
    description: str | None = None
    parent_folder_name: str | None = None
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        require_text(self.folder_name, "create_supdocfolder folder_name")

    def to_element(self) -> Element:
        return el(
            "create_supdocfolder",
            el("supdocfoldername", text=self.folder_name),
            *optional("supdocfolderdescription", self.description),
            *optional("supdocparentfoldername", self.parent_folder_name),
        )


@dataclass(frozen=True)
class CreateSupdoc:
    """`supdoc_id` may be None only where the company numbers attachments itself."""

    supdoc_name: str
    folder_name: str
    supdoc_id: str | None = None
    description: str | None = None
    files: tuple[AttachmentFile, ...] = ()
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        require_text(self.supdoc_name, "create_supdoc supdoc_name")
        require_text(self.folder_name, "create_supdoc folder_name")
        _distinct(self.files)

    def to_element(self) -> Element:
        return el(
            "create_supdoc",
            *optional("supdocid", self.supdoc_id),
            el("supdocname", text=self.supdoc_name),
            el("supdocfoldername", text=self.folder_name),
            *optional("supdocdescription", self.description),
            *_attachments(self.files),
        )


@dataclass(frozen=True)
class UpdateSupdoc:
    """Changes the header fields given and adds `files` (each under a name the attachment does not have yet)."""

    supdoc_id: str
    supdoc_name: str | None = None
    folder_name: str | None = None
    description: str | None = None
    files: tuple[AttachmentFile, ...] = ()
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        require_text(self.supdoc_id, "update_supdoc supdoc_id")
        _distinct(self.files)

    def to_element(self) -> Element:
        return el(
            "update_supdoc",
            el("supdocid", text=self.supdoc_id),
            *optional("supdocname", self.supdoc_name),
            *optional("supdocfoldername", self.folder_name),
            *optional("supdocdescription", self.description),
            *_attachments(self.files),
        )


@dataclass(frozen=True)
class GetSupdoc:
    """Legacy `get` of one attachment with its files (their data can be large)."""

    supdoc_id: str
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        require_text(self.supdoc_id, "get supdoc_id")

    def to_element(self) -> Element:
        return el("get", attrs={"object": "supdoc", "key": self.supdoc_id})


def _distinct(files: tuple[AttachmentFile, ...]) -> None:
    names = [f"{f.name}.{f.type}" for f in files]
    if len(names) != len(set(names)):
        raise ValueError("attachment files of one call need distinct names")
