"""An account with a rep, its retailer, staff, and an RMA with lines on real order lines."""

from __future__ import annotations

import pytest

from tests.factories import make_return_address, make_warehouse
from tests.world import fresh_machine_cache, world  # noqa: F401 (fixtures)


@pytest.fixture
def address(db_session, world):  # noqa: F811 (the imported fixture)
    """The return address of the world's account's region: where its labels send parcels."""
    warehouse = make_warehouse(db_session, name="Nordwind Logistik")
    return make_return_address(
        db_session,
        warehouse,
        world.account.region,
        recipient="Returns department",
        street="Hafenstraße 7",
        postal_code="20457",
        city="Hamburg",
    )
