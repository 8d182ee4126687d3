"""Exchange first: a draft whose reasons the return type lists as exchange reasons offers
an exchange before a credit, with its bonus; the exchange's products are checked again at
submit, and a stale one is refused with the reason."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import Grade, InventoryLevel, Lifecycle, ReplacementLine, Rma
from tests.portal.requests.helpers import (
    add,
    complete_lines,
    draft_page,
    return_type,
    start,
    submit,
    submit_fields,
)

BONUS = {"exchange_bonus": {"enabled": True, "percent": "10", "amount": "5"}}


def exchange_type(db_session, world, policy=None, **fields):
    fields.setdefault("reasons", ["Wrong size", "Wrong model"])
    fields.setdefault("resolutions", ["credit", "exchange"])
    fields.setdefault("exchange_reasons", ["Wrong size"])
    return return_type(db_session, world, BONUS if policy is None else policy, **fields)


def draft_with(client, login_as, world, rtype, reason: str, quantity: int = 2) -> str:
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {world.lines["recent"].id: quantity}).status_code == 200
    complete_lines(client, number, reason=reason)
    return number


def options(html: str) -> list[tuple[str, bool]]:
    form = html.split('id="submit-form"', 1)[1].split("</form>", 1)[0]
    return [
        (value, bool(selected))
        for selected, value in re.findall(r'<option (selected )?value="([^"]*)"', form)
    ]


def rma_of(session, number: str) -> Rma:
    rma = session.scalar(select(Rma).where(Rma.number == number))
    session.refresh(rma)
    return rma


def test_an_exchange_reason_offers_the_exchange_first_with_its_bonus(
    client, db_session, login_as, world
):
    number = draft_with(client, login_as, world, exchange_type(db_session, world), "Wrong size")
    html = draft_page(client, number)
    assert "data-exchange-offer" in html
    # 2 × €40.00 = €80.00: 10 % (€8.00) + €5.00 towards the replacement order.
    bonus = re.search(r'data-figure="exchange-bonus">([^<]*)<', html).group(1)
    assert bonus == "€13.00"
    assert options(html) == [("exchange", True), ("credit", False)]
    # The policy panel names the bonus too, as money.
    assert 'data-figure="bonus_amount">€5.00<' in html
    # The replacement order is open, with the other colour of the returned model.
    assert 'id="replacement-order" hidden' not in html and "AUR-100-RED" in html


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({}, "Wrong model"),  # not an exchange reason
        ({"resolutions": ["credit"]}, "Wrong size"),  # the type offers no exchange
        ({"exchange_reasons": []}, "Wrong size"),  # no reason offers one
        ({"exchange_reasons": ["Too big"]}, "Wrong size"),  # a reason the type lacks
    ],
)
def test_other_reasons_or_types_offer_no_exchange_first(
    client, db_session, login_as, world, fields, reason
):
    rtype = exchange_type(db_session, world, **fields)
    html = draft_page(client, draft_with(client, login_as, world, rtype, reason))
    assert "data-exchange-offer" not in html
    assert submit_fields(html)["resolution"] == "credit"  # chosen, and listed first


def test_the_offer_follows_a_line_edit(client, db_session, login_as, world):
    rtype = exchange_type(db_session, world)
    number = draft_with(client, login_as, world, rtype, "Wrong model")
    line_id = int(re.search(r'<tr id="line-(\d+)"', draft_page(client, number)).group(1))
    response = client.post(
        f"/requests/{number}/lines/{line_id}",
        data={
            f"l{line_id}-quantity": "2",
            f"l{line_id}-reason": "Wrong size",
            f"l{line_id}-condition": "new",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "data-exchange-offer" in response.get_data(as_text=True)  # the panel, out of band


def test_no_bonus_is_promised_when_the_type_grants_none(client, db_session, login_as, world):
    rtype = exchange_type(db_session, world, policy={})
    html = draft_page(client, draft_with(client, login_as, world, rtype, "Wrong size"))
    assert "data-exchange-offer" in html and "data-exchange-bonus" not in html


def test_an_order_too_small_for_the_bonus_says_what_is_not_paid(
    client, db_session, login_as, world
):
    rtype = exchange_type(db_session, world)
    number = draft_with(client, login_as, world, rtype, "Wrong size", quantity=3)  # €120.00
    red = world.products["aurora_red"]
    red.list_price = Decimal("100.00")
    db_session.flush()
    client.post(f"/requests/{number}/replacements", data={f"add-{red.id}": "1"})
    html = draft_page(client, number)
    # Credit without bonus €120.00 already pays the €100.00 order: none of the €17.00
    # bonus (12 + 5) is paid out, and the page says so.
    unused = html.split("data-bonus-unused", 1)[1].split("</p>", 1)[0]
    assert "€17.00" in unused


def test_exchange_products_can_be_chosen_on_an_exchange_type_only(
    client, db_session, login_as, world
):
    red = world.products["aurora_red"]
    number = draft_with(client, login_as, world, exchange_type(db_session, world), "Wrong size")
    assert (
        client.post(f"/requests/{number}/replacements", data={f"add-{red.id}": "1"}).status_code
        == 303
    )
    plain = exchange_type(db_session, world, exchange_reasons=[])
    other = draft_with(client, login_as, world, plain, "Wrong size")
    response = client.post(
        f"/requests/{other}/replacements",
        data={f"add-{red.id}": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "does not take a replacement order" in response.get_data(as_text=True)


def _choose_red(client, db_session, login_as, world, quantity=2) -> tuple[str, int]:
    red = world.products["aurora_red"]
    number = draft_with(client, login_as, world, exchange_type(db_session, world), "Wrong size")
    response = client.post(
        f"/requests/{number}/replacements", data={f"add-{red.id}": str(quantity)}
    )
    assert response.status_code == 303
    return number, red.id


def test_an_exchange_product_sold_out_meanwhile_is_refused_with_the_reason(
    client, db_session, login_as, world
):
    number, red_id = _choose_red(client, db_session, login_as, world)
    level = db_session.scalar(
        select(InventoryLevel).where(
            InventoryLevel.product_id == red_id, InventoryLevel.grade == Grade.NEW
        )
    )
    level.quantity = 1
    db_session.flush()
    response = submit(client, number, resolution="exchange")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "only 1 of AUR-100-RED are in stock, not 2" in body
    rma = rma_of(db_session, number)
    assert rma.submitted_at is None and rma.state == "draft"
    (line,) = db_session.scalars(select(ReplacementLine)).all()
    db_session.refresh(line)
    assert line.quantity == 2  # never silently changed
    # A credit does not need the product: it can still be chosen.
    assert submit(client, number, resolution="credit").status_code == 303


def test_an_exchange_product_no_longer_sold_is_refused(client, db_session, login_as, world):
    number, _ = _choose_red(client, db_session, login_as, world, quantity=1)
    world.products["aurora_red"].lifecycle = Lifecycle.DISCONTINUED
    db_session.flush()
    response = submit(client, number, resolution="exchange")
    assert response.status_code == 422
    assert "AUR-100-RED is no longer sold" in response.get_data(as_text=True)
    assert rma_of(db_session, number).submitted_at is None


def test_an_exchange_in_stock_is_submitted_with_its_order(client, db_session, login_as, world):
    number, red_id = _choose_red(client, db_session, login_as, world, quantity=1)
    assert submit(client, number, resolution="exchange").status_code == 303
    rma = rma_of(db_session, number)
    assert rma.requested_resolution == "exchange" and rma.submitted_at is not None
    assert [(r.product_id, r.quantity) for r in rma.replacement_lines] == [(red_id, 1)]


def test_another_account_never_sees_the_offer(client, db_session, login_as, world):
    number = draft_with(client, login_as, world, exchange_type(db_session, world), "Wrong size")
    login_as(world.other_retailer)
    assert client.get(f"/requests/{number}").status_code == 404
    red = world.products["aurora_red"]
    response = client.post(f"/requests/{number}/replacements", data={f"add-{red.id}": "1"})
    assert response.status_code == 404
