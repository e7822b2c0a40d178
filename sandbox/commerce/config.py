"""Every knob of the Adobe Commerce simulator. Defaults follow the reference; UNVERIFIED facts are knobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sandbox.core.credentials import Credentials

Flavour = Literal["paas", "saas"]
Served = Literal["paas", "saas", "both"]
OAuthErrorStyle = Literal["generic", "oauth"]

IMS_SCOPE = "openid,AdobeID,email,profile,additional_info.roles,additional_info.projectedProductContext,commerce.accs"


@dataclass
class CommerceSimConfig:
    # Which host layout(s) this instance answers: PaaS /rest[/{store}]/V1/..., SaaS /{tenant}/V1/...
    served: Served = "paas"
    store_codes: tuple[str, ...] = ("default",)  # "all" is always known (PaaS writes only)
    tenant_id: str = "sbxtenant0001"

    # PaaS integration (System > Extensions > Integrations): four values, tokens never expire.
    consumer_key: str = "sbxconsumerkey0000000000000000a1"
    consumer_secret: str = field(default="sbx-consumer-secret-00000000000b2", repr=False)
    access_token: str = field(default="sbxaccesstoken00000000000000000c3", repr=False)
    access_token_secret: str = field(default="sbx-token-secret-000000000000000d4", repr=False)
    oauth_signature_methods: tuple[str, ...] = ("HMAC-SHA1", "HMAC-SHA256")
    oauth_timestamp_window_s: float = 600  # NonceGenerator TIME_DEVIATION
    # oauth/consumer/enable_integration_as_bearer (reference §1.2): off by default since 2.4.4.
    integration_token_as_bearer: bool = False
    # UNVERIFIED (reference §1.1): which body a failed OAuth check gets on a REST route. "generic": the
    # 401 "consumer isn't authorized" envelope; "oauth": the OAuth problem text with the table's status.
    oauth_error_style: OAuthErrorStyle = "generic"

    # SaaS: Adobe IMS server-to-server credentials; the token answers expires_in 86399 (reference §2).
    ims_client_id: str = "sbx-ims-client-id"
    ims_client_secret: str = field(default="sbx-ims-client-secret", repr=False)
    ims_org_id: str = "SBX0000000000000000000@AdobeOrg"
    ims_token_lifetime_s: float = 86399
    ims_required_scope: str = "commerce.accs"

    # Granted ACL resources; None = all (a fully privileged integration). A missing one answers 401.
    acl_resources: frozenset[str] | None = None
    # Adobe Commerce B2B modules installed; off: every B2B route answers 404 (reference §6).
    b2b_installed: bool = True
    # UNVERIFIED (reference §6): Commerce has no admin REST route for purchase orders; some stores add one with an
    # extension. On: the purchase_orders table is served at this path (list with searchCriteria, get by id),
    # like the other B2B routes (404 without B2B). Off (default): the path matches no route.
    purchase_order_route: bool = False
    purchase_order_path: str = "/V1/purchaseorders"

    # Web API input limits (2.4.7+, reference §3): pageSize above the maximum -> 400.
    input_limits: bool = True
    max_page_size: int = 300
    # UNVERIFIED: the page size used when a list call sends none (with input limits on).
    default_page_size: int = 20
    # currentPage past the last page repeats the last page (magento2#3787) instead of an empty page.
    legacy_repeat_last_page: bool = False

    # Seeded data: the awkward records of the connector's bad-input suite (see seed.TrickyIds).
    include_tricky_records: bool = True
    website_id: int = 1

    def __post_init__(self) -> None:
        if self.served not in ("paas", "saas", "both"):
            raise ValueError(f"served must be paas, saas or both, not {self.served!r}")
        if self.oauth_error_style not in ("generic", "oauth"):
            raise ValueError("oauth_error_style must be generic or oauth")
        if not self.purchase_order_path.startswith("/V1/") or self.purchase_order_path.endswith("/"):
            raise ValueError("purchase_order_path is a Web API path like /V1/purchaseorders")

    def serves(self, flavour: Flavour) -> bool:
        return self.served in (flavour, "both")

    @property
    def primary_flavour(self) -> Flavour:
        return "saas" if self.served == "saas" else "paas"

    def credentials(self, api_url: str, ims_url: str, flavour: Flavour | None = None) -> Credentials:
        """What a connection's Commerce secret holds. ``base_url`` is the REST base before ``/V1``."""
        chosen = flavour or self.primary_flavour
        if chosen == "saas":
            return Credentials(
                public={
                    "flavour": "saas",
                    "base_url": f"{api_url}/{self.tenant_id}",
                    "ims_token_url": f"{ims_url}/ims/token/v3",
                    "ims_client_id": self.ims_client_id,
                    "ims_org_id": self.ims_org_id,
                    "ims_scopes": IMS_SCOPE,
                },
                secret={"ims_client_secret": self.ims_client_secret},
            )
        return Credentials(
            public={
                "flavour": "paas",
                "base_url": f"{api_url}/rest",
                "consumer_key": self.consumer_key,
                "signature_method": "HMAC-SHA256",
            },
            secret={
                "consumer_secret": self.consumer_secret,
                "access_token": self.access_token,
                "access_token_secret": self.access_token_secret,
            },
        )
