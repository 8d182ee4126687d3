"""The pages' JSON downloads: the ledger page's and the admin RMA list's CSV rows as JSON
records keyed by the CSV's column codes, for the roles that see those pages, with the same
filters; a formula stays text in JSON (nothing runs it) and is quoted in the CSV."""

from __future__ import annotations

import csv
import io

import pytest

from models import RetailerAccount
from tests.support import sign_in


def _client(world_app, world, identity: str):
    return sign_in(world_app.test_client(), world.users[identity].id)


def _csv_records(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


def _json_records(response) -> list[dict]:
    assert response.status_code == 200, response.status
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_json()


def _as_cells(record: dict) -> dict[str, str]:
    """A JSON record as its CSV row reads (None as an empty cell)."""
    return {key: "" if value is None else str(value) for key, value in record.items()}


@pytest.mark.parametrize("identity", ["retailer_a", "rep_a", "admin"])
def test_the_ledger_json_is_the_ledger_csv(world_app, world, identity):
    client = _client(world_app, world, identity)
    base = f"/credits/accounts/{world.account.id}"
    for query in ("", "?kind=credit_memo", "?date_from=2999-01-01"):
        records = _json_records(client.get(f"{base}/ledger.json{query}"))
        joiner = "&" if query else "?"
        rows = _csv_records(client.get(f"{base}/ledger.csv{query}{joiner}headers=codes"))
        assert [_as_cells(record) for record in records] == rows
    (entry,) = _json_records(client.get(f"{base}/ledger.json"))
    assert entry["document"] == world.memo_number and isinstance(entry["amount"], str)
    assert client.get(f"{base}/ledger.json?kind=bogus").status_code == 400


@pytest.mark.parametrize(("identity", "status"), [("retailer_b", 404), ("rep_other", 404)])
def test_another_accounts_ledger_json_is_404(world_app, world, identity, status):
    client = _client(world_app, world, identity)
    response = client.get(f"/credits/accounts/{world.account.id}/ledger.json")
    assert response.status_code == status


def test_the_admin_rma_json_is_the_rma_csv(world_app, world):
    client = _client(world_app, world, "admin")
    for query in ("", "?state=draft", "?account=Alphazeta"):
        records = _json_records(client.get(f"/admin/rmas.json{query}"))
        joiner = "&" if query else "?"
        rows = _csv_records(client.get(f"/admin/rmas.csv{query}{joiner}headers=codes"))
        assert [_as_cells(record) for record in records] == rows
    numbers = {record["number"] for record in _json_records(client.get("/admin/rmas.json"))}
    assert set(world.rma_numbers) <= numbers
    assert client.get("/admin/rmas.json?min_value=abc").status_code == 400


def test_the_pages_link_their_json_downloads(world_app, world):
    admin = _client(world_app, world, "admin")
    assert "/admin/rmas.json" in admin.get("/admin/rmas").get_data(as_text=True)
    retailer = _client(world_app, world, "retailer_a")
    ledger_page = retailer.get(f"/credits/accounts/{world.account.id}").get_data(as_text=True)
    assert f"/credits/accounts/{world.account.id}/ledger.json" in ledger_page


def test_a_formula_is_plain_text_in_json(world_app, world, db_session):
    account = db_session.get(RetailerAccount, world.account.id)
    account.name = '=HYPERLINK("http://evil.example","x")'
    db_session.commit()
    client = _client(world_app, world, "admin")
    names = {record["account_name"] for record in _json_records(client.get("/admin/rmas.json"))}
    assert account.name in names
    cells = _csv_records(client.get("/admin/rmas.csv?headers=codes"))
    assert "'" + account.name in {row["account_name"] for row in cells}


@pytest.mark.parametrize("identity", ["retailer_a", "retailer_b", "rep_a", "rep_other"])
def test_my_rmas_downloads_hold_what_the_list_shows(world_app, world, identity):
    client = _client(world_app, world, identity)
    token = {"Authorization": f"Bearer {world.api_tokens[identity]}"}
    listed = world_app.test_client().get("/api/v1/rmas?limit=100", headers=token).get_json()
    for query in ("", "?state=draft"):
        records = _json_records(client.get(f"/requests/rmas.json{query}"))
        joiner = "&" if query else "?"
        rows = _csv_records(client.get(f"/requests/rmas.csv{query}{joiner}headers=codes"))
        assert [_as_cells(record) for record in records] == rows
    numbers = [
        row["number"] for row in _csv_records(client.get("/requests/rmas.csv?headers=codes"))
    ]
    assert numbers == [item["number"] for item in listed["items"]]
    assert (set(world.rma_numbers) <= set(numbers)) is identity.endswith("_a")
    drafts = _json_records(client.get("/requests/rmas.json?state=draft"))
    assert all(record["submitted_at"] == "" for record in drafts)
    assert client.get("/requests/rmas.csv?created_from=someday").status_code == 400
    page = client.get("/requests/").get_data(as_text=True)
    assert "/requests/rmas.csv" in page and "/requests/rmas.json" in page
