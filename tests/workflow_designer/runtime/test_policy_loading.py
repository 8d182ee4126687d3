"""load_request: a stored RMA as the rules see it, in a constant number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from models import Grade, Lifecycle, OrderLine, ReplacementLine, RmaAttachment, RmaLine
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_return_type,
    make_rma,
    make_stock,
    make_warehouse,
)
from workflow_designer.policy import default_policy, evaluate
from workflow_designer.runtime.policy_loading import load_request, request_line_for

TODAY = date(2026, 7, 10)


def build_rma(session, line_count: int):
    account = make_account(session)
    version = make_published_workflow(session)
    policy = default_policy("ROTATION")
    return_type = make_return_type(session, version.workflow_id, policy=policy)
    product = make_product(session, brand="Vista", lifecycle=Lifecycle.DISCONTINUED)
    order = make_order(
        session,
        account,
        [(product, 2, "40.00")] * line_count,
        invoice_date=date(2026, 1, 5),
        delivery_date=date(2026, 1, 8),
        invoice_number=f"INV-L{line_count}",
    )
    rma = make_rma(session, account, version, return_type=return_type)
    for number, order_line in enumerate(order.lines):
        session.add(
            RmaLine(
                rma_id=rma.id,
                order_line_id=order_line.id,
                quantity_requested=1 + number % 2,
                condition="used",
                description=f"line {number}",
            )
        )
    session.flush()
    fresh = make_product(session, sku=f"NEW-{line_count}")
    retired = make_product(session, sku=f"OLD-{line_count}", lifecycle=Lifecycle.CLEARANCE)
    warehouse = make_warehouse(session)
    make_stock(session, fresh, warehouse, Grade.NEW, 3)
    make_stock(session, fresh, make_warehouse(session), Grade.NEW, 4)
    make_stock(session, fresh, warehouse, Grade.USED, 50)  # B-stock is not for sale as new
    for product_, quantity in ((fresh, 6), (retired, 1)):
        session.add(
            ReplacementLine(
                rma_id=rma.id, product_id=product_.id, quantity=quantity, unit_price=Decimal("90")
            )
        )
    session.flush()
    return rma, policy


def test_lines_come_from_the_invoices(db_session):
    rma, policy = build_rma(db_session, 3)
    first_line = rma.lines[0]
    for kind, line_id in (
        ("image/jpeg", first_line.id),
        ("image/png", first_line.id),
        ("application/pdf", first_line.id),
        ("image/jpeg", None),
    ):
        db_session.add(
            RmaAttachment(
                rma_id=rma.id,
                rma_line_id=line_id,
                stored_name=f"{kind.replace('/', '-')}-{line_id}",
                original_name="x",
                content_type=kind,
                size_bytes=10,
            )
        )
    db_session.flush()
    request = load_request(db_session, rma, policy, TODAY)
    assert request.today == TODAY and request.currency == "EUR"
    assert [line.quantity for line in request.lines] == [1, 2, 1]
    line = request.lines[0]
    assert line.sku == rma.lines[0].order_line.product.sku
    assert (line.unit_net_price, line.invoice_number) == (Decimal("40.0000"), "INV-L3")
    assert (line.invoice_date, line.delivery_date) == (date(2026, 1, 5), date(2026, 1, 8))
    assert (line.lifecycle, line.brand, line.category) == ("discontinued", "Vista", "optical")
    assert (line.condition, line.grade, line.description) == ("used", None, "line 0")
    assert [line.photos for line in request.lines] == [2, 0, 0]
    assert request.value == Decimal("160")


def test_replacement_lines_carry_new_stock(db_session):
    rma, policy = build_rma(db_session, 1)
    fresh, retired = load_request(db_session, rma, policy, TODAY).replacement_lines
    assert (fresh.sku, fresh.quantity, fresh.unit_price) == ("NEW-1", 6, Decimal("90.00"))
    assert (fresh.lifecycle, fresh.available) == ("active", 7)
    assert (retired.lifecycle, retired.available) == ("clearance", 0)


def test_query_count_does_not_grow_with_lines(db_session, count_queries):
    small, policy = build_rma(db_session, 2)
    large, _ = build_rma(db_session, 40)
    for rma in (small, large):  # loaded with the RMA, as the views do
        assert rma.account and rma.return_type
    before = len(count_queries)
    load_request(db_session, small, policy, TODAY)
    small_cost = len(count_queries) - before
    before = len(count_queries)
    request = load_request(db_session, large, policy, TODAY)
    assert len(count_queries) - before == small_cost <= 5
    assert len(request.lines) == 40


def test_a_stored_rma_is_evaluated_without_its_own_history(db_session):
    rma, policy = build_rma(db_session, 10)
    rma.submitted_at = datetime(2026, 7, 1, tzinfo=UTC)
    rma.total_value = Decimal("600.00")
    db_session.flush()
    request = load_request(db_session, rma, policy, TODAY)
    assert request.facts.allowance_used == 0 and request.facts.requests_in_period == 0
    findings = {f.rule: f for f in evaluate(policy, request).findings}
    assert findings["request_size"].message == "Minimum 10 frames: 15 selected"
    assert findings["replacement_order"].message == (
        "Replacement order: €630.00 ordered, at least €600.00 required "
        "(100% of €600.00 returned); not active: OLD-10"
    )


def test_request_line_for_an_order_line(db_session):
    account = make_account(db_session, currency="GBP")
    order = make_order(db_session, account, invoice_date=date(2026, 2, 2))
    order_line = db_session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).one()
    line = request_line_for(order_line, 2, condition="new", photos=1)
    assert (line.order_line_id, line.quantity, line.invoice_date) == (
        order_line.id,
        2,
        date(2026, 2, 2),
    )
    assert (line.condition, line.photos, line.lifecycle) == ("new", 1, "active")
    assert line.value == Decimal("90.00")
