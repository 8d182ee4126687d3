"""Fixtures of the request-flow tests: an account with invoices of various ages, return
types with policies, and helpers that drive the flow through HTTP like a browser would."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from models import Grade, Lifecycle, Role
from portal import create_app
from portal.requests.rendering import today
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_stock,
    make_user,
    make_warehouse,
)
from tests.portal.requests.helpers import World
from tests.support import TEST_CONFIG


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
    rep = make_user(db_session, Role.SALES_REP, name="Rita Rep")
    other_rep = make_user(db_session, Role.SALES_REP, name="Otto Other")
    account = make_account(db_session, sales_rep=rep, name="Optik Sonne")
    other_account = make_account(db_session, sales_rep=other_rep, name="Brillen Fremd")
    retailer = make_retailer(db_session, account, name="Mia Optician")
    other_retailer = make_retailer(db_session, other_account)
    day = today()
    products = {
        "aurora": make_product(db_session, sku="AUR-100-BLK", brand="Aurora", model="Meridian"),
        "aurora_red": make_product(
            db_session, sku="AUR-100-RED", brand="Aurora", model="Meridian", colour="Red"
        ),
        "velo": make_product(db_session, sku="VEL-200", brand="Velo", model="Sprint"),
        "old": make_product(
            db_session, sku="OLD-300", brand="Velo", model="Classic", lifecycle=Lifecycle.CLEARANCE
        ),
        "new_stock": make_product(
            db_session, sku="AUR-900", brand="Aurora", model="Nova", list_price=Decimal("120.00")
        ),
    }
    orders = {
        "recent": make_order(
            db_session,
            account,
            [(products["aurora"], 10, "40.00")],
            invoice_number="INV-RECENT",
            invoice_date=day - timedelta(days=30),
        ),
        "mid": make_order(
            db_session,
            account,
            [(products["velo"], 8, "50.00"), (products["aurora_red"], 6, "42.50")],
            invoice_number="INV-MID",
            invoice_date=day - timedelta(days=120),
        ),
        "older": make_order(
            db_session,
            account,
            [(products["old"], 5, "30.00")],
            invoice_number="INV-OLDER",
            invoice_date=day - timedelta(days=200),
        ),
        "ancient": make_order(
            db_session,
            account,
            [(products["aurora"], 4, "38.00")],
            invoice_number="INV-ANCIENT",
            invoice_date=day - timedelta(days=800),
        ),
    }
    other = make_order(
        db_session,
        other_account,
        [(products["velo"], 9, "49.00")],
        invoice_number="INV-FREMD",
        invoice_date=day - timedelta(days=120),
    )
    warehouse = make_warehouse(db_session)
    make_stock(db_session, products["new_stock"], warehouse, Grade.NEW, 50)
    make_stock(db_session, products["aurora_red"], warehouse, Grade.NEW, 3)
    make_stock(db_session, products["old"], warehouse, Grade.NEW, 10)  # clearance: not offered
    make_stock(db_session, products["velo"], warehouse, Grade.USED, 10)  # not new: not in stock
    lines = {
        "recent": orders["recent"].lines[0],
        "velo": orders["mid"].lines[0],
        "red": orders["mid"].lines[1],
        "old": orders["older"].lines[0],
        "ancient": orders["ancient"].lines[0],
    }
    version = make_published_workflow(db_session, "stock_rotation")
    return World(
        rep=rep,
        other_rep=other_rep,
        account=account,
        other_account=other_account,
        retailer=retailer,
        other_retailer=other_retailer,
        version=version,
        products=products,
        lines=lines,
        other_line=other.lines[0],
        warehouse=warehouse,
    )


# --- driving the flow through HTTP ---------------------------------------------------------


def old_enough(world: World) -> list[int]:
    """Order lines 120 and 200 days old (inside a 90–730-day purchase age)."""
    return [world.lines["velo"].id, world.lines["red"].id, world.lines["old"].id]
