"""Marketo error codes and messages: response-level (6xx/7xx, whole call refused) and record-level
reasons (1xxx, one record skipped). Codes are strings, as on the wire.

Messages follow Adobe's error-code table where it gives one; texts marked 3P come from integrators'
code; the rest are plain descriptions (the exact wording is UNVERIFIED).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class ApiFailure(Exception):
    """Raised by an operation: the whole call fails with this response-level error."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.code} {problem.message}")
        self.problem = problem


RESPONSE_MESSAGES: dict[str, str] = {
    "600": "Empty access token",
    "601": "Access token invalid",
    "602": "Access token expired",
    "603": "Access denied",
    "604": "Request time-out",
    "605": "HTTP Method not supported",
    "607": "Daily quota reached",
    "608": "API Temporarily Unavailable",
    "609": "Invalid JSON",
    "610": "Requested resource not found",
    "611": "System error",
    "612": "Invalid Content Type",
    "614": "Invalid Subscription",
    "713": "Transient Error",
}


def api_error(code: str) -> Problem:
    return Problem(code, RESPONSE_MESSAGES.get(code, "System error"))


def rate_limited(calls: int, window_s: float) -> Problem:
    return Problem("606", f"Max rate limit '{calls}' exceeded with in '{window_s:g}' secs")  # 3P text


def concurrency_limited(limit: int) -> Problem:
    return Problem("615", f"Concurrent access limit '{limit}' reached")  # 3P text


def blank(parameter: str) -> Problem:
    return Problem("701", f"{parameter} cannot be blank")


def invalid_parameter(message: str) -> Problem:
    """A request-level 1003 (too many records or values, an invalid action or token)."""
    return Problem("1003", message)


# ---------------------------------------------------------------- record level (status "skipped")
def invalid_data() -> Problem:
    return Problem("1003", "Invalid data")


def invalid_value(field: str) -> Problem:
    # Observed on a real instance for a bad boolean; used for every value Marketo would not store.
    return Problem("1003", f"Invalid value for field '{field}'")


def lookup_value_missing(field: str) -> Problem:
    return Problem("1003", f"Value for lookup field '{field}' not found")


def missing_value(parameter: str) -> Problem:
    return Problem("1002", f"Missing value for the required parameter '{parameter}'")


def field_not_found(field: str) -> Problem:
    return Problem("1006", f"Field '{field}' not found")


def field_not_supported(field: str) -> Problem:
    return Problem("1011", f"Field '{field}' not supported")


def lead_not_found() -> Problem:
    return Problem("1004", "Lead not found")


def lead_exists() -> Problem:
    return Problem("1005", "Lead already exists")


def multiple_leads() -> Problem:
    return Problem("1007", "Multiple lead match lookup criteria")  # the text real responses carry


def partition_denied(name: str) -> Problem:
    return Problem("1008", f"Access denied to partition '{name}'")


def company_exists(code: str) -> Problem:
    return Problem(code, "Object already exists" if code == "1017" else "Invalid data")


def record_not_found(code: str = "1013") -> Problem:
    return Problem(code, "Record not found" if code == "1013" else "Invalid data")


def crm_enabled() -> Problem:
    return Problem("1018", "CRM Enabled")


def company_update_not_allowed() -> Problem:
    return Problem("1021", "Company update not allowed")


def unknown_company(external_id: str) -> Problem:
    return Problem("1003", f"Company not found for externalCompanyId '{_short(external_id)}'")


def duplicate_in_input() -> Problem:
    return Problem("1036", "Duplicate object found in input")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
