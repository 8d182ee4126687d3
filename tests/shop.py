"""The back office's shop: staff, an account with a rep and retailer, a published workflow
with its credit policy, and an RMA awaiting receipt. Fixtures shared by the admin,
warehouse, credit, notification and query-budget tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models import Role
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_address,
    make_rma_with_lines,
    make_user,
    make_warehouse,
)

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


@pytest.fixture
def shop(db_session):
    """A rep's account with two invoiced frames, a warehouse for its region, staff."""
    rep = make_user(db_session, Role.SALES_REP, name="Rita Rep")
    account = make_account(db_session, sales_rep=rep, region="DE", currency="EUR")
    warehouse = make_warehouse(db_session, code="CEN", name="Central")
    make_return_address(db_session, warehouse, "DE")
    aurora = make_product(db_session, sku="AUR-1", brand="Aurelo", model="Paola")
    velo = make_product(db_session, sku="VEL-2", brand="Velo", model="Sprint")
    order = make_order(db_session, account, [(aurora, 10, "40.00"), (velo, 5, "33.33")])
    version = make_published_workflow(db_session, "stock_rotation")
    return {
        "rep": rep,
        "account": account,
        "warehouse": warehouse,
        "retailer": make_retailer(db_session, account),
        "warehouse_user": make_user(db_session, Role.WAREHOUSE, name="Wanda Warehouse"),
        "admin": make_user(db_session, Role.ADMIN, name="Ada Admin"),
        "aurora": aurora,
        "velo": velo,
        "order": order,
        "version": version,
    }


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
