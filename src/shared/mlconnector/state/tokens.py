"""Sessions and OAuth tokens, shared by every Lambda container through DynamoDB."""

from __future__ import annotations

from dataclasses import dataclass, field

from pynamodb.exceptions import DoesNotExist

from mlconnector.state import keys
from mlconnector.state.models import TokenItem


@dataclass(frozen=True)
class StoredToken:
    token: str = field(repr=False)
    endpoint: str | None
    created_at: float
    expires_at: float


class TokenStore:
    """Tokens of one connection, keyed by system and account identity (e.g. Intacct sender+company+user)."""

    def __init__(self, connection: str) -> None:
        self.connection = connection

    def get(self, system: str, account: str) -> StoredToken | None:
        try:
            item = TokenItem.get(keys.token_pk(self.connection, system, account), "TOKEN")
        except DoesNotExist:
            return None
        return StoredToken(item.token, item.endpoint, item.created_at, item.expires_at)

    def put(self, system: str, account: str, token: StoredToken) -> None:
        TokenItem(
            keys.token_pk(self.connection, system, account),
            "TOKEN",
            token=token.token,
            endpoint=token.endpoint,
            created_at=token.created_at,
            expires_at=token.expires_at,
        ).save()

    def delete(self, system: str, account: str) -> None:
        TokenItem(keys.token_pk(self.connection, system, account), "TOKEN").delete()
