from __future__ import annotations

import pytest

from sandbox.commerce.webhooks import KeyPair, generate_key_pair


@pytest.fixture(scope="session")
def keys() -> KeyPair:
    """One RSA pair for the session: generating one costs tens of milliseconds."""
    return generate_key_pair()


@pytest.fixture(scope="session")
def other_keys() -> KeyPair:
    return generate_key_pair()
