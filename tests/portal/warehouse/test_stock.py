from __future__ import annotations

from models import Grade, Role
from tests.factories import (
    make_product,
    make_return_address,
    make_stock,
    make_user,
    make_warehouse,
)


def test_stock_by_grade(client, db_session, login_as, count_queries):
    north = make_warehouse(db_session, code="N1", name="North")
    south = make_warehouse(db_session, code="S1", name="South")
    make_return_address(db_session, north, "DE")
    a = make_product(db_session, sku="A-1")
    b = make_product(db_session, sku="B-2")
    make_stock(db_session, a, north, Grade.NEW, 10)
    make_stock(db_session, b, north, Grade.NEW, 5)
    make_stock(db_session, a, north, Grade.USED, 2)
    make_stock(db_session, b, south, Grade.DEFECTIVE, 1)
    login_as(make_user(db_session, Role.WAREHOUSE))
    count_queries.statements.clear()
    page = client.get("/warehouse/").data.decode()
    assert len(count_queries) <= 8
    assert "North" in page and "returns from DE" in page
    assert ">15 <small" in page  # north, new: 10 + 5 units
    filtered = client.get(f"/warehouse/?warehouse={south.id}&grade=defective").data.decode()
    assert "B-2" in filtered and "A-1" not in filtered.split("Stock lines")[1]


def test_stock_filter_rejects_unknown_values(client, db_session, login_as):
    login_as(make_user(db_session, Role.WAREHOUSE))
    response = client.get("/warehouse/?grade=shiny&warehouse=999")
    assert response.status_code == 200
    assert b"Some filters were not understood" in response.data
