"""B-stock: graded returned stock at its resale price, filtered, paged and exported."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from models import Grade, Role
from portal import create_app
from portal.config import ConfigurationError
from portal.warehouse.resale import CSV_COLUMNS
from tests.factories import make_product, make_stock, make_user, make_warehouse


@pytest.fixture
def stock(db_session):
    north = make_warehouse(db_session, code="N1", name="North")
    south = make_warehouse(db_session, code="S1", name="South")
    aurora = make_product(
        db_session, sku="AUR-1", brand="Aurelo", model="Paola", list_price=Decimal("129.90")
    )
    velo = make_product(
        db_session, sku="VEL-2", brand="Velo", model="Sprint", list_price=Decimal("89.00")
    )
    make_stock(db_session, aurora, north, Grade.NEW, 10)  # new stock is not B-stock
    make_stock(db_session, aurora, north, Grade.OPEN_PACKAGING, 3)
    make_stock(db_session, aurora, south, Grade.USED, 1)
    make_stock(db_session, velo, north, Grade.LIGHTLY_DAMAGED, 2)
    make_stock(db_session, velo, south, Grade.DEFECTIVE, 0)  # sold out
    return {"north": north, "south": south, "aurora": aurora, "velo": velo}


@pytest.fixture
def warehouse_client(client, login_as, db_session):
    login_as(make_user(db_session, Role.WAREHOUSE))
    return client


def rows_of(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [row for row in body.split("<tr>")[1:]]


def test_b_stock_lists_graded_stock_at_its_resale_price(warehouse_client, stock):
    page = warehouse_client.get("/warehouse/b-stock").data.decode()
    rows = rows_of(page)
    assert len(rows) == 3
    aurora_open = rows[0]
    assert "AUR-1" in aurora_open and "Open packaging" in aurora_open and "N1" in aurora_open
    # 129.90 less 20 % = 103.92
    assert '<td class="num">129.90</td>' in aurora_open
    assert '<td class="num">20%</td>' in aurora_open
    assert '<td class="num">103.92</td>' in aurora_open
    assert "Used" in rows[1] and '<td class="num">84.44</td>' in rows[1]  # 129.90 × 0.65
    assert "VEL-2" in rows[2] and '<td class="num">44.50</td>' in rows[2]  # 89.00 × 0.50
    assert "open packaging 20%, used 35%" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"warehouse": "south"}, ["AUR-1 used"]),
        ({"grade": "lightly_damaged"}, ["VEL-2 lightly_damaged"]),
        ({"brand": "Aurelo"}, ["AUR-1 open_packaging", "AUR-1 used"]),
        ({"sku": "vel"}, ["VEL-2 lightly_damaged"]),
        ({"warehouse": "north", "brand": "Velo"}, ["VEL-2 lightly_damaged"]),
    ],
)
def test_b_stock_filters(warehouse_client, stock, query, expected):
    if "warehouse" in query:
        query = {**query, "warehouse": str(stock[query["warehouse"]].id)}
    exported = warehouse_client.get(
        "/warehouse/b-stock.csv", query_string={**query, "headers": "codes"}
    )
    rows = list(csv.DictReader(io.StringIO(exported.data.decode())))
    assert [f"{r['sku']} {r['grade']}" for r in rows] == expected
    page = warehouse_client.get("/warehouse/b-stock", query_string=query).data.decode()
    assert len(rows_of(page)) == len(expected)


def test_an_unknown_filter_value_is_ignored_and_said(warehouse_client, stock):
    response = warehouse_client.get("/warehouse/b-stock?grade=new&brand=Nobody")
    assert response.status_code == 200
    page = response.data.decode()
    assert "Some filters were not understood" in page
    assert len(rows_of(page)) == 3


def test_the_csv_export_has_every_column_for_resale_channels(warehouse_client, stock):
    response = warehouse_client.get("/warehouse/b-stock.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="b-stock.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert rows[0] == [
        "SKU", "Brand", "Model", "Colour", "Size", "Grade", "Warehouse", "Quantity",
        "List price", "Discount (%)", "Resale price",
    ]  # fmt: skip
    assert rows[1] == [
        "AUR-1", "Aurelo", "Paola", "Black", "52-18-140", "open_packaging", "N1", "3",
        "129.90", "20", "103.92",
    ]  # fmt: skip
    assert len(rows) == 4


def test_resale_channels_import_the_csv_by_column_codes(warehouse_client, stock):
    labelled = warehouse_client.get("/warehouse/b-stock.csv").text.splitlines()
    coded = warehouse_client.get("/warehouse/b-stock.csv?headers=codes").text.splitlines()
    assert coded[0].split(",") == list(CSV_COLUMNS)
    assert coded[0] == (
        "sku,brand,model,colour,size,grade,warehouse,quantity,list_price,discount_percent,"
        "resale_price"
    )
    assert coded[1:] == labelled[1:]  # only the header differs
    refused = warehouse_client.get("/warehouse/b-stock.csv?headers=German")
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "AUR-1" not in refused.text and "Column headings: Choose labels" in refused.text


def test_the_csv_is_every_row_not_one_page(warehouse_client, app, stock):
    app.config["PAGE_SIZE"] = 1
    page = warehouse_client.get("/warehouse/b-stock").data.decode()
    assert len(rows_of(page)) == 1 and "Page 1 of 3" in page
    exported = warehouse_client.get("/warehouse/b-stock.csv").data.decode()
    assert len(exported.strip().splitlines()) == 4


def test_csv_cells_cannot_become_spreadsheet_formulas(warehouse_client, db_session, stock):
    evil = make_product(db_session, sku="EV-1", brand="=HYPERLINK(1)", model="@SUM(A1)")
    make_stock(db_session, evil, stock["north"], Grade.USED, 1)
    exported = warehouse_client.get("/warehouse/b-stock.csv?headers=codes").text
    rows = list(csv.DictReader(io.StringIO(exported)))
    evil_row = next(r for r in rows if r["sku"] == "EV-1")
    assert evil_row["brand"] == "'=HYPERLINK(1)" and evil_row["model"] == "'@SUM(A1)"


def test_b_stock_pages_in_place_with_htmx(warehouse_client, app, stock):
    app.config["PAGE_SIZE"] = 2
    response = warehouse_client.get("/warehouse/b-stock?page=2", headers={"HX-Request": "true"})
    fragment = response.data.decode()
    assert "<html" not in fragment and "Page 2 of 2" in fragment
    assert 'hx-get="/warehouse/b-stock?page=1"' in fragment
    assert "/warehouse/b-stock.csv?page=2" in fragment  # the export follows the filters
    assert "/warehouse/b-stock.csv?headers=codes&amp;page=2" in fragment


def test_b_stock_queries_do_not_grow_with_rows(warehouse_client, db_session, stock, count_queries):
    def add(n):
        for _ in range(n):
            product = make_product(db_session)
            make_stock(db_session, product, stock["south"], Grade.USED, 2)

    counts = []
    for more in (0, 20):
        add(more)
        count_queries.statements.clear()
        assert warehouse_client.get("/warehouse/b-stock").status_code == 200
        counts.append(len(count_queries))
    assert counts[0] == counts[1] <= 8


def test_discounts_come_from_configuration(connection, db_session, login_as, stock):
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "B_STOCK_DISCOUNTS": {"open_packaging": "12.5"},
        },
        db_bind=connection,
    )
    client = app.test_client()
    user = make_user(db_session, Role.WAREHOUSE)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
    exported = client.get("/warehouse/b-stock.csv?headers=codes").text
    rows = list(csv.DictReader(io.StringIO(exported)))
    # 129.90 × 0.875 = 113.6625 → 113.66; other grades keep their defaults
    assert (rows[0]["discount_percent"], rows[0]["resale_price"]) == ("12.5", "113.66")
    assert rows[1]["discount_percent"] == "35"


def test_discounts_from_the_environment(monkeypatch):
    monkeypatch.setenv("ROTAFLOW_B_STOCK_DISCOUNTS", "used = 40, defective=100")
    discounts = create_app({"ENV": "testing"}).config["B_STOCK_DISCOUNTS"]
    assert discounts["used"] == Decimal("40") and discounts["defective"] == Decimal("100")
    assert discounts["open_packaging"] == Decimal("20")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("used=140", "used must be 0 to 100"),
        ("used=cheap", "used must be 0 to 100"),
        ("shiny=10", "'shiny' is not a B-stock grade"),
        ("new=10", "'new' is not a B-stock grade"),
        ("used", "must look like open_packaging=20"),
    ],
)
def test_bad_discounts_stop_start_up(monkeypatch, value, message):
    monkeypatch.setenv("ROTAFLOW_B_STOCK_DISCOUNTS", value)
    with pytest.raises(ConfigurationError, match=message):
        create_app({"ENV": "testing"})
