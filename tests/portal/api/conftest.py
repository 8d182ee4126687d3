"""The security tests' world (accounts A and B, one object of each kind, a token per
identity) for the API's tests, and a way to call the API with a token."""

from __future__ import annotations

import pytest

from tests.security.helpers import build_world
from tests.world import World


@pytest.fixture
def world(db_session, tmp_path) -> World:
    return build_world(db_session, tmp_path)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def call(client, world):
    """``call(identity, url)``: GET ``url`` with that identity's token."""

    def get(identity: str, url: str, **kwargs):
        headers = {**bearer(world.api_tokens[identity]), **kwargs.pop("headers", {})}
        return client.get(url, headers=headers, **kwargs)

    return get
