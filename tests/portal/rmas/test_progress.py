"""Progress in plain words for workflows other than the templates: a named approver, events
that were not transitions, triggers without a transition any more."""

from __future__ import annotations

import pytest

from models import RmaEvent
from tests.factories import make_published_workflow, make_rma

DOC = {
    "schema": 1,
    "initial": "draft",
    "states": [
        {"name": "draft", "label": "Draft"},
        {
            "name": "review",
            "label": "Quality review",
            "description": "Our quality lead looks at your photos.",
            "approval": {
                "step": 1,
                "approver": {"kind": "user", "user_id": 0},
                "when": {"kind": "always"},
                "sla_hours": 24,
                "escalate_to": "admins",
            },
        },
        {"name": "done", "label": "Done", "final": True},
    ],
    "transitions": [
        {
            "trigger": "submit",
            "label": "Send",
            "source": "draft",
            "dest": "review",
            "roles": ["retailer"],
        },
        {
            "trigger": "accept",
            "label": "Accept",
            "source": "review",
            "dest": "done",
            "roles": ["warehouse", "admin"],
        },
    ],
}


def test_a_named_approver_and_foreign_events_read_well(client, db_session, login_as, world):
    doc = {**DOC, "states": [dict(s) for s in DOC["states"]]}
    doc["states"][1]["approval"] = {
        **DOC["states"][1]["approval"],
        "approver": {"kind": "user", "user_id": world.warehouse_user.id},
    }
    version = make_published_workflow(db_session, config=doc)
    rma = make_rma(db_session, world.account, version, state="review")
    db_session.add_all(
        [
            RmaEvent(
                rma_id=rma.id,
                actor_id=world.warehouse_user.id,
                trigger="receive_lines",
                from_state="review",
                to_state="review",
                data={"label": "Received 3 units"},
            ),
            RmaEvent(
                rma_id=rma.id,
                actor_id=None,
                trigger="escalate_step",
                from_state="review",
                to_state="review",
            ),
        ]
    )
    db_session.flush()
    login_as(world.retailer)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert "<strong>Quality review</strong>" in page
    assert "Our quality lead looks at your photos." in page
    assert "Waiting for Walter Warehouse" in page
    assert "<strong>Accept</strong> → Done" in page
    assert "by Walter Warehouse" in page
    assert "<strong>Received 3 units</strong>" in page
    assert "</time> · Rotaflow</div>" in page  # an event nobody fired by hand
    assert "<strong>Escalate step</strong>" in page
    login_as(world.warehouse_user)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert "Waiting for you" in page
    assert 'value="accept"' in page


def test_an_escalated_step_names_whoever_it_waits_for_now(client, db_session, login_as, world):
    from models import Rma
    from tests.world import rma_in_rep_review

    if not hasattr(Rma, "approver_role"):
        pytest.skip("needs the approval routing's approver columns (back office)")
    rma = rma_in_rep_review(db_session, world)
    login_as(world.retailer)
    assert "Waiting for your sales rep Rita Rep" in client.get(f"/rmas/{rma.number}").get_data(
        as_text=True
    )
    # Escalation (the approval routing) moves the approver to the admins.
    rma.approver_user_id, rma.approver_role = None, "admin"
    db_session.flush()
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert "Waiting for a returns manager" in page
