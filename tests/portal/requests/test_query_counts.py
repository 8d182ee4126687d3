"""The line picker and the policy panel cost the same number of queries for 3 lines or 40."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import Grade
from portal.requests.rendering import today
from tests.factories import make_order, make_product, make_stock
from tests.portal.requests.helpers import (
    add,
    draft_page,
    line_ids,
    return_type,
    start,
    update,
)
from tests.support import rule
from workflow_designer.policy import default_policy


def history_with(db_session, world, lines: int) -> list[int]:
    """``lines`` invoiced lines over six invoices, old enough for the rotation policy."""
    products = [
        make_product(db_session, brand="Aurora", model=f"Bulk {n % 7}", colour=f"C{n}")
        for n in range(lines)
    ]
    for product in products[::3]:
        make_stock(db_session, product, world.warehouse, Grade.NEW, 4)
    ids = []
    for invoice in range(6):
        chunk = products[invoice::6]
        if chunk:
            order = make_order(
                db_session,
                world.account,
                [(p, 3, "41.00") for p in chunk],
                invoice_date=today() - timedelta(days=100 + invoice),
            )
            ids += [line.id for line in order.lines]
    return ids


@pytest.fixture
def measure(client, db_session, login_as, world, count_queries):
    policy = {**default_policy("ROTATION"), "evidence": rule(photos=True, description=True)}
    rtype = return_type(db_session, world, policy)
    login_as(world.retailer)

    def run(lines: int) -> dict[str, int]:
        ids = history_with(db_session, world, lines)
        number = start(client, rtype)
        assert add(client, number, dict.fromkeys(ids, 1)).status_code == 200
        (first, *_) = line_ids(draft_page(client, number))
        counts = {}
        for name, call in {
            "history": lambda: client.get(
                f"/requests/{number}/history?q=bulk&show=all", headers={"HX-Request": "true"}
            ),
            "page": lambda: client.get(f"/requests/{number}"),
            "update": lambda: update(client, number, first, quantity=2),
            "add": lambda: add(client, number, {ids[-1]: 1}),
        }.items():
            before = len(count_queries)
            response = call()
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(count_queries) - before
        return counts

    return run


def test_queries_do_not_grow_with_the_lines(measure):
    few = measure(3)
    many = measure(40)
    assert few == many, (few, many)
    assert many["history"] <= 8 and many["update"] <= 25, many
