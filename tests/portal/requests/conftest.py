"""Fixtures of the request-flow tests: an account with invoices of various ages, return
types with policies, and helpers that drive the flow through HTTP like a browser would."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from models import Grade, Lifecycle
from portal import create_app
from portal.requests.rendering import today
from tests.factories import make_stock
from tests.support import TEST_CONFIG
from tests.world import World, WorldBuilder


@pytest.fixture
def upload_folder(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def app(connection, upload_folder):
    """The app with uploads in a temporary folder (never the instance folder)."""
    return create_app({**TEST_CONFIG, "UPLOAD_FOLDER": str(upload_folder)}, db_bind=connection)


@pytest.fixture
def world(db_session) -> World:
    """Two accounts (one per rep); the first has invoices 30, 120, 200 and 800 days old."""
    build = WorldBuilder(db_session).accounts("Optik Sonne", "Brillen Fremd")
    build.retailer(name="Mia Optician").other_retailer()
    day = today()
    build.products(
        aurora={"sku": "AUR-100-BLK", "brand": "Aurora", "model": "Meridian"},
        aurora_red={"sku": "AUR-100-RED", "brand": "Aurora", "model": "Meridian", "colour": "Red"},
        velo={"sku": "VEL-200", "brand": "Velo", "model": "Sprint"},
        old={
            "sku": "OLD-300",
            "brand": "Velo",
            "model": "Classic",
            "lifecycle": Lifecycle.CLEARANCE,
        },
        new_stock={
            "sku": "AUR-900",
            "brand": "Aurora",
            "model": "Nova",
            "list_price": Decimal("120.00"),
        },
    )
    invoices = {
        "recent": ([("aurora", 10, "40.00")], "INV-RECENT", 30),
        "mid": ([("velo", 8, "50.00"), ("aurora_red", 6, "42.50")], "INV-MID", 120),
        "older": ([("old", 5, "30.00")], "INV-OLDER", 200),
        "ancient": ([("aurora", 4, "38.00")], "INV-ANCIENT", 800),
    }
    orders = {
        key: build.order(lines, invoice_number=number, invoice_date=day - timedelta(days=age))
        for key, (lines, number, age) in invoices.items()
    }
    world = build.world
    other = build.order(
        [("velo", 9, "49.00")],
        world.other_account,
        invoice_number="INV-FREMD",
        invoice_date=day - timedelta(days=120),
    )
    build.warehouse()
    products, warehouse = world.products, world.warehouse
    make_stock(db_session, products["new_stock"], warehouse, Grade.NEW, 50)
    make_stock(db_session, products["aurora_red"], warehouse, Grade.NEW, 3)
    make_stock(db_session, products["old"], warehouse, Grade.NEW, 10)  # clearance: not offered
    make_stock(db_session, products["velo"], warehouse, Grade.USED, 10)  # not new: not in stock
    world.lines = {
        "recent": orders["recent"].lines[0],
        "velo": orders["mid"].lines[0],
        "red": orders["mid"].lines[1],
        "old": orders["older"].lines[0],
        "ancient": orders["ancient"].lines[0],
    }
    world.other_line = other.lines[0]
    build.workflow()
    return world


# --- driving the flow through HTTP ---------------------------------------------------------


def old_enough(world: World) -> list[int]:
    """Order lines 120 and 200 days old (inside a 90–730-day purchase age)."""
    return [world.lines["velo"].id, world.lines["red"].id, world.lines["old"].id]
