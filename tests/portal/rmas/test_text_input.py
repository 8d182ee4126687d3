"""Hostile text through HTTP: a NUL or control character in a field, a path or a query is
a 4xx with a message, and nothing changes (on PostgreSQL, where NUL used to be a 500, too)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from models import RmaMessage
from portal import create_app
from tests.portal.rmas.test_messages import messages_of, post
from tests.support import TEST_CONFIG
from tests.world import authorized_rma

HTMX = {"HX-Request": "true"}
UNSTORABLE = "can&#39;t be stored"


@pytest.mark.parametrize("body", ["Pick\x00up?", "Pick\x1bup?", "bell\x07"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_a_control_character_in_a_message_is_a_field_error(
    client, db_session, login_as, world, body, headers
):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = post(client, rma, body, headers)
    assert response.status_code == 422
    assert UNSTORABLE in response.get_data(as_text=True)
    assert messages_of(db_session, rma) == []


def test_an_over_long_message_is_refused(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = post(client, rma, "x" * 100_001)
    assert response.status_code == 422
    assert "characters long" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(RmaMessage.id))) == 0


@pytest.mark.parametrize("suffix", ["\x00", "%00", "\x01", "%0A", "%1B"])
@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("retailer", "GET", "/rmas/{number}"),
        ("retailer", "GET", "/rmas/{number}/label.pdf"),
        ("retailer", "GET", "/requests/{number}"),
        ("warehouse", "GET", "/warehouse/rmas/{number}"),
        ("rep", "POST", "/rmas/{number}/messages"),
    ],
)
def test_an_rma_number_with_control_characters_is_404(
    client, db_session, login_as, world, who, method, path, suffix
):
    rma = authorized_rma(db_session, world)
    login_as(world.person(who))
    url = path.format(number=rma.number + suffix)
    response = client.open(url, method=method, data={"body": "Hello"})
    assert response.status_code == 404
    assert messages_of(db_session, rma) == []
    assert "does not exist" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["format=%FF", "format=%C3%28", "x%FE=1"],
)
def test_a_query_that_is_not_utf8_is_400(client, db_session, login_as, world, query):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = client.get(f"/rmas/{rma.number}/label.pdf?{query}")
    assert response.status_code == 400
    assert "not UTF-8 text" in response.get_data(as_text=True)


def test_a_form_body_that_is_not_utf8_is_400_and_stores_nothing(
    client, db_session, login_as, world
):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = client.post(
        f"/rmas/{rma.number}/messages",
        data=b"body=caf%E9",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "not UTF-8 text" in response.get_data(as_text=True)
    assert messages_of(db_session, rma) == []


def test_a_nul_that_reaches_postgresql_is_400_and_rolled_back(connection, backend, world):
    """The last line, for a value no form checked: here, a route made to forget."""
    app = create_app(TEST_CONFIG, db_bind=connection)

    @app.route("/forgetful", methods=["POST"])
    def forgetful():
        from flask import request

        from portal.db import get_session

        session = get_session()
        session.execute(text("UPDATE users SET name = 'changed'"))
        session.execute(text("SELECT :value"), {"value": request.form["value"]})
        session.commit()
        return "stored"

    response = app.test_client().post("/forgetful", data={"value": "a\x00b"})
    if backend == "sqlite":  # SQLite stores NUL: nothing to catch there
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    names = connection.scalars(text("SELECT name FROM users")).all()
    assert names and "changed" not in names
