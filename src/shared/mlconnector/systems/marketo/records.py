"""Per-record outcomes of a sync call, one per input record in input order.

Companies (and custom objects) carry `seq`, the record's index in the request: results are ordered
by it. Lead results have no `seq` and come back in input order. A skipped record carries
`reasons[{code, message}]`; reasons found on our side before sending use codes starting "mlc-".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlconnector.systems.marketo.envelope import details
from mlconnector.systems.marketo.errors import ErrorDetail, ParseError

CREATED = "created"
UPDATED = "updated"
SKIPPED = "skipped"

CRM_MANAGED = "1018"
"""Reason "CRM Enabled": the instance syncs with Salesforce/Dynamics, which owns companies (use a fallback)."""
NON_ASCII_EMAIL = "mlc-non-ascii-email"
VALUE_TOO_LONG = "mlc-value-too-long"
RECORD_TOO_LARGE = "mlc-record-too-large"

MAX_EXTERNAL_COMPANY_ID = 100


@dataclass(frozen=True)
class RecordResult:
    index: int
    """Position of the record in the caller's input."""
    status: str
    """created, updated, skipped (or another status Marketo reports, e.g. deleted)."""
    id: int | None = None
    reasons: tuple[ErrorDetail, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status != SKIPPED

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


def is_crm_managed(result: RecordResult) -> bool:
    """True when Marketo skipped the record because a native CRM sync owns it (reason 1018)."""
    return CRM_MANAGED in result.reason_codes


def skipped(index: int, code: str, message: str) -> RecordResult:
    return RecordResult(index, SKIPPED, None, (ErrorDetail(code, message),))


def _record_result(index: int, raw: Mapping[str, Any]) -> RecordResult:
    status = raw.get("status")
    if not isinstance(status, str) or not status:
        raise ParseError(f"Marketo result {index} has no status")
    raw_id = raw.get("id")
    record_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
    return RecordResult(index, status, record_id, details(raw.get("reasons")))


def results_in_input_order(raw: Sequence[Mapping[str, Any]], count: int, *, by_seq: bool) -> list[RecordResult]:
    """One RecordResult per input record, index 0..count-1. With `by_seq`, each result's `seq` says which
    input it belongs to; every index must appear exactly once. Anything else is a ParseError."""
    if len(raw) != count:
        raise ParseError(f"Marketo returned {len(raw)} results for {count} records")
    if not by_seq:
        return [_record_result(i, r) for i, r in enumerate(raw)]
    placed: dict[int, RecordResult] = {}
    for r in raw:
        seq = r.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < count or seq in placed:
            raise ParseError(f"Marketo result has a missing, repeated or out-of-range seq ({seq!r})")
        placed[seq] = _record_result(seq, r)
    return [placed[i] for i in range(count)]


def lead_problem(record: Mapping[str, Any]) -> ErrorDetail | None:
    """What Marketo would refuse in a lead before we send it: emails must be ASCII only."""
    email = record.get("email")
    if isinstance(email, str) and not email.isascii():
        return ErrorDetail(NON_ASCII_EMAIL, "Marketo accepts ASCII-only email addresses")
    return None


def company_problem(record: Mapping[str, Any]) -> ErrorDetail | None:
    """externalCompanyId is at most 100 characters."""
    external_id = record.get("externalCompanyId")
    if isinstance(external_id, str) and len(external_id) > MAX_EXTERNAL_COMPANY_ID:
        return ErrorDetail(VALUE_TOO_LONG, f"externalCompanyId is longer than {MAX_EXTERNAL_COMPANY_ID} characters")
    return None
