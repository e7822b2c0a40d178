"""Who may call: PaaS OAuth 1.0a or (opt-in) the integration token as Bearer; SaaS an IMS Bearer
token with ``x-api-key`` and ``x-gw-ims-org-id``; then the route's ACL resource."""

from __future__ import annotations

import hmac

from sandbox.commerce.config import CommerceSimConfig
from sandbox.commerce.errors import WebapiError, not_authorized
from sandbox.commerce.ims import ImsTokens
from sandbox.commerce.oauth import OAuthVerifier
from sandbox.commerce.routes import Route
from sandbox.core.messages import SimRequest


def signed_uri(request: SimRequest) -> str:
    """The URL the client signed: the simulator serves plain HTTP on loopback."""
    host = request.header("host", "127.0.0.1")
    query = f"?{request.query_string}" if request.query_string else ""
    return f"http://{host}{request.path}{query}"


def _bearer(request: SimRequest) -> str | None:
    scheme, _, value = request.header("authorization").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _paas(request: SimRequest, route: Route, config: CommerceSimConfig, oauth: OAuthVerifier) -> WebapiError | None:
    header = request.header("authorization")
    if header[:6].lower() == "oauth " or "oauth_signature" in request.query:
        verdict = oauth.verify(signed_uri(request), request.method.upper(), request.body, request.headers)
        if verdict.ok:
            return None
        if config.oauth_error_style == "oauth" and verdict.problem is not None:
            return WebapiError(verdict.status, verdict.problem)
        return not_authorized(route.acl)
    token = _bearer(request)
    if token is not None and config.integration_token_as_bearer and hmac.compare_digest(token, config.access_token):
        return None
    return not_authorized(route.acl)  # no credentials, an unknown token, or Bearer mode off (reference §1.2)


def _saas(request: SimRequest, route: Route, config: CommerceSimConfig, ims: ImsTokens) -> WebapiError | None:
    # UNVERIFIED (reference §2): the SaaS gateway's 401 body; the Web API envelope is used.
    token = _bearer(request)
    if (
        token is None
        or not ims.valid(token)
        or not hmac.compare_digest(request.header("x-api-key"), config.ims_client_id)
        or not hmac.compare_digest(request.header("x-gw-ims-org-id"), config.ims_org_id)
    ):
        return not_authorized(route.acl)
    return None


def authenticate(
    request: SimRequest, route: Route, config: CommerceSimConfig, oauth: OAuthVerifier, ims: ImsTokens
) -> WebapiError | None:
    refusal = _saas(request, route, config, ims) if route.flavour == "saas" else _paas(request, route, config, oauth)
    if refusal is not None:
        return refusal
    if config.acl_resources is not None and route.acl not in config.acl_resources:
        return not_authorized(route.acl)
    return None
