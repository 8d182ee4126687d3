"""Property: the ERP importer never crashes, and a file with errors writes nothing at all.

The workflow validator and the policy validator have their never-raise properties in
tests/workflow_designer/engine/test_properties.py and
tests/workflow_designer/policy/test_properties.py.
"""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from models import Order, OrderLine, Product, RetailerAccount, Role
from portal.erp import UploadDecodeError, decode_upload, import_csv
from tests.factories import make_account, make_product, make_user
from tests.portal.erp.test_erp_import import ACCOUNTS_HEADER, ORDERS_HEADER, PRODUCTS_HEADER
from tests.security.helpers import table_rows

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = {"accounts": ACCOUNTS_HEADER, "products": PRODUCTS_HEADER, "orders": ORDERS_HEADER}

# Cells that are right for some column, so that files mix good rows with bad ones.
PLAUSIBLE = [
    "C1",
    "C2",
    "C9",
    "S1",
    "S2",
    "S9",
    "INV-1",
    "INV-2",
    "1",
    "2",
    "-1",
    "0",
    "45.50",
    "1e9",
    "NaN",
    "12.345",
    "2026-01-05",
    "2026-02-30",
    "EUR",
    "GBP",
    "XXX",
    "DE",
    "GB",
    "anna.rep@example.com",
    "nobody@example.com",
    "active",
    "on_hold",
    "discontinued",
    "frames",
    "Aurelo",
    "",
    " ",
    '"',
    "=cmd|' /C calc'!A0",
    "é",
    "\x00",
]
cell = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=12))


IMPORTED = (RetailerAccount, Product, Order, OrderLine)


def _world(session) -> None:
    make_user(session, Role.SALES_REP, email="anna.rep@example.com")
    make_account(session, number="C1", currency="EUR")
    make_account(session, number="C2", currency="GBP", country="GB", region="UK")
    for sku in ("S1", "S2"):
        make_product(session, sku=sku)


GOOD_ROWS = {
    "accounts": lambda n: [
        f"A{n}",
        f"Optik {n}",
        "DE",
        "EUR",
        "anna.rep@example.com",
        "DE",
        "active",
    ],
    "products": lambda n: [
        f"P{n}",
        "Aurelo",
        "Paola",
        "Black",
        "52-18-140",
        "frames",
        "99.00",
        "active",
    ],
    "orders": lambda n: [
        f"INV-{n}",
        "C1",
        "2026-01-05",
        "2026-01-07",
        "EUR",
        "1",
        "S1",
        "2",
        "45.50",
    ],
}


@st.composite
def mixed_files(draw) -> tuple[str, str]:
    """Good rows with, sometimes, one bad row among them: the half-import that must not be."""
    kind = draw(st.sampled_from(sorted(HEADERS)))
    numbers = draw(st.lists(st.integers(1, 30), min_size=1, max_size=6, unique=True))
    rows = [GOOD_ROWS[kind](n) for n in numbers]
    if draw(st.booleans()):
        width = len(rows[0])
        bad = list(rows[0])
        bad[draw(st.integers(0, width - 1))] = draw(cell)
        rows.insert(draw(st.integers(0, len(rows))), bad)
    out = io.StringIO()
    csv.writer(out).writerows([HEADERS[kind].split(","), *rows])
    return kind, out.getvalue()


@st.composite
def csv_files(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(sorted(HEADERS)))
    header = HEADERS[kind].split(",")
    if draw(st.booleans()):  # a damaged header: columns dropped, repeated or invented
        header = draw(
            st.lists(st.one_of(st.sampled_from(header), st.text(max_size=8)), max_size=12)
        )
    width = st.integers(0, len(header) + 2)
    rows = draw(
        st.lists(width.flatmap(lambda n: st.lists(cell, min_size=n, max_size=n)), max_size=8)
    )
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        text = out.getvalue()
    else:  # written by hand: stray quotes and ragged rows survive as they are
        text = "\n".join(",".join(row) for row in [header, *rows])
    return kind, text


@SETTINGS
@given(upload=st.one_of(csv_files(), mixed_files()))
def test_the_importer_never_crashes_nor_imports_half_a_file(db_session, upload):
    kind, text = upload
    savepoint = db_session.begin_nested()
    try:
        _world(db_session)
        before = table_rows(db_session, IMPORTED)
        result = import_csv(db_session, kind, io.StringIO(text, newline=""))
        event("refused" if result.errors else f"imported {result.created + result.updated} rows")
        if result.errors:
            assert table_rows(db_session, IMPORTED) == before
            assert result.created == result.updated == 0
    finally:
        savepoint.rollback()


@SETTINGS
@given(data=st.binary(max_size=200))
def test_any_bytes_decode_or_are_refused_with_a_message(db_session, data):
    try:
        stream = decode_upload(data)
    except UploadDecodeError as refused:
        event("not UTF-8")
        assert str(refused)
        return
    savepoint = db_session.begin_nested()
    try:
        before = table_rows(db_session, IMPORTED)
        result = import_csv(db_session, "orders", stream)
        assert result.errors  # random bytes are never a valid orders file with a header
        assert table_rows(db_session, IMPORTED) == before
    finally:
        savepoint.rollback()
