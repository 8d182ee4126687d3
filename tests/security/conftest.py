"""A world of two retailer accounts with every kind of object the routes can name.

Account A ("Optik Alphazeta") holds one object of each kind — a draft, an RMA under
approval, one awaiting receipt, one credited with a memo, an attachment, a notification —
so that every URL parameter can be filled with A's objects. Account B belongs to another
rep and has a retailer of its own; B's people must never see anything of A.
"""

from __future__ import annotations

import pytest

from portal import create_app
from tests.security.helpers import build_world
from tests.support import TEST_CONFIG
from tests.world import World


@pytest.fixture
def world(db_session, tmp_path) -> World:
    return build_world(db_session, tmp_path)


@pytest.fixture
def world_app(connection, tmp_path):
    return create_app({**TEST_CONFIG, "UPLOAD_FOLDER": str(tmp_path)}, db_bind=connection)
