"""Error envelopes (templates filled from their parameters) and the classification of replies."""

from __future__ import annotations

import json

import pytest
import requests
import urllib3.exceptions

from mlconnector.http import HttpReply
from mlconnector.systems.commerce import (
    AuthenticationError,
    B2BUnavailable,
    NotFound,
    RequestError,
    TokenRejected,
    TransientError,
    fill_template,
    parse_error_body,
)
from mlconnector.systems.commerce.classify import (
    http_failure,
    ims_failure,
    retry_decision,
    retry_decision_not_idempotent,
    transport_failure,
)
from mlconnector.systems.commerce.entities import COMPANIES, CUSTOMERS, ORDERS

NOW = 1_790_000_000.0


def reply(status: int, body: object, headers: dict[str, str] | None = None) -> HttpReply:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpReply(status, "application/json", raw, headers or {})


@pytest.mark.parametrize(
    ("template", "parameters", "expected"),
    [
        (
            "The consumer isn't authorized to access %resources.",
            {"resources": "Magento_Sales::actions_view"},
            "The consumer isn't authorized to access Magento_Sales::actions_view.",
        ),
        ('"%1" is required. Enter and try again.', ["email"], '"email" is required. Enter and try again.'),
        ("%1 then %10", [str(i) for i in range(1, 11)], "1 then 10"),
        ("%field and %fieldName", {"field": "a", "fieldName": "b"}, "a and b"),
        ("Maximum SearchCriteria pageSize is %1", [300], "Maximum SearchCriteria pageSize is 300"),
        ("%missing stays", {"other": "x"}, "%missing stays"),
        ("no parameters %1", None, "no parameters %1"),
    ],
)
def test_fill_template(template: str, parameters: object, expected: str) -> None:
    assert fill_template(template, parameters) == expected


def test_error_body_with_errors_list_and_no_trace() -> None:
    body = parse_error_body(
        json.dumps(
            {
                "message": "Validation failed for %1 fields",
                "parameters": ["2"],
                "errors": [
                    {"message": '"%fieldName" is required.', "parameters": {"fieldName": "firstname"}},
                    {"message": '"%1" is invalid.', "parameters": ["email"]},
                ],
                "trace": "#0 /var/www/secret/path.php",
            }
        ).encode()
    )
    assert body is not None
    assert body.text() == 'Validation failed for 2 fields; "firstname" is required.; "email" is invalid.'
    assert "/var/www" not in body.text()
    assert parse_error_body(b"<html>502 Bad Gateway</html>") is None
    assert parse_error_body(b'["not", "an", "object"]') is None


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 408])
def test_server_failures_and_rate_limits_are_transient_with_retry_after(status: int) -> None:
    failure = http_failure(
        reply(status, b"<html>busy</html>", {"Retry-After": "7"}), what="w", entity=ORDERS, now=NOW, secrets=()
    )
    assert isinstance(failure, TransientError)
    assert failure.retry_after == 7.0
    assert retry_decision(failure).retry
    assert retry_decision(failure).retry_after == 7.0


def test_400_is_a_request_error_naming_the_entity_with_the_filled_message() -> None:
    failure = http_failure(
        reply(400, {"message": "A customer with the same email address already exists in an associated website."}),
        what="Commerce create customer",
        entity=CUSTOMERS,
        now=NOW,
        secrets=(),
    )
    assert type(failure) is RequestError
    assert "customer request" in str(failure)
    assert "already exists" in str(failure)
    assert not retry_decision(failure).retry


def test_401_names_the_acl_resource() -> None:
    failure = http_failure(
        reply(
            401,
            {
                "message": "The consumer isn't authorized to access %resources.",
                "parameters": {"resources": "Magento_Sales::actions_view"},
            },
        ),
        what="w",
        entity=ORDERS,
        now=NOW,
        secrets=(),
    )
    assert isinstance(failure, TokenRejected)
    assert failure.resources == "Magento_Sales::actions_view"
    assert "access Magento_Sales::actions_view." in str(failure)
    assert not retry_decision(failure).retry


def test_404_on_a_b2b_route_is_b2b_unavailable_but_a_missing_entity_is_not_found() -> None:
    route = reply(404, {"message": "Request does not match any route."})
    assert isinstance(http_failure(route, what="w", entity=COMPANIES, now=NOW, secrets=()), B2BUnavailable)
    assert "B2B not available" in str(http_failure(route, what="w", entity=COMPANIES, now=NOW, secrets=()))
    plain = http_failure(route, what="w", entity=ORDERS, now=NOW, secrets=())
    assert type(plain) is RequestError
    missing = reply(404, {"message": "The entity that was requested doesn't exist. Verify the entity and try again."})
    assert isinstance(http_failure(missing, what="w", entity=ORDERS, now=NOW, secrets=()), NotFound)
    assert isinstance(http_failure(missing, what="w", entity=COMPANIES, now=NOW, secrets=()), NotFound)


def test_messages_are_scrubbed_of_secrets() -> None:
    failure = http_failure(
        reply(400, {"message": "Bad value %1", "parameters": ["tok-SECRET-1"]}),
        what="w",
        entity=ORDERS,
        now=NOW,
        secrets=("tok-SECRET-1",),
    )
    assert failure is not None
    assert "tok-SECRET-1" not in str(failure)
    assert "REDACTED" in str(failure)


def test_ims_failures() -> None:
    refused = ims_failure(
        reply(401, {"error": "invalid_client", "error_description": "bad s3cr3t"}), now=NOW, secrets=("s3cr3t",)
    )
    assert isinstance(refused, AuthenticationError)
    assert "invalid_client" in str(refused)
    assert "s3cr3t" not in str(refused)
    assert isinstance(ims_failure(reply(503, b""), now=NOW, secrets=()), TransientError)
    assert ims_failure(reply(200, {}), now=NOW, secrets=()) is None


def test_network_failures_and_idempotency() -> None:
    refused = requests.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, "/", urllib3.exceptions.NewConnectionError(None, "refused"))  # type: ignore[arg-type]
    )
    never = transport_failure(refused, what="w")
    maybe = transport_failure(requests.ReadTimeout("read timed out https://x/?secret"), what="w")
    assert not never.may_have_run
    assert maybe.may_have_run
    assert "secret" not in str(maybe)
    assert retry_decision_not_idempotent(never).retry
    assert not retry_decision_not_idempotent(maybe).retry
    assert retry_decision(maybe).retry
    limited = http_failure(reply(429, b""), what="w", entity=CUSTOMERS, now=NOW, secrets=())
    assert limited is not None
    assert retry_decision_not_idempotent(limited).retry
    server = http_failure(reply(502, b""), what="w", entity=CUSTOMERS, now=NOW, secrets=())
    assert server is not None
    assert not retry_decision_not_idempotent(server).retry
