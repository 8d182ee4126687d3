"""The insecure start the probe found: without ROTAFLOW_ENV the app ran in development on
the public key ``dev-only-insecure-secret-key``, so a cookie forged with it signed anyone in
as the admin. Now production is the default and refuses that key (tests/portal/test_config.py has
every refusal; tests/test_gunicorn_conf.py starts gunicorn without settings)."""

from __future__ import annotations

import pytest

from models import Role
from portal import create_app
from portal.auth.access import SESSION_EPOCH
from portal.config import DEV_SECRET_KEY
from tests.factories import make_user
from tests.support import PRODUCTION_CONFIG, TEST_CONFIG

ADMIN_PAGE = "/admin/users"


def forged_cookie(app, user) -> str:
    """What anyone can sign with ``app``'s key: a fresh session as ``user``."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps(
        {"_user_id": str(user.id), "_fresh": True, SESSION_EPOCH: user.session_epoch}
    )


def get_with_cookie(app, cookie: str):
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie, domain="rotaflow.test")
    return client.get(ADMIN_PAGE, base_url="https://rotaflow.test")


@pytest.fixture
def admin(db_session):
    user = make_user(db_session, Role.ADMIN, name="Ada Admin")
    db_session.flush()
    return user


def dev_key_app(connection):
    return create_app({**TEST_CONFIG, "SECRET_KEY": DEV_SECRET_KEY}, db_bind=connection)


def test_a_cookie_forged_with_the_development_key_does_not_sign_in(connection, admin):
    on_the_dev_key = dev_key_app(connection)
    cookie = forged_cookie(on_the_dev_key, admin)
    # The forgery itself works where the public key is in use: the test can fail.
    assert get_with_cookie(on_the_dev_key, cookie).status_code == 200

    production = create_app(PRODUCTION_CONFIG, db_bind=connection)
    response = get_with_cookie(production, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_without_rotaflow_env_the_app_is_production(monkeypatch, connection, admin):
    monkeypatch.delenv("ROTAFLOW_ENV")
    settings = {k: v for k, v in PRODUCTION_CONFIG.items() if k != "ENV"}
    app = create_app({**settings, "WTF_CSRF_ENABLED": True}, db_bind=connection)
    assert app.config["ENV"] == "production"
    client = app.test_client()
    login = client.get("/login", base_url="https://rotaflow.test")  # the CSRF token: a cookie
    assert "; Secure" in login.headers["Set-Cookie"]
    assert client.get("/dev/mail/", base_url="https://rotaflow.test").status_code == 404
    forged = forged_cookie(dev_key_app(connection), admin)
    assert get_with_cookie(app, forged).status_code == 302
