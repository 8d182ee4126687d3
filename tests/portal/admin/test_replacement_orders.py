"""Replacement orders: the admin's list and the export to the ERP (each order once)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import ReplacementLine, ReplacementOrder, ReplacementOrderStatus, Role
from models.base import utcnow
from portal.fulfilment.operations import EXPORT_COLUMNS
from tests.factories import make_account, make_product, make_retailer, make_rma, make_user
from tests.portal.admin.flows import resolve

HX = {"HX-Request": "true"}


def make_order(session, shop, account, number, status, days_ago, lines):
    rma = make_rma(session, account, shop["version"], state="credited")
    for product, quantity, price in lines:
        session.add(
            ReplacementLine(
                rma_id=rma.id, product_id=product.id, quantity=quantity, unit_price=Decimal(price)
            )
        )
    created = utcnow() - timedelta(days=days_ago)
    order = ReplacementOrder(
        number=number,
        rma_id=rma.id,
        account_id=account.id,
        status=status,
        created_at=created,
        exported_at=created + timedelta(hours=1)
        if status is ReplacementOrderStatus.EXPORTED
        else None,
    )
    session.add(order)
    session.flush()
    return order


@pytest.fixture
def orders(db_session, shop):
    """RO-A and RO-B to fulfil (A older), RO-C exported; RO-B for another account."""
    frame = make_product(db_session, sku="NEW-1")
    other = make_account(db_session, name="Brillen Berger", number="AT-300")
    to_fulfil = ReplacementOrderStatus.TO_FULFIL
    return [
        make_order(db_session, shop, shop["account"], "RO-A", to_fulfil, 9, [(frame, 2, "30.00")]),
        make_order(db_session, shop, other, "RO-B", to_fulfil, 3, [(frame, 5, "30.00")]),
        make_order(
            db_session,
            shop,
            shop["account"],
            "RO-C",
            ReplacementOrderStatus.EXPORTED,
            20,
            [(frame, 1, "30.00"), (shop["velo"], 4, "12.25")],
        ),
    ]


def listed(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<td class="mono">(RO-\w)</td>', response.get_data(as_text=True))


def parse(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_lists_orders_to_fulfil_oldest_first(client, admin, orders):
    response = client.get("/admin/replacement-orders")
    assert listed(response) == ["RO-A", "RO-B"]
    html = response.get_data(as_text=True)
    assert "<strong>2</strong> orders are waiting" in html
    assert "Brillen Berger" in html and "€150.00" in html and "€60.00" in html
    assert f'href="/rmas/{orders[0].rma.number}"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=exported", ["RO-C"]),
        ("status=any", ["RO-B", "RO-A", "RO-C"]),  # newest first unless it is the queue
        ("account=berger", ["RO-B"]),
        ("status=any&account=" + "C0", ["RO-A", "RO-C"]),
        ("status=lost", ["RO-B", "RO-A", "RO-C"]),  # not understood: no status filter
    ],
)
def test_filters(client, admin, orders, shop, query, expected):
    query = query.replace("C0", shop["account"].number)
    assert listed(client.get(f"/admin/replacement-orders?{query}", headers=HX)) == expected


def test_exported_orders_show_units_value_and_when(client, admin, orders):
    html = client.get("/admin/replacement-orders?status=exported").get_data(as_text=True)
    row = re.search(r"RO-C</td>.*?</tr>", html, re.S).group(0)
    assert '<td class="num">5</td>' in row and "€79.00" in row
    assert re.search(r'<time datetime="[^"]+">\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}', row)  # when


def test_pagination_swaps_the_results(client, app, admin, orders):
    app.config["PAGE_SIZE"] = 1
    first = client.get("/admin/replacement-orders", headers=HX)
    assert listed(first) == ["RO-A"]
    assert 'hx-get="/admin/replacement-orders?page=2"' in first.get_data(as_text=True)
    second = client.get("/admin/replacement-orders?page=2", headers=HX)
    assert listed(second) == ["RO-B"] and "<html" not in second.get_data(as_text=True)


def test_export_downloads_each_order_once(client, admin, db_session, shop, awaiting):
    db_session.add(
        ReplacementLine(
            rma_id=awaiting.id,
            product_id=shop["aurora"].id,
            quantity=6,
            unit_price=Decimal("44.90"),
        )
    )
    db_session.flush()
    resolve(db_session, awaiting, shop)
    order = db_session.scalar(
        select(ReplacementOrder).where(ReplacementOrder.rma_id == awaiting.id)
    )
    assert order.status is ReplacementOrderStatus.TO_FULFIL

    first = client.post("/admin/replacement-orders/export")
    assert first.headers["Content-Disposition"].startswith(
        'attachment; filename="replacement-orders-'
    )
    (row,) = parse(first)
    assert list(row) == list(EXPORT_COLUMNS)
    assert (row["order_number"], row["rma_number"], row["account_number"]) == (
        order.number,
        awaiting.number,
        shop["account"].number,
    )
    assert (row["sku"], row["quantity"], row["unit_price"], row["currency"]) == (
        "AUR-1",
        "6",
        "44.90",
        "EUR",
    )
    db_session.expire_all()
    exported = db_session.get(ReplacementOrder, order.id)
    assert exported.status is ReplacementOrderStatus.EXPORTED and exported.exported_at

    second = client.post("/admin/replacement-orders/export")
    assert second.get_data(as_text=True).strip() == ",".join(EXPORT_COLUMNS)
    assert listed(client.get("/admin/replacement-orders")) == []


def test_export_needs_the_csrf_token(client, app, admin, orders, db_session):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/admin/replacement-orders/export")
    assert response.status_code == 400
    db_session.expire_all()
    assert db_session.get(ReplacementOrder, orders[0].id).status is ReplacementOrderStatus.TO_FULFIL


def test_the_export_button_is_a_post_form_with_a_token(client, admin, orders):
    html = client.get("/admin/replacement-orders").get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="/admin/replacement-orders/export".*?</form>', html, re.S
    )
    assert form and 'name="csrf_token"' in form.group(0)
    assert "Export orders to fulfil (CSV)" in form.group(0)


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.WAREHOUSE, Role.RETAILER])
def test_only_admins_export(client, login_as, db_session, orders, role):
    user = make_retailer(db_session) if role is Role.RETAILER else make_user(db_session, role)
    login_as(user)
    assert client.post("/admin/replacement-orders/export").status_code == 403
    db_session.expire_all()
    assert db_session.get(ReplacementOrder, orders[0].id).status is ReplacementOrderStatus.TO_FULFIL
