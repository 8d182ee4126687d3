"""A parcel on its way to the dock, as the browser tests of receiving need it: an RMA for
4 × <code>-AUR (€40.00) and 3 × <code>-VEL (€33.00) of its own account, warehouse and
return address, taken through the workflow to awaiting receipt as in production."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import Product, Rma, Role, User, Warehouse
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_address,
    make_return_type,
    make_rma_with_lines,
    make_user,
    make_warehouse,
)
from tests.shop import POLICY
from workflow_designer.runtime.firing import fire


@dataclass(frozen=True)
class Parcel:
    rma: Rma
    retailer: User
    warehouse: Warehouse
    aurora: Product
    velo: Product


def make_parcel(session: Session, code: str, account_name: str) -> Parcel:
    """``code`` keeps the parcel's SKUs, region and warehouse apart from other tests'."""
    account = make_account(
        session, sales_rep=make_user(session, Role.SALES_REP), region=code, name=account_name
    )
    warehouse = make_warehouse(session, code=code, name=f"{account_name} dock")
    make_return_address(session, warehouse, code)
    aurora = make_product(session, sku=f"{code}-AUR", brand="Aurelo", model="Paola")
    velo = make_product(session, sku=f"{code}-VEL", brand="Velo", model="Sprint")
    order = make_order(session, account, [(aurora, 10, "40.00"), (velo, 5, "33.00")])
    version = make_published_workflow(session, "stock_rotation")
    return_type = make_return_type(session, version.workflow_id, policy=POLICY)
    retailer = make_retailer(session, account)
    rma = make_rma_with_lines(
        session,
        account,
        version,
        [(order.lines[0], 4), (order.lines[1], 3)],
        authorized=False,
        return_type=return_type,
        policy_passed=True,
    )
    fire(session, rma, "submit", retailer)  # policy passed, under 2500: authorized
    fire(session, rma, "ship", retailer)
    assert rma.state == "awaiting_receipt"
    return Parcel(rma, retailer, warehouse, aurora, velo)
