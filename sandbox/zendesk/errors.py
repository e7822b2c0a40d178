"""Zendesk's error answers: ``{"error": <word>, "description": <text>, "details": {...}}`` (reference §2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.zendesk.config import EXPIRED_TOKEN_DESCRIPTION


class ApiError(Exception):
    """Raised by operations; becomes the JSON answer ``payload`` with ``status`` and ``headers``."""

    def __init__(self, status: int, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> None:
        super().__init__(str(payload.get("error", status)))
        self.status = status
        self.payload = dict(payload)
        self.headers = dict(headers or {})
        self.text: str | None = None  # set: answer this plain text instead of the JSON payload


def not_authenticated() -> ApiError:
    return ApiError(401, {"error": "Couldn't authenticate you"})


def invalid_token(error: str) -> ApiError:
    """An expired, rotated-away or unknown Bearer token (reference §1.3, UNVERIFIED shape)."""
    if error != "invalid_token":
        return not_authenticated()
    return ApiError(401, {"error": "invalid_token", "error_description": EXPIRED_TOKEN_DESCRIPTION})


def not_found() -> ApiError:
    return ApiError(404, {"error": "RecordNotFound", "description": "Not found"})


def no_route() -> ApiError:
    return ApiError(404, {"error": "InvalidEndpoint", "description": "Not found"})


def bad_request(description: str, error: str = "InvalidValue") -> ApiError:
    return ApiError(400, {"error": error, "description": description})


def too_many_values(parameter: str, limit: int) -> ApiError:
    """More than ``limit`` items in a bulk call (zenpy maps it to TooManyValuesException)."""
    return ApiError(400, {"error": "TooManyValues", "description": f"{parameter} must have at most {limit} values"})


def record_invalid(details: Mapping[str, list[dict[str, str]]]) -> ApiError:
    return ApiError(422, {"error": "RecordInvalid", "description": "Record validation errors", "details": details})


def field_error(field_name: str, error: str, text: str) -> dict[str, list[dict[str, str]]]:
    """One entry of ``details``: ``{"name": [{"description": "Name: Acme has already been taken", ...}]}``."""
    label = field_name.replace("_", " ").capitalize()
    return {field_name: [{"description": f"{label}: {text}", "error": error}]}


def rate_limited(retry_after: int, *, incremental: bool = False) -> ApiError:
    """429 with Retry-After; the incremental export's body is verified (§3.2), the global one varies (reference §2)."""
    if incremental:
        payload = {
            "error": "APIRateLimitExceeded",
            "description": "Number of allowed incremental export API requests per minute exceeded",
        }
    else:
        payload = {"error": "APIRateLimitExceeded", "description": "Number of allowed API requests per minute exceeded"}
    return ApiError(429, payload, {"Retry-After": str(retry_after)})


def conflict() -> ApiError:
    """409 on concurrent writes (retried by tap-zendesk, verified §3.4); body UNVERIFIED."""
    return ApiError(409, {"error": "Conflict", "description": "The resource was modified by another request"})


def server_error(status: int) -> ApiError:
    return ApiError(status, {"error": "InternalError", "description": "Something went wrong. Try again later."})
