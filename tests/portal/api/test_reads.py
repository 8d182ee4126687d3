"""The read endpoints: each endpoint × scope × role, what each token sees, pagination,
filters, the RMA's figures and its ETag."""

from __future__ import annotations

import pytest

from portal.api.operations import create_token
from portal.api.scopes import SCOPES, scopes_for
from tests.portal.api.conftest import bearer
from tests.security.helpers import ACCOUNT_A_NAME

# endpoint → (scope, URL naming account A's objects, expected status per identity in the
# order retailer_a, retailer_b, rep_a, rep_other, warehouse, admin; None: the role can
# never hold the scope).
ENDPOINTS = {
    "rmas": ("rmas:read", "/api/v1/rmas", (200, 200, 200, 200, 200, 200)),
    "rma": ("rmas:read", "/api/v1/rmas/{rma}", (200, 404, 200, 404, 200, 200)),
    "accounts": ("accounts:read", "/api/v1/accounts", (200, 200, 200, 200, None, 200)),
    "account": ("accounts:read", "/api/v1/accounts/{account}", (200, 404, 200, 404, None, 200)),
    "products": ("products:read", "/api/v1/products", (200, 200, 200, 200, 200, 200)),
    "return_types": ("rmas:read", "/api/v1/return-types", (200, 200, 200, 200, 200, 200)),
    "ledger": ("ledger:read", "/api/v1/ledger?account={account}", (200, 404, 200, 404, None, 200)),
}
IDENTITIES = ("retailer_a", "retailer_b", "rep_a", "rep_other", "warehouse", "admin")


def _url(template: str, world) -> str:
    return template.format(rma=world.rmas["awaiting"].number, account=world.account.id)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("identity", IDENTITIES)
def test_every_endpoint_by_scope_and_role(client, db_session, world, endpoint, identity):
    scope, template, statuses = ENDPOINTS[endpoint]
    user = world.users[identity]
    expected = statuses[IDENTITIES.index(identity)]
    allowed = [s.value for s in scopes_for(user.role)]
    url = _url(template, world)
    if expected is None:
        assert scope not in allowed
        return
    with_scope = create_token(db_session, user, "with", [scope])
    others = [s for s in allowed if s != scope]
    without = create_token(db_session, user, "without", others) if others else None
    db_session.commit()
    response = client.get(url, headers=bearer(with_scope.secret))
    assert response.status_code == expected, response.get_data(as_text=True)
    if without is not None:
        refused = client.get(url, headers=bearer(without.secret))
        assert refused.status_code == 403
        assert refused.get_json(force=True)["required_scope"] == scope


def _numbers(client, secret: str, query: str = "") -> list[str]:
    body = client.get(f"/api/v1/rmas{query}", headers=bearer(secret)).get_json()
    return [item["number"] for item in body["items"]]


def test_each_token_lists_what_its_user_sees(client, world):
    a_numbers = set(world.rma_numbers)
    assert set(_numbers(client, world.api_tokens["retailer_a"])) == a_numbers
    assert set(_numbers(client, world.api_tokens["rep_a"])) == a_numbers
    assert not set(_numbers(client, world.api_tokens["retailer_b"])) & a_numbers
    assert not set(_numbers(client, world.api_tokens["rep_other"])) & a_numbers
    assert a_numbers <= set(_numbers(client, world.api_tokens["warehouse"]))
    assert a_numbers <= set(_numbers(client, world.api_tokens["admin"]))
    # B filtering by A's account finds nothing, and is told nothing.
    query = f"?account={world.account.id}"
    assert _numbers(client, world.api_tokens["retailer_b"], query) == []


def test_another_accounts_rma_number_is_404_never_403(client, world):
    for number in world.rma_numbers:
        response = client.get(
            f"/api/v1/rmas/{number}", headers=bearer(world.api_tokens["retailer_b"])
        )
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert ACCOUNT_A_NAME not in response.get_data(as_text=True)


def test_cursor_pages_cover_the_list_once(client, world):
    secret = world.api_tokens["admin"]
    everything = _numbers(client, secret, "?limit=100")
    seen, cursor = [], None
    while True:
        query = "?limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/rmas{query}", headers=bearer(secret)).get_json()
        seen += [item["number"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == everything and len(seen) == len(set(seen)) >= 4


@pytest.mark.parametrize("cursor", ["x", "eyJhZnRlciI6ICJ4In0", "%00", "e30"])
def test_a_cursor_we_did_not_make_is_422(client, world, cursor):
    response = client.get(
        f"/api/v1/rmas?cursor={cursor}", headers=bearer(world.api_tokens["admin"])
    )
    assert response.status_code == 422
    assert response.get_json(force=True)["errors"][0]["field"] == "cursor"


def test_filters(client, world):
    secret = world.api_tokens["admin"]
    assert _numbers(client, secret, "?state=draft") == [world.rmas["draft"].number]
    code = world.return_type.code
    assert set(_numbers(client, secret, f"?return_type={code}")) == set(world.rma_numbers)
    assert _numbers(client, secret, "?return_type=none") == []
    assert _numbers(client, secret, "?submitted_from=2999-01-01") == []


@pytest.mark.parametrize(
    "query",
    [
        "?limit=0",
        "?limit=101",
        "?limit=x",
        "?state=%00",
        "?unknown=1",
        "?submitted_to=2026-02-30",
        "?submitted_to=0",
    ],
)
def test_bad_queries_are_422_with_field_errors(client, world, query):
    response = client.get(f"/api/v1/rmas{query}", headers=bearer(world.api_tokens["admin"]))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["errors"] and {"field", "message"} <= set(body["errors"][0])


def test_one_rma_has_lines_events_credit_and_an_etag(client, world):
    rma = world.rmas["credited"]
    response = client.get(f"/api/v1/rmas/{rma.number}", headers=bearer(world.api_tokens["rep_a"]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["number"] == rma.number and body["account"]["name"] == ACCOUNT_A_NAME
    assert len(body["lines"]) == 2 and body["events"]
    assert body["credit"]["final"] is True
    amount = body["credit"]["amount"]
    assert amount["currency"] == "EUR" and isinstance(amount["amount"], str)
    assert body["created_at"].endswith("Z")
    assert response.headers["ETag"] == f'"rma-{rma.id}-{body["version"]}"'


def test_the_ledger_lists_the_accounts_entries_with_balances(client, world):
    url = f"/api/v1/ledger?account={world.account.id}"
    body = client.get(url, headers=bearer(world.api_tokens["retailer_a"])).get_json()
    assert [entry["document"] for entry in body["items"]] == [world.memo_number]
    entry = body["items"][0]
    assert entry["kind"] == "credit_memo" and entry["balance"] == entry["amount"]
    missing = client.get("/api/v1/ledger", headers=bearer(world.api_tokens["retailer_a"]))
    assert missing.status_code == 422


def test_return_types_carry_their_policy(client, world):
    body = client.get("/api/v1/return-types", headers=bearer(world.api_tokens["retailer_a"]))
    (item,) = body.get_json()["items"]
    assert item["code"] == world.return_type.code and "restocking_fee" in item["policy"]


def test_scopes_are_one_list():
    assert SCOPES == (
        "rmas:read",
        "rmas:write",
        "orders:import",
        "ledger:read",
        "accounts:read",
        "products:read",
        "webhooks:manage",
    )
