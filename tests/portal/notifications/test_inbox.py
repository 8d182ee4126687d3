"""In-app notifications: the header count for every role, the list, marking read."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import Channel, OutboxMessage
from tests.world import authorized_rma

HTMX = {"HX-Request": "true"}


def notify(session, user, rma=None, template="rma_authorized", **payload):
    row = OutboxMessage(
        channel=Channel.IN_APP,
        template=template,
        recipient_user_id=user.id,
        rma_id=rma.id if rma else None,
        payload={"rma_number": rma.number if rma else None, "actor_name": "Rita Rep", **payload},
    )
    session.add(row)
    session.flush()
    return row


def badge(html: str) -> str:
    return re.search(r'<span id="unread-count" class="badge[^"]*">(\d+)</span>', html).group(1)


@pytest.mark.parametrize("who", ["retailer", "rep", "admin", "warehouse"])
def test_every_role_sees_its_unread_count_in_the_header(client, db_session, login_as, world, who):
    user = world.person(who)
    for _ in range(2):
        notify(db_session, user)
    notify(db_session, world.other_retailer)  # someone else's
    login_as(user)
    assert badge(client.get("/notifications/").get_data(as_text=True)) == "2"


def test_the_list_shows_only_my_notifications_newest_first(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    notify(db_session, world.retailer, rma, template="rma_received")
    notify(db_session, world.retailer, rma, template="rma_message", message="Box is blue")
    notify(db_session, world.other_retailer, rma, template="rma_closed")
    login_as(world.retailer)
    page = client.get("/notifications/").get_data(as_text=True)
    assert f"{rma.number} has arrived at the warehouse" in page
    assert f"New message about {rma.number}" in page
    assert "Box is blue" in page
    assert "is closed" not in page
    assert page.index("New message about") < page.index("has arrived")


def test_opening_a_notification_marks_it_read_and_goes_to_the_rma(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    row = notify(db_session, world.retailer, rma)
    login_as(world.retailer)
    assert badge(client.get("/notifications/").get_data(as_text=True)) == "2"  # + authorized
    response = client.post(f"/notifications/{row.id}/open")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rmas/{rma.number}")
    db_session.refresh(row)
    assert row.read_at is not None
    assert badge(client.get("/notifications/").get_data(as_text=True)) == "1"


def test_someone_elses_notification_is_404(client, db_session, login_as, world):
    row = notify(db_session, world.other_retailer)
    login_as(world.retailer)
    assert client.post(f"/notifications/{row.id}/open").status_code == 404
    assert client.post(f"/notifications/{row.id}/read").status_code == 404
    db_session.refresh(row)
    assert row.read_at is None


def test_an_email_row_is_not_an_in_app_notification(client, db_session, login_as, world):
    row = OutboxMessage(
        channel=Channel.EMAIL, template="rma_closed", recipient_user_id=world.retailer.id
    )
    db_session.add(row)
    db_session.flush()
    login_as(world.retailer)
    assert client.post(f"/notifications/{row.id}/read").status_code == 404


def test_mark_one_and_mark_all_read(client, db_session, login_as, world):
    rows = [notify(db_session, world.retailer) for _ in range(3)]
    theirs = notify(db_session, world.other_retailer)
    login_as(world.retailer)
    response = client.post(f"/notifications/{rows[0].id}/read", headers=HTMX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert 'id="unread-count" hx-swap-oob="outerHTML"' in fragment
    assert re.search(r'hx-swap-oob="outerHTML" class="badge">2<', fragment)
    assert client.post("/notifications/read-all").status_code == 303
    unread = db_session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.read_at.is_(None))
    ).all()
    assert unread == [theirs.id]


def test_the_unread_filter(client, db_session, login_as, world):
    read = notify(db_session, world.retailer, template="rma_closed", rma_number="RMA-1")
    notify(db_session, world.retailer, template="rma_received", rma_number="RMA-2")
    login_as(world.retailer)
    client.post(f"/notifications/{read.id}/read")
    page = client.get("/notifications/?unread=y").get_data(as_text=True)
    assert "RMA-2 has arrived" in page and "RMA-1 is closed" not in page
    assert "RMA-1 is closed" in client.get("/notifications/").get_data(as_text=True)


def test_state_changes_reach_the_inbox(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    page = client.get("/notifications/").get_data(as_text=True)
    assert f"{rma.number} is authorized: print the return label" in page
    assert badge(page) == "1"
