"""Tickets as attachments, for companies without Platform Services (verified-2026-12 §4, fallback a): one
attachment (supdoc) per vendor or customer in folder `Zendesk`, one JSON file per ticket version
(`zd-<ticket id>-<updated_at>`). `update_supdoc` can add files but never change one, so every version is a new,
dated file: a late older version only adds an older snapshot and nothing goes backwards.

A ticket's link remembers the file it last wrote (`<supdoc id>/<file>`), so an incoming version that is not newer
writes nothing. Per batch: one request adding the files to their attachments (`update_supdoc`, deterministic
controlids); for attachments that do not exist yet, one more creating them (and the folder, once).

Left open: the attachment is not set as the vendor's `SUPDOCID` (a vendor has one, which may already be in use).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from mlconnector.engine.records import Action, Outcome, StopRun, WriteItem
from mlconnector.flows.intacct_destination.vendors import already_exists
from mlconnector.flows.intacct_zendesk.mapping import DELETED, PARTY, instant
from mlconnector.systems.intacct import DuplicateControlId, IntacctClient, UnknownOutcome
from mlconnector.systems.intacct.client import WriteOutcome
from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.intacct.functions.base import ApiFunction
from mlconnector.systems.intacct.functions.supdoc import AttachmentFile, CreateSupdoc, CreateSupdocFolder, UpdateSupdoc

FOLDER = "Zendesk"
FILE_TYPE = "json"


def supdoc_id(kind: str, party_id: str) -> str:
    """The attachment of one vendor (or customer): short, plain and stable whatever the VENDORID holds."""
    return "ZD" + hashlib.sha256(f"{kind}:{party_id}".encode()).hexdigest()[:14].upper()


def file_name(item: WriteItem) -> str:
    stamp = instant(str(item.payload["zd_updated_at"])).strftime("%Y%m%dT%H%M%SZ")
    return f"zd-{item.payload['zd_ticket_id']}-{stamp}"


@dataclass
class AttachmentTickets:
    intacct: IntacctClient
    folder_ready: bool = False

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        outcomes: dict[str, Outcome] = {}
        groups: dict[str, list[WriteItem]] = defaultdict(list)
        for item in items:
            decided = _decide(item)
            if decided is not None:
                outcomes[item.record.key] = decided
            else:
                groups[_supdoc_of(item)].append(item)
        if groups:
            missing = self._add(groups, outcomes)
            if missing:
                self._create(missing, outcomes)
        return [outcomes[item.record.key] for item in items]

    def _add(self, groups: dict[str, list[WriteItem]], outcomes: dict[str, Outcome]) -> dict[str, list[WriteItem]]:
        """Add each group's files to its attachment; returns the groups whose attachment could not take them."""
        functions = [
            UpdateSupdoc(supdoc, files=_files(group), controlid=_controlid("add", supdoc, group))
            for supdoc, group in groups.items()
        ]
        failed: dict[str, list[WriteItem]] = {}
        for (supdoc, group), result in zip(groups.items(), self._execute(functions), strict=True):
            if result.ok or isinstance(result.error, DuplicateControlId):
                _written(group, supdoc, outcomes)
            else:
                failed[supdoc] = group
        return failed

    def _create(self, groups: dict[str, list[WriteItem]], outcomes: dict[str, Outcome]) -> None:
        """Create the attachments (and the folder, once per run); a group whose attachment exists after all had a
        file refused: its files are added one by one."""
        functions: list[ApiFunction] = []
        if not self.folder_ready:
            functions.append(CreateSupdocFolder(FOLDER, "Zendesk tickets (ml-connector)", controlid="zd-folder"))
        for supdoc, group in groups.items():
            kind, party = group[0].payload[PARTY]["object"], group[0].payload[PARTY]["id"]
            functions.append(
                CreateSupdoc(
                    f"Zendesk tickets of {str(kind).lower()} {party}",
                    FOLDER,
                    supdoc_id=supdoc,
                    files=_files(group),
                    controlid=_controlid("new", supdoc, group),
                )
            )
        results = self._execute(functions)
        if not self.folder_ready:
            folder, results = results[0], results[1:]
            self.folder_ready = (
                folder.ok or already_exists(folder.error) or isinstance(folder.error, DuplicateControlId)
            )
        one_by_one: list[tuple[str, WriteItem]] = []
        for (supdoc, group), result in zip(groups.items(), results, strict=True):
            if result.ok or isinstance(result.error, DuplicateControlId):
                _written(group, supdoc, outcomes)
            elif already_exists(result.error):
                one_by_one += [(supdoc, item) for item in group]
            else:
                for item in group:
                    outcomes[item.record.key] = _failed(item, result.error)
        if one_by_one:
            self._one_by_one(one_by_one, outcomes)

    def _one_by_one(self, items: list[tuple[str, WriteItem]], outcomes: dict[str, Outcome]) -> None:
        functions = [
            UpdateSupdoc(supdoc, files=_files([item]), controlid=_controlid("add", supdoc, [item]))
            for supdoc, item in items
        ]
        for (supdoc, item), result in zip(items, self._execute(functions), strict=True):
            if result.ok or isinstance(result.error, DuplicateControlId):
                _written([item], supdoc, outcomes)
            elif _file_exists(result.error):  # this version's file is there already
                outcomes[item.record.key] = Outcome(item.record.key, Action.UPDATED, f"{supdoc}/{file_name(item)}")
            else:
                outcomes[item.record.key] = _failed(item, result.error)

    def _execute(self, functions: Sequence[ApiFunction]) -> list[WriteOutcome]:
        try:
            return self.intacct.execute_writes(functions)
        except UnknownOutcome as unknown:
            raise StopRun(
                f"Intacct did not confirm {len(functions)} attachment write(s) ({unknown}); the next run sends the "
                "same controlids again"
            ) from unknown


def _decide(item: WriteItem) -> Outcome | None:
    """Nothing to write when the linked file is of this version or a later one, or a deleted ticket was never
    stored; None otherwise."""
    key = item.record.key
    if item.destination_id is None:
        if item.payload.get("zd_status") == DELETED:
            return Outcome(key, Action.SKIPPED, error="deleted in Zendesk before it was stored in Intacct")
        return None
    stored = item.destination_id.rsplit("-", 1)[-1]
    incoming = file_name(item).rsplit("-", 1)[-1]
    if "/" in item.destination_id and stored >= incoming:  # same-width UTC stamps compare as text
        return Outcome(key, Action.UNCHANGED, destination_id=item.destination_id)
    return None


def _supdoc_of(item: WriteItem) -> str:
    party = item.payload[PARTY]
    return supdoc_id(str(party["object"]), str(party["id"]))


def _files(group: Sequence[WriteItem]) -> tuple[AttachmentFile, ...]:
    return tuple(
        AttachmentFile(file_name(item), FILE_TYPE, json.dumps(item.payload, sort_keys=True).encode()) for item in group
    )


def _controlid(verb: str, supdoc: str, group: Sequence[WriteItem]) -> str:
    names = ",".join(sorted(file_name(item) for item in group))
    return f"zd-{verb}-{supdoc}-{hashlib.sha256(names.encode()).hexdigest()[:16]}"


def _written(group: Sequence[WriteItem], supdoc: str, outcomes: dict[str, Outcome]) -> None:
    for item in group:
        action = Action.CREATED if item.destination_id is None else Action.UPDATED
        outcomes[item.record.key] = Outcome(item.record.key, action, destination_id=f"{supdoc}/{file_name(item)}")


def _already(error: IntacctError | None) -> bool:
    return isinstance(error, DuplicateControlId) or already_exists(error)


def _file_exists(error: IntacctError | None) -> bool:
    """The file is there already (its error text is UNVERIFIED: Intacct says the attachment already has it)."""
    return already_exists(error) or "already" in str(error or "").lower()


def _failed(item: WriteItem, error: IntacctError | None) -> Outcome:
    return Outcome(item.record.key, Action.FAILED, error=f"Intacct refused the ticket's attachment file: {error}")
