"""Intacct error shapes (errorno / description / description2 / correction) and where they come from.

Codes the reference could verify are used as is; codes it could not are obvious placeholders
(``SIM-...``) so nobody mistakes them for real ones.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IntacctError:
    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""


class FunctionFailure(Exception):
    """Raised by a function handler: the result fails with these errors (nothing is kept)."""

    def __init__(self, *errors: IntacctError) -> None:
        super().__init__("; ".join(f"{e.errorno} {e.description2}".strip() for e in errors))
        self.errors = list(errors)


# ------------------------------------------------------------------ control level
def xml_parse_error(message: str) -> IntacctError:
    return IntacctError("XL03000003", description2=f"XML Parse schema error: {message}")


def sender_invalid() -> IntacctError:
    return IntacctError("XL03000006", description2="Incorrect Intacct XML Partner ID or password.")


def sign_in_http401() -> IntacctError:
    return IntacctError("XMLGW_JPP0002", description="Sign-in information is incorrect. Please check your request.")


def rate_limited() -> IntacctError:
    return IntacctError(
        "GW-0010",
        description="API rate limit exceeded",
        description2="Too many concurrent or too frequent requests for this company.",
        correction="Wait and retry the request.",
    )


def invalid_request(request_id: str) -> IntacctError:
    return IntacctError("GW-0011", description2=f"Invalid Request [Request ID: {request_id}]")


# ------------------------------------------------------------------ authentication level
def login_invalid() -> IntacctError:
    return IntacctError("XL03000006", description2="Sign-in information is incorrect")


def sender_unauthorized(company_id: str) -> IntacctError:
    return IntacctError(
        "XL03000006",
        description="Invalid Web Services Authorization",
        description2=f"The sender ID is not authorized to make Web Services requests to company ID {company_id}.",
        correction="Contact the company administrator to grant Web Services authorization to this sender ID.",
    )


def session_invalid() -> IntacctError:
    # UNVERIFIED beyond the "Invalid session" prefix (reference §3.5).
    return IntacctError("XL03000006", description2="Invalid session. The session may have expired.")


# ------------------------------------------------------------------ result level
def rolled_back() -> IntacctError:
    return IntacctError(
        "XL03000009",
        description2="The entire transaction in this operation has been rolled back due to an error.",
    )


def duplicate_controlid(errorno: str, controlid: str) -> IntacctError:
    return IntacctError(
        errorno,
        description2=f"A function with control ID {controlid} was already executed and completed (uniqueid=true).",
        correction="Use a new control ID to run the function again.",
    )


def object_not_found(errorno: str, object_name: str) -> IntacctError:
    return IntacctError(errorno, description2=f"Object definition {object_name} not found")


def field_not_valid(object_name: str, field_name: str) -> IntacctError:
    """The ``query`` function's answer to an unknown field (fylein/sageintacct-sdk-py#93)."""
    return IntacctError("XL03000010", description2=f"Field requested is not valid: {object_name.lower()}.{field_name}")


def invalid_fields_list(field_name: str) -> IntacctError:
    """read/readByName/readByQuery with an unknown field (shape from a jfcote87/intacct fixture)."""
    return IntacctError(f"Invalid fields list {field_name}")


def invalid_query(message: str) -> IntacctError:
    return IntacctError("SIM-INVALID-QUERY", description2=message)


def invalid_argument(message: str) -> IntacctError:
    return IntacctError("SIM-INVALID-ARGUMENT", description2=message)


def unsupported(message: str) -> IntacctError:
    return IntacctError("SIM-UNSUPPORTED", description2=f"Not simulated by the sandbox: {message}")


def could_not(action: str, label: str) -> IntacctError:
    """The generic business-layer wrapper that follows a specific BL error."""
    return IntacctError("BL01001973", description2=f"Could not {action} {label} record!")


def already_exists(errorno: str, label: str, value: str) -> IntacctError:
    return IntacctError(
        errorno,
        description2=f"Another {label} with the given value(s) {value} already exists",
        correction="Use a unique value instead.",
    )


def required_field(label: str, field_name: str) -> IntacctError:
    return IntacctError("SIM-REQUIRED-FIELD", description2=f"Required field {field_name} is missing for {label}.")


def invalid_value(field_name: str, value: str, expected: str) -> IntacctError:
    return IntacctError("SIM-INVALID-VALUE", description2=f"Invalid value {value!r} for {field_name}: {expected}.")


def unknown_field(label: str, field_name: str) -> IntacctError:
    return IntacctError("SIM-UNKNOWN-FIELD", description2=f"{label} has no field {field_name}.")


def record_not_found(label: str, key: str) -> IntacctError:
    return IntacctError("SIM-RECORD-NOT-FOUND", description2=f"{label} {key} does not exist.")


def session_function_failed(message: str) -> IntacctError:
    return IntacctError("Get API Session Failed", description2=message)


def try_again_later() -> IntacctError:
    return IntacctError(
        "SIM-TRY-AGAIN-LATER",
        description2="A temporary error occurred while processing the request.",
        correction="Please Try Again Later",
    )


def service_offline() -> IntacctError:
    return IntacctError("SIM-SERVICE-OFFLINE", description2="The Service is Temporarily Off-line")


# ------------------------------------------------------------------ AP documents
def bill_number_required() -> IntacctError:
    """APBILL create without RECORDID when document sequencing is off (intacct-sdk-js#86)."""
    return IntacctError("BL03002128", description2="Enter a Bill number, and try again.")


def vendor_not_found(errorno: str, vendor_id: str) -> IntacctError:
    return IntacctError(
        errorno,
        description2=f"Invalid Vendor '{vendor_id}' specified.",
        correction="Use the ID of an existing vendor.",
    )


def vendor_on_hold(errorno: str, vendor_id: str) -> IntacctError:
    return IntacctError(
        errorno,
        description2=f"Vendor '{vendor_id}' is on hold; no transactions can be entered for it.",
        correction="Take the vendor off hold, then try again.",
    )


def schema_error(message: str) -> IntacctError:
    """A legacy function whose elements break its schema sequence. UNVERIFIED: the gateway may
    reject the whole request at control level instead of failing just this function."""
    return xml_parse_error(message)
