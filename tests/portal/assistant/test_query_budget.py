"""The assistant's page costs a fixed number of statements, however many frames the
account has on its shelf and however many accounts buy them (as tests/test_query_budgets.py
measures the other pages): no statement per candidate, per product or per account."""

from __future__ import annotations

from datetime import timedelta

from models import Grade
from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from tests.factories import make_account, make_order, make_product, make_stock

# The user with its account, the startable return types, the account's RMAs for the
# allowance (net purchases are kept per process), the shelf, sell-through, the price band
# the best sellers (kept per process too: counted here, read afresh) and their stock now.
BUDGET = 8
CACHE = "rotaflow.cache.assistant_best_sellers"


def _measure(client, count_queries, url: str) -> int:
    client.application.extensions.pop(CACHE, None)
    count_queries.statements.clear()
    response = client.get(url)
    assert response.status_code == 200
    return len(count_queries)


def _grow(db_session, shelf, n: int) -> None:
    """More frames on the shelf, bought by more accounts, and more to take in."""
    world = shelf.world
    for i in range(n):
        frame, offer = make_product(db_session), make_product(db_session)
        make_order(
            db_session, world.account, [(frame, 3, "50.00")], shelf.today - timedelta(days=150 + i)
        )
        buyer = make_account(db_session, region="DE" if i % 2 else "FR")
        make_order(
            db_session,
            buyer,
            [(frame, 2, "40.00"), (offer, 5, "40.00")],
            shelf.today - timedelta(days=40),
        )
        make_stock(db_session, offer, world.warehouse, Grade.NEW, 10)
    refresh_rollups(db_session, utcnow(), full=True)


def test_the_page_does_not_grow_with_the_shelf(client, login_as, db_session, shelf, count_queries):
    login_as(shelf.world.retailer)
    client.get("/assistant/")  # warm the per-process caches (net purchases, workflows)
    few = _measure(client, count_queries, "/assistant/")
    _grow(db_session, shelf, 6)
    client.get("/assistant/")
    many = _measure(client, count_queries, "/assistant/")
    html = client.get("/assistant/").get_data(as_text=True)
    assert html.count("data-candidate=") == 3 + 6  # the new frames are shown
    assert many == few, "\n".join(count_queries.statements)
    assert many <= BUDGET, f"{many} statements:\n" + "\n".join(count_queries.statements)
