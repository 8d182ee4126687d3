"""API tokens: made and revoked on the page reached from Your account, and by the CLI;
the secret is shown once and only its digest is stored."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import ApiToken
from portal.api.token_secret import digest
from portal.cli import main
from tests.portal.api.conftest import bearer
from tests.support import sign_in

SECRET = re.compile(r"rf_[A-Za-z0-9_-]{40,}")


def _tokens(db_session, user) -> list[ApiToken]:
    db_session.expire_all()
    return list(db_session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))


def test_the_profile_links_to_the_tokens_page(client, world):
    sign_in(client, world.retailer.id)
    assert "/me/api-tokens" in client.get("/me").get_data(as_text=True)
    page = client.get("/me/api-tokens").get_data(as_text=True)
    assert "retailer_a token" in page and "webhooks:manage" not in page


def test_a_new_token_is_shown_once_and_stored_as_a_digest(client, db_session, world):
    sign_in(client, world.retailer.id)
    before = len(_tokens(db_session, world.retailer))
    response = client.post(
        "/me/api-tokens",
        data={"name": "Shop sync", "scopes": ["rmas:read", "ledger:read"], "expires": "30"},
    )
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    (secret,) = SECRET.findall(response.get_data(as_text=True))
    tokens = _tokens(db_session, world.retailer)
    assert len(tokens) == before + 1
    token = next(t for t in tokens if t.name == "Shop sync")
    assert token.secret_hash == digest(secret) and secret not in repr(token.__dict__)
    assert token.scopes == ["rmas:read", "ledger:read"] and token.expires_at is not None
    assert secret not in client.get("/me/api-tokens").get_data(as_text=True)
    assert client.get("/api/v1/rmas", headers=bearer(secret)).status_code == 200


def test_a_role_cannot_grant_scopes_it_may_never_hold(client, db_session, world):
    sign_in(client, world.warehouse_user.id)
    before = len(_tokens(db_session, world.warehouse_user))
    response = client.post(
        "/me/api-tokens", data={"name": "x", "scopes": ["ledger:read"], "expires": ""}
    )
    assert response.status_code == 422
    assert len(_tokens(db_session, world.warehouse_user)) == before


def test_an_htmx_request_gets_the_fragment(client, world):
    sign_in(client, world.rep.id)
    response = client.post(
        "/me/api-tokens",
        data={"name": "CRM", "scopes": ["accounts:read"], "expires": "90"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 201
    body = response.get_data(as_text=True)
    assert "<html" not in body and SECRET.search(body)


def test_users_revoke_their_own_admins_anyones(client, db_session, world):
    retailer_token = world.api_token_ids["retailer_a"]
    sign_in(client, world.other_retailer.id)
    assert client.post(f"/me/api-tokens/{retailer_token}/revoke").status_code == 404
    sign_in(client, world.retailer.id)
    assert client.post(f"/me/api-tokens/{retailer_token}/revoke").status_code == 303
    assert db_session.get(ApiToken, retailer_token).revoked_at is not None
    assert (
        client.get("/api/v1/rmas", headers=bearer(world.api_tokens["retailer_a"])).status_code
        == 401
    )

    rep_token = world.api_token_ids["rep_a"]
    sign_in(client, world.admin.id)
    page = client.get("/me/api-tokens").get_data(as_text=True)
    assert world.rep.email in page
    assert client.post(f"/me/api-tokens/{rep_token}/revoke").status_code == 303
    db_session.expire_all()
    assert db_session.get(ApiToken, rep_token).revoked_at is not None


def test_the_cli_creates_a_token_printed_last_and_revokes_it(app, client, db_session, world):
    runner = app.test_cli_runner()
    result = runner.invoke(
        main,
        [
            "api-token",
            "create",
            "--email",
            world.rep.email,
            "--name",
            "ERP",
            "--scopes",
            "rmas:read,accounts:read",
            "--expires-days",
            "30",
        ],
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert SECRET.fullmatch(secret)
    assert client.get("/api/v1/accounts", headers=bearer(secret)).status_code == 200
    token = db_session.scalar(select(ApiToken).where(ApiToken.secret_hash == digest(secret)))
    revoked = runner.invoke(main, ["api-token", "revoke", "--id", str(token.id)])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/accounts", headers=bearer(secret)).status_code == 401


def test_the_cli_refuses_unknown_users_and_scopes(app, world):
    runner = app.test_cli_runner()
    base = ["api-token", "create", "--name", "x"]
    unknown = runner.invoke(main, [*base, "--email", "nobody@x.test", "--scopes", "rmas:read"])
    assert unknown.exit_code != 0 and "No active user" in unknown.output
    wrong = runner.invoke(main, [*base, "--email", world.rep.email, "--scopes", "rmas:delete"])
    assert wrong.exit_code != 0
    role = runner.invoke(main, [*base, "--email", world.rep.email, "--scopes", "webhooks:manage"])
    assert role.exit_code != 0 and "webhooks:manage" in role.output
