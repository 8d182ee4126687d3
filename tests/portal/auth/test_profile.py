"""The user's own account page: changing their password and signing out everywhere."""

from __future__ import annotations

import re

import pytest

from models import Role, User
from portal import create_app
from portal.auth.passwords import verify_password
from portal.auth.throttle import get_throttle
from tests.factories import PASSWORD, make_retailer, make_user
from tests.portal.auth.test_throttle import LIMITS, Clock
from tests.support import TEST_CONFIG

NEW = "a brand new passphrase"


def login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def change(client, current=PASSWORD, new=NEW, again=None):
    data = {
        "current_password": current,
        "password": new,
        "confirm": new if again is None else again,
    }
    return client.post("/me/password", data=data)


def stored_hash(db_session, user) -> str:
    db_session.expire_all()
    return db_session.get(User, user.id).password_hash


@pytest.mark.parametrize("role", list(Role))
def test_every_role_finds_its_account_page_in_the_header(client, db_session, role):
    user = make_retailer(db_session) if role is Role.RETAILER else make_user(db_session, role)
    login(client, user.email)
    home = client.get("/", follow_redirects=True)
    assert b'href="/me">Your account</a>' in home.data
    page = client.get("/me")
    assert page.status_code == 200
    assert user.email.encode() in page.data
    assert b"Change your password" in page.data and b"Sign out everywhere" in page.data


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, db_session):
    user = make_user(db_session)
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user.email)
    login(elsewhere, user.email)
    response = change(here)
    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    assert b"Password changed" in here.get("/me").data
    assert elsewhere.get("/me").status_code == 302  # to the login page
    assert verify_password(stored_hash(db_session, user), NEW)
    here.post("/logout")
    assert login(here, user.email).status_code == 200  # the old password no longer works
    assert login(here, user.email, NEW).status_code == 303


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("wrong password", NEW, None, b"This is not your current password."),
        (PASSWORD, NEW, "something else entirely", b"The two new passwords differ."),
        (PASSWORD, "short", None, b"Field must be between 10 and 200 characters long."),
        ("", NEW, None, b"This field is required."),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    client, db_session, current, new, again, message
):
    user = make_user(db_session)
    login(client, user.email)
    before = stored_hash(db_session, user)
    response = change(client, current, new, again)
    assert response.status_code == 422
    assert message in response.data
    assert stored_hash(db_session, user) == before
    assert client.get("/me").status_code == 200  # still signed in


def test_sign_out_everywhere_ends_every_session(app, db_session):
    user = make_user(db_session)
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user.email)
    login(elsewhere, user.email)
    response = here.post("/me/sign-out-everywhere")
    assert response.status_code == 303
    assert b"signed out on every device" in here.get("/", follow_redirects=True).data
    for client in (here, elsewhere):
        assert client.get("/me").status_code == 302


def test_guessing_the_current_password_is_throttled_like_a_login(connection, db_session):
    app = create_app({**TEST_CONFIG, **LIMITS}, db_bind=connection)
    clock = get_throttle(app).clock = Clock()
    client = app.test_client()
    user = make_user(db_session)
    login(client, user.email)
    statuses = [change(client, current="wrong password").status_code for _ in range(5)]
    assert statuses == [422, 422, 422, 422, 429]  # three free failures, then 1 s, 2 s …
    clock.advance(1)
    assert change(client).status_code == 303
    client.post("/logout")
    assert login(client, user.email, NEW).status_code == 303  # success forgot the failures


def test_the_forms_carry_csrf_tokens(connection, db_session):
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True}, db_bind=connection)
    client = app.test_client()
    user = make_user(db_session)
    page = client.get("/login").data
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    login_data = {"email": user.email, "password": PASSWORD, "csrf_token": token.decode()}
    assert client.post("/login", data=login_data).status_code == 303
    assert client.post("/me/sign-out-everywhere").status_code == 400
    assert client.post("/me/password", data={"current_password": PASSWORD}).status_code == 400
    assert client.get("/me").status_code == 200  # still signed in: nothing happened
    assert client.get("/me").data.count(b'name="csrf_token"') >= 3  # header logout + two forms
