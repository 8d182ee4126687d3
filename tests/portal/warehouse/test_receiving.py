"""Receiving a parcel on the RMA's warehouse view: quantities per line, unexpected items."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from models import RmaEvent, Role, UnexpectedItem
from tests.factories import make_product, make_user
from tests.portal.warehouse.helpers import lines_of, receive_data


def confirmation_of(page: str) -> str:
    """The value of the over-receipt confirmation checkbox the page asks to tick."""
    return html.unescape(re.search(r'name="confirm" value="([^"]*)"', page).group(1))


def unexpected_count(db_session) -> int:
    return db_session.scalar(select(func.count(UnexpectedItem.id)))


def test_the_form_is_prefilled_with_the_authorized_quantities(staff, awaiting):
    page = staff.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert 'name="lines-0-quantity"' in page and 'value="4"' in page
    assert 'name="lines-1-quantity"' in page and 'value="3"' in page
    assert "Everything as authorized: nothing will be flagged." in page
    assert "Receive parcel" in page


def test_a_parcel_as_authorized_is_received_with_nothing_flagged(staff, db_session, awaiting):
    response = staff.post(f"/warehouse/rmas/{awaiting.number}/receive", data=receive_data(awaiting))
    assert response.status_code == 303
    db_session.refresh(awaiting)
    assert awaiting.state == "received"
    page = staff.get(response.headers["Location"]).data.decode()
    assert "received as authorized; nothing flagged" in page
    assert "Receive parcel" not in page
    assert "Start inspection" in page


def test_short_over_and_unexpected_items_are_recorded_and_shown(staff, db_session, shop, awaiting):
    make_product(db_session, sku="SUN-9", brand="Soleil", model="Riviera")
    data = receive_data(
        awaiting,
        aurora=5,
        velo=1,
        unexpected=[("sun-9", "", 2), ("", "Unlabelled glasses case", 1)],
        comment="Box was open",
    )
    url = f"/warehouse/rmas/{awaiting.number}/receive"
    asked = staff.post(url, data=data)
    assert asked.status_code == 200
    confirm = confirmation_of(asked.data.decode())
    response = staff.post(url, data={**data, "confirm": confirm})
    assert response.status_code == 303
    db_session.refresh(awaiting)
    aurora, velo = lines_of(awaiting)
    assert (aurora.quantity_received, aurora.has_discrepancy) == (5, True)
    assert (velo.quantity_received, velo.has_discrepancy) == (1, True)
    items = db_session.scalars(select(UnexpectedItem).order_by(UnexpectedItem.id)).all()
    assert [(i.description, i.quantity, i.product_id) for i in items] == [
        ("SUN-9 Soleil Riviera, Black, 52-18-140", 2, items[0].product_id),
        ("Unlabelled glasses case", 1, None),
    ]
    assert items[0].product_id is not None
    event = db_session.scalars(select(RmaEvent).where(RmaEvent.trigger == "receive")).one()
    assert event.comment == "Box was open"
    assert event.data["receipt"]["short"] == [{"line": velo.id, "expected": 3, "received": 1}]
    assert event.data["receipt"]["over"] == [
        {
            "line": aurora.id,
            "sku": "AUR-1",
            "expected": 4,
            "received": 5,
            "excess": 1,
            "confirmed": True,
        }
    ]

    page = staff.get(response.headers["Location"]).data.decode()
    assert "Flagged: 1 line short, 1 line over (1 held apart), 2 unexpected items." in page
    assert "Short by 2" in page and "Over by 1" in page
    assert "Unlabelled glasses case" in page and "SUN-9" in page
    assert "Box was open" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines-0-quantity": "-1"}, "Enter 0 to 9999."),
        ({"lines-0-quantity": "four"}, "Not a valid integer value."),
        ({"lines-1-quantity": ""}, "Enter how many arrived (0 if none)."),
        ({"unexpected-0-description": "A case", "unexpected-0-quantity": ""}, "How many arrived?"),
        ({"unexpected-0-quantity": "2"}, "Describe the item or enter its SKU."),
        ({"unexpected-0-sku": "NOPE-1", "unexpected-0-quantity": "1"}, "No product has SKU NOPE-1"),
        ({"unexpected-0-description": "Case", "unexpected-0-quantity": "0"}, "Enter 1 to 9999."),
        ({"comment": "x" * 2001}, "At most 2000 characters."),
        ({"lines-1-line_id": "999999"}, "The form does not match this RMA"),
        ({"lines-1-line_id": "\x00", "lines-0-quantity": "x"}, "The form does not match this RMA"),
        ({"lines-1-line_id": str(2**63)}, "The form does not match this RMA"),
        ({"lines-1-line_id": "²", "lines-1-quantity": "²"}, "The form does not match this RMA"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(staff, db_session, awaiting, change, message):
    data = {**receive_data(awaiting), **change}
    response = staff.post(f"/warehouse/rmas/{awaiting.number}/receive", data=data)
    assert response.status_code == 422
    assert message in response.data.decode()
    db_session.refresh(awaiting)
    assert awaiting.state == "awaiting_receipt"
    assert [line.quantity_received for line in awaiting.lines] == [0, 0]
    assert unexpected_count(db_session) == 0


def test_a_refused_form_keeps_what_was_typed_and_the_flags(staff, awaiting):
    data = receive_data(awaiting, aurora=2, unexpected=[("", "Loose screws", "")])
    page = staff.post(f"/warehouse/rmas/{awaiting.number}/receive", data=data).data.decode()
    assert 'value="Loose screws"' in page
    assert "Short by 2" in page
    assert "Will be flagged: 1 line short (AUR-1: 2 of 4), 1 unexpected item." in page


def test_a_parcel_cannot_be_received_twice(staff, db_session, awaiting):
    url = f"/warehouse/rmas/{awaiting.number}/receive"
    assert staff.post(url, data=receive_data(awaiting)).status_code == 303
    again = staff.post(url, data=receive_data(awaiting, aurora=1))
    assert again.status_code == 422
    assert "is received now, so that cannot be done" in again.data.decode()
    db_session.refresh(awaiting)
    assert [line.quantity_received for line in awaiting.lines] == [4, 3]


def test_nothing_to_receive_before_the_parcel_is_sent(staff, db_session, awaiting):
    awaiting.state = "authorized"
    db_session.flush()
    page = staff.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert "Nothing to receive now" in page and "authorized" in page
    assert "Receive parcel" not in page
    response = staff.post(f"/warehouse/rmas/{awaiting.number}/receive", data=receive_data(awaiting))
    assert response.status_code == 422
    assert "is authorized now, so that cannot be done" in response.data.decode()


def test_the_workflow_decides_who_receives(client, login_as, db_session, awaiting):
    """Admins see the warehouse view, but the default workflows let only the warehouse
    receive: no form, and a forged post is refused."""
    login_as(make_user(db_session, Role.ADMIN))
    page = client.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert "Receive parcel" not in page
    response = client.post(
        f"/warehouse/rmas/{awaiting.number}/receive", data=receive_data(awaiting)
    )
    assert response.status_code == 403
    db_session.refresh(awaiting)
    assert awaiting.state == "awaiting_receipt"


def test_an_unexpected_item_row_is_added_after_the_rows_sent(staff, awaiting):
    url = f"/warehouse/rmas/{awaiting.number}/unexpected-row"
    first = staff.get(url, headers={"HX-Request": "true"}).data.decode()
    assert 'name="unexpected-0-description"' in first and "<html" not in first
    third = staff.get(
        url,
        query_string={"unexpected-0-sku": "", "unexpected-1-description": "x"},
        headers={"HX-Request": "true"},
    ).data.decode()
    assert 'name="unexpected-2-description"' in third


def test_without_javascript_a_link_adds_blank_rows(staff, awaiting):
    page = staff.get(f"/warehouse/rmas/{awaiting.number}?extra=2").data.decode()
    assert 'name="unexpected-1-quantity"' in page
    assert 'name="unexpected-2-quantity"' not in page


def test_blank_unexpected_rows_are_ignored(staff, db_session, awaiting):
    data = {**receive_data(awaiting), "unexpected-0-sku": "", "unexpected-0-description": ""}
    response = staff.post(f"/warehouse/rmas/{awaiting.number}/receive", data=data)
    assert response.status_code == 303
    assert unexpected_count(db_session) == 0
