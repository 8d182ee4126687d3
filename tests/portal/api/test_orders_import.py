"""POST /orders: the CSV order import's rules on JSON rows, all or nothing, admins only;
each bad row's errors by row and field; Idempotency-Key; bad bodies refused."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from models import ApiIdempotencyKey, Order, OrderLine
from portal.api.operations import create_token
from portal.api.scopes import scopes_for
from portal.erp.importing import import_csv
from tests.portal.api.conftest import bearer

URL = "/api/v1/orders"
IDENTITIES = ("retailer_a", "retailer_b", "rep_a", "rep_other", "warehouse", "admin")
COLUMNS = (
    "invoice_number",
    "account_number",
    "invoice_date",
    "delivery_date",
    "currency",
    "line_number",
    "sku",
    "quantity",
    "unit_net_price",
)


def _counts(session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Order, OrderLine, ApiIdempotencyKey)
    )


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def _row(world, **changes) -> dict:
    row = {
        "invoice_number": "INV-API-1",
        "account_number": world.account.number,
        "invoice_date": "2026-03-02",
        "delivery_date": "2026-03-04",
        "currency": "EUR",
        "line_number": 1,
        "sku": "AUR-1",
        "quantity": 3,
        "unit_net_price": "40.00",
    }
    return {**row, **changes}


def _admin(world) -> dict[str, str]:
    return bearer(world.api_tokens["admin"])


def test_good_rows_are_imported_and_again_change_nothing(client, db_session, world):
    rows = [_row(world), _row(world, line_number=2, sku="VEL-2", unit_net_price=33.33)]
    response = client.post(URL, headers=_admin(world), json={"orders": rows})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    order = db_session.scalar(select(Order).where(Order.invoice_number == "INV-API-1"))
    assert order.account_id == world.account.id and len(order.lines) == 2
    again = client.post(URL, headers=_admin(world), json={"orders": rows}).get_json()
    assert again == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2}


def test_one_bad_row_imports_nothing_and_each_error_names_its_row(client, db_session, world):
    rows = [
        _row(world),
        _row(world, line_number=2, sku="NO-SUCH-SKU"),
        _row(world, line_number=3, account_number="NOBODY"),
        _row(world, line_number=3, delivery_date="2026-03-01"),
        _row(world, invoice_number="INV-API-2", currency="CHF"),
    ]
    before = _counts(db_session)
    body = _problem(client.post(URL, headers=_admin(world), json={"orders": rows}), 422)
    errors = {(e["row"], e["field"]) for e in body["errors"]}
    assert (1, "sku") in errors
    assert (2, "account_number") in errors
    assert (3, "delivery_date") in errors and (3, "line_number") in errors
    assert (4, "currency") in errors
    assert not {row for row, _field in errors} & {0}
    assert all(e["message"] for e in body["errors"]) and body["errors_omitted"] == 0
    assert _counts(db_session) == before


def test_the_errors_are_the_csv_imports(client, db_session, world):
    rows = [
        _row(world, sku="NO-SUCH-SKU"),
        _row(world, line_number=1, invoice_date="2026-03-05"),
        _row(world, line_number=2, unit_net_price="1.123456"),
    ]
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row[name] for name in COLUMNS])
    text.seek(0)
    from_csv = import_csv(db_session, "orders", text)
    db_session.rollback()
    body = _problem(client.post(URL, headers=_admin(world), json={"orders": rows}), 422)
    as_csv = [(e.row - 2, e.column, e.message) for e in from_csv.errors]
    assert [(e["row"], e["field"], e["message"]) for e in body["errors"]] == as_csv


@pytest.mark.parametrize("identity", IDENTITIES)
def test_only_admins_import_with_the_scope(client, db_session, world, identity):
    user = world.users[identity]
    allowed = [s.value for s in scopes_for(user.role)]
    before = _counts(db_session)
    response = client.post(
        URL, headers=bearer(world.api_tokens[identity]), json={"orders": [_row(world)]}
    )
    if identity != "admin":
        assert "orders:import" not in allowed
        _problem(response, 403)
        assert _counts(db_session) == before
        return
    assert response.status_code == 200
    without = create_token(
        db_session, user, "without", [s for s in allowed if s != "orders:import"]
    )
    db_session.commit()
    refused = client.post(URL, headers=bearer(without.secret), json={"orders": [_row(world)]})
    assert _problem(refused, 403)["required_scope"] == "orders:import"


def test_an_idempotency_key_replays_the_answer(client, db_session, world):
    headers = {**_admin(world), "Idempotency-Key": "orders-1"}
    first = client.post(URL, headers=headers, json={"orders": [_row(world)]})
    assert first.get_json()["created"] == 1
    replay = client.post(URL, headers=headers, json={"orders": [_row(world)]})
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == first.get_json()
    other = client.post(URL, headers=headers, json={"orders": [_row(world, quantity=4)]})
    _problem(other, 422)
    # A refused import keeps no key: the same key may be used once it is put right.
    bad = {**_admin(world), "Idempotency-Key": "orders-2"}
    _problem(client.post(URL, headers=bad, json={"orders": [_row(world, sku="X")]}), 422)
    assert client.post(URL, headers=bad, json={"orders": [_row(world)]}).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "many"}, "orders.0.quantity"),
        ({"quantity": 0}, "orders.0.quantity"),
        ({"invoice_date": "2026-02-30"}, "orders.0.invoice_date"),
        ({"unit_net_price": "cheap"}, "orders.0.unit_net_price"),
        ({"sku": ["AUR-1"]}, "orders.0.sku"),
        ({"sku": "\x00"}, "orders.0.sku"),
        ({"colour": "red"}, "orders.0.colour"),
        ({"line_number": -1}, "orders.0.line_number"),
    ],
)
def test_wrong_types_are_field_errors(client, db_session, world, change, field):
    before = _counts(db_session)
    body = {"orders": [_row(world, **change)]}
    errors = _problem(client.post(URL, headers=_admin(world), json=body), 422)["errors"]
    assert field in {e["field"] for e in errors}, errors
    assert _counts(db_session) == before


def test_bad_bodies_are_problems_and_change_nothing(app, client, db_session, world):
    before = _counts(db_session)
    _problem(client.post(URL, headers=_admin(world), data={"orders": "x"}), 415)
    malformed = client.post(URL, headers=_admin(world), data=b"{", content_type="application/json")
    _problem(malformed, 400)
    unknown = _problem(client.post(URL, headers=_admin(world), json={"orders": [], "x": 1}), 422)
    assert unknown["errors"] == [{"field": "x", "message": "Extra inputs are not permitted"}]
    _problem(client.post(URL, headers=_admin(world), json={"orders": []}), 422)
    _problem(client.post(URL, headers=_admin(world), json={"orders": {}}), 422)
    _problem(client.post(URL, headers=_admin(world), json=[_row(world)]), 422)
    too_many = {"orders": [_row(world, line_number=n + 1) for n in range(10_001)]}
    assert _problem(client.post(URL, headers=_admin(world), json=too_many), 422)["errors"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    big = {"orders": [_row(world, line_number=n + 1) for n in range(20)]}
    _problem(client.post(URL, headers=_admin(world), json=big), 413)
    assert _counts(db_session) == before
