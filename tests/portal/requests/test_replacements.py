"""The replacement order of a rotation: only active products with new stock, catalog
prices, suggestions, and the order's value against the required minimum."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import Grade, Lifecycle, Product, ReplacementLine
from portal.requests.rendering import today
from portal.requests.replacements import Offer, spread
from tests.factories import make_account, make_order, make_product, make_stock
from tests.portal.requests.helpers import add, draft_page, findings, return_type, start
from tests.support import rule

POLICY = {"replacement_order": rule("exception", min_ratio_percent="100", min_amount="150")}


@pytest.fixture
def draft(client, db_session, login_as, world):
    rtype = return_type(db_session, world, POLICY)
    login_as(world.retailer)
    number = start(client, rtype)
    add(client, number, {world.lines["velo"].id: 2, world.lines["red"].id: 2})  # 185.00
    return number


def order(client, number, htmx=True, **fields):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/requests/{number}/replacements", data=fields, headers=headers)


def ordered(session) -> dict[int, tuple[int, Decimal]]:
    lines = session.scalars(select(ReplacementLine)).all()
    for line in lines:
        session.refresh(line)
    return {line.product_id: (line.quantity, line.unit_price) for line in lines}


def test_the_panel_shows_the_order_against_the_minimum(client, world, draft):
    html = draft_page(client, draft)
    summary = html.split("data-replacement-summary", 1)[1].split("</p>", 1)[0]
    assert "€0.00" in summary and "€185.00" in summary and "€185.00 to go" in summary
    product = world.products["new_stock"]
    response = order(client, draft, **{f"add-{product.id}": "2"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    summary = body.split("data-replacement-summary", 1)[1].split("</p>", 1)[0]
    assert "€240.00" in summary and "to go" not in summary
    assert findings(body)["replacement_order"] is True  # the panel came along out of band


def test_lines_take_the_catalog_price_and_add_up(client, db_session, world, draft):
    product = world.products["new_stock"]
    order(client, draft, **{f"add-{product.id}": "1"})
    order(client, draft, **{f"add-{product.id}": "2"})
    assert ordered(db_session) == {product.id: (3, Decimal("120.00"))}
    order(client, draft, **{f"qty-{product.id}": "1"})
    assert ordered(db_session) == {product.id: (1, Decimal("120.00"))}
    order(client, draft, **{f"qty-{product.id}": "0"})
    assert ordered(db_session) == {}


@pytest.mark.parametrize(
    ("product_key", "quantity", "message"),
    [
        ("old", "1", "not active or not in stock"),  # clearance
        ("velo", "1", "not active or not in stock"),  # only used-grade stock
        ("aurora_red", "4", "Only 3 of AUR-100-RED are in stock."),
    ],
)
def test_only_active_products_in_stock_can_be_ordered(
    client, db_session, world, draft, product_key, quantity, message
):
    product = world.products[product_key]
    response = order(client, draft, **{f"add-{product.id}": quantity})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert ordered(db_session) == {}


def test_a_crafted_price_or_unknown_product_changes_nothing(client, db_session, world, draft):
    product = world.products["new_stock"]
    response = order(client, draft, **{f"add-{product.id}": "1", "unit_price": "0.01"})
    assert response.status_code == 200
    assert ordered(db_session) == {product.id: (1, Decimal("120.00"))}
    assert order(client, draft, **{"add-999999": "1"}).status_code == 422
    assert order(client, draft, **{f"add-{product.id}": "-1"}).status_code == 422
    assert ordered(db_session) == {product.id: (1, Decimal("120.00"))}


def test_types_without_a_replacement_order_refuse_one(client, db_session, login_as, world):
    rtype = return_type(db_session, world)
    login_as(world.retailer)
    number = start(client, rtype)
    product = world.products["new_stock"]
    response = order(client, number, **{f"add-{product.id}": "1"})
    assert response.status_code == 422
    assert "does not take a replacement order" in response.get_data(as_text=True)
    assert 'id="replacement-order" hidden' in draft_page(client, number)


def test_suggestions_best_sellers_of_the_brand_and_other_variants(client, db_session, world, draft):
    # Units invoiced to anyone in the last 12 months rank the brand's best sellers.
    hit = make_product(db_session, sku="AUR-HIT", brand="Aurora", model="Hit")
    quiet = make_product(db_session, sku="AUR-QUIET", brand="Aurora", model="Quiet")
    other_brand = make_product(db_session, sku="ZED-1", brand="Zed", model="Z")
    stale = make_product(db_session, sku="AUR-STALE", brand="Aurora", model="Stale")
    for product in (hit, quiet, other_brand, stale):
        make_stock(db_session, product, world.warehouse, Grade.NEW, 5)
    buyer = make_account(db_session)
    make_order(db_session, buyer, [(hit, 30, "10"), (quiet, 2, "10"), (other_brand, 90, "10")])
    make_order(db_session, buyer, [(stale, 99, "10")], invoice_date=today() - timedelta(days=400))
    variant = make_product(
        db_session, sku="VEL-200-BLU", brand="Velo", model="Sprint", colour="Blue"
    )
    make_stock(db_session, variant, world.warehouse, Grade.NEW, 2)
    gone = make_product(
        db_session, sku="VEL-200-OLD", brand="Velo", model="Sprint", lifecycle=Lifecycle.CLEARANCE
    )
    make_stock(db_session, gone, world.warehouse, Grade.NEW, 2)
    html = draft_page(client, draft)
    section = html.split('id="replacements"', 1)[1].split('id="offer-search"', 1)[0]
    best = section.split("Best sellers", 1)[1].split("Other sizes", 1)[0]
    assert best.index("AUR-HIT") < best.index("AUR-QUIET")
    assert "ZED-1" not in best and "AUR-STALE" not in best
    variants = section.split("Other sizes and colours", 1)[1]
    assert "VEL-200-BLU" in variants and "VEL-200-OLD" not in variants
    assert "AUR-100-RED" not in variants  # returned itself


def test_search_finds_orderable_products(client, world, draft):
    response = client.get(
        f"/requests/{draft}/replacements/search?q=aur", headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert "AUR-900" in html and "AUR-100-RED" in html
    assert "AUR-100-BLK" not in html  # no stock
    empty = client.get(f"/requests/{draft}/replacements/search?q=nothing-like-it")
    assert "No active product in stock matches" in empty.get_data(as_text=True)


def test_suggestions_are_spread_over_brands_and_models():
    def offer(brand: str, n: int) -> Offer:
        product = Product(sku=f"{brand}-{n}", brand=brand, model="M")
        return Offer(product, available=1, units_sold=100 - n)

    ranked = [offer("Big", n) for n in range(6)] + [offer("Small", 9)]
    chosen = spread(ranked, lambda o: o.product.brand, 4)
    assert [o.product.sku for o in chosen] == ["Big-0", "Big-1", "Small-9", "Big-2"]
