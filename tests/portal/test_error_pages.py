"""The error page itself must render after the request's database work failed; it shows
the reference its log lines carry, and closing the session never turns into a 500."""

from __future__ import annotations

import logging
from contextlib import suppress
from urllib.parse import unquote

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Role, User
from portal import create_app
from portal.db import get_session
from portal.web import _message_header
from tests.factories import make_user
from tests.support import TEST_CONFIG


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

    @app.route("/_unhandled_integrity_error")
    def unhandled_integrity_error():
        session = get_session()
        session.add(User(email="dup@example.com", name="One", role=Role.ADMIN, password_hash="x"))
        session.add(User(email="dup@example.com", name="Two", role=Role.ADMIN, password_hash="x"))
        session.flush()

    @app.route("/_fail")
    def fail():
        raise RuntimeError("a bug")

    @app.route("/_close_fails")
    def close_fails():
        session = get_session()
        session.scalar(select(User.id).limit(1))

        def broken_close():
            raise ConnectionResetError("the connection went away while closing")

        session.close = broken_close
        return "answered"

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


def test_a_500_shows_the_reference_of_its_log_line(failing_app, caplog, capsys):
    capsys.readouterr()
    response = failing_app.test_client().get("/_fail")
    assert response.status_code == 500
    reference = response.headers["X-Request-ID"]
    page = response.get_data(as_text=True)
    assert f'<code class="reference">{reference}</code>' in page
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info and "a bug" in str(record.exc_info[1])
    assert record.request_id == reference
    (line,) = [line for line in capsys.readouterr().err.splitlines() if " ERROR " in line]
    assert f"ERROR portal [{reference}] Exception on /_fail [GET]" in line


def test_a_refused_statement_is_a_500_not_a_503(failing_app, caplog):
    response = failing_app.test_client().get("/_unhandled_integrity_error")
    assert response.status_code == 500 and "Retry-After" not in response.headers
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert isinstance(record.exc_info[1], IntegrityError)
    assert record.request_id in response.get_data(as_text=True)


def test_a_reference_a_proxy_sent_is_the_one_shown(failing_app, caplog):
    response = failing_app.test_client().get("/_fail", headers={"X-Request-ID": "edge-7"})
    assert '<code class="reference">edge-7</code>' in response.get_data(as_text=True)
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.request_id == "edge-7"


def test_a_failure_to_close_the_session_is_logged_not_a_500(failing_app, caplog):
    response = failing_app.test_client().get("/_close_fails")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "answered")
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == "closing the database session failed"
    assert isinstance(record.exc_info[1], ConnectionResetError)


def test_pages_that_are_not_server_errors_show_no_reference(client):
    assert "reference" not in client.get("/no-such-page").get_data(as_text=True)


def test_an_htmx_refusal_carries_its_message_in_a_header(client, login_as, db_session):
    """htmx keeps error answers out of the page; the header is what the page shows."""
    login_as(make_user(db_session, Role.ADMIN))
    missing = client.get("/admin/accounts/2147483647", headers={"HX-Request": "true"})
    assert missing.status_code == 404
    assert unquote(missing.headers["X-Message"]).startswith("This page does not exist")
    # A page load has the message in the page, and no header.
    assert "X-Message" not in client.get("/admin/accounts/2147483647").headers


def test_a_message_in_any_language_makes_a_valid_header(app):
    with app.test_request_context(headers={"HX-Request": "true"}):
        header = _message_header("Zażółć „gęślą”")["X-Message"]
    header.encode("latin-1")
    assert unquote(header) == "Zażółć „gęślą”"
