"""Workflow actions fired through HTTP: success, refusals with their message, conflicts."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import event, func, select, text, update
from sqlalchemy.orm import Session

from models import OutboxMessage, Rma, RmaEvent
from tests.world import add_rma, authorized_rma, rma_in_rep_review
from workflow_designer.runtime.firing import fire

HTMX = {"HX-Request": "true"}


def post_action(client, rma, trigger, version=None, headers=None, **fields):
    data = {"trigger": trigger, "version": rma.version if version is None else version, **fields}
    return client.post(f"/rmas/{rma.number}/actions", data=data, headers=headers or {})


def events_of(session, rma) -> int:
    return session.scalar(select(func.count()).where(RmaEvent.rma_id == rma.id))


def test_the_retailer_ships_and_is_sent_back_to_the_page(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = post_action(client, rma, "ship")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rmas/{rma.number}")
    db_session.refresh(rma)
    assert rma.state == "awaiting_receipt"
    assert rma.events[-1].trigger == "ship"
    assert rma.events[-1].actor_id == world.retailer.id
    warehouse_mail = db_session.scalar(
        select(func.count()).where(
            OutboxMessage.rma_id == rma.id,
            OutboxMessage.template == "rma_shipped",
            OutboxMessage.recipient_user_id == world.warehouse_user.id,
        )
    )
    assert warehouse_mail == 2  # an e-mail and an in-app notification
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mark as shipped: done." in page
    assert "<strong>Awaiting receipt</strong>" in page


def test_an_htmx_action_answers_with_the_updated_page_block(client, db_session, login_as, world):
    rma = rma_in_rep_review(db_session, world)
    login_as(world.rep)
    response = post_action(client, rma, "approve", headers=HTMX, comment="Loyal customer")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="rma-main"')
    assert "<html" not in body
    assert "Approve exception: done." in body
    assert "Loyal customer" in body  # the comment is in the timeline already
    db_session.refresh(rma)
    assert rma.state == "authorized"


def test_a_missing_required_comment_is_refused_with_its_message(
    client, db_session, login_as, world
):
    rma = rma_in_rep_review(db_session, world)
    before = events_of(db_session, rma)
    login_as(world.rep)
    response = post_action(client, rma, "reject", comment="   ")
    assert response.status_code == 422
    assert "A comment is required to reject." in response.get_data(as_text=True)
    db_session.refresh(rma)
    assert rma.state == "rep_review"
    assert events_of(db_session, rma) == before


def test_an_action_the_role_may_not_take_is_403(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.warehouse_user)
    response = post_action(client, rma, "ship")
    assert response.status_code == 403
    assert f"You may not do that on {rma.number}." in response.get_data(as_text=True)
    db_session.refresh(rma)
    assert rma.state == "authorized"


def test_an_action_not_possible_in_this_state_is_422(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = post_action(client, rma, "close")
    assert response.status_code == 422
    assert f"That is not possible while {rma.number} is authorized." in (
        response.get_data(as_text=True)
    )


def test_submitting_is_left_to_the_request_form(app, client, db_session, login_as, world):
    rma = add_rma(db_session, world, policy_passed=True)
    login_as(world.retailer)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert 'value="submit"' not in page
    if "requests.draft" in app.view_functions:  # the request flow is its own feature
        with app.test_request_context():
            assert f'href="{url_for("requests.draft", number=rma.number)}"' in page
        assert "This return is a draft." in page
    response = post_action(client, rma, "submit")
    assert response.status_code == 403
    assert "from its request form" in response.get_data(as_text=True)
    db_session.refresh(rma)
    assert rma.state == "draft" and rma.submitted_at is None


def test_disabled_options_show_why_and_required_comments_are_asked_for(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    rma.state = "inspected"  # the back office's steps are not what this test is about
    db_session.flush()
    login_as(world.admin)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    # The resolution is chosen on the resolve page, so resolving is a link to it.
    assert f'href="/admin/rmas/{rma.number}/resolve">Resolve and credit</a>' in page
    ship_back = page[page.index('value="return_to_retailer"') :]
    ship_back = ship_back[: ship_back.index("</form>")]
    assert "No line is flagged with a discrepancy." in ship_back
    assert 'name="comment"' in ship_back and "required" in ship_back


def test_a_refused_comment_action_keeps_what_was_typed(client, db_session, login_as, world):
    rma = rma_in_rep_review(db_session, world)
    login_as(world.rep)
    long_comment = "x" * 2001
    response = post_action(client, rma, "reject", comment=long_comment)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "at most 2,000 characters" in body
    assert f">{long_comment}</textarea>" in body


def test_acting_on_a_page_someone_changed_since_is_a_409(client, db_session, login_as, world):
    rma = rma_in_rep_review(db_session, world)
    seen = rma.version
    # Someone else changed the RMA after the page was shown.
    db_session.execute(update(Rma).where(Rma.id == rma.id).values(version=Rma.version + 1))
    before = events_of(db_session, rma)
    login_as(world.rep)
    response = post_action(client, rma, "approve", version=seen, comment="ok")
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "was changed by someone else since you opened it" in body
    db_session.expire_all()
    assert db_session.get(Rma, rma.id).state == "rep_review"
    assert events_of(db_session, rma) == before


@pytest.fixture
def bump_version_during_flush(connection):
    """Simulate a concurrent transaction: bump the RMA's version just before the fire's
    UPDATE reaches the database, so its version check finds nothing to update."""
    state = {"rma_id": None, "done": False}

    def bump(session: Session, _context, _instances):
        if state["rma_id"] is None or state["done"]:
            return
        if any(isinstance(o, Rma) and o.id == state["rma_id"] for o in session.dirty):
            state["done"] = True
            session.connection().execute(
                text("UPDATE rmas SET version = version + 1 WHERE id = :id"),
                {"id": state["rma_id"]},
            )

    event.listen(Session, "before_flush", bump)
    yield state
    event.remove(Session, "before_flush", bump)


def test_a_concurrent_change_during_the_action_is_a_409(
    client, db_session, login_as, world, bump_version_during_flush
):
    rma = rma_in_rep_review(db_session, world)
    before = events_of(db_session, rma)
    login_as(world.rep)
    bump_version_during_flush["rma_id"] = rma.id
    response = post_action(client, rma, "approve", comment="ok")
    assert bump_version_during_flush["done"]
    assert response.status_code == 409
    assert "was changed by someone else at the same time" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Rma, rma.id).state == "rep_review"
    assert events_of(db_session, rma) == before


def test_a_form_without_the_version_is_refused(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = client.post(f"/rmas/{rma.number}/actions", data={"trigger": "ship"})
    assert response.status_code == 422
    assert "Reload the page and try again." in response.get_data(as_text=True)
    db_session.refresh(rma)
    assert rma.state == "authorized"


def test_a_rep_of_another_account_cannot_act(client, db_session, login_as, world):
    rma = rma_in_rep_review(db_session, world)
    login_as(world.other_rep)
    assert post_action(client, rma, "approve", comment="ok").status_code == 404


def test_after_changes_were_requested_the_retailer_sends_it_back_from_here(
    client, db_session, login_as, world
):
    rma = rma_in_rep_review(db_session, world)
    fire(db_session, rma, "request_changes", world.rep, comment="Add the invoice photo.")
    db_session.flush()
    login_as(world.retailer)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert 'value="submit"' in page
    response = post_action(client, rma, "submit", comment="Photo sent by message.")
    assert response.status_code == 303
    db_session.refresh(rma)
    assert rma.state == "rep_review"
    assert rma.events[-1].comment == "Photo sent by message."


def test_receiving_is_a_link_to_the_warehouse_form_not_a_bare_button(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    fire(db_session, rma, "ship", world.retailer)
    db_session.flush()
    login_as(world.warehouse_user)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert f'href="/warehouse/rmas/{rma.number}">Receive the parcel</a>' in page
    assert 'name="trigger" value="receive"' not in page


def test_receiving_posted_to_the_rma_page_is_refused_and_changes_nothing(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    fire(db_session, rma, "ship", world.retailer)
    db_session.flush()
    before = events_of(db_session, rma)
    login_as(world.warehouse_user)
    response = post_action(client, rma, "receive")
    assert response.status_code == 403
    assert "the received quantities are counted there" in response.get_data(as_text=True)
    db_session.refresh(rma)
    assert rma.state == "awaiting_receipt"
    assert events_of(db_session, rma) == before
