"""The approval queue through HTTP: reps decide on their accounts' RMAs, admins on all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from models import Role
from tests.factories import make_account, make_retailer, make_rma, make_user
from workflow_designer.runtime.firing import fire

SUBMITTED = datetime.now(UTC) - timedelta(hours=1)


def waiting(db_session, shop, account=None, hours_ago=1, **fields):
    account = account or shop["account"]
    retailer = (
        shop["retailer"] if account is shop["account"] else make_retailer(db_session, account)
    )
    fields.setdefault("exception_requested", True)
    fields.setdefault("exception_justification", "Our best customer is closing a branch.")
    fields.setdefault(
        "policy_findings",
        [
            {"rule": "allowance", "passed": False, "message": "Allowance: €900 of €800 used"},
            {"rule": "request_size", "passed": True, "message": "Minimum 10 frames: 12 selected"},
        ],
    )
    rma = make_rma(db_session, account, shop["version"], **fields)
    fire(db_session, rma, "submit", retailer, now=datetime.now(UTC) - timedelta(hours=hours_ago))
    assert rma.state == "rep_review"
    return rma


@pytest.fixture
def rep_client(client, login_as, shop):
    login_as(shop["rep"])
    return client


def test_the_queue_lists_what_waits_on_the_rep_soonest_due_first(db_session, shop, rep_client):
    later = waiting(db_session, shop, hours_ago=1)
    overdue = waiting(db_session, shop, hours_ago=50)
    other_rep = make_user(db_session, Role.SALES_REP)
    elsewhere = waiting(db_session, shop, account=make_account(db_session, sales_rep=other_rep))
    page = rep_client.get("/approvals/").data.decode()
    assert page.index(overdue.number) < page.index(later.number)
    assert elsewhere.number not in page
    assert f'id="approval-{overdue.number}" class="overdue"' in page
    assert "Allowance: €900 of €800 used" in page
    assert "Minimum 10 frames" not in page  # passed rules are not listed
    assert "Our best customer is closing a branch." in page


@pytest.mark.parametrize(
    ("decision", "state"),
    [("approve", "authorized"), ("reject", "rejected"), ("request_changes", "changes_requested")],
)
def test_each_decision_moves_the_rma_and_is_logged(db_session, shop, rep_client, decision, state):
    rma = waiting(db_session, shop)
    response = rep_client.post(
        f"/approvals/{rma.number}/decide", data={"decision": decision, "comment": "Checked"}
    )
    assert response.status_code == 303
    db_session.refresh(rma)
    assert rma.state == state
    event = rma.events[-1]
    assert (event.trigger, event.actor_id, event.comment) == (decision, shop["rep"].id, "Checked")


def test_approving_can_waive_the_restocking_fee(db_session, shop, rep_client):
    rma = waiting(db_session, shop)
    rep_client.post(
        f"/approvals/{rma.number}/decide",
        data={"decision": "approve", "comment": "Fee waived", "restocking_fee_percent": "0"},
    )
    db_session.refresh(rma)
    assert rma.restocking_fee_percent == Decimal("0")
    assert rma.events[-1].data["restocking_fee_percent"] == {"from": None, "to": "0.00"}


@pytest.mark.parametrize(
    "fee", ["150", "sNaN", "NaN", "-Infinity", "1e-999999999", "1e999999999", "12.345", "²"]
)
def test_a_bad_fee_is_refused_and_nothing_changes(db_session, shop, rep_client, fee):
    rma = waiting(db_session, shop)
    response = rep_client.post(
        f"/approvals/{rma.number}/decide",
        data={"decision": "approve", "comment": "OK", "restocking_fee_percent": fee},
    )
    assert response.status_code == 422
    db_session.refresh(rma)
    assert b"Enter a percentage between 0 and 100." in response.data
    assert rma.state == "rep_review" and rma.restocking_fee_percent is None


def test_a_decision_without_the_required_comment_is_refused(db_session, shop, rep_client):
    rma = waiting(db_session, shop)
    response = rep_client.post(f"/approvals/{rma.number}/decide", data={"decision": "approve"})
    assert response.status_code == 422
    assert b"A comment is required" in response.data
    db_session.refresh(rma)
    assert rma.state == "rep_review" and len(rma.events) == 1


def test_an_unknown_decision_is_refused(db_session, shop, rep_client):
    rma = waiting(db_session, shop)
    response = rep_client.post(f"/approvals/{rma.number}/decide", data={"decision": "teleport"})
    assert response.status_code == 422
    db_session.refresh(rma)
    assert rma.state == "rep_review"


def test_htmx_decisions_return_the_refreshed_queue(db_session, shop, rep_client):
    first, second = waiting(db_session, shop), waiting(db_session, shop)
    response = rep_client.post(
        f"/approvals/{first.number}/decide",
        data={"decision": "approve", "comment": "OK"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.data.decode()
    assert "<html" not in body
    assert second.number in body and f"approval-{first.number}" not in body
    assert "approve recorded" in body


def test_another_reps_rma_is_not_found(db_session, shop, client, login_as):
    rma = waiting(db_session, shop)
    login_as(make_user(db_session, Role.SALES_REP))
    response = client.post(f"/approvals/{rma.number}/decide", data={"decision": "approve"})
    assert response.status_code == 404
    db_session.refresh(rma)
    assert rma.state == "rep_review"


def test_retailers_and_warehouse_staff_have_no_queue(db_session, shop, client, login_as):
    for user in (shop["retailer"], shop["warehouse_user"]):
        login_as(user)
        assert client.get("/approvals/").status_code == 403


def test_bulk_approve_reports_what_was_not_approved(db_session, shop, rep_client):
    first, second = waiting(db_session, shop), waiting(db_session, shop)
    not_waiting = make_rma(db_session, shop["account"], shop["version"])
    response = rep_client.post(
        "/approvals/bulk-approve",
        data={"numbers": [first.number, second.number, not_waiting.number], "comment": "OK"},
        follow_redirects=True,
    )
    body = response.data.decode()
    assert f"Approved: {first.number}, {second.number}." in body
    assert f"{not_waiting.number} was not approved: it is not waiting on your approval." in body
    for rma in (first, second):
        db_session.refresh(rma)
        assert rma.state == "authorized" and rma.events[-1].comment == "OK"


def test_bulk_approve_needs_a_selection(db_session, shop, rep_client):
    waiting(db_session, shop)
    response = rep_client.post("/approvals/bulk-approve", data={})
    assert response.status_code == 422
    assert b"Select at least one RMA to approve." in response.data


def test_admins_see_and_decide_every_waiting_rma(db_session, shop, client, login_as):
    rma = waiting(db_session, shop)
    login_as(shop["admin"])
    assert rma.number in client.get("/approvals/").data.decode()
    client.post(f"/approvals/{rma.number}/decide", data={"decision": "reject", "comment": "No"})
    db_session.refresh(rma)
    assert rma.state == "rejected"


def test_queue_query_count_does_not_grow(db_session, shop, rep_client, count_queries):
    waiting(db_session, shop)
    rep_client.get("/approvals/")  # warm the per-process caches (the signals' network)
    count_queries.statements.clear()
    rep_client.get("/approvals/")
    few = len(count_queries)
    for _ in range(5):
        waiting(db_session, shop)
    count_queries.statements.clear()
    rep_client.get("/approvals/")
    assert len(count_queries) == few


def test_deciding_twice_gets_a_clear_conflict(db_session, shop, rep_client):
    rma = waiting(db_session, shop)
    rep_client.post(
        f"/approvals/{rma.number}/decide", data={"decision": "approve", "comment": "OK"}
    )
    again = rep_client.post(
        f"/approvals/{rma.number}/decide", data={"decision": "reject", "comment": "No"}
    )
    assert again.status_code == 409
    assert f"{rma.number} is no longer waiting for your decision.".encode() in again.data


def test_the_queue_is_paginated_and_a_decision_keeps_its_page(db_session, shop, app, rep_client):
    app.config["PAGE_SIZE"] = 2
    soonest_first = [waiting(db_session, shop, hours_ago=h) for h in (40, 30, 20, 10, 5)]
    first = rep_client.get("/approvals/").data.decode()
    third = rep_client.get("/approvals/?page=3").data.decode()
    assert [rma.number in first for rma in soonest_first] == [True, True, False, False, False]
    assert [rma.number in third for rma in soonest_first] == [False] * 4 + [True]
    assert "1–2 of 5" in first and "Page 1 of 3" in first
    second = rep_client.get("/approvals/?page=2").data.decode()
    assert f'action="/approvals/{soonest_first[2].number}/decide?page=2"' in second

    response = rep_client.post(
        f"/approvals/{soonest_first[2].number}/decide?page=2",
        data={"decision": "approve", "comment": "OK"},
        headers={"HX-Request": "true"},
    )
    body = response.data.decode()
    assert soonest_first[3].number in body and soonest_first[4].number in body
    assert soonest_first[0].number not in body  # still page 2, one RMA fewer
