"""ERP CSV import: formats, every validation path, all-or-nothing, idempotent upserts."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import (
    AccountStatus,
    Lifecycle,
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    Role,
)
from portal.erp import RowError, UploadDecodeError, decode_upload, import_csv
from portal.erp.cli import import_group
from portal.erp.results import MAX_ERRORS
from tests.factories import make_account, make_product, make_user

ACCOUNTS_HEADER = "account_number,name,country,currency,sales_rep_email,region,status"
PRODUCTS_HEADER = "sku,brand,model,colour,size,category,list_price,lifecycle"
ORDERS_HEADER = (
    "invoice_number,account_number,invoice_date,delivery_date,currency,"
    "line_number,sku,quantity,unit_net_price"
)


def run(session, kind: str, *lines: str):
    return import_csv(session, kind, io.StringIO("\n".join(lines) + "\n", newline=""))


def table_counts(session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in (RetailerAccount, Product, Order, OrderLine)
    }


def errors_at(result) -> list[tuple[int, str | None]]:
    return [(error.row, error.column) for error in result.errors]


@pytest.fixture
def rep(db_session):
    return make_user(db_session, Role.SALES_REP, email="anna.rep@example.com")


@pytest.fixture
def catalog(db_session):
    """Two accounts (EUR and GBP) and three products for order imports."""
    make_account(db_session, number="C1", currency="EUR")
    make_account(db_session, number="C2", currency="GBP", country="GB", region="UK")
    for sku in ("S1", "S2", "S3"):
        make_product(db_session, sku=sku)
    return db_session


def order_row(invoice="INV-1", account="C1", line=1, sku="S1", **cells) -> str:
    values = {
        "invoice_date": "2026-01-05",
        "delivery_date": "2026-01-07",
        "currency": "EUR",
        "quantity": "2",
        "unit_net_price": "45.50",
        **cells,
    }
    return ",".join(
        [
            invoice,
            account,
            values["invoice_date"],
            values["delivery_date"],
            values["currency"],
            str(line),
            sku,
            values["quantity"],
            values["unit_net_price"],
        ]
    )


GOOD_ORDERS = [order_row(line=1, sku="S1"), order_row(line=2, sku="S2"), order_row("INV-2", line=1)]


# Happy paths


def test_import_accounts_creates_rows(db_session, rep):
    result = run(
        db_session,
        "accounts",
        "\ufeff Account Number ;NAME;Country;currency;Sales-Rep E-mail;Region;Status",
        "C100;Optik Meyer;de;eur;Anna.Rep@Example.com;DE-North;on hold",
        '"C101";"Lunetterie ""Moreau""; Bordeaux";FR;EUR;;;',
    )

    assert result.ok, result.error_lines()
    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    meyer, moreau = db_session.scalars(select(RetailerAccount).order_by(RetailerAccount.number))
    assert (meyer.name, meyer.country, meyer.currency) == ("Optik Meyer", "DE", "EUR")
    assert (meyer.sales_rep_id, meyer.region, meyer.status) == (rep.id, "DE-North", "on_hold")
    assert moreau.name == 'Lunetterie "Moreau"; Bordeaux'
    # Empty optional cells take the defaults: no rep, region = country, active.
    assert (moreau.sales_rep_id, moreau.region, moreau.status) == (None, "FR", "active")


def test_import_products_creates_rows(db_session):
    result = run(
        db_session,
        "products",
        "SKU,Brand,Model,Color,Size,Category,List Price",
        "AUR1-C01-52,Aurelo,Paola 1,Havana,52-18-140,optical,189.00",
        "AUR1-C01-54,Aurelo,Paola 1,Havana,54□19-145,optical,189",
    )

    assert result.ok, result.error_lines()
    assert result.created == 2
    product = db_session.scalar(select(Product).where(Product.sku == "AUR1-C01-54"))
    assert (product.brand, product.model, product.colour) == ("Aurelo", "Paola 1", "Havana")
    assert (product.eye_size, product.bridge_size, product.temple_length) == (54, 19, 145)
    assert product.list_price == Decimal("189.00")
    assert product.lifecycle is Lifecycle.ACTIVE


def test_import_orders_creates_invoices_and_lines(catalog):
    result = run(
        catalog,
        "orders",
        ORDERS_HEADER,
        order_row(line=1, sku="S1"),
        order_row("INV-2", "C2", line=1, currency="gbp", delivery_date=""),
        order_row(line=2, sku="S2", quantity="5", unit_net_price="12.3456"),
    )

    assert result.ok, result.error_lines()
    assert (result.rows, result.created) == (3, 3)
    first = catalog.scalar(select(Order).where(Order.invoice_number == "INV-1"))
    assert (first.invoice_date, first.delivery_date, first.currency) == (
        date(2026, 1, 5),
        date(2026, 1, 7),
        "EUR",
    )
    assert [(line.line_number, line.product.sku, line.quantity) for line in first.lines] == [
        (1, "S1", 2),
        (2, "S2", 5),
    ]
    assert first.lines[1].unit_net_price == Decimal("12.3456")
    second = catalog.scalar(select(Order).where(Order.invoice_number == "INV-2"))
    assert (second.account.number, second.currency, second.delivery_date) == ("C2", "GBP", None)


def test_tab_delimited_with_crlf_and_blank_lines(catalog):
    header = ORDERS_HEADER.replace(",", "\t")
    text = "\r\n".join([header, "", order_row().replace(",", "\t"), "", ""]) + "\r\n"

    result = import_csv(catalog, "orders", io.StringIO(text, newline=""))

    assert result.ok, result.error_lines()
    assert (result.rows, result.created) == (1, 1)


def test_stream_that_cannot_rewind_is_read_twice(catalog):
    class OneWay(io.StringIO):
        def seekable(self) -> bool:
            return False

    text = "\n".join([ORDERS_HEADER, *GOOD_ORDERS]) + "\n"

    result = import_csv(catalog, "orders", OneWay(text, newline=""))

    assert result.ok, result.error_lines()
    assert result.created == 3


def test_unknown_kind_is_a_programming_error(db_session):
    with pytest.raises(ValueError, match="unknown import kind"):
        import_csv(db_session, "invoices", io.StringIO("a\n"))


# Idempotence and updates


@pytest.mark.parametrize("kind", ["accounts", "products", "orders"])
def test_reimporting_the_same_file_changes_nothing(catalog, rep, kind):
    lines = {
        "accounts": [
            ACCOUNTS_HEADER,
            "C100,Optik Meyer,DE,EUR,anna.rep@example.com,DE,active",
            "C101,Optik Nord,DE,EUR,,,",
        ],
        "products": [
            PRODUCTS_HEADER,
            "P1,Aurelo,Paola,Havana,52-18-140,optical,189.00,active",
            "P2,Aurelo,Paola,Black,54-18-140,optical,189.5,",
        ],
        "orders": [ORDERS_HEADER, *GOOD_ORDERS],
    }[kind]

    first = run(catalog, kind, *lines)
    before = table_counts(catalog)
    second = run(catalog, kind, *lines)

    assert first.ok and second.ok, first.error_lines() + second.error_lines()
    assert (first.created, first.updated, first.unchanged) == (len(lines) - 1, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(lines) - 1)
    assert table_counts(catalog) == before


def test_accounts_upsert_updates_changed_fields_only(db_session, rep):
    run(
        db_session,
        "accounts",
        ACCOUNTS_HEADER,
        "C100,Optik Meyer,DE,EUR,,,",
        "C101,Optik Nord,DE,EUR,,,",
    )

    result = run(
        db_session,
        "accounts",
        ACCOUNTS_HEADER,
        "C100,Optik Meyer & Sohn,DE,EUR,anna.rep@example.com,DE,on_hold",
        "C101,Optik Nord,DE,EUR,,,",
        "C102,Optik Süd,AT,EUR,,,",
    )

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    meyer = db_session.scalar(select(RetailerAccount).where(RetailerAccount.number == "C100"))
    assert (meyer.name, meyer.sales_rep_id, meyer.status) == (
        "Optik Meyer & Sohn",
        rep.id,
        AccountStatus.ON_HOLD,
    )
    assert table_counts(db_session)["retailer_accounts"] == 3


def test_optional_column_left_out_keeps_stored_values(db_session, rep):
    run(
        db_session,
        "accounts",
        ACCOUNTS_HEADER,
        "C100,Optik Meyer,DE,EUR,anna.rep@example.com,North,on_hold",
    )

    result = run(
        db_session, "accounts", "account_number,name,country,currency", "C100,Optik Meyer,DE,EUR"
    )

    assert (result.updated, result.unchanged) == (0, 1)
    meyer = db_session.scalar(select(RetailerAccount).where(RetailerAccount.number == "C100"))
    assert (meyer.sales_rep_id, meyer.region, meyer.status) == (rep.id, "North", "on_hold")


def test_products_upsert_updates_price_size_and_lifecycle(db_session):
    product = make_product(db_session, sku="P1", list_price=Decimal("99.00"))

    result = run(
        db_session,
        "products",
        PRODUCTS_HEADER,
        "P1,Aurelo,Paola,Havana,50-20-145,optical,109.00,discontinued",
    )

    assert (result.created, result.updated) == (0, 1)
    db_session.refresh(product)
    assert (product.list_price, product.lifecycle) == (Decimal("109.00"), Lifecycle.DISCONTINUED)
    assert product.size == "50-20-145"


def test_orders_upsert_updates_lines_and_invoice_header(catalog):
    run(catalog, "orders", ORDERS_HEADER, *GOOD_ORDERS)

    result = run(
        catalog,
        "orders",
        ORDERS_HEADER,
        order_row(line=1, sku="S1", delivery_date="2026-01-09"),
        order_row(line=2, sku="S3", delivery_date="2026-01-09", quantity="4"),
        order_row("INV-2", line=1),
        order_row("INV-2", line=2, sku="S2"),
    )

    assert result.ok, result.error_lines()
    # INV-1's header changed, so both its lines count as updated.
    assert (result.created, result.updated, result.unchanged) == (1, 2, 1)
    order = catalog.scalar(select(Order).where(Order.invoice_number == "INV-1"))
    assert order.delivery_date == date(2026, 1, 9)
    assert [(line.product.sku, line.quantity) for line in order.lines] == [("S1", 2), ("S3", 4)]
    assert table_counts(catalog) == {
        "retailer_accounts": 2,
        "products": 3,
        "orders": 2,
        "order_lines": 4,
    }


# Validation: one bad row among good ones is reported where it is, and nothing is written.


def assert_rejected(session, kind, lines, expected, message_part):
    before = table_counts(session)
    result = run(session, kind, *lines)
    assert not result.ok
    assert expected in errors_at(result), result.error_lines()
    error = next(e for e in result.errors if (e.row, e.column) == expected)
    assert message_part in error.message
    assert table_counts(session) == before
    assert result.created == result.updated == 0
    return result


@pytest.mark.parametrize(
    ("bad_cells", "column", "message_part"),
    [
        ({"invoice_date": "2026-02-30"}, "invoice_date", "not a calendar date"),
        ({"invoice_date": "05.01.2026"}, "invoice_date", "YYYY-MM-DD"),
        ({"delivery_date": "20260107"}, "delivery_date", "YYYY-MM-DD"),
        ({"delivery_date": "2026-01-04"}, "delivery_date", "before the invoice date"),
        ({"unit_net_price": '"45,50"'}, "unit_net_price", "'.' as decimal point"),
        ({"unit_net_price": "about 40"}, "unit_net_price", "not a number"),
        ({"unit_net_price": "-1.00"}, "unit_net_price", "negative"),
        ({"unit_net_price": "1.23456"}, "unit_net_price", "more than 4 decimal places"),
        ({"quantity": "-2"}, "quantity", "at least 1"),
        ({"quantity": "0"}, "quantity", "at least 1"),
        ({"quantity": "1.5"}, "quantity", "not a whole number"),
        ({"quantity": ""}, "quantity", "required"),
        ({"currency": "EURO"}, "currency", "ISO 4217"),
        ({"currency": "GBP"}, "currency", "differs from account C1's currency EUR"),
    ],
)
def test_order_cell_errors(catalog, bad_cells, column, message_part):
    lines = [
        ORDERS_HEADER,
        GOOD_ORDERS[0],
        order_row(line=2, sku="S2", **bad_cells),
        GOOD_ORDERS[2],
    ]
    assert_rejected(catalog, "orders", lines, (3, column), message_part)


def test_unknown_sku(catalog):
    lines = [ORDERS_HEADER, *GOOD_ORDERS, order_row("INV-3", sku="NOPE")]
    assert_rejected(catalog, "orders", lines, (5, "sku"), "no product has the SKU NOPE")


def test_unknown_account(catalog):
    lines = [ORDERS_HEADER, *GOOD_ORDERS, order_row("INV-3", account="C404")]
    assert_rejected(catalog, "orders", lines, (5, "account_number"), "no account is numbered C404")


def test_duplicate_order_line_within_file(catalog):
    lines = [ORDERS_HEADER, *GOOD_ORDERS, order_row(line=2, sku="S3")]
    assert_rejected(catalog, "orders", lines, (5, "line_number"), "line 2 is already on row 3")


def test_invoice_header_must_agree_between_its_rows(catalog):
    lines = [ORDERS_HEADER, *GOOD_ORDERS, order_row(line=3, account="C2", currency="GBP")]
    result = assert_rejected(
        catalog,
        "orders",
        lines,
        (5, "account_number"),
        "has account_number C2 here but C1 on row 2",
    )
    assert (5, "currency") in errors_at(result)


def test_unknown_rep_email(db_session, rep):
    lines = [
        ACCOUNTS_HEADER,
        "C1,Optik A,DE,EUR,anna.rep@example.com,,",
        "C2,Optik B,DE,EUR,nobody@example.com,,",
    ]
    assert_rejected(
        db_session, "accounts", lines, (3, "sales_rep_email"), "no user has the e-mail nobody@"
    )


def test_rep_email_of_a_user_who_is_not_a_rep(db_session, rep):
    make_user(db_session, Role.WAREHOUSE, email="wh@example.com")
    lines = [ACCOUNTS_HEADER, "C1,Optik A,DE,EUR,wh@example.com,,"]
    assert_rejected(db_session, "accounts", lines, (2, "sales_rep_email"), "not a sales rep")


@pytest.mark.parametrize(
    ("row", "column", "message_part"),
    [
        ("C2,Optik B,Germany,EUR,,,", "country", "ISO 3166"),
        ("C2,Optik B,DE,EUR,not-an-email,,", "sales_rep_email", "not an e-mail address"),
        ("C2,Optik B,DE,EUR,,,closed", "status", "one of: active, on_hold"),
        (f"C2,{'x' * 201},DE,EUR,,,", "name", "at most 200"),
        ("C1,Optik again,DE,EUR,,,", "account_number", "account C1 is already on row 2"),
    ],
)
def test_account_errors(db_session, row, column, message_part):
    lines = [ACCOUNTS_HEADER, "C1,Optik A,DE,EUR,,,", row, "C3,Optik C,DE,EUR,,,"]
    assert_rejected(db_session, "accounts", lines, (3, column), message_part)


@pytest.mark.parametrize(
    ("row", "column", "message_part"),
    [
        ("P2,Aurelo,Paola,Havana,52-18,optical,89.00,", "size", "eye-bridge-temple"),
        ("P2,Aurelo,Paola,Havana,52-x-140,optical,89.00,", "size", "eye-bridge-temple"),
        ("P2,Aurelo,Paola,Havana,0-18-140,optical,89.00,", "size", "eye-bridge-temple"),
        ("P2,Aurelo,Paola,Havana,52-18-140,optical,89.00,sold out", "lifecycle", "one of: active"),
        ("P2,Aurelo,Paola,Havana,52-18-140,optical,89.001,", "list_price", "2 decimal places"),
        ("P2,Aurelo,Paola,Havana,52-18-140,optical,1e3,", "list_price", "not a number"),
        ("P2,Aurelo,,Havana,52-18-140,optical,89.00,", "model", "required"),
        ("P1,Aurelo,Paola,Black,52-18-140,optical,89.00,", "sku", "SKU P1 is already on row 2"),
    ],
)
def test_product_errors(db_session, row, column, message_part):
    lines = [
        PRODUCTS_HEADER,
        "P1,Aurelo,Paola,Havana,50-18-140,optical,89.00,",
        row,
        "P3,Aurelo,Paola,Black,54-18-140,optical,89.00,",
    ]
    assert_rejected(db_session, "products", lines, (3, column), message_part)


def test_missing_and_unknown_headers(catalog):
    header = ORDERS_HEADER.replace("quantity", "qty")
    result = assert_rejected(
        catalog, "orders", [header, *GOOD_ORDERS], (1, "quantity"), "required column is missing"
    )
    assert (1, "qty") in errors_at(result)


def test_header_named_twice(db_session):
    lines = [
        "sku,brand,model,colour,color,size,category,list_price",
        "P1,A,M,Black,Black,52-18-140,sun,1",
    ]
    assert_rejected(db_session, "products", lines, (1, "colour"), "named twice")


def test_empty_file(db_session):
    result = import_csv(db_session, "accounts", io.StringIO(""))
    assert result.errors == [RowError(1, None, result.errors[0].message)]
    assert "the file is empty" in result.errors[0].message


def test_row_with_wrong_number_of_values(catalog):
    lines = [ORDERS_HEADER, *GOOD_ORDERS, order_row("INV-3") + ",extra"]
    assert_rejected(catalog, "orders", lines, (5, None), "has 10 values but the header names 9")


def test_row_numbers_count_lines_of_quoted_cells_and_blank_lines(db_session):
    text = "\n".join(
        [
            ACCOUNTS_HEADER,
            '"C1","Optik A',
            'Filiale Nord",DE,EUR,,,',
            "",
            "C2,Optik B,XX,EUR,,,",
        ]
    )
    result = import_csv(db_session, "accounts", io.StringIO(text, newline=""))
    # A name is one line: the quoted line break is refused, on the line the row starts on.
    assert errors_at(result) == [(2, "name"), (5, "country")]


def test_every_error_is_reported_up_to_the_cap(catalog):
    bad = [order_row(f"INV-{n}", quantity="-1") for n in range(MAX_ERRORS + 200)]

    result = run(catalog, "orders", ORDERS_HEADER, *bad)

    assert len(result.errors) == MAX_ERRORS
    assert result.errors_omitted == 200
    assert result.error_lines()[-1] == "…and 200 more errors"
    assert result.errors[0] == RowError(2, "quantity", "must be at least 1, not -1")


# Encoding


def test_decode_upload_accepts_utf8_with_bom(catalog):
    data = ("\ufeff" + "\r\n".join([ORDERS_HEADER, *GOOD_ORDERS]) + "\r\n").encode()

    result = import_csv(catalog, "orders", decode_upload(io.BytesIO(data)))

    assert result.ok, result.error_lines()
    assert result.created == 3


@pytest.mark.parametrize(
    ("data", "message_part"),
    [
        ("sku;brand\nP1;Müller\n".encode("cp1252"), "not UTF-8 text (an invalid byte on line 2)"),
        ("sku;brand\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_decode_upload_refuses_other_encodings(data, message_part):
    with pytest.raises(UploadDecodeError, match=re.escape(message_part)):
        decode_upload(data)


def test_non_utf8_file_stream_is_reported_and_nothing_written(catalog):
    data = "\n".join([ORDERS_HEADER, *GOOD_ORDERS, order_row("INV-Ä")]).encode("latin-1")
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    before = table_counts(catalog)

    result = import_csv(catalog, "orders", stream)

    assert [(e.column, "not UTF-8" in e.message) for e in result.errors] == [(None, True)]
    assert table_counts(catalog) == before


# Command line


def write_file(tmp_path, *lines: str):
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_imports_and_commits(app, db_session, tmp_path):
    path = write_file(tmp_path, PRODUCTS_HEADER, "P1,Aurelo,Paola,Havana,52-18-140,optical,89.00,")

    result = app.test_cli_runner().invoke(import_group, ["products", str(path)])

    assert result.exit_code == 0, result.output
    assert "products: 1 rows read, 1 created, 0 updated, 0 unchanged" in result.stdout
    assert db_session.scalar(select(Product.brand).where(Product.sku == "P1")) == "Aurelo"


def test_cli_reports_errors_and_changes_nothing(app, db_session, tmp_path):
    path = write_file(
        tmp_path,
        PRODUCTS_HEADER,
        "P1,Aurelo,Paola,Havana,52-18-140,optical,89.00,",
        "P2,Aurelo,Paola,Havana,52-18-140,optical,89,00,",
    )

    result = app.test_cli_runner().invoke(import_group, ["products", str(path)])

    assert result.exit_code == 1
    assert "row 3: has 9 values but the header names 8 columns" in result.stderr
    assert "nothing imported" in result.stderr
    assert table_counts(db_session)["products"] == 0
