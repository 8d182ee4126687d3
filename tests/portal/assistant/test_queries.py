"""The assistant's reads on the database: the shelf, sell-through from the rollups, the
policy's limits, the price band and the best sellers (see conftest for the figures)."""

from __future__ import annotations

from decimal import Decimal

from portal.assistant import queries
from portal.assistant.page import assistant_page
from portal.assistant.ranking import SellThrough


def _limits(db_session, shelf):
    account = shelf.world.account
    facts = queries.rotation_facts(db_session, account, shelf.rotation, shelf.today)
    return queries.rotation_limits(shelf.rotation, facts, account.currency, shelf.today)


def test_the_shelf_leaves_out_reordered_and_returned_frames(db_session, shelf):
    limits = _limits(db_session, shelf)
    found = {
        line.sku: line.units
        for line in queries.shelf(db_session, shelf.world.account, shelf.today, limits)
    }
    assert found == {"SLOW-1": 6, "POP-1": 4, "RECENT-1": 2}


def test_the_limits_are_the_policy_as_it_stands(db_session, shelf):
    limits = _limits(db_session, shelf)
    assert (limits.min_age_days, limits.max_age_days) == (90, 730)
    assert limits.allowance_left == Decimal("402.00")


def test_sell_through_across_the_network_and_in_the_region(db_session, shelf):
    products = shelf.products
    figures = queries.sell_through(
        db_session, [products["pop"].id, products["slow"].id], "DE", shelf.today
    )
    # POP-1: the account's 4, the neighbour's 30 (DE), the faraway account's 10 (FR).
    assert figures.network[products["pop"].id] == SellThrough(44, 3)
    assert figures.region[products["pop"].id] == SellThrough(34, 2)
    assert figures.network[products["slow"].id] == SellThrough(6, 1)


def test_the_price_band_and_what_the_account_carries(db_session, shelf):
    band, carried = queries.account_band(db_session, shelf.world.account, shelf.today)
    # Units by list price: 50.00 × 6, 60.00 × (4 + 4 + 50), 55.00 × 3, 90.00 × 2: median 60.
    assert (band.low, band.median, band.high) == (
        Decimal("40.00"),
        Decimal("60.00"),
        Decimal("90.0000"),
    )
    assert {
        shelf.products[k].id for k in ("slow", "pop", "reord", "ret", "recent", "fill")
    } == carried


def test_the_page_ranks_and_suggests(db_session, shelf):
    page = assistant_page(db_session, shelf.world.account, shelf.today)
    assert page.return_type == shelf.rotation
    assert [(c.line.sku, c.eligible, c.chosen) for c in page.candidates] == [
        ("SLOW-1", True, True),  # 300 + 200 = 500 > 402: only the first fits
        ("POP-1", True, False),
        ("RECENT-1", False, False),
    ]
    # In the band (40–90), in new stock, active, not carried, by units: BEST 90, SECOND 20.
    assert [s.offer.sku for s in page.suggestions] == ["BEST-1", "SECOND-1"]
