"""The RMA page: who may see it, what it says about the state, lines, history and credit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models import ReplacementLine, Role
from tests.factories import make_product, make_user
from tests.world import add_rma, authorized_rma, rma_in_rep_review
from workflow_designer.runtime.firing import fire


def page_of(client, rma) -> str:
    response = client.get(f"/rmas/{rma.number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_retailer_sees_the_state_in_plain_words_and_what_happens_next(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    page = page_of(client, rma)
    assert "<strong>Authorized</strong>" in page
    assert "Your return is authorized. Pack the items with the return label and ship them." in page
    assert "<strong>Mark as shipped</strong> → Awaiting receipt" in page
    assert "by you, your sales rep Rita Rep or a returns manager" in page
    # The way forward is listed before the way out.
    assert page.index("Mark as shipped</strong>") < page.index("Cancel return</strong>")
    assert "Due by" in page


def test_an_approval_step_names_the_approver(client, db_session, login_as, world):
    rma = rma_in_rep_review(db_session, world)
    login_as(world.retailer)
    page = page_of(client, rma)
    assert "<strong>Sales rep review</strong>" in page
    assert "Waiting for your sales rep Rita Rep, expected by" in page
    assert "<strong>Approve exception</strong> → Manager approval or Authorized" in page
    login_as(world.rep)
    assert "Waiting for you, expected by" in page_of(client, rma)


def test_a_final_state_says_nothing_more_happens(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    fire(db_session, rma, "cancel", world.retailer)
    login_as(world.retailer)
    page = page_of(client, rma)
    assert "<strong>Cancelled</strong>" in page
    assert "nothing more happens to it" in page
    assert "Nothing for you to do right now." in page


@pytest.mark.parametrize("who", ["retailer", "rep", "admin", "warehouse"])
def test_each_role_in_scope_sees_the_page(client, db_session, login_as, world, who):
    rma = authorized_rma(db_session, world)
    login_as(world.person(who))
    assert rma.number in page_of(client, rma)


@pytest.mark.parametrize("who", ["other_retailer", "other_rep"])
def test_out_of_scope_is_404(client, db_session, login_as, world, who):
    rma = authorized_rma(db_session, world)
    login_as(world.person(who))
    assert client.get(f"/rmas/{rma.number}").status_code == 404
    assert client.get(f"/rmas/{rma.number}/label.pdf").status_code == 404
    assert client.post(f"/rmas/{rma.number}/messages", data={"body": "Hi"}).status_code == 404
    assert client.get("/rmas/RMA-NOPE-000001").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, db_session, world):
    rma = authorized_rma(db_session, world)
    response = client.get(f"/rmas/{rma.number}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_lines_show_what_was_bought_and_the_credit_estimate(client, db_session, login_as, world):
    rma = add_rma(db_session, world)
    login_as(world.retailer)
    page = page_of(client, rma)
    line = rma.lines[0]
    product, order = line.order_line.product, line.order_line.order
    for text in (product.sku, "Aurora Meridian", "Tortoise · 52-18-140", order.invoice_number):
        assert text in page
    assert "Slow seller" in page and "Used" in page
    assert "Authorized</th>" not in page  # not known before authorization
    assert "€120.00" in page and "€110.00" in page  # the lines' invoice values
    # 10% restocking fee on 3 × 40 + 2 × 55.
    assert '<dd class="credit-amount">€207.00</dd>' in page
    assert "not submitted yet" in page


def test_columns_appear_as_figures_become_known(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    first, second = rma.lines
    first.quantity_received, first.grade, first.disposition = 3, "open_packaging", "b_stock"
    second.has_discrepancy = True
    db_session.flush()
    login_as(world.retailer)
    page = page_of(client, rma)
    for header in ("Authorized</th>", "Received</th>", "Grade</th>"):
        assert header in page
    assert "Open packaging" in page and "B stock" in page
    assert "discrepancy" in page
    # Estimated on what arrived: 3 × 40 × 90%, and nothing of the second line yet.
    assert '<dd class="credit-amount">€108.00</dd>' in page


def test_replacement_lines_are_listed_with_their_total(client, db_session, login_as, world):
    rma = add_rma(db_session, world)
    product = make_product(db_session, brand="Lunetta", model="Nova", sku="LUN-NOVA-1")
    db_session.add(
        ReplacementLine(
            rma_id=rma.id, product_id=product.id, quantity=4, unit_price=Decimal("61.50")
        )
    )
    db_session.flush()
    login_as(world.retailer)
    page = page_of(client, rma)
    assert "Replacement order" in page
    assert "LUN-NOVA-1" in page and "Lunetta Nova" in page
    assert "€246.00" in page


def test_the_timeline_tells_who_did_what_when_and_why(client, db_session, login_as, world):
    rma = add_rma(db_session, world, exception_requested=True)
    fire(db_session, rma, "submit", world.rep)  # the rep submits for the account
    fire(db_session, rma, "request_changes", world.rep, comment="Please add photos.")
    db_session.flush()
    login_as(world.retailer)
    page = page_of(client, rma)
    timeline = page[page.index('id="rma-timeline"') : page.index('id="rma-messages"')]
    assert timeline.count("<li>") == 2
    assert "Rita Rep (Sales rep)" in timeline
    assert "on behalf of Optik Sonnenschein" in timeline
    assert "<strong>Submit</strong>: Draft → Sales rep review" in timeline
    assert "<strong>Request changes</strong>: Sales rep review → Changes requested" in timeline
    assert "Please add photos." in timeline
    # Only the submit was done for the account; requesting changes is the rep's own act.
    assert timeline.count("on behalf of") == 1


def test_the_page_needs_the_same_queries_whatever_the_number_of_lines(
    client, db_session, login_as, world, count_queries
):
    small = authorized_rma(db_session, world)
    large = authorized_rma(db_session, world)
    for _ in range(4):
        other = add_rma(db_session, world)
        for line in other.lines:
            line.rma_id = large.id
    db_session.flush()
    login_as(world.retailer)
    count_queries.statements.clear()
    page_of(client, small)
    few = len(count_queries)
    count_queries.statements.clear()
    page_of(client, large)
    assert len(count_queries) == few <= 20


def test_a_warehouse_user_sees_no_retailer_actions(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.warehouse_user)
    page = page_of(client, rma)
    assert "Nothing for you to do right now." in page
    assert "<strong>Mark as shipped</strong>" in page
    assert "by the retailer, the account&#39;s sales rep Rita Rep or a returns manager" in page


def test_staff_without_an_account_see_a_rep_less_account(client, db_session, login_as, world):
    world.account.sales_rep_id = None
    db_session.flush()
    rma = rma_in_rep_review(db_session, world)
    admin = make_user(db_session, Role.ADMIN, name="Second Admin")
    login_as(admin)
    page = page_of(client, rma)
    assert "Waiting for the account&#39;s sales rep" in page
