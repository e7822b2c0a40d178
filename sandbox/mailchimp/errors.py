"""Mailchimp's errors: RFC 7807 problem documents, raised as ApiError anywhere inside an operation.

Titles and details are the texts captured from the live API where one is known (verified-2026-12.md §1,
mailchimp.md §3 and §5.6); the others are marked UNVERIFIED.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ERRORS_DOC = "https://mailchimp.com/developer/marketing/docs/errors/"

NOT_FOUND = "The requested resource could not be found."
METHOD_NOT_ALLOWED = (
    "The requested method and resource are not compatible. See the Allow header for this resource's available methods."
)
KEY_MISSING = "Your request did not include an API key."
KEY_INVALID = "Your API key may be invalid, or you've attempted to access the wrong datacenter."
KEY_DISABLED = "API key has been disabled"
WRONG_DATACENTER = "The API key provided is linked to a different data center."
TOO_MANY_CONNECTIONS = "You have exceeded the limit of {limit} simultaneous connections."
TOO_MANY_BATCHES = "You have exceeded the limit of {limit} pending batches."  # UNVERIFIED wording
INTERNAL = "An unexpected internal error has occurred. Please contact Support for more information."
JSON_PARSE = "We encountered an unspecified JSON parsing error."
SCHEMA_INVALID = "The resource submitted could not be validated. For field-specific details, see the 'errors' array."
BAD_OVERRIDE = "You can only use the X-HTTP-Method-Override header with the POST method."

MEMBER_EXISTS = "{email} is already a list member. Use PUT to insert or update list members."
COMPLIANCE = (
    "{email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed."
)
FORGOTTEN = (
    "{email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list."
)
FAKE_EMAIL = "{email} looks fake or invalid, please enter a real email address."
INVALID_EMAIL = "Please provide a valid email address."
MERGE_INVALID = "Your merge fields were invalid."
TOO_MANY_SIGNUPS = (
    "{email} has signed up to a lot of lists very recently; we're not allowing more signups for now. Please try again"
    " later."
)
CONTACT_EXISTS = (
    "{email} is already a list member, do you want to update? please provide update_existing:true in the request body"
)

PRODUCT_MISSING = "A product with the provided ID does not exist in the account for this list."
VARIANT_MISSING = "A product with the provided variant ID does not exist in the account for this list."
PRODUCT_EXISTS = "We were unable to process the request. A product with the provided ID already exists in the account."
ORDER_EXISTS = "We were unable to process the request. An order with the provided ID already exists in the account."
DUPLICATE_LINE = "An order may not contain the same line item id more than once."
CUSTOMER_EMAIL_REQUIRED = "An email address is required to create a customer."
CUSTOMER_EMAIL_FIXED = "An email address may not be changed once a customer is created."
STORE_DOMAIN_EXISTS = "A store with the domain {domain} already exists in the account."
# UNVERIFIED texts, written in the style of the captured ones:
STORE_EXISTS = "A store with the provided ID already exists."
STORE_LIST_FIXED = "The list_id of a store cannot be changed."
STORE_LIST_MISSING = "A list with the provided ID does not exist."
CUSTOMER_EXISTS = (
    "We were unable to process the request. A customer with the provided ID already exists in the account."
)
VARIANT_EXISTS = (
    "We were unable to process the request. A variant with the provided ID already exists for this product."
)
LINE_EXISTS = "We were unable to process the request. A line item with the provided ID already exists for this order."


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class ApiError(Exception):
    """A problem document: ``status``, ``title``, ``detail`` and, for validation failures, ``errors``."""

    status: int
    title: str
    detail: str
    errors: Sequence[FieldError] = ()
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.status} {self.title}: {self.detail}")

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"


def not_found() -> ApiError:
    return ApiError(404, "Resource Not Found", NOT_FOUND)


def method_not_allowed(allowed: Sequence[str], detail: str = METHOD_NOT_ALLOWED) -> ApiError:
    return ApiError(405, "Method Not Allowed", detail, headers={"Allow": ", ".join(allowed)})


def bad_request(detail: str) -> ApiError:
    """The e-commerce refusals (missing product, duplicate order ...) come back titled "Bad Request"."""
    return ApiError(400, "Bad Request", detail)


def invalid_resource(detail: str, errors: Sequence[FieldError] = ()) -> ApiError:
    return ApiError(400, "Invalid Resource", detail, errors)


def schema_error(errors: Sequence[FieldError]) -> ApiError:
    return invalid_resource(SCHEMA_INVALID, errors)


def required_fields(names: Sequence[str], where: str = "") -> ApiError:
    """Missing required properties: one ``errors[]`` entry naming them all (captured form)."""
    return schema_error([FieldError(where, f"Required fields were not provided: {', '.join(names)}")])


def wrong_type(field_name: str, expected: str, found: str) -> FieldError:
    return FieldError(field_name, f"Schema describes {expected}, {found} found instead")


_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (type(None), "NULL"),
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
)


def json_type(value: object) -> str:
    """The JSON type name the schema messages use ("Schema describes string, object found instead")."""
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "object")


def json_parse_error() -> ApiError:
    return ApiError(400, "JSON Parse Error", JSON_PARSE)


def member_exists(email: str) -> ApiError:
    return ApiError(400, "Member Exists", MEMBER_EXISTS.format(email=email))


def compliance_state(email: str) -> ApiError:
    return ApiError(400, "Member In Compliance State", COMPLIANCE.format(email=email))


def forgotten_email(email: str) -> ApiError:
    return ApiError(400, "Forgotten Email Not Subscribed", FORGOTTEN.format(email=email))


def fake_email(email: str) -> ApiError:
    return invalid_resource(FAKE_EMAIL.format(email=email))


def too_many_signups(email: str) -> ApiError:
    return invalid_resource(TOO_MANY_SIGNUPS.format(email=email))


def merge_fields_invalid(errors: Sequence[FieldError]) -> ApiError:
    return invalid_resource(MERGE_INVALID, errors)


def internal_error() -> ApiError:
    return ApiError(500, "Internal Server Error", INTERNAL)
