"""Picking lines from the purchase history and editing them: search, eligibility,
returnable quantities, bulk add, and what no crafted post can do."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Rma, RmaLine
from models.base import utcnow
from portal.requests.rendering import today
from tests.factories import make_order, make_rma_with_lines
from tests.portal.requests.helpers import (
    add,
    draft_page,
    line_ids,
    return_type,
    start,
    update,
)
from tests.support import rule

AGE = {"purchase_age": rule("exception", min_days=90, max_days=730)}


def history(client, number: str, **args) -> str:
    response = client.get(
        f"/requests/{number}/history", query_string=args, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def lines_of(session, number: str) -> dict[int, int]:
    rows = session.execute(
        select(RmaLine.order_line_id, RmaLine.quantity_requested)
        .join(Rma, RmaLine.rma_id == Rma.id)
        .where(Rma.number == number)
    ).all()
    return dict(rows)


@pytest.fixture
def draft(client, db_session, login_as, world):
    rtype = return_type(db_session, world, AGE)
    login_as(world.retailer)
    return start(client, rtype)


def test_search_by_sku_brand_model_and_invoice(client, world, draft):
    for text, present, absent in [
        ("vel-2", "INV-MID", "INV-OLDER"),
        ("aurora", "AUR-100-RED", "VEL-200"),
        ("classic", "OLD-300", "VEL-200"),
        ("inv-older", "OLD-300", "AUR-100-RED"),
    ]:
        html = history(client, draft, q=text, show="all")
        assert present in html and absent not in html, text


def test_eligible_lines_only_by_default(client, world, draft):
    html = history(client, draft)
    assert "INV-MID" in html and "INV-OLDER" in html
    assert "INV-RECENT" not in html  # 30 days old: under the 90-day purchase age
    assert "INV-ANCIENT" not in html  # 800 days old: over 730
    everything = history(client, draft, show="all")
    assert "INV-RECENT" in everything and "bought less than 90 days ago" in everything
    assert "(exception possible)" in everything


def test_returnable_quantity_counts_submitted_rmas_only(client, db_session, world, draft):
    velo = world.lines["velo"]
    rtype = return_type(db_session, world)
    for quantity, state, submitted in [
        (3, "draft", None),  # a draft does not count
        (2, "authorized", utcnow()),  # counts
        (4, "rejected", utcnow()),  # rejected and cancelled ones do not
        (1, "cancelled", utcnow()),
    ]:
        make_rma_with_lines(
            db_session,
            world.account,
            world.version,
            [(velo, quantity)],
            return_type=rtype,
            state=state,
            submitted_at=submitted,
        )
    html = history(client, draft, q="VEL-200")
    row = html.split(f'data-order-line="{velo.id}"')[1]
    assert 'data-returnable="6"' in row  # 8 invoiced − 2 on the submitted RMA


def test_several_lines_from_several_invoices_at_once(client, db_session, world, draft):
    response = add(
        client,
        draft,
        {world.lines["velo"].id: 3, world.lines["red"].id: None, world.lines["old"].id: 5},
        reason="Overstock",
        condition="new",
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "lines-changed"
    assert lines_of(db_session, draft) == {
        world.lines["velo"].id: 3,
        world.lines["red"].id: 6,  # ticked without a quantity: all that is returnable
        world.lines["old"].id: 5,
    }
    lines = db_session.scalars(select(RmaLine)).all()
    assert {(line.reason, line.condition) for line in lines} == {("Overstock", "new")}
    body = response.get_data(as_text=True)
    assert 'id="lines"' in body and re.search(r'id="policy-panel"[^>]*hx-swap-oob="true"', body)


def test_adding_a_line_twice_adds_up(client, db_session, world, draft):
    add(client, draft, {world.lines["velo"].id: 3})
    add(client, draft, {world.lines["velo"].id: 2})
    assert lines_of(db_session, draft) == {world.lines["velo"].id: 5}
    response = add(client, draft, {world.lines["velo"].id: 4})
    assert response.status_code == 422
    assert "At most 8 of VEL-200" in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#pick-errors"
    assert lines_of(db_session, draft) == {world.lines["velo"].id: 5}


def test_a_line_of_another_account_can_never_be_added(client, db_session, world, draft):
    response = add(client, draft, {world.other_line.id: 1, world.lines["velo"].id: 1})
    assert response.status_code == 422
    assert "not in your purchase history" in response.get_data(as_text=True)
    assert lines_of(db_session, draft) == {}
    assert add(client, draft, {999999: 1}).status_code == 422
    assert lines_of(db_session, draft) == {}


def test_a_quantity_above_the_returnable_one_is_refused(client, db_session, world, draft):
    response = add(client, draft, {world.lines["velo"].id: 9}, htmx=False)
    assert response.status_code == 422
    assert "At most 8 of VEL-200 on this invoice can be returned; you asked for 9." in (
        response.get_data(as_text=True)
    )
    for bad in ("0", "-1", "2.5", "lots", "²", "٣", "100001", str(2**63), "9" * 5000):
        response = client.post(
            f"/requests/{draft}/lines",
            data={f"qty-{world.lines['velo'].id}": bad},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422, bad
        assert "is not a quantity" in response.get_data(as_text=True)
    assert lines_of(db_session, draft) == {}


@pytest.mark.parametrize("line_id", [str(2**31), str(2**63), "²"])
def test_a_line_id_no_column_holds_is_refused(client, db_session, world, draft, line_id):
    for data in ({"pick": line_id}, {f"qty-{line_id}": "1"}):
        response = client.post(f"/requests/{draft}/lines", data=data, headers={"HX-Request": "1"})
        assert response.status_code == 422, data
    assert lines_of(db_session, draft) == {}


def test_nothing_picked_is_explained(client, draft):
    response = add(client, draft, {})
    assert response.status_code == 422
    assert "Tick the lines to add" in response.get_data(as_text=True)


def test_a_reason_the_type_does_not_offer_is_refused(client, db_session, world, draft):
    response = add(client, draft, {world.lines["velo"].id: 1}, reason="Because")
    assert response.status_code == 422
    assert lines_of(db_session, draft) == {}


def test_editing_a_line(client, db_session, world, draft):
    add(client, draft, {world.lines["velo"].id: 3})
    (line_id,) = line_ids(draft_page(client, draft))
    response = update(client, draft, line_id, quantity=7, reason="Overstock", condition="used")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'id="line-{line_id}-status"' in body and "€350.00" in body  # 7 × 50.00
    line = db_session.get(RmaLine, line_id)
    db_session.refresh(line)
    assert (line.quantity_requested, line.reason, line.condition) == (7, "Overstock", "used")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"quantity": 9}, "At most 8 of VEL-200"),
        ({"quantity": 0}, "at least 1"),
        ({"quantity": "x"}, "at least 1"),
        ({"quantity": "²"}, "at least 1"),
        ({"quantity": str(2**63)}, "at most 100,000"),
        ({"quantity": "9" * 5000}, "at least 1"),
        ({"quantity": 2, "reason": "Because"}, "is not a reason offered"),
        ({"quantity": 2, "condition": "mint"}, "Choose the condition"),
    ],
)
def test_a_bad_edit_changes_nothing(client, db_session, world, draft, values, message):
    add(client, draft, {world.lines["velo"].id: 3})
    (line_id,) = line_ids(draft_page(client, draft))
    response = update(client, draft, line_id, **values)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    line = db_session.get(RmaLine, line_id)
    db_session.refresh(line)
    assert (line.quantity_requested, line.reason) == (3, "")


def test_the_returnable_limit_follows_other_submitted_requests(client, db_session, world, draft):
    add(client, draft, {world.lines["velo"].id: 6})
    (line_id,) = line_ids(draft_page(client, draft))
    rtype = return_type(db_session, world)
    make_rma_with_lines(
        db_session,
        world.account,
        world.version,
        [(world.lines["velo"], 5)],
        return_type=rtype,
        state="authorized",
        submitted_at=utcnow(),
    )
    html = draft_page(client, draft)
    panel = html.split('id="policy-panel"')[1]
    assert 'data-check="Returnable quantities" data-passed="false"' in panel
    assert update(client, draft, line_id, quantity=4).status_code == 422
    assert update(client, draft, line_id, quantity=3).status_code == 200


def test_removing_a_line(client, db_session, world, draft):
    add(client, draft, {world.lines["velo"].id: 3, world.lines["red"].id: 1})
    first, second = line_ids(draft_page(client, draft))
    response = client.post(
        f"/requests/{draft}/lines/{first}/delete", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert line_ids(response.get_data(as_text=True)) == [second]
    assert lines_of(db_session, draft) == {world.lines["red"].id: 1}


def test_lines_of_another_draft_cannot_be_touched(client, db_session, login_as, world, draft):
    add(client, draft, {world.lines["velo"].id: 3})
    (line_id,) = line_ids(draft_page(client, draft))
    rtype = return_type(db_session, world)
    other_draft = start(client, rtype)
    assert update(client, other_draft, line_id, quantity=1).status_code == 404
    assert client.post(f"/requests/{other_draft}/lines/{line_id}/delete").status_code == 404
    login_as(world.other_retailer)
    assert update(client, draft, line_id, quantity=1).status_code == 404
    assert lines_of(db_session, draft) == {world.lines["velo"].id: 3}


def test_without_javascript_the_forms_redirect_back(client, db_session, world, draft):
    response = add(client, draft, {world.lines["velo"].id: 3}, htmx=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/requests/{draft}#lines")
    (line_id,) = line_ids(draft_page(client, draft))
    response = update(client, draft, line_id, htmx=False, quantity=2)
    assert response.status_code == 303
    response = client.get(f"/requests/{draft}/history?q=velo")
    assert response.status_code == 303 and "q=velo" in response.headers["Location"]
    assert "VEL-200" in draft_page(client, draft)


def test_the_picker_pages_through_a_long_history(client, db_session, world, draft):
    product = world.products["velo"]
    for n in range(60):
        make_order(
            db_session,
            world.account,
            [(product, 1, "10.00")],
            invoice_number=f"INV-BULK-{n:03d}",
            invoice_date=today() - timedelta(days=100 + n),
        )
    first = history(client, draft, q="INV-BULK")
    assert first.count('name="pick"') == 50 and "Page 1 of 2" in first
    second = history(client, draft, q="INV-BULK", page=2)
    assert second.count('name="pick"') == 10


def test_an_invoice_line_is_on_a_draft_once(client, db_session, world, draft):
    # Two tabs adding the same line at once could leave two rows: the database refuses the
    # second (and adding locks the draft, tests/security/test_races.py).
    add(client, draft, {world.lines["velo"].id: 5})
    rma = db_session.scalar(select(Rma).where(Rma.number == draft))
    db_session.add(
        RmaLine(rma_id=rma.id, order_line_id=world.lines["velo"].id, quantity_requested=5)
    )
    with pytest.raises(IntegrityError):
        db_session.flush()
