"""Headers on every kind of response, cookie flags per environment, sessions at logout.

tests/portal/auth/test_auth.py already checks that login rotates the session, that logout clears it
and that the cookie is HttpOnly and SameSite=Lax; tests/portal/test_security_headers.py checks
the headers on two pages. This module widens both to every route of the URL map.
"""

from __future__ import annotations

import re

import pytest

from models import Role
from portal import create_app
from portal.security import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD, make_user
from tests.security.routes import fill, ordered_routes
from tests.support import PRODUCTION_CONFIG, sign_in

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z]+[^>]*\s(on[a-z]+)=", re.IGNORECASE)


def _directives(policy: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in policy.split(";")
    }


def _check_headers(response, where: str) -> None:
    headers = response.headers
    csp = _directives(headers["Content-Security-Policy"])
    assert csp["script-src"] == "'self'", where
    assert csp["frame-ancestors"] == "'none'", where
    assert csp["object-src"] == "'none'", where
    assert csp["base-uri"] == "'none'", where
    assert headers["X-Content-Type-Options"] == "nosniff", where
    assert headers["Referrer-Policy"] == "same-origin", where
    assert headers["X-Frame-Options"] == "DENY", where
    base = _directives(CONTENT_SECURITY_POLICY)
    if where.startswith("designer."):
        # The one relaxation: Mermaid's diagrams carry a <style> element.
        assert csp.pop("style-src") == "'self' 'unsafe-inline'", where
        base.pop("style-src")
    assert csp == base, where


@pytest.mark.parametrize("identity", ["anonymous", "retailer_a", "warehouse", "admin"])
def test_security_headers_on_every_route_kind(world_app, world, identity):
    """Pages, HTMX fragments, CSV, PDF, photos, redirects, 403, 404 and form errors."""
    user = world.users[identity]
    client = sign_in(world_app.test_client(), None if user is None else user.id)
    kinds, pages = set(), set()
    # Reads before changes, deletions last: a discarded draft would hide the editor's pages.
    for endpoint, method, rule in ordered_routes(world_app):
        if endpoint == "auth.logout" or endpoint.startswith("mail_sink."):
            # Logout would end the test's session; the mail sink's own policy is asserted
            # in tests/portal/notifications/test_mail_sink.py.
            continue
        for headers in ({}, {"HX-Request": "true"}):
            response = client.open(fill(rule, world), method=method, headers=headers, data={})
            body = response.get_data(as_text=response.mimetype == "text/html")
            response.close()
            kinds.add(response.mimetype)
            if response.status_code == 200 and not headers:
                pages.add(endpoint)
            if response.mimetype == "text/html":
                assert not INLINE_SCRIPT.search(body), f"inline script: {endpoint} {method}"
                assert not INLINE_HANDLER.search(body), f"inline handler: {endpoint} {method}"
            _check_headers(response, f"{endpoint} {method} {headers}")
    assert kinds >= {"text/html"}
    if identity == "retailer_a":  # the draft editor was reached, not a 404 in its place
        assert {"requests.draft", "rmas.detail"} <= pages
    if identity == "admin":
        assert {"text/csv", "application/pdf", "image/png"} <= kinds


def test_the_development_mail_viewer_sandboxes_mail_html(world_app, world):
    """The one other CSP: a mail's HTML is shown sandboxed, with no scripts at all (the
    page's header is HTML_POLICY: tests/portal/notifications/test_mail_sink.py).

    The mail sink exists only when ENV is development or testing."""
    from portal.notifications.sink_views import HTML_POLICY

    assert "sandbox" in HTML_POLICY and "default-src 'none'" in HTML_POLICY
    assert "script-src" not in HTML_POLICY
    production = create_app(PRODUCTION_CONFIG)
    assert not any(r.endpoint.startswith("mail_sink.") for r in production.url_map.iter_rules())


def _cookie_app(env: str):
    return create_app(
        {
            **PRODUCTION_CONFIG,
            "ENV": env,
            "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789",
            "DATABASE_URL": "sqlite://",
            "WTF_CSRF_ENABLED": True,
        }
    )


@pytest.mark.parametrize(("env", "secure"), [("production", True), ("development", False)])
def test_session_cookie_is_secure_outside_development(env, secure):
    app = _cookie_app(env)
    response = app.test_client().get("/login")  # the CSRF token starts a session
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("; Secure" in cookie) is secure
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure


def test_a_cookie_copied_before_logout_no_longer_works(client, db_session):
    user = make_user(db_session)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    stolen = client.get_cookie("session", domain="rotaflow.test").value
    client.post("/logout")
    client.set_cookie("session", stolen, domain="rotaflow.test")
    assert client.get("/admin/").status_code == 302
    # The user logs in again: the old copy stays dead, the new session works.
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    thief = client.application.test_client()
    thief.set_cookie("session", stolen, domain="rotaflow.test")
    assert thief.get("/admin/").status_code == 302


def _logged_in(app, user, home: str):
    """A browser of its own, logged in through the form."""
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.get(home).status_code == 200
    return client


def test_a_password_reset_ends_the_users_sessions(app, client, db_session, login_as):
    rep = make_user(db_session, Role.SALES_REP)
    reps_browser = _logged_in(app, rep, "/rep/")
    login_as(make_user(db_session))
    response = client.post(f"/admin/users/{rep.id}/password", data={"password": "new-password-1"})
    assert response.status_code == 303
    assert reps_browser.get("/rep/").status_code == 302


def test_reactivating_a_user_does_not_revive_their_old_sessions(app, client, db_session, login_as):
    rep = make_user(db_session, Role.SALES_REP)
    reps_browser = _logged_in(app, rep, "/rep/")
    login_as(make_user(db_session))
    client.post(f"/admin/users/{rep.id}/active", data={"active": "0"})
    client.post(f"/admin/users/{rep.id}/active", data={"active": "1"})
    assert reps_browser.get("/rep/").status_code == 302


def test_an_admin_resetting_their_own_password_stays_logged_in_here_only(app, db_session):
    admin = make_user(db_session)
    here, elsewhere = _logged_in(app, admin, "/admin/"), _logged_in(app, admin, "/admin/")
    response = here.post(f"/admin/users/{admin.id}/password", data={"password": "new-password-1"})
    assert response.status_code == 303
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
