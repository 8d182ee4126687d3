"""Logging in and out, sessions, and the per-blueprint role checks."""

from __future__ import annotations

import pytest

from models import Role
from portal.auth.passwords import hash_password, verify_password
from tests.factories import PASSWORD, make_retailer, make_user


def login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_passwords_are_hashed_with_argon2id():
    hashed = hash_password("s3cret-enough")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "s3cret-enough")
    assert not verify_password(hashed, "wrong")
    assert not verify_password(None, "anything")


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Log in" in response.data


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.ADMIN, "/admin/"),
        (Role.SALES_REP, "/rep/"),
        (Role.WAREHOUSE, "/warehouse/"),
    ],
)
def test_each_role_lands_on_its_home(client, db_session, role, home):
    user = make_user(db_session, role)
    response = login(client, user.email.upper())  # e-mail is case-insensitive
    assert response.status_code == 303
    assert response.headers["Location"].endswith(home)
    assert client.get(home).status_code == 200


def test_retailer_lands_on_order_history(client, db_session):
    user = make_retailer(db_session)
    response = login(client, user.email)
    assert response.headers["Location"].endswith("/account/")


def test_wrong_password_and_unknown_user_get_the_same_answer(client, db_session):
    user = make_user(db_session)
    wrong = login(client, user.email, "not the password")
    unknown = login(client, "nobody@example.com")
    assert wrong.status_code == unknown.status_code == 200
    assert b"E-mail or password is not correct" in wrong.data
    assert b"E-mail or password is not correct" in unknown.data
    assert client.get("/admin/").status_code == 302  # still anonymous


def test_deactivated_user_cannot_log_in_and_loses_open_sessions(client, db_session, login_as):
    user = make_user(db_session)
    login_as(user)
    assert client.get("/admin/").status_code == 200
    user.is_active = False
    db_session.flush()
    assert client.get("/admin/").status_code == 302
    assert b"not correct" in login(client, user.email).data


def test_login_rotates_the_session(client, db_session):
    user = make_user(db_session)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(user.id)


def test_logout_ends_the_session(client, db_session):
    user = make_user(db_session)
    login(client, user.email)
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/admin/").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_next_parameter_is_followed_only_within_the_site(client, db_session):
    user = make_user(db_session)
    response = client.post(
        "/login?next=/admin/users", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/admin/users")
    client.post("/logout")
    response = client.post(
        "/login?next=//evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert "evil" not in response.headers["Location"]


def test_anonymous_users_are_sent_to_login(client):
    for path in ("/account/", "/rep/", "/warehouse/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "forbidden"),
    [
        (Role.RETAILER, ["/rep/", "/warehouse/", "/admin/"]),
        (Role.SALES_REP, ["/account/", "/warehouse/", "/admin/"]),
        (Role.WAREHOUSE, ["/account/", "/rep/", "/admin/"]),
        (Role.ADMIN, ["/account/", "/rep/"]),
    ],
)
def test_role_areas_are_closed_to_other_roles(client, db_session, login_as, role, forbidden):
    user = make_retailer(db_session) if role is Role.RETAILER else make_user(db_session, role)
    login_as(user)
    for path in forbidden:
        assert client.get(path).status_code == 403, path


def test_session_cookie_flags(client, db_session):
    user = make_user(db_session)
    response = login(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
