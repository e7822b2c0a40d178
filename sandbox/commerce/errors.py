"""The Magento Web API error envelope: ``{"message": "<template>", "parameters": [...] | {...}}``.

``message`` is the un-substituted template (``%1`` or ``%name``); clients substitute ``parameters``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.core.messages import SimResponse

JSON_CONTENT_TYPE = "application/json; charset=utf-8"

NOT_AUTHORIZED = "The consumer isn't authorized to access %resources."
NO_ROUTE = "Request does not match any route."
NO_SUCH_ENTITY = "The entity that was requested doesn't exist. Verify the entity and try again."
NO_SUCH_ENTITY_FIELD = "No such entity with %fieldName = %fieldValue"
REQUIRED_FIELD = '"%fieldName" is required. Enter and try again.'
INVALID_FIELD_VALUE = 'Invalid value of "%value" provided for the %fieldName field.'
MAX_PAGE_SIZE = "Maximum SearchCriteria pageSize is %max"
GET_WITH_ALL = "Cannot perform GET operation with store code 'all'"
INTERNAL_ERROR = "Internal Error. Details are available in Magento log file. Report ID: %1"

Parameters = Sequence[Any] | Mapping[str, Any] | None


class WebapiError(Exception):
    """An error the API answers with the envelope; raised anywhere inside an operation."""

    def __init__(self, status: int, message: str, parameters: Parameters = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameters = parameters

    def response(self) -> SimResponse:
        payload: dict[str, Any] = {"message": self.message}
        if self.parameters:
            payload["parameters"] = (
                dict(self.parameters) if isinstance(self.parameters, Mapping) else list(self.parameters)
            )
        return json_response(payload, self.status)


def json_response(payload: Any, status: int = 200) -> SimResponse:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return SimResponse(status=status, headers={"Content-Type": JSON_CONTENT_TYPE}, body=body)


def not_authorized(resource: str) -> WebapiError:
    """401 for missing/invalid/expired auth *and* for a missing ACL resource (reference §3)."""
    return WebapiError(401, NOT_AUTHORIZED, {"resources": resource})


def no_route() -> WebapiError:
    return WebapiError(404, NO_ROUTE)


def no_such_entity(field_name: str | None = None, value: object = None) -> WebapiError:
    if field_name is None:
        return WebapiError(404, NO_SUCH_ENTITY)
    return WebapiError(404, NO_SUCH_ENTITY_FIELD, {"fieldName": field_name, "fieldValue": value})


def required(field_name: str) -> WebapiError:
    return WebapiError(400, REQUIRED_FIELD, {"fieldName": field_name})


def invalid_value(field_name: str, value: object) -> WebapiError:
    return WebapiError(400, INVALID_FIELD_VALUE, {"fieldName": field_name, "value": value})


def internal_error(report_id: str) -> WebapiError:
    """What production mode shows for an exception the Web API does not map (e.g. an SQL error)."""
    return WebapiError(500, INTERNAL_ERROR, [f"webapi-{report_id}"])
