"""The message thread: posting, validation, and notifying the other side."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import Channel, OutboxMessage, RmaMessage, Role
from tests.factories import make_retailer, make_user
from tests.world import authorized_rma

HTMX = {"HX-Request": "true"}


def post(client, rma, body, headers=None):
    return client.post(f"/rmas/{rma.number}/messages", data={"body": body}, headers=headers or {})


def messages_of(session, rma) -> list[RmaMessage]:
    return list(session.scalars(select(RmaMessage).where(RmaMessage.rma_id == rma.id)))


def notified(session, rma) -> set[tuple[Channel, int]]:
    rows = session.execute(
        select(OutboxMessage.channel, OutboxMessage.recipient_user_id).where(
            OutboxMessage.rma_id == rma.id, OutboxMessage.template == "rma_message"
        )
    )
    return {(channel, user) for channel, user in rows}


def test_a_retailer_message_is_shown_and_notifies_the_rep(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = post(client, rma, "  When will the pickup be?\nThanks  ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rmas/{rma.number}#messages")
    (message,) = messages_of(db_session, rma)
    assert message.body == "When will the pickup be?\nThanks"
    assert message.author_id == world.retailer.id
    assert notified(db_session, rma) == {
        (Channel.EMAIL, world.rep.id),
        (Channel.IN_APP, world.rep.id),
    }
    email = db_session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.rma_id == rma.id,
            OutboxMessage.template == "rma_message",
            OutboxMessage.channel == Channel.EMAIL,
        )
    )
    assert email.recipient_address == world.rep.email
    assert email.payload["message"] == "When will the pickup be?\nThanks"
    assert email.payload["state_label"] == "Authorized"
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert "When will the pickup be?\nThanks" in page
    assert "Olga Optician · Retailer" in page


def test_staff_messages_notify_the_accounts_retailer_users(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    colleague = make_retailer(db_session, world.account, name="Carl Colleague")
    make_retailer(db_session, world.account, name="Gone Away", is_active=False)
    login_as(world.warehouse_user)
    assert post(client, rma, "Parcel arrived damaged.").status_code == 303
    assert {user for _, user in notified(db_session, rma)} == {world.retailer.id, colleague.id}


def test_staff_who_wrote_in_the_thread_hear_the_retailers_answer(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    login_as(world.warehouse_user)
    post(client, rma, "Which parcel service?")
    db_session.execute(OutboxMessage.__table__.delete().where(OutboxMessage.rma_id == rma.id))
    login_as(world.retailer)
    post(client, rma, "DHL.")
    assert {user for _, user in notified(db_session, rma)} == {
        world.rep.id,
        world.warehouse_user.id,
    }


def test_without_a_rep_a_retailer_message_goes_to_the_admins(client, db_session, login_as, world):
    world.account.sales_rep_id = None
    db_session.flush()
    rma = authorized_rma(db_session, world)
    second_admin = make_user(db_session, Role.ADMIN)
    login_as(world.retailer)
    post(client, rma, "Anyone there?")
    assert {user for _, user in notified(db_session, rma)} >= {world.admin.id, second_admin.id}


def test_an_htmx_post_answers_with_the_thread_and_an_empty_form(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    login_as(world.rep)
    response = post(client, rma, "Approved, ship when ready.", headers=HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section class="card" id="rma-messages"')
    assert "Approved, ship when ready." in body
    assert re.search(r"<textarea[^>]*>\s*</textarea>", body)  # the form is empty again


def test_an_empty_message_is_refused_and_nothing_is_written(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    for body in ("", "   \n  "):
        response = post(client, rma, body)
        assert response.status_code == 422
        assert "Write a message before sending it." in response.get_data(as_text=True)
    assert messages_of(db_session, rma) == []
    assert notified(db_session, rma) == set()


def test_a_too_long_message_is_refused_and_kept_for_editing(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    text = "a" * 4001
    response = post(client, rma, text, headers=HTMX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "A message can be at most 4,000 characters long." in body
    assert text in body
    assert messages_of(db_session, rma) == []
    assert (
        db_session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.template == "rma_message")
        )
        == 0
    )


def test_a_message_of_exactly_the_limit_is_accepted(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    assert post(client, rma, "b" * 4000).status_code == 303
    assert len(messages_of(db_session, rma)[0].body) == 4000


def test_markup_in_a_message_is_shown_as_text(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    post(client, rma, "<script>alert(1)</script>")
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
