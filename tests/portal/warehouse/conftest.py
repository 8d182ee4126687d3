"""Warehouse screens reuse the back office's shop: a rep's account in region DE with a
warehouse, two invoiced frames and an RMA for 4 × AUR-1 and 3 × VEL-2 awaiting receipt."""

from __future__ import annotations

import pytest

from tests.portal.warehouse.helpers import lines_of
from tests.shop import POLICY, awaiting, shop  # noqa: F401 (fixtures)

__all__ = ["POLICY"]


@pytest.fixture
def staff(client, login_as, shop):  # noqa: F811 (the imported fixture)
    """The client, logged in as the shop's warehouse user."""
    login_as(shop["warehouse_user"])
    return client


@pytest.fixture
def inspecting(db_session, shop, awaiting):  # noqa: F811 (the imported fixtures)
    """The RMA received through the domain (1 VEL-2 short) and under inspection."""
    from portal.warehouse.operations import receive
    from workflow_designer.runtime.firing import fire

    aurora, velo = lines_of(awaiting)
    receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: 4, velo.id: 2})
    fire(db_session, awaiting, "start_inspection", shop["warehouse_user"])
    return awaiting
