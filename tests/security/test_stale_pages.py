"""A button pressed on a page opened before someone else acted: a clear answer, no change.

The sequential half of test_races.py, so both backends check the wording.
"""

from __future__ import annotations

from sqlalchemy import func, select

from models import CreditMemo, RmaEvent
from tests.support import sign_in


def test_resolving_an_rma_already_credited_says_so(world_app, world, db_session):
    admin = sign_in(world_app.test_client(), world.users["admin"].id)
    events = db_session.scalar(select(func.count(RmaEvent.id)))
    response = admin.post(
        f"/admin/rmas/{world.rmas['credited'].number}/resolve", data={"resolution": "credit"}
    )
    # A resolve posted from a stale page finds it resolved, says so and shows the RMA.
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rmas/{world.rmas['credited'].number}")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{world.rmas['credited'].number} was already resolved (Credit memo)" in page
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 1
    assert db_session.scalar(select(func.count(RmaEvent.id))) == events


def test_deciding_an_rma_no_longer_waiting_is_a_conflict(world_app, world, db_session):
    rep = sign_in(world_app.test_client(), world.users["rep_a"].id)
    url = f"/approvals/{world.rmas['approval'].number}/decide"
    first = rep.post(
        url, data={"decision": "approve", "comment": "Fine", "restocking_fee_percent": "0"}
    )
    assert first.status_code == 303
    second = rep.post(url, data={"decision": "approve", "comment": "Fine"})
    assert second.status_code == 409
    assert "no longer waiting for your decision" in second.get_data(as_text=True)
    approvals = select(func.count(RmaEvent.id)).where(
        RmaEvent.rma_id == world.rmas["approval"].id, RmaEvent.trigger == "approve"
    )
    assert db_session.scalar(approvals) == 1
