"""Zoho CRM's error shapes.

API host: one envelope for request-level errors, ``{"code", "details", "message", "status": "error"}`` (raised as
ApiError), and the same object per record inside ``data[]`` for upsert results (raised as RecordError). Texts are
the verified ones (v8 OAS and its examples) unless marked UNVERIFIED.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.zoho.values import Json

INVALID_TOKEN = "invalid oauth token"  # noqa: S105 - a message, not a secret
AUTHENTICATION_FAILED = "Authentication failed"
INVALID_MODULE = "the module name given seems to be invalid"
MODULE_NOT_SUPPORTED = "The given module is not supported in API"
INVALID_URL = "Please check if the URL trying to access is a correct one"
INVALID_METHOD = "The http request method type is not a valid one"
INVALID_DATA = "invalid data"
MANDATORY_NOT_FOUND = "required field not found"
DUPLICATE_DATA = "duplicate data"
INVALID_ID = "the id given seems to be invalid"
LIMIT_EXCEEDED = "limit exceeded"
REQUIRED_PARAM = "required param is missing"
INVALID_QUERY = "invalid query formed"
PAGE_TOKEN_EXPIRED = "Page token expired"  # noqa: S105 - a message
DISCRETE_PAGINATION = "You can only get the first {limit} records without using page_token param"
INTERNAL = "Internal Server Error"
# UNVERIFIED texts, in the style of the verified ones:
EXPECTED_PARAM = "One of the expected parameter is missing"
SEARCH_LIMIT = "limit reached"
CONCURRENCY = "The concurrency limit for this API has been exceeded. Please try again after some time."
CREDITS = "API credits have been exhausted for the day. Please try again after some time."


@dataclass
class ApiError(Exception):
    """A request-level error: HTTP ``status`` with the envelope. ``in_data`` wraps it in ``{"data": [...]}``."""

    status: int
    code: str
    message: str
    details: Json = field(default_factory=dict)
    in_data: bool = False

    def __post_init__(self) -> None:
        super().__init__(f"{self.status} {self.code}: {self.message}")

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    def body(self) -> Json:
        envelope = error_item(self.code, self.message, self.details)
        return {"data": [envelope]} if self.in_data else envelope


@dataclass
class RecordError(Exception):
    """One record's failure inside an upsert's ``data[]``."""

    code: str
    message: str
    details: Json = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.message}")

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def item(self) -> Json:
        return error_item(self.code, self.message, self.details)


def error_item(code: str, message: str, details: Json) -> Json:
    return {"code": code, "details": dict(details), "message": message, "status": "error"}


def path_of(index: int, api_name: str) -> str:
    return f"$.data[{index}].{api_name}"


def invalid_data(index: int, api_name: str, message: str = INVALID_DATA, **extra: Any) -> RecordError:
    return RecordError("INVALID_DATA", message, {**extra, "api_name": api_name, "json_path": path_of(index, api_name)})


def mandatory_missing(index: int, api_name: str) -> RecordError:
    return RecordError(
        "MANDATORY_NOT_FOUND", MANDATORY_NOT_FOUND, {"api_name": api_name, "json_path": path_of(index, api_name)}
    )


def authentication_failure() -> ApiError:
    return ApiError(401, "AUTHENTICATION_FAILURE", AUTHENTICATION_FAILED)


def invalid_token() -> ApiError:
    return ApiError(401, "INVALID_TOKEN", INVALID_TOKEN)


def invalid_url() -> ApiError:
    return ApiError(404, "INVALID_URL_PATTERN", INVALID_URL)


def invalid_method() -> ApiError:
    return ApiError(400, "INVALID_REQUEST_METHOD", INVALID_METHOD)


def invalid_module(*, in_data: bool = False) -> ApiError:
    return ApiError(400, "INVALID_MODULE", INVALID_MODULE, {"resource_path_index": 0}, in_data=in_data)


def module_not_supported(*, in_data: bool = False) -> ApiError:
    return ApiError(400, "NOT_SUPPORTED", MODULE_NOT_SUPPORTED, {"resource_path_index": 0}, in_data=in_data)


def required_param(name: str) -> ApiError:
    return ApiError(400, "REQUIRED_PARAM_MISSING", REQUIRED_PARAM, {"param_name": name})


def limit_exceeded(name: str, limit: int) -> ApiError:
    return ApiError(400, "LIMIT_EXCEEDED", LIMIT_EXCEEDED, {"limit": limit, "param_name": name})


def invalid_request_data(details: Json | None = None) -> ApiError:
    return ApiError(400, "INVALID_DATA", INVALID_DATA, details or {})


def invalid_query(reason: str, api_name: str | None = None) -> ApiError:
    details: Json = {"reason": reason}
    if api_name is not None:
        details["api_name"] = api_name
    return ApiError(400, "INVALID_QUERY", INVALID_QUERY, details)


def internal_error() -> ApiError:
    return ApiError(500, "INTERNAL_ERROR", INTERNAL)


def too_many_requests(message: str = CONCURRENCY) -> ApiError:
    return ApiError(429, "TOO_MANY_REQUESTS", message)
