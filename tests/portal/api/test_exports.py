"""The exports: each role's file holds exactly what its list shows over every page, as
CSV and as JSON; the scope and the filters are the list's; bad filters are 422."""

from __future__ import annotations

import csv
import io

import pytest

from portal.api.operations import create_token
from portal.api.scopes import scopes_for
from tests.portal.api.conftest import bearer

IDENTITIES = ("retailer_a", "retailer_b", "rep_a", "rep_other", "warehouse", "admin")
# Per identity: the export's status naming account A's ledger (None: never the scope).
LEDGER_STATUS = (200, 404, 200, 404, None, 200)


def _list_all(client, secret: str, url: str) -> list[dict]:
    """Every item of a list endpoint, page after page."""
    items, cursor = [], None
    while True:
        joiner = "&" if "?" in url else "?"
        page_url = f"{url}{joiner}limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(page_url, headers=bearer(secret)).get_json()
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


def _json(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()["items"]


@pytest.mark.parametrize("identity", IDENTITIES)
def test_the_rma_export_is_what_the_list_shows(client, world, identity):
    secret = world.api_tokens[identity]
    listed = _list_all(client, secret, "/api/v1/rmas")
    as_json = _json(client.get("/api/v1/rmas/export?format=json", headers=bearer(secret)))
    assert as_json == listed
    rows = _csv(client.get("/api/v1/rmas/export", headers=bearer(secret)))
    assert [row["number"] for row in rows] == [item["number"] for item in listed]
    for row, item in zip(rows, listed, strict=True):
        assert row["account_name"] == item["account"]["name"]
        assert row["total_value"] == item["total_value"]["amount"]
        assert row["currency"] == item["total_value"]["currency"]
        assert row["state"] == item["state"]
        assert row["submitted_at"] == (item["submitted_at"] or "")


@pytest.mark.parametrize("identity", IDENTITIES)
def test_the_rma_export_is_scoped_like_the_list(client, world, identity):
    secret = world.api_tokens[identity]
    numbers = {
        item["number"]
        for item in _json(client.get("/api/v1/rmas/export?format=json", headers=bearer(secret)))
    }
    sees_a = identity in ("retailer_a", "rep_a", "warehouse", "admin")
    assert (set(world.rma_numbers) <= numbers) is sees_a
    if not sees_a:
        assert not numbers & set(world.rma_numbers)


def test_the_rma_export_takes_the_lists_filters(client, world):
    secret = world.api_tokens["admin"]
    for query in ("state=draft", f"account={world.account.id}", "submitted_from=2999-01-01"):
        listed = _list_all(client, secret, f"/api/v1/rmas?{query}")
        url = f"/api/v1/rmas/export?format=json&{query}"
        assert _json(client.get(url, headers=bearer(secret))) == listed
    drafts = _json(
        client.get("/api/v1/rmas/export?format=json&state=draft", headers=bearer(secret))
    )
    assert [item["number"] for item in drafts] == [world.rmas["draft"].number]


@pytest.mark.parametrize("identity", IDENTITIES)
def test_the_ledger_export_is_what_the_list_shows(client, world, identity):
    secret = world.api_tokens[identity]
    status = LEDGER_STATUS[IDENTITIES.index(identity)]
    base = f"/api/v1/ledger/export?account={world.account.id}"
    response = client.get(f"{base}&format=json", headers=bearer(secret))
    if status is None:
        assert response.status_code == 403
        return
    assert response.status_code == status
    if status == 404:
        assert response.mimetype == "application/problem+json"
        assert client.get(base, headers=bearer(secret)).status_code == 404
        return
    listed = _list_all(client, secret, f"/api/v1/ledger?account={world.account.id}")
    assert listed and _json(response) == listed
    rows = _csv(client.get(base, headers=bearer(secret)))
    assert [row["document"] for row in rows] == [item["document"] for item in listed]
    assert [row["balance"] for row in rows] == [item["balance"]["amount"] for item in listed]


def test_the_ledger_filters_are_the_lists(client, world):
    secret = world.api_tokens["admin"]
    account = world.account.id
    for query in ("kind=credit_memo", "kind=refund", "date_from=2999-01-01", "date_to=2000-01-01"):
        listed = _list_all(client, secret, f"/api/v1/ledger?account={account}&{query}")
        url = f"/api/v1/ledger/export?account={account}&format=json&{query}"
        assert _json(client.get(url, headers=bearer(secret))) == listed
    kept = _list_all(client, secret, f"/api/v1/ledger?account={account}&kind=credit_memo")
    assert [item["document"] for item in kept] == [world.memo_number]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/rmas/export?format=xml",
        "/api/v1/rmas/export?format=",
        "/api/v1/rmas/export?limit=5",
        "/api/v1/rmas/export?submitted_from=2026-05-02&submitted_to=2026-05-01",
        "/api/v1/rmas/export?submitted_to=2026-02-30",
        "/api/v1/rmas/export?account=x",
        "/api/v1/rmas/export?state=%00",
        "/api/v1/ledger/export",
        "/api/v1/ledger/export?account=1&format=pdf",
        "/api/v1/ledger/export?account=1&kind=gift",
        "/api/v1/ledger/export?account=1&date_from=2026-05-02&date_to=2026-05-01",
        "/api/v1/ledger?account=1&date_from=2026-05-02&date_to=2026-05-01",
        "/api/v1/rmas?submitted_from=2026-05-02&submitted_to=2026-05-01",
    ],
)
def test_bad_filters_are_422_with_field_errors(client, world, url):
    response = client.get(url, headers=bearer(world.api_tokens["admin"]))
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.get_json(force=True)["errors"]


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        ("/api/v1/rmas/export", "rmas:read"),
        ("/api/v1/ledger/export?account={account}", "ledger:read"),
    ],
)
@pytest.mark.parametrize("identity", IDENTITIES)
def test_each_export_needs_its_scope(client, db_session, world, url, scope, identity):
    user = world.users[identity]
    allowed = [s.value for s in scopes_for(user.role)]
    if scope not in allowed:
        return
    without = [s for s in allowed if s != scope]
    token = create_token(db_session, user, "without", without)
    db_session.commit()
    response = client.get(url.format(account=world.account.id), headers=bearer(token.secret))
    assert response.status_code == 403
    assert response.get_json(force=True)["required_scope"] == scope
