"""CSRF protection on unsafe requests, HTMX ones included."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from tests.factories import PASSWORD, make_user
from tests.support import TEST_CONFIG


@pytest.fixture
def csrf_client(connection):
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True}, db_bind=connection)
    return app.test_client()


def _token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1).decode()


def test_login_without_token_is_refused(csrf_client, db_session):
    user = make_user(db_session)
    response = csrf_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"Reload the page" in response.data


def test_login_with_token_works(csrf_client, db_session):
    user = make_user(db_session)
    token = _token(csrf_client.get("/login").data)
    response = csrf_client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def test_htmx_requests_carry_the_token_in_a_header(csrf_client, db_session):
    user = make_user(db_session)
    token = _token(csrf_client.get("/login").data)
    csrf_client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    page = csrf_client.get("/admin/users").data
    header_token = re.search(rb'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    assert header_token
    other = make_user(db_session)
    refused = csrf_client.post(
        f"/admin/users/{other.id}/active", data={"active": "0"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    accepted = csrf_client.post(
        f"/admin/users/{other.id}/active",
        data={"active": "0"},
        headers={"HX-Request": "true", "X-CSRFToken": header_token.decode()},
    )
    assert accepted.status_code == 303
    db_session.refresh(other)
    assert other.is_active is False
