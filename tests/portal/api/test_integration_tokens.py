"""Integration tokens: of the distributor or of one retailer account, not of a person.

They see exactly what their principal sees (an admin; that account's retailer users),
outlive whoever made them, are revoked, expire and are throttled like personal tokens,
and are made on the API tokens page (admins, retailer users) and by the CLI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import ApiToken, TokenKind
from models.base import utcnow
from portal import create_app
from portal.api.operations import ScopeNotAllowed, create_integration_token
from portal.api.scopes import integration_scopes_for
from portal.cli import main
from tests.portal.api.conftest import bearer
from tests.security.routes import fill, query_for, routes
from tests.support import TEST_CONFIG, sign_in

SECRET = re.compile(r"rf_[A-Za-z0-9_-]{40,}")
READS = ["rmas:read", "accounts:read", "products:read", "ledger:read"]
RMAS = "/api/v1/rmas"


def _integration(db_session, account, scopes=READS, **kwargs) -> str:
    made = create_integration_token(db_session, account, "ERP", scopes, **kwargs)
    db_session.commit()
    return made.secret


def _integration_tokens(db_session) -> list[ApiToken]:
    db_session.expire_all()
    return list(db_session.scalars(select(ApiToken).where(ApiToken.kind != TokenKind.PERSONAL)))


def _answers(client, app, world, secret: str) -> dict[str, tuple[int, object]]:
    """Every GET of the API, with account A's objects in its URL: status and body."""
    seen = {}
    for endpoint, method, rule in routes(app):
        if method != "GET" or not endpoint.startswith("api."):
            continue
        url = fill(rule, world) + query_for(endpoint, world)
        response = client.get(url, headers=bearer(secret))
        seen[endpoint] = (response.status_code, response.get_json())
    return seen


@pytest.mark.parametrize(
    ("owner", "principal"),
    [("distributor", "admin"), ("account_a", "retailer_a"), ("account_b", "retailer_b")],
)
def test_an_integration_token_sees_exactly_what_its_principal_sees(
    app, client, db_session, world, owner, principal
):
    account = {"distributor": None, "account_a": world.account, "account_b": world.other_account}
    kind = TokenKind.DISTRIBUTOR if owner == "distributor" else TokenKind.ACCOUNT
    everything = [scope.value for scope in integration_scopes_for(kind)]
    secret = _integration(db_session, account[owner], everything)
    theirs = _answers(client, app, world, world.api_tokens[principal])
    ours = _answers(client, app, world, secret)
    assert len(ours) >= 7  # every read of the API
    assert ours == theirs
    if owner == "account_b":  # A's RMA and account are out of B's sight: 404, not 403
        assert ours["api.rma_get"][0] == ours["api.account_get"][0] == 404
    else:
        assert ours["api.rma_get"][0] == 200


def test_it_outlives_the_person_who_made_it(client, db_session, world):
    sign_in(client, world.retailer.id)
    response = client.post(
        "/me/api-tokens/integration",
        data={"integration-name": "Shop", "integration-scopes": ["rmas:read"]},
    )
    assert response.status_code == 201
    (secret,) = SECRET.findall(response.get_data(as_text=True))
    (token,) = _integration_tokens(db_session)
    assert (token.kind, token.account_id) == (TokenKind.ACCOUNT, world.account.id)
    assert token.created_by_id == world.retailer.id and token.created_at is not None
    assert token.user_id is None

    world.retailer.is_active = False
    db_session.commit()

    assert client.get(RMAS, headers=bearer(world.api_tokens["retailer_a"])).status_code == 401
    listed = client.get(RMAS, headers=bearer(secret))
    assert listed.status_code == 200 and listed.get_json()["items"]


def test_revoked_and_expired_integration_tokens_are_401(client, db_session, world):
    revoked = _integration(db_session, world.account)
    token = _integration_tokens(db_session)[0]
    token.revoked_at = utcnow()
    expired = _integration(db_session, None, expires_in_days=1)
    db_session.execute(
        ApiToken.__table__.update()
        .where(ApiToken.secret_hash != token.secret_hash, ApiToken.kind != TokenKind.PERSONAL)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db_session.commit()
    for secret in (revoked, expired):
        response = client.get(RMAS, headers=bearer(secret))
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
        assert response.mimetype == "application/problem+json"


def test_integration_tokens_are_throttled_per_token(connection, db_session, world):
    secret = _integration(db_session, None)
    app = create_app(
        {**TEST_CONFIG, "THROTTLE_ENABLED": True, "API_REQUESTS_PER_MINUTE": 2},
        db_bind=connection,
    )
    client = app.test_client()
    statuses = [client.get(RMAS, headers=bearer(secret)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(RMAS, headers=bearer(world.api_tokens["admin"])).status_code == 200


def test_a_scope_outside_the_token_is_403(client, db_session, world):
    secret = _integration(db_session, world.account, ["products:read"])
    refused = client.get(RMAS, headers=bearer(secret))
    assert refused.status_code == 403 and refused.get_json()["required_scope"] == "rmas:read"


@pytest.mark.parametrize(
    ("owner", "scope"),
    [("distributor", "rmas:write"), ("account", "rmas:write"), ("account", "webhooks:manage")],
)
def test_integration_tokens_never_write(db_session, world, owner, scope):
    account = world.account if owner == "account" else None
    with pytest.raises(ScopeNotAllowed):
        create_integration_token(db_session, account, "ERP", ["rmas:read", scope])
    assert _integration_tokens(db_session) == []


def test_an_admin_makes_distributor_and_account_tokens_on_the_page(client, db_session, world):
    sign_in(client, world.admin.id)
    page = client.get("/me/api-tokens").get_data(as_text=True)
    assert "Integration tokens" in page and "integration-account" in page
    distributor = client.post(
        "/me/api-tokens/integration",
        data={"integration-name": "ERP", "integration-scopes": ["rmas:read", "webhooks:manage"]},
    )
    assert distributor.status_code == 201
    account = client.post(
        "/me/api-tokens/integration",
        data={
            "integration-name": "Shop",
            "integration-account": world.other_account.number,
            "integration-scopes": ["rmas:read"],
            "integration-expires": "30",
        },
    )
    assert account.status_code == 201
    made = {t.name: t for t in _integration_tokens(db_session)}
    assert made["ERP"].kind is TokenKind.DISTRIBUTOR and made["ERP"].account_id is None
    assert made["Shop"].account_id == world.other_account.id
    assert made["Shop"].expires_at is not None
    assert {t.created_by_id for t in made.values()} == {world.admin.id}
    listed = client.get("/me/api-tokens").get_data(as_text=True)
    assert world.other_account.number in listed and "The distributor" in listed


@pytest.mark.parametrize(
    "data",
    [
        {"integration-name": "", "integration-scopes": ["rmas:read"]},
        {"integration-name": "x" * 81, "integration-scopes": ["rmas:read"]},
        {"integration-name": "ERP", "integration-scopes": []},
        {"integration-name": "ERP", "integration-scopes": ["rmas:write"]},
        {"integration-name": "ERP", "integration-scopes": ["no:such"]},
        {
            "integration-name": "ERP",
            "integration-scopes": ["rmas:read"],
            "integration-expires": "7",
        },
        {
            "integration-name": "ERP",
            "integration-account": "NO-SUCH",
            "integration-scopes": ["rmas:read"],
        },
        {
            "integration-name": "ERP",
            "integration-account": "x" * 40,
            "integration-scopes": ["rmas:read"],
        },
    ],
)
def test_bad_input_is_422_and_makes_nothing(client, db_session, world, data):
    sign_in(client, world.admin.id)
    response = client.post("/me/api-tokens/integration", data=data)
    assert response.status_code == 422
    assert not SECRET.findall(response.get_data(as_text=True))
    assert _integration_tokens(db_session) == []


def test_an_account_token_may_not_manage_webhooks(client, db_session, world):
    sign_in(client, world.admin.id)
    response = client.post(
        "/me/api-tokens/integration",
        data={
            "integration-name": "Shop",
            "integration-account": world.account.number,
            "integration-scopes": ["webhooks:manage"],
        },
    )
    assert response.status_code == 422
    assert "Only a distributor token may hold webhooks:manage" in response.get_data(as_text=True)
    assert _integration_tokens(db_session) == []


def test_a_retailer_makes_tokens_of_their_own_account_only(client, db_session, world):
    sign_in(client, world.retailer.id)
    assert "integration-account" not in client.get("/me/api-tokens").get_data(as_text=True)
    response = client.post(
        "/me/api-tokens/integration",
        data={
            "integration-name": "Shop",
            "integration-account": world.other_account.number,  # not a field of theirs
            "integration-scopes": ["rmas:read"],
        },
    )
    assert response.status_code == 201
    (token,) = _integration_tokens(db_session)
    assert token.account_id == world.account.id
    refused = client.post(
        "/me/api-tokens/integration",
        data={"integration-name": "Hooks", "integration-scopes": ["webhooks:manage"]},
    )
    assert refused.status_code == 422


@pytest.mark.parametrize("who", ["rep", "warehouse"])
def test_staff_other_than_admins_make_none(client, db_session, world, who):
    sign_in(client, world.person(who).id)
    assert "Integration tokens" not in client.get("/me/api-tokens").get_data(as_text=True)
    response = client.post(
        "/me/api-tokens/integration",
        data={"integration-name": "x", "integration-scopes": ["rmas:read"]},
    )
    assert response.status_code == 403
    assert _integration_tokens(db_session) == []


def test_revocation_by_the_account_and_by_admins(client, db_session, world):
    mine = _integration(db_session, world.account)
    _integration(db_session, None)
    tokens = {t.account_id: t.id for t in _integration_tokens(db_session)}
    sign_in(client, world.other_retailer.id)
    # Another account's token, or the distributor's: not theirs to see.
    for token_id in tokens.values():
        assert client.post(f"/me/api-tokens/{token_id}/revoke").status_code == 404
    sign_in(client, world.retailer.id)
    assert client.post(f"/me/api-tokens/{tokens[None]}/revoke").status_code == 404
    page = client.get("/me/api-tokens").get_data(as_text=True)
    assert f"/me/api-tokens/{tokens[world.account.id]}/revoke" in page
    response = client.post(f"/me/api-tokens/{tokens[world.account.id]}/revoke")
    assert response.status_code == 303
    assert client.get(RMAS, headers=bearer(mine)).status_code == 401
    sign_in(client, world.admin.id)
    assert client.post(f"/me/api-tokens/{tokens[None]}/revoke").status_code == 303
    assert all(t.revoked_at is not None for t in _integration_tokens(db_session))


def test_the_cli_makes_integration_tokens(app, client, db_session, world):
    runner = app.test_cli_runner()
    args = ["api-token", "create", "--integration", "--name", "ERP", "--scopes"]
    made = runner.invoke(main, [*args, "rmas:read", "--account", world.account.number])
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert client.get(RMAS, headers=bearer(secret)).status_code == 200
    distributor = runner.invoke(main, [*args, "rmas:read,webhooks:manage", "--distributor"])
    assert distributor.exit_code == 0, distributor.output
    kinds = {t.kind for t in _integration_tokens(db_session)}
    assert kinds == {TokenKind.ACCOUNT, TokenKind.DISTRIBUTOR}
    assert {t.created_by_id for t in _integration_tokens(db_session)} == {None}


@pytest.mark.parametrize(
    "extra",
    [
        ["--scopes", "rmas:read"],  # neither --account nor --distributor
        ["--scopes", "rmas:read", "--distributor", "--account", "X"],
        ["--scopes", "rmas:read", "--account", "NO-SUCH"],
        ["--scopes", "rmas:write", "--distributor"],
        ["--scopes", "rmas:read", "--distributor", "--email", "someone@example.com"],
    ],
)
def test_the_cli_refuses_what_it_cannot_make(app, db_session, world, extra):
    base = ["api-token", "create", "--integration", "--name", "ERP"]
    refused = app.test_cli_runner().invoke(main, [*base, *extra])
    assert refused.exit_code == 2
    assert (
        db_session.scalar(
            select(func.count()).select_from(ApiToken).where(ApiToken.kind != TokenKind.PERSONAL)
        )
        == 0
    )


def test_personal_cli_tokens_refuse_integration_options(app, db_session, world):
    args = ["api-token", "create", "--email", world.retailer.email, "--name", "x"]
    refused = app.test_cli_runner().invoke(main, [*args, "--scopes", "rmas:read", "--distributor"])
    assert refused.exit_code == 2
