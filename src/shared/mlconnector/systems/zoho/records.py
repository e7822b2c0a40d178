"""Per-record results of an upsert (reference §2.2-2.3, verified §2.1).

`data[]` has one item per input record, in input order (verified), each a success (`code: SUCCESS`, `action:
insert|update`, `details.id`) or an error (`code`, `message`, `details.api_name`, `details.json_path`). Matched by
index defensively: an error's `json_path` (`$.data[2].Account_Name`) names its record; positions are trusted only
when Zoho returned exactly one item per record. A record left without a result is failed (`NO_RESULT`), so the flow
keeps it for replay (an upsert on an external id is safe to repeat).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mlconnector.systems.zoho.envelope import Envelope, envelope_of
from mlconnector.systems.zoho.errors import scrub

UpsertAction = Literal["insert", "update", "failed"]

SUCCESS = "SUCCESS"
NO_RESULT = "NO_RESULT"
"""Our code for a record Zoho's reply does not account for."""
NO_RECORD_ID = "NO_RECORD_ID"
"""Our code for a success that names no record id."""
MULTIPLE = "MULTIPLE_OR_MULTI_ERRORS"
"""Several problems of one record in `details.errors[]` (not in the v8 enum: UNVERIFIED)."""

_JSON_PATH = re.compile(r"\$\.data\[(\d+)\]")
_RECORD_ID = re.compile(r"[0-9]{1,30}")


@dataclass(frozen=True)
class UpsertResult:
    """One record's outcome. `id` is Zoho's record id as text (19 digits: never a number); `code` and `message` are
    Zoho's (`SUCCESS`/"record added"; `DUPLICATE_DATA`, `INVALID_DATA`, `MANDATORY_NOT_FOUND`, ...); `field` is the
    field an error names (`details.api_name`)."""

    index: int
    action: UpsertAction
    id: str | None
    code: str
    message: str
    field: str | None = None

    @property
    def ok(self) -> bool:
        return self.action != "failed"


def upsert_results(items: Sequence[object], count: int, *, secrets: Sequence[str]) -> list[UpsertResult]:
    """Exactly one UpsertResult per input record, in input order."""
    positional = len(items) == count
    found: dict[int, UpsertResult] = {}
    for position, item in enumerate(items):
        envelope = envelope_of(item)
        index = _index_of(envelope, position if positional else None)
        if index is None or index >= count or index in found:
            continue
        found[index] = _result(index, item, envelope, secrets)
    missing = f"Zoho returned {len(items)} results for {count} records and none for this one"
    return [found.get(i) or UpsertResult(i, "failed", None, NO_RESULT, missing) for i in range(count)]


def _index_of(envelope: Envelope | None, position: int | None) -> int | None:
    path = envelope.details.get("json_path") if envelope is not None else None
    matched = _JSON_PATH.match(path) if isinstance(path, str) else None
    return int(matched.group(1)) if matched else position


def _result(index: int, item: object, envelope: Envelope | None, secrets: Sequence[str]) -> UpsertResult:
    if envelope is None or not isinstance(item, dict):
        return UpsertResult(index, "failed", None, NO_RESULT, "Zoho's result for this record is not an object")
    message = scrub(envelope.message, secrets)
    if envelope.code != SUCCESS:
        return _failure(index, envelope, message, secrets)
    record_id = envelope.details.get("id")
    if not isinstance(record_id, str) or not _RECORD_ID.fullmatch(record_id):
        return UpsertResult(index, "failed", None, NO_RECORD_ID, "Zoho reported success without a record id")
    said = item.get("action")
    action: UpsertAction = said if said in ("insert", "update") else "failed"
    if action == "failed":  # no action given (not seen): a matched duplicate field means an update
        action = "update" if item.get("duplicate_field") else "insert"
    return UpsertResult(index, action, record_id, SUCCESS, message)


def _failure(index: int, envelope: Envelope, message: str, secrets: Sequence[str]) -> UpsertResult:
    field = envelope.api_name
    if envelope.code == MULTIPLE:
        nested = [found for item in envelope.details.get("errors") or () if (found := envelope_of(item)) is not None]
        field = field or next((n.api_name for n in nested if n.api_name), None)
        message = "; ".join(_said(n, secrets) for n in nested) or message
    return UpsertResult(index, "failed", None, envelope.code, message, field)


def _said(envelope: Envelope, secrets: Sequence[str]) -> str:
    text = f"{envelope.code} {scrub(envelope.message, secrets)}".strip()
    return f"{text} ({envelope.api_name})" if envelope.api_name else text
