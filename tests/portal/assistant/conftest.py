"""The assistant's world: an account whose shelf has a known right answer, two other
accounts (one in its region, one elsewhere) whose purchases make the sell-through, stock
to take in, and a rotation return type with allowance, purchase age and replacement order.

Rita Rep's account (region DE) bought, with the figures the tests expect:
- SLOW-1: 6 × 50.00, 300 days ago; nobody else buys it          → first candidate
- POP-1: 4 × 50.00, 200 days ago; the others bought 30 and 10     → second
- REORD-1: bought 300 and 100 days ago (re-ordered)               → not on the shelf
- RET-1: 3 × 40.00, 200 days ago, all on a submitted rotation     → not on the shelf
- RECENT-1: 2 × 80.00, 20 days ago                                → ineligible (< 90 days)
- FILL: 40 × 50.00, 30 days ago, bought again 10 days ago (net purchases for the allowance)
Net purchases in the last 365 days: 300 + 200 + 2 × 100 + 120 + 160 + 2,000 + 500 = 3,480;
15% = 522.00, of which the submitted RET-1 rotation (120.00) uses some: 402.00 left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest

from models import Grade, Lifecycle, OrderLine, Product, ReturnType
from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from portal.requests.rendering import today
from tests.factories import make_rma_with_lines, make_stock
from tests.portal.requests.helpers import return_type
from tests.support import rule
from tests.world import World, WorldBuilder

ROTATION = {
    "allowance": rule(percent="15", period_days=365),
    "purchase_age": rule(min_days=90, max_days=730),
    "replacement_order": rule(min_ratio_percent="100", min_amount=None),
}


@dataclass
class Shelf:
    world: World
    today: date
    rotation: ReturnType
    products: dict[str, Product] = field(default_factory=dict)
    lines: dict[str, OrderLine] = field(default_factory=dict)


def _build(db_session) -> Shelf:
    build = WorldBuilder(db_session).accounts("Optik Sonne", "Brillen Fremd")
    build.retailer(name="Mia Optician").other_retailer().admin().warehouse_user()
    world = build.world
    day = today()
    catalog = {
        "slow": ("SLOW-1", "50.00", Lifecycle.ACTIVE),
        "pop": ("POP-1", "60.00", Lifecycle.ACTIVE),
        "reord": ("REORD-1", "60.00", Lifecycle.ACTIVE),
        "ret": ("RET-1", "55.00", Lifecycle.ACTIVE),
        "recent": ("RECENT-1", "90.00", Lifecycle.ACTIVE),
        "fill": ("FILL-1", "60.00", Lifecycle.ACTIVE),
        "best": ("BEST-1", "70.00", Lifecycle.ACTIVE),  # in the band, sold most, in stock
        "second": ("SECOND-1", "65.00", Lifecycle.ACTIVE),  # in the band, sold less
        "pricey": ("PRICEY-1", "300.00", Lifecycle.ACTIVE),  # above the band
        "gone": ("GONE-1", "70.00", Lifecycle.ACTIVE),  # no stock
        "ended": ("ENDED-1", "70.00", Lifecycle.DISCONTINUED),  # not orderable
    }
    build.products(
        **{
            key: {"sku": sku, "brand": sku.split("-")[0].title(), "list_price": Decimal(price),
                  "lifecycle": lifecycle}
            for key, (sku, price, lifecycle) in catalog.items()
        }
    )  # fmt: skip

    def ago(days: int) -> date:
        return day - timedelta(days=days)

    lines = {}
    for key, product, units, price, age in (
        ("slow", "slow", 6, "50.00", 300),
        ("pop", "pop", 4, "50.00", 200),
        ("reord", "reord", 2, "50.00", 300),
        ("reord_again", "reord", 2, "50.00", 100),
        ("ret", "ret", 3, "40.00", 200),
        ("recent", "recent", 2, "80.00", 20),
        ("fill", "fill", 40, "50.00", 30),
        ("fill_again", "fill", 10, "50.00", 10),
    ):
        order = build.order([(product, units, price)], invoice_date=ago(age))
        lines[key] = order.lines[0]
    neighbour = make_account_in(db_session, world, "DE")
    faraway = make_account_in(db_session, world, "FR")
    for account, purchases in (
        (neighbour, [("pop", 30), ("best", 50), ("second", 20), ("pricey", 90), ("gone", 99)]),
        (faraway, [("pop", 10), ("best", 40), ("ended", 200)]),
    ):
        for product, units in purchases:
            build.order([(product, units, "40.00")], account, invoice_date=ago(60))
    build.warehouse()
    for key in ("best", "second", "pricey", "ended"):
        make_stock(db_session, world.products[key], world.warehouse, Grade.NEW, 20)
    make_stock(db_session, world.products["gone"], world.warehouse, Grade.USED, 5)
    build.workflow()
    rotation = return_type(db_session, world, ROTATION, name="Stock rotation")
    make_rma_with_lines(
        db_session, world.account, world.version, [(lines["ret"], 3)],
        return_type=rotation, state="authorized", submitted_at=utcnow(),
    )  # fmt: skip
    refresh_rollups(db_session, utcnow(), full=True)
    return Shelf(world, day, rotation, dict(world.products), lines)


def make_account_in(db_session, world: World, region: str):
    from tests.factories import make_account

    return make_account(db_session, sales_rep=world.other_rep, region=region)


@pytest.fixture
def shelf(db_session) -> Shelf:
    return _build(db_session)
