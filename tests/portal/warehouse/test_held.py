"""Units held apart (over-received, or not on the RMA): a decision by the account's rep or
an admin, then, for a return to the sender, the warehouse ships them back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import HeldDecision, RmaEvent, Role, UnexpectedItem
from portal.warehouse.corrections import correct_receipt
from portal.warehouse.held import HeldRefused, decide_held, mark_held_shipped, open_held
from portal.warehouse.operations import ReceivingError, UnconfirmedReceipt, Unexpected, receive
from tests.factories import make_user
from tests.portal.warehouse.helpers import lines_of


@pytest.fixture
def held(db_session, shop, awaiting):
    """Received with 2 AUR-1 over the 4 authorised and a case not on the RMA."""
    aurora, velo = lines_of(awaiting)
    counts, case = {aurora.id: 6, velo.id: 3}, [Unexpected("Sunglasses case", 1)]
    with pytest.raises(UnconfirmedReceipt) as asked:
        receive(db_session, awaiting, shop["warehouse_user"], counts, case)
    receive(
        db_session,
        awaiting,
        shop["warehouse_user"],
        counts,
        case,
        confirmation=asked.value.signature,
    )
    return awaiting


def decision(line, choice: str, comment: str) -> dict:
    """The decision form of one line's held units as the browser posts it."""
    return {f"lines-{line.id}-decision": choice, f"lines-{line.id}-comment": comment}


def the_case(db_session) -> UnexpectedItem:
    return db_session.scalars(select(UnexpectedItem)).one()


def test_the_rep_decides_and_the_warehouse_ships_back(db_session, shop, held):
    aurora, _velo = lines_of(held)
    decided = decide_held(
        db_session, held, aurora, shop["rep"], HeldDecision.RETURN_TO_SENDER, "Not ordered"
    )
    assert decided.waiting_for == "shipment" and aurora.excess_decision == "return_to_sender"
    with pytest.raises(HeldRefused, match="decided already"):
        decide_held(db_session, held, aurora, shop["admin"], HeldDecision.DISPOSE, "Changed")
    mark_held_shipped(db_session, held, aurora, shop["warehouse_user"])
    assert aurora.excess_shipped_at is not None
    with pytest.raises(HeldRefused, match="already shipped back"):
        mark_held_shipped(db_session, held, aurora, shop["warehouse_user"])
    decision, shipment = db_session.scalars(
        select(RmaEvent)
        .where(RmaEvent.trigger.in_(("decide_held", "ship_held")))
        .order_by(RmaEvent.id)
    ).all()
    assert (decision.actor_id, decision.comment) == (shop["rep"].id, "Not ordered")
    assert decision.data["label"] == "Held units: return to sender — AUR-1 × 2"
    assert shipment.data["label"] == "Held units shipped back to the sender — AUR-1 × 2"
    assert held.state == "received"  # events, not transitions


def test_disposed_units_are_never_shipped(db_session, shop, held):
    case = the_case(db_session)
    decide_held(db_session, held, case, shop["admin"], HeldDecision.DISPOSE, "Retailer agreed")
    assert case.decision == "dispose"
    with pytest.raises(HeldRefused, match="not decided to be returned"):
        mark_held_shipped(db_session, held, case, shop["warehouse_user"])


def test_who_may_decide_and_ship(db_session, shop, held):
    aurora, _velo = lines_of(held)
    other_rep = make_user(db_session, Role.SALES_REP)
    for actor in (other_rep, shop["warehouse_user"], shop["retailer"]):
        with pytest.raises(HeldRefused, match="sales rep or an admin"):
            decide_held(db_session, held, aurora, actor, HeldDecision.DISPOSE, "No")
    with pytest.raises(HeldRefused, match="needs a comment"):
        decide_held(db_session, held, aurora, shop["rep"], HeldDecision.DISPOSE, "  ")
    decide_held(db_session, held, aurora, shop["rep"], HeldDecision.RETURN_TO_SENDER, "Back")
    with pytest.raises(HeldRefused, match="warehouse staff and admins"):
        mark_held_shipped(db_session, held, aurora, shop["rep"])
    assert aurora.excess_shipped_at is None


def test_a_decided_excess_cannot_be_corrected_away(db_session, shop, held):
    aurora, _velo = lines_of(held)
    decide_held(db_session, held, aurora, shop["rep"], HeldDecision.RETURN_TO_SENDER, "Back")
    with pytest.raises(ReceivingError, match="already decided on"):
        correct_receipt(db_session, held, aurora, shop["warehouse_user"], 5, "Recount")
    assert aurora.quantity_received == 6


def test_the_queues_show_what_waits_on_each_role(db_session, shop, held):
    aurora, _velo = lines_of(held)
    other_rep = make_user(db_session, Role.SALES_REP)
    waiting = [(h.sku, h.quantity, h.waiting_for) for h in open_held(db_session, shop["rep"])]
    assert waiting == [("AUR-1", 2, "decision"), ("—", 1, "decision")]
    assert open_held(db_session, other_rep) == []  # another account's rep sees nothing
    assert open_held(db_session, shop["warehouse_user"]) == []  # nothing to ship yet
    decide_held(db_session, held, aurora, shop["rep"], HeldDecision.RETURN_TO_SENDER, "Back")
    shipping = open_held(db_session, shop["warehouse_user"])
    assert [(h.sku, h.waiting_for) for h in shipping] == [("AUR-1", "shipment")]
    assert len(open_held(db_session, shop["admin"])) == 2


# --- through HTTP ------------------------------------------------------------------------


def test_the_rep_decides_from_the_queue(client, login_as, db_session, shop, held):
    aurora, _velo = lines_of(held)
    login_as(shop["rep"])
    page = client.get("/held-apart/").data.decode()
    assert held.number in page and "Awaiting a decision" in page and "Record decision" in page
    url = f"/held-apart/{held.number}/lines/{aurora.id}/decide"
    refused = client.post(url, data=decision(aurora, "return_to_sender", ""))
    assert refused.status_code == 422 and "a decision needs a comment" in refused.data.decode()
    unknown = client.post(url, data=decision(aurora, "burn", "x"))
    assert unknown.status_code == 422 and "Not a valid choice" in unknown.data.decode()
    assert aurora.excess_decision is None
    done = client.post(url, data=decision(aurora, "return_to_sender", "Not ordered"))
    assert done.status_code == 303
    db_session.refresh(aurora)
    assert aurora.excess_decision == "return_to_sender"
    timeline = client.get(f"/rmas/{held.number}").data.decode()
    assert "Held units: return to sender — AUR-1 × 2" in timeline and "Not ordered" in timeline
    assert "Return to sender: to ship back" in timeline  # the held-apart list on the RMA page


def test_the_warehouse_marks_returned_units_shipped(client, login_as, db_session, shop, held):
    case = the_case(db_session)
    decide_held(db_session, held, case, shop["rep"], HeldDecision.RETURN_TO_SENDER, "Back")
    login_as(shop["warehouse_user"])
    page = client.get("/held-apart/").data.decode()
    assert "Mark shipped back" in page and "Record decision" not in page
    response = client.post(f"/held-apart/{held.number}/items/{case.id}/shipped")
    assert response.status_code == 303
    db_session.refresh(case)
    assert case.shipped_at is not None
    again = client.post(f"/held-apart/{held.number}/items/{case.id}/shipped")
    assert again.status_code == 422 and "already shipped back" in again.data.decode()


@pytest.mark.parametrize(
    "path",
    [
        "lines/99999999999999999999/decide",
        "items/0/decide",
        "lines/-1/decide",
        "things/1/decide",
        "lines/abc/decide",
    ],
)
def test_hostile_targets_are_refused_cleanly(client, login_as, shop, held, path):
    login_as(shop["admin"])
    response = client.post(
        f"/held-apart/{held.number}/{path}", data={"decision": "dispose", "comment": "x"}
    )
    assert response.status_code in (404, 422)


def test_a_line_of_another_rma_is_not_held_here(client, login_as, db_session, shop, held):
    from tests.factories import make_rma_with_lines

    other = make_rma_with_lines(
        db_session,
        shop["account"],
        shop["version"],
        [(shop["order"].lines[0], 1)],
        state="awaiting_receipt",
        return_type=held.return_type,
    )
    login_as(shop["admin"])
    aurora, _velo = lines_of(held)
    response = client.post(
        f"/held-apart/{other.number}/lines/{aurora.id}/decide",
        data=decision(aurora, "dispose", "x"),
    )
    assert response.status_code == 422 and "not held apart on this RMA" in response.data.decode()
    db_session.refresh(aurora)
    assert aurora.excess_decision is None


def test_nul_bytes_in_the_comment_are_refused(client, login_as, db_session, shop, held):
    login_as(shop["admin"])
    aurora, _velo = lines_of(held)
    response = client.post(
        f"/held-apart/{held.number}/lines/{aurora.id}/decide",
        data=decision(aurora, "dispose", "ok\x00"),
    )
    assert response.status_code == 422
    db_session.refresh(aurora)
    assert aurora.excess_decision is None
