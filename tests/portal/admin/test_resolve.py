"""The admin's resolution page: previews that match credit_for, one memo, refusals."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select, text

from models import CreditMemo, LedgerEntry, ReplacementLine, ReplacementOrder, Rma, Role
from portal.credits.operations import credit_for, line_amounts
from tests.factories import make_user
from tests.portal.admin.flows import inspect, resolve


def url(rma) -> str:
    return f"/admin/rmas/{rma.number}/resolve"


def cells(html: str, resolution: str) -> str:
    """The markup of one resolution's card."""
    start = html.index(f'id="resolution-{resolution}"')
    end = html.find("</fieldset>", start)
    return html[start:end]


def test_preview_shows_credit_for_each_offered_resolution(
    client, login_as, db_session, shop, awaiting
):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    response = client.get(url(awaiting))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for resolution, total in (("credit", "€188.66"), ("exchange", "€199.99")):
        estimate = credit_for(awaiting, resolution)
        assert f"€{estimate.total_credit:,.2f}" == total
        card = cells(html, resolution)
        assert f'<strong class="preview-total">{total}</strong> credit' in card
        for line in estimate.lines:
            amounts = line_amounts(line, "EUR")
            assert f"€{amounts.gross:,.2f}" in card
            for sign, figure in (
                ("−", amounts.restocking_fee),
                ("−", amounts.grade_deduction),
                ("+", amounts.exchange_bonus),
            ):
                assert f"{sign if figure else ''}€{figure:,.2f}" in card
    # 2 × VEL-2 at 33.33, open packaging: gross 66.66, fee 6.67, deduction 3.33 → 56.66
    velo_row = re.search(r"VEL-2</td>.*?</tr>", cells(html, "credit"), re.S).group(0)
    assert [*re.findall(r"€([\d.,]+)", velo_row)] == ["66.66", "6.67", "3.33", "0.00", "56.66"]
    assert "refund" not in html.lower()


def test_resolving_writes_one_memo_and_redirects_to_the_rma_page(
    client, login_as, db_session, shop, awaiting
):
    inspect(db_session, awaiting, shop)
    preview = credit_for(awaiting, "credit")
    login_as(shop["admin"])
    response = client.post(url(awaiting), data={"resolution": "credit", "comment": "Agreed"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rmas/{awaiting.number}")
    db_session.expire_all()
    rma = db_session.get(Rma, awaiting.id)
    assert (rma.state, rma.resolution) == ("credited", "credit")
    memos = db_session.scalars(select(CreditMemo).where(CreditMemo.rma_id == rma.id)).all()
    assert len(memos) == 1
    assert memos[0].amount == preview.total_credit == Decimal("188.66")
    assert [line.amount for line in memos[0].lines] == [line.credit for line in preview.lines]
    assert rma.events[-1].trigger == "resolve" and rma.events[-1].comment == "Agreed"
    entries = db_session.scalars(
        select(LedgerEntry).where(LedgerEntry.account_id == rma.account_id)
    )
    assert [e.amount for e in entries] == [Decimal("188.66")]


def test_a_second_resolution_finds_it_resolved_and_changes_nothing(
    client, login_as, db_session, shop, awaiting
):
    # A double click: the second post finds the RMA resolved, says so and goes to it.
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    assert client.post(url(awaiting), data={"resolution": "credit"}).status_code == 303
    again = client.post(url(awaiting), data={"resolution": "credit"})
    assert again.status_code == 303
    assert again.headers["Location"].endswith(f"/rmas/{awaiting.number}")
    shown = client.get(again.headers["Location"]).get_data(as_text=True)
    assert f"{awaiting.number} was already resolved (Credit memo) by Ada Admin" in shown
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 1
    events = [e.trigger for e in db_session.get(Rma, awaiting.id).events]
    assert events.count("resolve") == 1
    page = client.get(url(awaiting)).get_data(as_text=True)
    assert "only an inspected RMA that has not been resolved yet can be resolved" in page
    assert "Credit memo" in page and 'name="resolution"' not in page


def test_a_resolution_the_type_does_not_offer_is_a_422_with_the_offer(
    client, login_as, db_session, shop, awaiting
):
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    response = client.post(url(awaiting), data={"resolution": "refund"})
    assert response.status_code == 422
    assert "This return type offers: Credit memo." in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Rma, awaiting.id).state == "inspected"
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 0


def test_a_refused_transition_is_a_422_with_its_reason(
    client, login_as, db_session, shop, awaiting
):
    # Offered by the type, but the stock rotation workflow has no transition for a refund.
    awaiting.return_type.resolutions = ["credit", "refund"]
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    response = client.post(url(awaiting), data={"resolution": "refund"})
    assert response.status_code == 422
    assert 'class="flash flash-error" role="alert"' in response.get_data(as_text=True)
    db_session.expire_all()
    rma = db_session.get(Rma, awaiting.id)
    assert (rma.state, rma.resolution) == ("inspected", None)


def test_choosing_nothing_is_a_422(client, login_as, db_session, shop, awaiting):
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    response = client.post(url(awaiting), data={})
    assert response.status_code == 422
    assert "Choose a resolution." in response.get_data(as_text=True)


def test_a_concurrent_change_is_a_409(client, login_as, db_session, connection, shop, awaiting):
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])

    # Someone else updates the RMA between our read and our write.
    def meanwhile(_mapper, conn, target):
        conn.execute(
            text("UPDATE rmas SET version = version + 1 WHERE id = :id"), {"id": target.id}
        )

    event.listen(Rma, "before_update", meanwhile)
    try:
        response = client.post(url(awaiting), data={"resolution": "credit"})
    finally:
        event.remove(Rma, "before_update", meanwhile)
    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 0


def test_the_replacement_order_is_previewed(client, login_as, db_session, shop, awaiting):
    db_session.add(
        ReplacementLine(
            rma_id=awaiting.id, product_id=shop["velo"].id, quantity=3, unit_price=Decimal("41.50")
        )
    )
    db_session.flush()
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    html = client.get(url(awaiting)).get_data(as_text=True)
    section = html[html.index("<h2>Replacement order</h2>") :]
    assert "VEL-2 · Velo Sprint" in section and "€41.50" in section and "€124.50" in section
    assert client.post(url(awaiting), data={"resolution": "credit"}).status_code == 303
    order = db_session.scalar(
        select(ReplacementOrder).where(ReplacementOrder.rma_id == awaiting.id)
    )
    assert order is not None and order.status.value == "to_fulfil"


def test_an_exchange_without_lines_previews_like_for_like(
    client, login_as, db_session, shop, awaiting
):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    card = cells(client.get(url(awaiting)).get_data(as_text=True), "exchange")
    assert "like for like" in card
    assert "4 × AUR-1 · Aurelo Paola; 2 × VEL-2 · Velo Sprint" in card


def test_an_rma_not_yet_inspected_offers_no_resolution(
    client, login_as, db_session, shop, awaiting
):
    login_as(shop["admin"])
    html = client.get(url(awaiting)).get_data(as_text=True)
    assert "Awaiting receipt" in html and 'name="resolution"' not in html
    response = client.post(url(awaiting), data={"resolution": "credit"})
    assert response.status_code == 422
    db_session.expire_all()
    assert db_session.get(Rma, awaiting.id).state == "awaiting_receipt"


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.WAREHOUSE, Role.RETAILER])
def test_only_admins_resolve(client, login_as, db_session, shop, awaiting, role):
    inspect(db_session, awaiting, shop)
    user = shop["retailer"] if role is Role.RETAILER else make_user(db_session, role)
    login_as(user)
    assert client.get(url(awaiting)).status_code == 403
    assert client.post(url(awaiting), data={"resolution": "credit"}).status_code == 403
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 0


def test_an_unknown_rma_is_a_404(client, login_as, shop):
    login_as(shop["admin"])
    assert client.get("/admin/rmas/RMA-NOPE/resolve").status_code == 404


def test_resolved_rma_shows_its_memo(client, login_as, db_session, shop, awaiting):
    resolve(db_session, awaiting, shop)
    memo = db_session.scalar(select(CreditMemo))
    login_as(shop["admin"])
    html = client.get(url(awaiting)).get_data(as_text=True)
    assert f"/credits/memos/{memo.number}.pdf" in html and "€188.66" in html
