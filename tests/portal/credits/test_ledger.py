"""The ledger page and its CSV: kinds, documents, running balance per currency across
pages and filters, scoping, and bad filters."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from models import LedgerEntry, Role
from portal.credits import documents
from portal.credits.ledger_csv import LEDGER_COLUMNS
from tests.factories import make_account, make_retailer, make_user
from tests.portal.credits.helpers import add_entry, regrade_used_as_new

ROW = re.compile(
    r'<tr data-kind="(\w+)">.*?<td class="num">([^<]*)</td>\s*'
    r'<td class="num balance-after">([^<]*)</td>',
    re.S,
)


def _rows(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200, response.status_code
    return ROW.findall(response.get_data(as_text=True))


def _csv(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def history(db_session, shop):
    """Five entries, oldest first: EUR +100, CHF +50, EUR -30, EUR +10.50, CHF -20."""
    account = shop["account"]
    for days_ago, amount, currency in (
        (5, "100.00", "EUR"),
        (4, "50.00", "CHF"),
        (3, "-30.00", "EUR"),
        (2, "10.50", "EUR"),
        (1, "-20.00", "CHF"),
    ):
        add_entry(db_session, account, amount, currency, days_ago=days_ago)
    return account


def test_running_balance_is_right_on_every_page(app, client, login_as, shop, history):
    app.config["PAGE_SIZE"] = 2
    login_as(shop["retailer"])
    first = _rows(client.get("/credits/"))
    second = _rows(client.get("/credits/?page=2"))
    third = _rows(client.get("/credits/?page=3"))
    balances = [balance for _kind, _amount, balance in first + second + third]
    # Newest first: CHF 30, EUR 80.50, EUR 70, CHF 50, EUR 100.
    assert balances == ["+CHF 30.00", "+€80.50", "+€70.00", "+CHF 50.00", "+€100.00"]
    assert [amount for _k, amount, _b in second] == ["−€30.00", "+CHF 50.00"]


def test_filters_keep_the_full_ledgers_balance(
    db_session, client, login_as, shop, awaiting, credited, history
):
    regrade_used_as_new(db_session, awaiting)
    adjustment = documents.issue_adjustment(db_session, awaiting, shop["admin"], "Regraded")
    login_as(shop["admin"])
    url = f"/credits/accounts/{shop['account'].id}"
    rows = _rows(client.get(f"{url}?kind=adjustment"))
    # Everything before it: EUR 100 − 30 + 10.50 + 188.66 + 12.00.
    assert rows == [("adjustment", "+€12.00", "+€281.16")]
    by_number = _rows(client.get(f"{url}?q={adjustment.number.lower()}"))
    assert by_number == rows
    by_rma = _rows(client.get(f"{url}?q={awaiting.number}"))
    assert [kind for kind, _a, _b in by_rma] == ["adjustment", "credit_memo"]
    in_range = _rows(client.get(f"{url}?date_from=2000-01-01&date_to=2000-12-31"))
    assert in_range == []


def test_the_ledger_shows_kinds_documents_and_admin_actions(
    client, login_as, shop, awaiting, refundable
):
    login_as(shop["admin"])
    html = client.get(f"/credits/accounts/{shop['account'].id}").get_data(as_text=True)
    assert f'href="/credits/memos/{refundable.number}.pdf"' in html
    assert f'href="/credits/memos/{refundable.number}/refund"' in html
    assert f'href="/credits/memos/{refundable.number}/reverse"' in html
    login_as(shop["retailer"])
    html = client.get("/credits/").get_data(as_text=True)
    assert "Credit memo" in html and "/refund" not in html and "/reverse" not in html


def test_csv_holds_exactly_the_filtered_rows_with_the_balance(
    client, login_as, shop, credited, history
):
    login_as(shop["retailer"])
    url = f"/credits/accounts/{shop['account'].id}/ledger.csv"
    rows = _csv(client.get(f"{url}?kind=credit_memo&headers=codes"))
    assert [(r["kind"], r["document"], r["amount"], r["balance"]) for r in rows] == [
        ("Credit memo", credited.number, "188.66", "269.16")
    ]
    everything = _csv(client.get(f"{url}?headers=codes"))
    assert len(everything) == 6
    assert [r["balance"] for r in everything if r["currency"] == "CHF"] == ["50.00", "30.00"]
    assert client.get(f"{url}?kind=bogus").status_code == 400


def test_csv_defuses_formulas(db_session, client, login_as, shop):
    add_entry(db_session, shop["account"], "-5.00")
    db_session.add(
        LedgerEntry(
            account_id=shop["account"].id,
            currency="EUR",
            amount=Decimal("1.00"),
            description='=HYPERLINK("http://evil.example","click")',
        )
    )
    db_session.flush()
    login_as(shop["retailer"])
    rows = _csv(client.get(f"/credits/accounts/{shop['account'].id}/ledger.csv?headers=codes"))
    descriptions = [r["description"] for r in rows]
    assert '\'=HYPERLINK("http://evil.example","click")' in descriptions
    assert "-5.00" in [r["amount"] for r in rows]  # numbers stay numbers


def test_the_csv_header_is_for_people_unless_a_script_asks_for_codes(
    client, login_as, shop, history
):
    login_as(shop["retailer"])
    url = f"/credits/accounts/{shop['account'].id}/ledger.csv"
    labels = next(csv.reader(io.StringIO(client.get(url).get_data(as_text=True))))
    assert labels == [
        "Date", "Kind", "Document", "RMA", "Description", "Currency", "Amount", "Balance",
    ]  # fmt: skip
    codes = next(csv.reader(io.StringIO(client.get(f"{url}?headers=codes").text)))
    assert codes == list(LEDGER_COLUMNS)
    refused = client.get(f"{url}?headers=deutsch")
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "Column headings: Choose labels" in refused.get_data(as_text=True)


def test_the_ledger_links_both_exports_with_its_filters(client, login_as, shop, history):
    login_as(shop["retailer"])
    html = client.get("/credits/?kind=refund&headers=nonsense").get_data(as_text=True)
    url = f"/credits/accounts/{shop['account'].id}/ledger.csv"
    assert f'href="{url}?kind=refund"' in html
    assert f'href="{url}?headers=codes&amp;kind=refund"' in html


def test_each_role_sees_only_its_accounts_ledger(db_session, client, login_as, shop, history):
    other = make_account(db_session)
    url = f"/credits/accounts/{shop['account'].id}"
    login_as(make_retailer(db_session, other))
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/ledger.csv").status_code == 404
    login_as(make_user(db_session, Role.SALES_REP))
    assert client.get(f"{url}/ledger.csv").status_code == 404
    login_as(shop["rep"])
    assert len(_csv(client.get(f"{url}/ledger.csv"))) == 5
    login_as(shop["warehouse_user"])
    assert client.get(f"{url}/ledger.csv").status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "kind=nonsense",
        "date_from=yesterday",
        "date_from=99999-01-01",
        "date_to=9999-12-31",
        "date_from=2026-05-01&date_to=2026-04-01",
        "q=%00",
        "q=" + "x" * 500,
    ],
)
def test_bad_filters_answer_a_clear_4xx(client, login_as, shop, history, query):
    login_as(shop["retailer"])
    page = client.get(f"/credits/?{query}")
    assert page.status_code == 422
    assert 'class="error"' in page.get_data(as_text=True)
    export = client.get(f"/credits/accounts/{shop['account'].id}/ledger.csv?{query}")
    assert export.status_code == 400
    assert "filters were not understood" in export.get_data(as_text=True)


def test_huge_account_ids_are_404(client, login_as, shop):
    login_as(shop["admin"])
    for url in ("/credits/accounts/99999999999999999999", "/credits/accounts/2147483648"):
        assert client.get(url).status_code == 404
        assert client.get(f"{url}/ledger.csv").status_code == 404
