"""The back office's shop: staff, an account with a rep and retailer, a published workflow
with its credit policy, and an RMA awaiting receipt. Fixtures shared by the admin,
warehouse, credit, notification and query-budget tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.factories import make_rma_with_lines
from tests.world import World, WorldBuilder

POLICY = {
    "restocking_fee": {"enabled": True, "percent": "10"},
    "grade_deductions": {
        "enabled": True,
        "percent": {
            "new": "0",
            "open_packaging": "5",
            "used": "30",
            "lightly_damaged": "40",
            "heavily_damaged": "80",
            "defective": "100",
        },
        "disposition": {
            "new": "restock",
            "open_packaging": "b_stock",
            "used": "b_stock",
            "lightly_damaged": "refurbish",
            "heavily_damaged": "scrap",
            "defective": "return_to_manufacturer",
        },
    },
    "exchange_bonus": {"enabled": True, "percent": "5"},
}


AURORA = {"sku": "AUR-1", "brand": "Aurelo", "model": "Paola"}
VELO = {"sku": "VEL-2", "brand": "Velo", "model": "Sprint"}


def build_shop(session: Session) -> World:
    """A rep's account with two invoiced frames, a warehouse for its region, staff."""
    build = WorldBuilder(session).accounts(other=False, region="DE", currency="EUR")
    build.warehouse("DE", code="CEN", name="Central").products(aurora=AURORA, velo=VELO)
    build.order([("aurora", 10, "40.00"), ("velo", 5, "33.33")])
    return build.workflow().retailer().warehouse_user().admin().world


def as_shop(world: World) -> dict:
    """The world as the back office's tests read it: a dict."""
    return {
        "rep": world.rep,
        "account": world.account,
        "warehouse": world.warehouse,
        "retailer": world.retailer,
        "warehouse_user": world.warehouse_user,
        "admin": world.admin,
        "aurora": world.products["aurora"],
        "velo": world.products["velo"],
        "order": world.order,
        "version": world.version,
    }


@pytest.fixture
def shop(db_session):
    """A rep's account with two invoiced frames, a warehouse for its region, staff."""
    return as_shop(build_shop(db_session))


@pytest.fixture
def awaiting(db_session, shop):
    """An RMA for 4 × AUR-1 and 3 × VEL-2, shipped by the retailer, awaiting receipt."""
    from tests.factories import make_return_type

    return_type = make_return_type(db_session, shop["version"].workflow_id, policy=POLICY)
    aurora_line, velo_line = shop["order"].lines
    rma = make_rma_with_lines(
        db_session,
        shop["account"],
        shop["version"],
        [(aurora_line, 4), (velo_line, 3)],
        state="awaiting_receipt",
        return_type=return_type,
        submitted_at=None,
    )
    assert rma.total_value == Decimal("259.99")
    return rma
