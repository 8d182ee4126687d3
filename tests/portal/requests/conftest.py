"""Fixtures of the request-flow tests: an account with invoices of various ages, return
types with policies, and helpers that drive the flow through HTTP like a browser would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from models import Grade, Lifecycle, OrderLine, Role
from portal import create_app
from portal.requests.rendering import today
from tests.conftest import TEST_CONFIG
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_type,
    make_stock,
    make_user,
    make_warehouse,
)


@pytest.fixture
def upload_folder(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def app(connection, upload_folder):
    """The app with uploads in a temporary folder (never the instance folder)."""
    return create_app({**TEST_CONFIG, "UPLOAD_FOLDER": str(upload_folder)}, db_bind=connection)


def rule(mode: str = "blocking", **params: Any) -> dict:
    return {"enabled": True, "mode": mode, **params}


@dataclass
class World:
    rep: Any
    other_rep: Any
    account: Any
    other_account: Any
    retailer: Any
    other_retailer: Any
    version: Any
    products: dict[str, Any]
    lines: dict[str, OrderLine]
    other_line: OrderLine
    types: dict[str, Any] = field(default_factory=dict)
    warehouse: Any = None


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


def return_type(db_session, world: World, policy: dict | None = None, **fields):
    fields.setdefault("reasons", ["Slow seller", "Overstock"])
    fields.setdefault("resolutions", ["credit", "replacement_order"])
    workflow_id = fields.pop("workflow_id", world.version.workflow_id)
    return make_return_type(db_session, workflow_id, policy=policy or {}, **fields)


# --- driving the flow through HTTP ---------------------------------------------------------


def start(client, rtype, account_id: int | None = None) -> str:
    """Start a draft of ``rtype``; returns its number."""
    data = {"return_type_id": str(rtype.id)}
    if account_id is not None:
        data["account_id"] = str(account_id)
    response = client.post("/requests/new", data=data)
    assert response.status_code == 303, response.data[:500]
    return response.headers["Location"].rsplit("/", 1)[-1]


def add(client, number: str, picks: dict[int, int | None], htmx: bool = True, **fields):
    data: dict[str, Any] = {"pick": [str(i) for i, q in picks.items() if q is None]}
    data.update({f"qty-{i}": str(q) for i, q in picks.items() if q is not None})
    data.update(fields)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/requests/{number}/lines", data=data, headers=headers)


def draft_page(client, number: str) -> str:
    response = client.get(f"/requests/{number}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def line_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="line-(\d+)"', html)]


def update(client, number: str, line_id: int, htmx: bool = True, **values):
    values.setdefault("reason", "Slow seller")
    values.setdefault("condition", "new")
    values.setdefault("description", "")
    data = {f"l{line_id}-{name}": str(value) for name, value in values.items()}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/requests/{number}/lines/{line_id}", data=data, headers=headers)


def complete_lines(client, number: str, **values) -> None:
    """Give every line a reason and a condition (keeping its quantity)."""
    html = draft_page(client, number)
    for line_id in line_ids(html):
        quantity = re.search(rf'name="l{line_id}-quantity"[^>]*value="(\d+)"', html)
        assert (
            update(client, number, line_id, quantity=quantity.group(1), **values).status_code == 200
        )


def findings(html: str) -> dict[str, bool]:
    """Rule → passed, as the panel shows them (request checks under their label)."""
    panel = html.split('id="policy-panel"', 1)[1]
    rules = dict(re.findall(r'data-rule="([a-z_]+)" data-passed="(true|false)"', panel))
    checks = dict(re.findall(r'data-check="([^"]+)" data-passed="(true|false)"', panel))
    return {name: passed == "true" for name, passed in {**rules, **checks}.items()}


def figure(html: str, rule_name: str, key: str) -> str:
    row = html.split(f'data-rule="{rule_name}"', 1)[1].split("</tr>", 1)[0]
    return re.search(rf'data-figure="{key}">([^<]*)<', row).group(1)


def submit_fields(html: str) -> dict[str, str]:
    form = html.split('id="submit-form"', 1)[1].split("</form>", 1)[0]
    fields = dict(
        re.findall(r'name="(idempotency_key|digest)" type="hidden" value="([^"]*)"', form)
    )
    resolution = re.search(r'name="resolution"[^>]*value="([^"]*)"', form) or re.search(
        r'<option selected value="([^"]*)"', form
    )
    fields["resolution"] = resolution.group(1) if resolution else ""
    return fields


def can_submit(html: str) -> bool:
    return 'data-can-submit="true"' in html


def submit(client, number: str, **overrides):
    fields = submit_fields(draft_page(client, number))
    fields.update(overrides)
    return client.post(f"/requests/{number}/submit", data=fields)


def old_enough(world: World) -> list[int]:
    """Order lines 120 and 200 days old (inside a 90–730-day purchase age)."""
    return [world.lines["velo"].id, world.lines["red"].id, world.lines["old"].id]


def window_around(day: date, open_: bool = True) -> dict:
    """A calendar window containing ``day`` (or one that ends the day before it)."""
    if open_:
        start, end = day - timedelta(days=3), day + timedelta(days=3)
    else:
        start, end = day - timedelta(days=40), day - timedelta(days=1)
    return {"start": start.strftime("%m-%d"), "end": end.strftime("%m-%d")}
