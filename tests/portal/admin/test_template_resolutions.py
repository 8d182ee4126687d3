"""Every shipped workflow template, settled with every resolution it can carry out: from an
empty draft to its final state through the product's own operations (submit, approvals,
authorization, shipping, receiving, grading, resolving, closing)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import CreditMemo, Grade, ReplacementOrder, RmaEvent, Role
from models.base import utcnow
from portal.approvals.operations import decide
from portal.credits.operations import resolve_rma
from portal.requests.contents import draft_contents
from portal.requests.operations import add_lines, create_draft, set_replacement_quantities
from portal.requests.submission import SubmitPayload, content_digest, submit_request
from portal.warehouse.operations import grade_line, receive
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_address,
    make_return_type,
    make_stock,
    make_user,
    make_warehouse,
)
from workflow_designer.engine import load_template
from workflow_designer.engine.resolutions import RESOLUTION_NEEDS, executable_resolutions
from workflow_designer.engine.templates import template_names
from workflow_designer.runtime.defaults import DEFAULT_RETURN_TYPES
from workflow_designer.runtime.firing import compiled_for, fire

CASES = [
    (template, resolution)
    for template in template_names()
    for resolution in executable_resolutions(load_template(template))
]
# Replacement lines are chosen by the retailer; the minimum is 0 so any order passes.
POLICY = {
    "replacement_order": {
        "enabled": True,
        "mode": "exception",
        "min_ratio_percent": "0",
        "min_amount": None,
    }
}
APPROVAL_STATES = ("rep_review", "admin_review")
# Where a 3,000.00 return waits for a manager's approval.
TEMPLATES_WITH_A_MANAGER_STEP = ("stock_rotation", "damaged_in_transit")


def test_the_cases_cover_every_default_resolution():
    for spec in DEFAULT_RETURN_TYPES:
        for resolution in spec.resolutions:
            assert (spec.template, resolution) in CASES


@pytest.fixture
def people(db_session):
    rep = make_user(db_session, Role.SALES_REP, name="Rita Rep")
    account = make_account(db_session, sales_rep=rep, region="DE", currency="EUR")
    warehouse = make_warehouse(db_session)
    make_return_address(db_session, warehouse, "DE")
    frame = make_product(db_session, sku="OLD-1")
    # 10 × 300.00 = 3,000.00: above every template's threshold for a manager's approval.
    order = make_order(
        db_session,
        account,
        [(frame, 10, "300.00")],
        invoice_date=utcnow().date() - timedelta(days=120),
    )
    new_frame = make_product(db_session, sku="NEW-1", list_price=Decimal("95.00"))
    make_stock(db_session, new_frame, warehouse, Grade.NEW, 20)
    return {
        "rep": rep,
        "account": account,
        "retailer": make_retailer(db_session, account),
        "admin": make_user(db_session, Role.ADMIN, name="Ada Admin"),
        "warehouse": make_user(db_session, Role.WAREHOUSE),
        "order_line": order.lines[0],
        "new_frame": new_frame,
    }


@pytest.mark.parametrize(("template", "resolution"), CASES)
def test_a_template_settles_a_resolution_from_draft_to_its_final_state(
    db_session, people, template, resolution
):
    version = make_published_workflow(db_session, template)
    return_type = make_return_type(
        db_session, version.workflow_id, resolutions=[resolution], policy=POLICY
    )
    rma = _submitted(db_session, people, return_type, resolution)
    assert rma.requested_resolution == resolution
    assert _events(db_session, rma)[-1].data["requested_resolution"] == resolution

    _authorize(db_session, rma, people)
    assert rma.state == "authorized" and rma.label_issued_at is not None
    approved = any(event.trigger == "approve" for event in _events(db_session, rma))
    assert approved == (template in TEMPLATES_WITH_A_MANAGER_STEP)
    _return_and_inspect(db_session, rma, people)
    resolve_rma(db_session, rma, people["admin"], resolution)
    db_session.flush()
    assert rma.state in ("credited", "exchanged")
    resolved = _events(db_session, rma)[-1]
    assert (resolved.trigger, resolved.data["resolution"]) == ("resolve", resolution)
    _check_outcome(db_session, rma, resolution)

    fire(db_session, rma, "close", people["admin"])
    assert rma.state == "closed"
    assert compiled_for(db_session, rma).state(rma.state).final


def _events(session, rma) -> list[RmaEvent]:
    return list(
        session.scalars(select(RmaEvent).where(RmaEvent.rma_id == rma.id).order_by(RmaEvent.id))
    )


def _submitted(session, people, return_type, resolution):
    retailer, now = people["retailer"], utcnow()
    rma = create_draft(session, retailer, people["account"], return_type, now)
    add_lines(
        session,
        retailer,
        rma,
        {people["order_line"].id: 10},
        reason=return_type.reasons[0],
        condition="new",
    )
    if resolution in ("replacement_order", "exchange"):
        set_replacement_quantities(session, retailer, rma, {people["new_frame"].id: 3})
    digest = content_digest(rma, draft_contents(session, rma))
    submit_request(
        session,
        retailer,
        rma,
        key=f"template-resolution-{rma.number}",
        payload=SubmitPayload(rma.number, resolution, digest),
        today=now.date(),
        now=now,
    )
    return rma


def _authorize(session, rma, people) -> None:
    """Whatever the template asks before the label: an authorization, approval steps."""
    for _step in range(4):
        if rma.state in APPROVAL_STATES:
            decide(session, rma, people["admin"], "approve", comment="Agreed")
        elif rma.state == "submitted":
            fire(session, rma, "authorize", people["admin"])
        else:
            return


def _return_and_inspect(session, rma, people) -> None:
    staff = people["warehouse"]
    fire(session, rma, "ship", people["retailer"])
    (line,) = rma.lines
    receive(session, rma, staff, {line.id: 10})
    fire(session, rma, "start_inspection", staff)
    grade_line(session, rma, line, staff, {Grade.NEW: 10})
    fire(session, rma, "finish_inspection", staff)
    assert rma.state == "inspected"


def _check_outcome(session, rma, resolution) -> None:
    memo = session.scalar(select(CreditMemo).where(CreditMemo.rma_id == rma.id))
    order = session.scalar(select(ReplacementOrder).where(ReplacementOrder.rma_id == rma.id))
    needs = RESOLUTION_NEEDS[resolution]
    if "issue_credit" in needs:
        assert memo is not None and memo.amount > 0
    if "create_replacement_order" in needs:
        assert order is not None and [line.quantity for line in rma.replacement_lines] == [3]
