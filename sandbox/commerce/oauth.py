"""OAuth 1.0a verification of PaaS REST calls (RFC 5849 via oauthlib's SignatureOnlyEndpoint).

The timestamp window and nonce replay are checked on the *simulator* clock (so tests can make a
signature stale by advancing it); oauthlib's own wall-clock check is widened out of the way.
A nonce is remembered per consumer together with its timestamp, like Magento's ``oauth_nonce`` table.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oauthlib.common import Request
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint

from sandbox.commerce.config import CommerceSimConfig

_DUMMY_KEY = "sandboxdummyconsumerkey"
_DUMMY_SECRET = "sandbox-dummy-secret"  # noqa: S105 - a placeholder that signs nothing valid
_PROBLEM = "mlc_problem"

# OAuth problem -> HTTP status (reference §1.1 table).
PROBLEM_STATUS = {
    "version_rejected": 400,
    "parameter_absent": 400,
    "parameter_rejected": 400,
    "timestamp_refused": 400,
    "nonce_used": 401,
    "signature_method_rejected": 400,
    "signature_invalid": 401,
    "consumer_key_rejected": 401,
    "token_rejected": 401,
}


@dataclass(frozen=True)
class OAuthVerdict:
    ok: bool
    problem: str | None = None

    @property
    def status(self) -> int:
        return PROBLEM_STATUS.get(self.problem or "", 401)


class _Validator(RequestValidator):
    def __init__(self, config: Callable[[], CommerceSimConfig], now: Callable[[], float]) -> None:
        super().__init__()
        self._config = config
        self._now = now
        self._nonces: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    # Magento keys and tokens are 32 characters; clients choose nonces freely (lengths UNVERIFIED).
    client_key_length = access_token_length = nonce_length = (1, 255)
    enforce_ssl = False
    timestamp_lifetime = 10 * 365 * 86400  # the sim-clock check below governs
    dummy_client = _DUMMY_KEY
    dummy_access_token = "sandboxdummyaccesstoken"  # noqa: S105

    @property
    def allowed_signature_methods(self) -> tuple[str, ...]:
        return self._config().oauth_signature_methods

    def validate_timestamp_and_nonce(  # noqa: PLR0917 - oauthlib's signature
        self,
        client_key: str,
        timestamp: Any,
        nonce: str,
        request: Request,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        del request_token, access_token
        if abs(self._now() - int(timestamp)) > self._config().oauth_timestamp_window_s:
            request.validator_log[_PROBLEM] = "timestamp_refused"
            return False
        with self._lock:
            if (client_key, nonce, timestamp) in self._nonces:
                request.validator_log[_PROBLEM] = "nonce_used"
                return False
            self._nonces.add((client_key, nonce, timestamp))
        return True

    def validate_client_key(self, client_key: str, request: Request) -> bool:
        del request
        return hmac.compare_digest(client_key, self._config().consumer_key)

    def get_client_secret(self, client_key: str, request: Request) -> str:
        del request
        config = self._config()
        return config.consumer_secret if hmac.compare_digest(client_key, config.consumer_key) else _DUMMY_SECRET

    def get_access_token_secret(self, client_key: str, token: str, request: Request) -> str:
        del client_key
        config = self._config()
        if hmac.compare_digest(token, config.access_token):
            return config.access_token_secret
        request.validator_log[_PROBLEM] = "token_rejected"
        return _DUMMY_SECRET


class OAuthVerifier:
    def __init__(self, config: Callable[[], CommerceSimConfig], now: Callable[[], float]) -> None:
        self._validator = _Validator(config, now)
        self._endpoint = SignatureOnlyEndpoint(self._validator)
        self._config = config

    def forget_nonces(self) -> None:
        with self._validator._lock:
            self._validator._nonces.clear()

    def verify(self, uri: str, method: str, body: bytes, headers: dict[str, str]) -> OAuthVerdict:
        """``uri`` must be the URL the client signed (scheme, host, path and raw query)."""
        text = body.decode("utf-8", "replace")
        valid, request = self._endpoint.validate_request(uri, method, text, headers)
        if request is None:
            return OAuthVerdict(False, "parameter_absent")
        problem = request.validator_log.get(_PROBLEM)
        if valid and request.resource_owner_key and problem is None:
            return OAuthVerdict(True)
        if problem is not None:
            return OAuthVerdict(False, str(problem))
        return OAuthVerdict(False, self._diagnose(request))

    def _diagnose(self, request: Request) -> str:
        log = request.validator_log
        if "client" not in log:  # failed before the signature: a mandatory-parameter check
            if request.signature_method not in self._config().oauth_signature_methods:
                return "signature_method_rejected"
            oauth_params: dict[str, str] = getattr(request, "oauth_params", {})  # a dict at run time
            if oauth_params.get("oauth_version", "1.0") != "1.0":
                return "version_rejected"
            return "parameter_rejected"
        if not log["client"]:
            return "consumer_key_rejected"
        if not request.resource_owner_key:
            return "parameter_absent"  # REST calls need the integration's access token
        return "signature_invalid"
