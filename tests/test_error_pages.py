"""The error page itself must render after the request's database work failed."""

from __future__ import annotations

from contextlib import suppress

import pytest
from sqlalchemy.exc import IntegrityError

from models import Role, User
from portal import create_app
from portal.db import get_session
from tests.conftest import TEST_CONFIG
from tests.factories import make_user


@pytest.fixture
def failing_app(connection):
    app = create_app({**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False}, db_bind=connection)

    @app.route("/_fail_after_a_flush")
    def fail_after_a_flush():
        session = get_session()
        session.add(User(email="dup@example.com", name="One", role=Role.ADMIN, password_hash="x"))
        session.add(User(email="dup@example.com", name="Two", role=Role.ADMIN, password_hash="x"))
        with suppress(IntegrityError):  # a bug: the failed transaction is left behind
            session.flush()
        raise RuntimeError("after a failed flush")

    return app


def test_a_500_after_a_failed_flush_still_shows_the_error_page(failing_app, db_session):
    admin = make_user(db_session, Role.ADMIN, name="Ada Admin")
    db_session.flush()
    client = failing_app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(admin.id)
        cookie["_fresh"] = True
    response = client.get("/_fail_after_a_flush")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "<h1>500</h1>" in body
    assert "Ada Admin" in body  # the layout still loaded the user
