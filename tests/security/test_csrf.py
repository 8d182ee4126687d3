"""CSRF on every unsafe route, found by enumerating the URL map; long-lived tokens.

tests/portal/test_csrf.py covers the login form and one HTMX endpoint by hand; here every POST
route is tried, each as an identity the access matrix says could otherwise use it.
"""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner

from portal import create_app
from tests.factories import PASSWORD, make_user
from tests.security.helpers import IDENTITIES
from tests.security.routes import UNSAFE, fill, routes
from tests.security.test_access_matrix import MATRIX
from tests.support import TEST_CONFIG, sign_in

# Who tries each route: the first identity in this order the matrix lets in.
PREFERENCE = ("admin", "retailer_a", "rep_a", "warehouse", "anonymous")


def _who_may(endpoint: str, method: str) -> str:
    row = dict(zip(IDENTITIES, MATRIX[f"{endpoint} {method}"].split(), strict=True))
    return next(identity for identity in PREFERENCE if row[identity] == "Y")


@pytest.fixture
def csrf_app(connection, tmp_path):
    config = {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "UPLOAD_FOLDER": str(tmp_path)}
    return create_app(config, db_bind=connection)


def _unsafe_routes(app):
    # Logging out and the language switch send everyone to the login page (the matrix's
    # all-L rows); the CSRF check stands in front of them like any other POST.
    skipped = ("auth.logout", "auth.switch_language")
    return [(e, m, r) for e, m, r in routes(app) if m in UNSAFE and e not in skipped]


def _is_api(endpoint: str) -> bool:
    return endpoint.startswith("api.")


def test_every_unsafe_route_refuses_a_missing_or_wrong_token(csrf_app, world):
    tried = 0
    for endpoint, method, rule in _unsafe_routes(csrf_app):
        if _is_api(endpoint):
            continue  # no cookies, so no CSRF token: the next test
        user = world.users[_who_may(endpoint, method)]
        client = sign_in(csrf_app.test_client(), None if user is None else user.id)
        url = fill(rule, world)
        attempts = [
            ({}, {}),
            ({"HX-Request": "true"}, {}),
            ({"X-CSRFToken": "not-a-token"}, {}),
            ({"HX-Request": "true", "X-CSRFToken": "not-a-token"}, {}),
            ({}, {"csrf_token": "not-a-token"}),
        ]
        for headers, data in attempts:
            response = client.open(url, method=method, headers=headers, data=data)
            assert response.status_code == 400, (endpoint, headers, data, response.status_code)
            assert b"Reload the page" in response.data, (endpoint, headers)  # CSRF's own 400
        tried += 1
    assert tried >= 50


def test_the_api_ignores_a_signed_in_session_so_a_forged_request_acts_as_nobody(csrf_app, world):
    """The API reads only its bearer token: a cross-site request carrying the browser's
    session cookie is refused as unauthenticated, before any form or body is read."""
    api_routes = [(e, m, r) for e, m, r in _unsafe_routes(csrf_app) if _is_api(e)]
    assert api_routes
    for endpoint, method, rule in api_routes:
        user = world.users[_who_may(endpoint, method)]
        client = sign_in(csrf_app.test_client(), user.id)
        response = client.open(fill(rule, world), method=method, json={})
        assert response.status_code == 401, (endpoint, response.status_code)
        assert response.content_type == "application/problem+json"


def test_logout_also_needs_the_token(csrf_app, db_session):
    user = make_user(db_session)
    client = sign_in(csrf_app.test_client(), user.id)
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200  # still logged in


def _token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1).decode()


def _token_issued_hours_ago(client, monkeypatch, hours: float) -> str:
    """A token from the login page as if it had been rendered ``hours`` ago."""
    then = int(time.time() - hours * 3600)
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: then)
        return _token(client.get("/login").data)


def test_a_token_nine_hours_old_still_works(csrf_app, db_session, monkeypatch):
    """A designer page left open over a working day can still save (WTF_CSRF_TIME_LIMIT)."""
    user = make_user(db_session)
    client = csrf_app.test_client()
    token = _token_issued_hours_ago(client, monkeypatch, 9)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def test_a_token_thirteen_hours_old_has_expired(csrf_app, db_session, monkeypatch):
    user = make_user(db_session)
    client = csrf_app.test_client()
    token = _token_issued_hours_ago(client, monkeypatch, 13)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 400
