"""A fake Adobe IMS: ``POST /ims/token/v3`` (client credentials) and the tokens it issued.

Tokens are JWT-shaped (header.payload.signature, base64url) but opaque to the simulator: it only
looks them up. Lifetime is on the simulator clock (reference §2: ``expires_in`` 86399).
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import parse_qs

from sandbox.commerce.config import CommerceSimConfig
from sandbox.commerce.errors import json_response
from sandbox.core.messages import SimRequest, SimResponse

TOKEN_PATH = "/ims/token/v3"  # noqa: S105 - a path, not a secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class ImsTokens:
    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self._expiry: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def issue(self, client_id: str, org_id: str, lifetime_s: float) -> str:
        now = self._now()
        claims = {"client_id": client_id, "org": org_id, "type": "access_token", "created_at": int(now.timestamp())}
        header = _b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
        token = f"{header}.{_b64(json.dumps(claims).encode())}.{_b64(secrets.token_bytes(32))}"
        with self._lock:
            self._expiry[token] = now + timedelta(seconds=lifetime_s)
        return token

    def valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._expiry.get(token)
        return expiry is not None and self._now() < expiry

    def expire_all(self) -> int:
        with self._lock:
            count = len(self._expiry)
            now = self._now()
            self._expiry = dict.fromkeys(self._expiry, now)
        return count


def _error(status: int, code: str, description: str) -> SimResponse:
    return json_response({"error": code, "error_description": description}, status)


def token_endpoint(request: SimRequest, config: CommerceSimConfig, tokens: ImsTokens) -> SimResponse:
    """Client credentials grant. Error codes follow OAuth 2 (RFC 6749); IMS's exact texts are UNVERIFIED."""
    form = {key: values[-1] for key, values in parse_qs(request.body.decode("utf-8", "replace")).items()}
    scopes = {scope.strip() for scope in form.get("scope", "").split(",")}
    checks: tuple[tuple[Callable[[], bool], int, str, str], ...] = (
        (lambda: request.method.upper() != "POST", 405, "method_not_allowed", "Use POST"),
        (
            lambda: "application/x-www-form-urlencoded" not in request.header("content-type"),
            400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded",
        ),
        (lambda: form.get("grant_type") != "client_credentials", 400, "unsupported_grant_type", "grant_type"),
        (
            lambda: not hmac.compare_digest(form.get("client_id", ""), config.ims_client_id),
            400, "invalid_client", "invalid client_id parameter",
        ),
        (
            lambda: not hmac.compare_digest(form.get("client_secret", ""), config.ims_client_secret),
            401, "invalid_client", "invalid client_secret parameter",
        ),
        (
            lambda: config.ims_required_scope not in scopes,
            400, "invalid_scope", f"scope must include {config.ims_required_scope}",
        ),
    )  # fmt: skip
    for failed, status, code, description in checks:
        if failed():
            return _error(status, code, description)
    token = tokens.issue(config.ims_client_id, config.ims_org_id, config.ims_token_lifetime_s)
    return json_response(
        {"access_token": token, "token_type": "bearer", "expires_in": int(config.ims_token_lifetime_s)}
    )
