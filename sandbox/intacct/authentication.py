"""Checking the control block's sender and an operation's login or session."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sandbox.core.clock import SimClock
from sandbox.intacct.config import IntacctSimConfig
from sandbox.intacct.context import Identity
from sandbox.intacct.envelope import ControlBlock, LoginAuth, SessionAuth
from sandbox.intacct.errors import IntacctError, login_invalid, sender_unauthorized, session_invalid
from sandbox.intacct.responses import AuthBlock
from sandbox.intacct.sessions import SessionRegistry
from sandbox.intacct.store import RecordStore
from sandbox.intacct.values import iso_with_offset, zone


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def sender_valid(control: ControlBlock, config: IntacctSimConfig) -> bool:
    """Sender ID and password are case-sensitive."""
    return _same(control.senderid, config.sender_id) & _same(control.password, config.sender_password)


@dataclass(frozen=True)
class AuthOutcome:
    block: AuthBlock
    identity: Identity | None = None
    errors: tuple[IntacctError, ...] = ()
    bad_credentials: bool = False  # wrong user/company/password (the HTTP 401 mode applies)


def authenticate(
    auth: LoginAuth | SessionAuth,
    *,
    config: IntacctSimConfig,
    store: RecordStore,
    sessions: SessionRegistry,
    clock: SimClock,
    listener: str,
) -> AuthOutcome:
    tz = zone(config.timezone)
    now = clock.now()
    if isinstance(auth, SessionAuth):
        session = sessions.use(auth.sessionid, listener)
        if session is None:
            return AuthOutcome(AuthBlock("failure"), errors=(session_invalid(),))
        identity = Identity(session.company_id, session.user_id, session.location_id, listener, session)
        expires = session.expires_at
    else:
        # UNVERIFIED: company and user IDs compared case-insensitively, passwords exactly.
        valid = (
            _same(auth.companyid.upper(), config.company_id.upper())
            & _same(auth.userid.lower(), config.user_id.lower())
            & _same(auth.password, config.user_password)
        )
        location_ok = not auth.locationid or store.find("LOCATION", auth.locationid) is not None
        if not (valid and location_ok):
            block = AuthBlock("failure", auth.userid, auth.companyid)
            return AuthOutcome(block, errors=(login_invalid(),), bad_credentials=True)
        if not config.sender_authorized:
            block = AuthBlock("failure", auth.userid, auth.companyid)
            return AuthOutcome(block, errors=(sender_unauthorized(auth.companyid),))
        identity = Identity(config.company_id, config.user_id, auth.locationid, listener)
        expires = sessions.login_expiry()
    block = AuthBlock(
        "success",
        identity.user_id,
        identity.company_id,
        identity.location_id,
        iso_with_offset(now, tz),
        iso_with_offset(expires, tz),
    )
    return AuthOutcome(block, identity)
