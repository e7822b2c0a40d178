"""Rotating OAuth token pairs (Zendesk) in DynamoDB: one item per credential with its version, and a claim taken by
a conditional write, so exactly one Lambda container refreshes a pair and every other one picks the new pair up
(see mlconnector/rotating_tokens.py for the protocol).

The item lives in the StateTable, encrypted with the stack's customer-managed KMS key; it is the durable home of the
rotated refresh token (the Secrets Manager value is only the first one). Its access-token expiry is not the table's
TTL attribute: the item must never expire, or the only valid refresh token would be lost.

A dry run writes here too: a refresh it needs has already rotated the pair at the issuer, and not storing the new pair
would lock the connection out.
"""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from mlconnector.rotating_tokens import TokenPair
from mlconnector.state import keys
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.models import TokenPairItem

SORT_KEY = "PAIR"


class TokenPairStore:
    """The rotating pairs of one connection and system, keyed by the credential (a digest, never a token)."""

    def __init__(self, connection: str, system: str, clock: Clock = system_clock) -> None:
        self.connection = connection
        self.system = system
        self._clock = clock

    def get(self, key: str) -> TokenPair | None:
        try:
            item = TokenPairItem.get(self._pk(key), SORT_KEY, consistent_read=True)
        except DoesNotExist:
            return None
        return TokenPair(
            access_token=item.access_token,
            refresh_token=item.refresh_token,
            created_at=float(item.created_at or 0.0),
            expires_at=float(item.access_expires_at or 0.0),
            version=int(item.version),
        )

    def claim(self, key: str, *, version: int, owner: str, seconds: float) -> bool:
        now = self._clock()
        item = TokenPairItem(self._pk(key), SORT_KEY)
        free = (
            TokenPairItem.owner.does_not_exist() | (TokenPairItem.claimed_until < now) | (TokenPairItem.owner == owner)
        )
        at_version = TokenPairItem.version == version
        if version == 0:  # nothing stored yet: the first claim creates the item
            at_version = TokenPairItem.pk.does_not_exist() | at_version
        try:
            item.update(
                actions=[
                    TokenPairItem.version.set(TokenPairItem.version | 0),
                    TokenPairItem.owner.set(owner),
                    TokenPairItem.claimed_until.set(now + seconds),
                ],
                condition=at_version & (TokenPairItem.pk.does_not_exist() | free),
            )
        except UpdateError as error:
            if _condition_failed(error):
                return False
            raise
        return True

    def store(self, key: str, pair: TokenPair, *, owner: str) -> bool:  # noqa: ARG002 - the version decides
        item = TokenPairItem(
            self._pk(key),
            SORT_KEY,
            version=pair.version,
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            created_at=pair.created_at,
            access_expires_at=pair.expires_at,
        )
        try:
            item.save(condition=TokenPairItem.version == pair.version - 1)
        except PutError as error:
            if _condition_failed(error):
                return False
            raise
        return True

    def release(self, key: str, *, owner: str) -> None:
        item = TokenPairItem(self._pk(key), SORT_KEY)
        try:
            item.update(
                actions=[TokenPairItem.owner.remove(), TokenPairItem.claimed_until.remove()],
                condition=TokenPairItem.owner == owner,
            )
        except UpdateError as error:
            if not _condition_failed(error):
                raise

    def _pk(self, key: str) -> str:
        return keys.token_pk(self.connection, self.system, key)


def _condition_failed(error: PutError | UpdateError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"
