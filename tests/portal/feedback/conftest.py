"""The RMA tests' world, with RMAs that ended in each way the survey cares about."""

from __future__ import annotations

import pytest

from tests.world import add_rma, fresh_machine_cache, world  # noqa: F401 (fixtures)


@pytest.fixture
def closed(db_session, world):  # noqa: F811 (the imported fixture)
    """A return that was credited and closed: the retailer is asked about it."""
    return add_rma(db_session, world, state="closed", resolution="credit")
