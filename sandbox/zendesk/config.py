"""Every knob of the Zendesk Support simulator. Defaults follow the references (zendesk.md and verified-2026-12.md
§3, which wins where they disagree); facts marked UNVERIFIED there are knobs here, defaulting to the most likely
reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sandbox.core.credentials import Credentials

AuthMode = Literal["oauth", "api_token"]
SignatureOrder = Literal["timestamp_body", "body_timestamp"]

TEST_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="  # noqa: S105 - Zendesk's published webhook test secret
EXPIRED_TOKEN_DESCRIPTION = "The access token provided is expired, revoked, malformed or invalid for other reasons."  # noqa: S105 - an error text


@dataclass
class ZendeskSimConfig:
    # ---- The account and its credentials (sandbox-only values).
    subdomain: str = "mlc-sandbox"
    account_id: int = 21825834
    auth_mode: AuthMode = "oauth"  # what ``credentials`` hands out; the API accepts both while api_token_enabled
    client_id: str = "mlc_connector_sandbox"  # the OAuth client's identifier string
    client_secret: str = field(default="c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee00", repr=False)
    refresh_token: str = field(default="5a4db0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee01", repr=False)
    scope: str = "read write"
    email: str = "admin@mlc-sandbox.example.com"  # the API token impersonates this admin
    api_token: str = field(default="SbxT0ken0MLC0Connector0Sandbox0000000001", repr=False)
    # API tokens are being retired (2027-04-30 all deactivated, verified §3.4); False: Basic token auth is refused.
    api_token_enabled: bool = True
    # UNVERIFIED (secondary): 30 min access tokens, 30 days refresh tokens for clients created after 2026-02-02.
    access_token_lifetime_s: float = 1800.0
    refresh_token_lifetime_s: float = 30 * 86_400.0
    # UNVERIFIED: an expired or unknown Bearer token answers 401 with this error (else "Couldn't authenticate you").
    expired_token_error: str = "invalid_token"  # noqa: S105 - an error word

    # ---- Rate limits (reference §3, verified §3.4). A fixed window of 60 s on the simulator clock.
    rate_limit_per_minute: int = 700  # Enterprise; Team 200, Growth/Professional 400, High Volume 2,500
    incremental_per_minute: int = 10  # 30 with the High Volume add-on
    # UNVERIFIED: the account limit's 429 body; "json" {"error": "APIRateLimitExceeded", ...} or "text" (the reference:
    # "may be plain text or JSON; rely on status + Retry-After"). The incremental export's JSON body is verified.
    rate_limit_body: Literal["json", "text"] = "json"
    # Ticketing endpoints also send ratelimit-limit / ratelimit-remaining / ratelimit-reset (verified names).
    ticketing_headers: bool = True
    # UNVERIFIED (secondary): "only a certain number of jobs can be queued or running", widely cited as 30.
    job_limit: int = 30
    # UNVERIFIED: the answer when the job limit is reached (429 with Retry-After, TooManyJobs).
    job_limit_status: int = 429
    job_limit_error: str = "TooManyJobs"

    # ---- Bulk jobs (reference §4.2, verified §3.1).
    max_bulk: int = 100
    polls_per_step: int = 1  # a job moves queued -> working -> completed, one step per this many polls
    # Seconds a step takes on the simulator clock, polled or not (real jobs run on their own); None: polls only.
    job_step_s: float | None = None
    job_retention_s: float = 86_400.0  # one day (older docs: one hour)
    # UNVERIFIED: the error of a failed bulk create row (the reference's example) and of an update naming no org.
    create_failed_error: str = "OrganizationCreateFailed"
    update_failed_error: str = "OrganizationUpdateFailed"
    not_found_error: str = "RecordNotFound"
    # UNVERIFIED: batch update_many items may name their org by external_id instead of id (OAS shows id only).
    batch_update_by_external_id: bool = False

    # ---- Organizations (reference §4, verified §3.1).
    # UNVERIFIED: whether name uniqueness ignores case ("Acme" vs "acme"); names are trimmed first (verified).
    name_case_insensitive: bool = True
    # UNVERIFIED: organization_fields keys the account does not define are ignored, or refused (422 InvalidValue).
    unknown_org_fields: Literal["ignore", "invalid"] = "ignore"
    max_page_size: int = 100

    # ---- Incremental ticket export (reference §5.1, verified §3.2).
    export_page_size: int = 1_000
    # Items changed this recently are left for a later call; start_time must be at least this far in the past.
    export_exclusion_s: float = 60.0
    # UNVERIFIED: the answer to a start_time that is too recent or in the future.
    recent_start_time_status: int = 400
    recent_start_time_error: str = "InvalidValue"

    # ---- Webhooks (reference §7, verified §3.3).
    # Verified current doc: base64(HMAC-SHA256(secret, timestamp + body)); an older copy says body + timestamp.
    signature_order: SignatureOrder = "timestamp_body"
    webhook_id: str = "01HZSBXWEBHOOK000000000001"
    # Ticket events (created, status/priority/subject/org/tag/assignment changes, soft deletion) are delivered to this
    # loopback URL as tests or the admin change tickets; None: only on request (deliver_ticket_webhook).
    webhook_url: str | None = None
    webhook_secret: str = field(default=TEST_SECRET, repr=False)

    # ---- Seeding.
    # Tickets seeded for orgs V100, V101 ... (the Intacct simulator's VENDORIDs) with those orgs and a requester
    # each; 0: none (the connector creates the orgs; tests add tickets with add_ticket).
    vendor_tickets: int = 0
    # Tickets of requesters outside any organization (noise the flow must skip), per unit of ``size``.
    background_tickets_per_size: float = 1.0

    def credentials(self, base_url: str, refresh_token: str) -> Credentials:
        """What a connection's Zendesk secret holds: the subdomain and the simulator's base URL (a sandbox host stands
        in for https://{subdomain}.zendesk.com), the OAuth client with its current refresh token or the API token and
        the email it impersonates, and the signing secret of the account's webhook."""
        public = {"subdomain": self.subdomain, "base_url": base_url}
        if self.auth_mode == "api_token":
            secret = {"api_token": self.api_token}
            public["email"] = self.email
        else:
            secret = {"client_id": self.client_id, "client_secret": self.client_secret, "refresh_token": refresh_token}
        return Credentials(public, {**secret, "webhook_secret": self.webhook_secret})
