"""Who may call the API: a bearer token of an active user, holding the operation's scope;
nothing else (no cookie), throttled per token, never logged."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from models import ApiToken
from models.base import utcnow
from portal import create_app
from portal.api.operations import create_token, revoke_token
from tests.portal.api.conftest import bearer
from tests.support import TEST_CONFIG, sign_in

RMAS = "/api/v1/rmas"


def _is_401(response) -> None:
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    body = response.get_json(force=True)
    assert body["status"] == 401 and body["title"] == "Unauthorized"
    assert body["instance"] == RMAS


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Token rf_x", "Bearer rf_unknown"],
)
def test_no_valid_token_is_401_with_a_bearer_challenge(client, world, header):
    headers = {} if header is None else {"Authorization": header}
    _is_401(client.get(RMAS, headers=headers))


def test_a_session_cookie_alone_is_401_and_none_is_set(client, world):
    sign_in(client, world.admin.id)
    assert client.get("/me").status_code == 200  # the session works on pages
    response = client.get(RMAS)
    _is_401(response)
    assert "Set-Cookie" not in response.headers
    ok = client.get(RMAS, headers=bearer(world.api_tokens["admin"]))
    assert ok.status_code == 200 and "Set-Cookie" not in ok.headers


def test_revoked_expired_and_deactivated_are_401(client, db_session, world):
    token_id = world.api_token_ids["retailer_a"]
    token = db_session.get(ApiToken, token_id)
    revoke_token(db_session, token)
    db_session.commit()
    _is_401(client.get(RMAS, headers=bearer(world.api_tokens["retailer_a"])))

    made = create_token(db_session, world.rep, "old", ["rmas:read"], expires_in_days=1)
    made.token.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    _is_401(client.get(RMAS, headers=bearer(made.secret)))

    world.other_rep.is_active = False
    db_session.commit()
    _is_401(client.get(RMAS, headers=bearer(world.api_tokens["rep_other"])))


def test_a_missing_scope_is_403_naming_it(client, db_session, world):
    made = create_token(db_session, world.retailer, "narrow", ["products:read"])
    db_session.commit()
    response = client.get(RMAS, headers=bearer(made.secret))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["required_scope"] == "rmas:read" and "rmas:read" in body["detail"]
    assert client.get("/api/v1/products", headers=bearer(made.secret)).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(client, db_session, world):
    token = db_session.get(ApiToken, world.api_token_ids["admin"])
    assert token.last_used_at is None
    client.get(RMAS, headers=bearer(world.api_tokens["admin"]))
    db_session.refresh(token)
    first = token.last_used_at
    assert first is not None
    client.get(RMAS, headers=bearer(world.api_tokens["admin"]))
    db_session.refresh(token)
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(minutes=2)
    db_session.commit()
    client.get(RMAS, headers=bearer(world.api_tokens["admin"]))
    db_session.refresh(token)
    assert token.last_used_at > first - timedelta(minutes=2)


def test_the_secret_is_never_logged_its_id_is(client, db_session, world, caplog):
    secret = world.api_tokens["retailer_a"]
    revoke_token(db_session, db_session.get(ApiToken, world.api_token_ids["retailer_a"]))
    db_session.commit()
    with caplog.at_level(logging.DEBUG):
        client.get(RMAS, headers=bearer(secret))
        client.get("/api/v1/nowhere", headers=bearer(world.api_tokens["admin"]))
    assert secret not in caplog.text
    assert world.api_tokens["admin"] not in caplog.text
    assert f"API token {world.api_token_ids['retailer_a']} refused" in caplog.text


def test_too_many_requests_per_token_is_429_with_retry_after(connection, world):
    app = create_app(
        {**TEST_CONFIG, "THROTTLE_ENABLED": True, "API_REQUESTS_PER_MINUTE": 3},
        db_bind=connection,
    )
    client = app.test_client()
    statuses = [
        client.get(RMAS, headers=bearer(world.api_tokens["admin"])).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(RMAS, headers=bearer(world.api_tokens["admin"]))
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Another token has its own count.
    assert client.get(RMAS, headers=bearer(world.api_tokens["rep_a"])).status_code == 200
