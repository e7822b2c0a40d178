"""One delivery, start to verdict: signatures over the raw body, then the JSON, then the timestamp.

Nothing in the body is parsed before every configured signature verifies. A `Rejected` names what failed in words
that are safe to log and audit: header names and ages, never a secret, key or signature value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mlconnector.webhooks.config import Scheme, WebhookConfig, WebhookConfigError, WebhookSecrets
from mlconnector.webhooks.gateway import MalformedEventError, header, raw_body
from mlconnector.webhooks.hmac_signature import verify_hmac
from mlconnector.webhooks.rsa_signature import SignedForm, rsa_signed_form
from mlconnector.webhooks.timestamps import freshness_problem, parse_timestamp


class RejectReason(StrEnum):
    MISSING_SIGNATURE = "missing signature"
    BAD_SIGNATURE = "bad signature"
    STALE_TIMESTAMP = "stale timestamp"
    BAD_TIMESTAMP = "missing or unreadable timestamp"
    UNPARSABLE_BODY = "unparsable body"


_UNAUTHENTICATED = frozenset({RejectReason.MISSING_SIGNATURE, RejectReason.BAD_SIGNATURE, RejectReason.STALE_TIMESTAMP})


@dataclass(frozen=True)
class Rejected:
    reason: RejectReason
    detail: str
    """Safe to log: which header or field, how old; never a value from the request's signature headers."""

    @property
    def http_status(self) -> int:
        """401 when the sender is not authenticated (or replays old news), 400 when what it sent is unreadable."""
        return 401 if self.reason in _UNAUTHENTICATED else 400


@dataclass(frozen=True)
class Verified:
    payload: dict[str, Any]
    schemes: tuple[Scheme, ...]
    rsa_signed_form: SignedForm | None = None
    """`raw-body` means the sender signed the raw body, not base64(body): worth a log line (reference §7.1)."""
    timestamp: float | None = None
    """The sender's timestamp in epoch seconds, when it gave one."""


def verify_delivery(
    event: Mapping[str, Any], config: WebhookConfig, secrets: WebhookSecrets, *, now: float
) -> Verified | Rejected:
    """Verify an API Gateway HTTP API event against `config` at `now` (epoch seconds).

    Raises WebhookConfigError (key material missing or unusable): that is a deployment fault and must not be
    answered as if the sender were wrong."""
    secrets.require_for(config.schemes)
    signed_prefix = _signed_headers(event, config)
    if isinstance(signed_prefix, Rejected):
        return signed_prefix
    try:
        body = raw_body(event)
    except MalformedEventError as exc:
        return Rejected(RejectReason.UNPARSABLE_BODY, str(exc))

    signed = _check_signatures(event, config, secrets, body, signed_prefix)
    if isinstance(signed, Rejected):
        return signed
    signed_form = signed[0]

    payload = _json_object(body)
    if payload is None:
        return Rejected(RejectReason.UNPARSABLE_BODY, "the body is not a JSON object")
    checked = _check_timestamps(event, payload, config, now)
    if isinstance(checked, Rejected):
        return checked
    return Verified(payload, config.schemes, signed_form, checked)


def _check_signatures(
    event: Mapping[str, Any], config: WebhookConfig, secrets: WebhookSecrets, body: bytes, signed_prefix: bytes
) -> tuple[SignedForm | None] | Rejected:
    """Every configured scheme must verify; the RSA signed form (when RSA is one of them) or why not."""
    signed_form: SignedForm | None = None
    for scheme in config.schemes:
        value = header(event, _header_name(config, scheme)) or ""
        if scheme == "hmac":
            message = _hmac_message(body, signed_prefix, config.hmac_message)
            ok = verify_hmac(message, value, secrets.hmac_secret or "", encoding=config.hmac_encoding)
            if not ok and signed_prefix:
                return _other_order(body, signed_prefix, value, secrets, config)
        else:
            signed_form = _rsa_form(body, value, secrets.public_key_pem or "", config.rsa_accept_raw_body)
            ok = signed_form is not None
        if not ok:
            return Rejected(RejectReason.BAD_SIGNATURE, f"{_header_name(config, scheme)} does not match the body")
    return (signed_form,)


def _signed_headers(event: Mapping[str, Any], config: WebhookConfig) -> bytes | Rejected:
    """Every signature header must be there, and so must a signed timestamp header: what the HMAC covers ahead of
    the body (`hmac_message` timestamp+body or body+timestamp), else b""."""
    for scheme in config.schemes:
        if header(event, _header_name(config, scheme)) is None:
            return Rejected(RejectReason.MISSING_SIGNATURE, f"no {_header_name(config, scheme)} header")
    if "hmac" not in config.schemes or config.hmac_message == "body" or not config.timestamp_header:
        return b""
    signed_timestamp = header(event, config.timestamp_header)
    if signed_timestamp is None:  # part of what is signed: without it nothing can verify
        return Rejected(RejectReason.MISSING_SIGNATURE, f"no {config.timestamp_header} header")
    return signed_timestamp.encode("utf-8")


def _hmac_message(body: bytes, timestamp: bytes, order: str) -> bytes:
    return body + timestamp if order == "body+timestamp" else timestamp + body


def _other_order(body: bytes, timestamp: bytes, value: str, secrets: WebhookSecrets, config: WebhookConfig) -> Rejected:
    """A timestamped HMAC that does not match: say so, and say when it matches the other order (never accepted)."""
    other = "timestamp+body" if config.hmac_message == "body+timestamp" else "body+timestamp"
    message = _hmac_message(body, timestamp, other)
    if verify_hmac(message, value, secrets.hmac_secret or "", encoding=config.hmac_encoding):
        detail = (
            f"{config.hmac_header} matches an HMAC over {other}, not {config.hmac_message}: if the sender signs so, "
            f"set hmac_message to {other} in the webhook secret's settings"
        )
        return Rejected(RejectReason.BAD_SIGNATURE, detail)
    return Rejected(RejectReason.BAD_SIGNATURE, f"{config.hmac_header} does not match the body")


def _header_name(config: WebhookConfig, scheme: Scheme) -> str:
    return config.hmac_header if scheme == "hmac" else config.rsa_header


def _rsa_form(body: bytes, value: str, public_key_pem: str, allow_raw_body: bool) -> SignedForm | None:
    try:
        return rsa_signed_form(body, value, public_key_pem, allow_raw_body=allow_raw_body)
    except ValueError as exc:  # the configured key does not load
        raise WebhookConfigError(str(exc)) from None


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return parsed if isinstance(parsed, dict) else None


def _check_timestamps(
    event: Mapping[str, Any], payload: Mapping[str, Any], config: WebhookConfig, now: float
) -> float | Rejected | None:
    """The sender's timestamp, or why it is refused. Every source present must be fresh; the body field (signed)
    is the one returned when both are."""
    sources: list[tuple[str, object]] = []
    if config.timestamp_header and (value := header(event, config.timestamp_header)) is not None:
        sources.append((f"{config.timestamp_header} header", value))
    if config.timestamp_field and (found := _dotted(payload, config.timestamp_field)) is not None:
        sources.append((f"body field {config.timestamp_field}", found))
    if not sources:
        if config.require_timestamp:
            return Rejected(RejectReason.BAD_TIMESTAMP, "the delivery carries no timestamp")
        return None
    timestamp: float | None = None
    for where, raw in sources:
        try:
            timestamp = parse_timestamp(raw)
        except ValueError as exc:
            return Rejected(RejectReason.BAD_TIMESTAMP, f"{where}: {exc}")
        problem = freshness_problem(
            timestamp, now, max_age_seconds=config.max_age_seconds, clock_skew_seconds=config.clock_skew_seconds
        )
        if problem is not None:
            return Rejected(RejectReason.STALE_TIMESTAMP, f"{where}: {problem}")
    return timestamp


def _dotted(payload: Mapping[str, Any], path: str) -> object:
    current: object = payload
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current
