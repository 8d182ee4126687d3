"""The credit ledger: balance per currency, ledger pages, memo PDFs, and who sees what."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from models import CreditMemo, LedgerEntry, Role
from models.base import utcnow
from portal.credits.pdf import fonts
from tests.factories import make_account, make_retailer, make_user
from tests.portal.admin.flows import resolve
from tests.support import skip_or_fail

HX = {"HX-Request": "true"}


@pytest.fixture
def credited(db_session, shop, awaiting):
    """The ``awaiting`` RMA resolved as credit: memo of €188.66 on the shop's account."""
    resolve(db_session, awaiting, shop)
    return db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))


def add_entry(session, account, amount: str, currency: str = "EUR", days_ago: int = 0, text=""):
    entry = LedgerEntry(
        account_id=account.id,
        currency=currency,
        amount=Decimal(amount),
        description=text or f"Manual entry {amount} {currency}",
        created_at=utcnow() - timedelta(days=days_ago),
    )
    session.add(entry)
    session.flush()
    return entry


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def row_after(text: str, label: str, cells: int = 6) -> str:
    """The figures that follow ``label`` in the extracted text (a long label may wrap)."""
    flowing = " ".join(text.split())
    after = flowing[flowing.index(label + " ") + len(label) :]
    return " ".join(after.split()[:cells])


def test_retailer_sees_balance_and_ledger(client, login_as, shop, awaiting, credited):
    login_as(shop["retailer"])
    response = client.get("/credits/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<p class="balance" data-currency="EUR"><strong>€188.66</strong>' in html
    assert f'href="/credits/memos/{credited.number}.pdf"' in html
    assert f'href="/rmas/{awaiting.number}"' in html
    assert f"Credit memo {credited.number} for {awaiting.number}" in html
    assert "+€188.66" in html


def test_balance_is_the_sum_of_entries_per_currency(client, login_as, db_session, shop, credited):
    add_entry(db_session, shop["account"], "-50.00", text="Credit used on invoice INV-9")
    add_entry(db_session, shop["account"], "20.00", currency="CHF")
    other = make_account(db_session)
    add_entry(db_session, other, "999.00")  # another account's money is not ours
    login_as(shop["retailer"])
    html = client.get("/credits/").get_data(as_text=True)
    balances = re.findall(r'data-currency="(\w+)"><strong>([^<]+)</strong>', html)
    assert balances == [("CHF", "CHF 20.00"), ("EUR", "€138.66")]
    assert "Credit used on invoice INV-9" in html and "−€50.00" in html
    home = client.get("/account/").get_data(as_text=True)
    assert "Credit balance:" in home and "€138.66" in home and "CHF 20.00" in home


def test_an_account_without_credit_has_a_zero_balance(client, login_as, shop):
    login_as(shop["retailer"])
    html = client.get("/credits/").get_data(as_text=True)
    assert "<strong>€0.00</strong>" in html and "No ledger entries yet." in html
    assert "<strong>€0.00</strong>" in client.get("/account/").get_data(as_text=True)


def test_ledger_is_paginated_newest_first_with_htmx(client, app, login_as, db_session, shop):
    app.config["PAGE_SIZE"] = 2
    for days_ago, amount in ((30, "1.00"), (20, "2.00"), (10, "3.00")):
        add_entry(db_session, shop["account"], amount, days_ago=days_ago)
    login_as(shop["retailer"])
    first = client.get("/credits/").get_data(as_text=True)
    assert re.findall(r"Manual entry ([\d.]+) EUR", first) == ["3.00", "2.00"]
    assert 'hx-get="/credits/?page=2"' in first and 'id="ledger-results"' in first
    second = client.get("/credits/?page=2", headers=HX).get_data(as_text=True)
    assert re.findall(r"Manual entry ([\d.]+) EUR", second) == ["1.00"]
    assert "<html" not in second and "Credit balance" not in second
    assert "3–3 of 3" in second
    assert client.get("/credits/?page=zero").status_code == 200


def test_memo_pdf_holds_every_figure(client, login_as, shop, awaiting, credited):
    login_as(shop["retailer"])
    response = client.get(f"/credits/memos/{credited.number}.pdf")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{credited.number}.pdf"'
    )
    assert "no-store" in response.headers["Cache-Control"]
    text = pdf_text(response)
    account = shop["account"]
    for expected in (
        "Credit memo",
        credited.number,
        # The day in the reader's language and zone (English, UTC here): "Dec 7, 2026".
        f"{credited.created_at:%b} {credited.created_at.day}, {credited.created_at.year}",
        f"{account.number} · {account.name}",
        awaiting.number,
        "Total credit (EUR)",
        "188.66",
    ):
        assert expected in text, expected
    # Qty, gross, restocking fee, grade deduction, exchange bonus, amount:
    # 3 new AUR-1 at 40.00 less 10 %; 1 used less 10 % and 30 %; 2 open packaging at 33.33.
    assert row_after(text, "AUR-1 Aurelo Paola — New") == "3 120.00 -12.00 0.00 0.00 108.00"
    assert row_after(text, "AUR-1 Aurelo Paola — Used") == "1 40.00 -4.00 -12.00 0.00 24.00"
    assert row_after(text, "VEL-2 Velo Sprint — Open packaging") == (
        "2 66.66 -6.67 -3.33 0.00 56.66"
    )
    assert row_after(text, "Total credit (EUR)", cells=1) == "188.66"


def test_an_exchange_memo_shows_the_bonus(client, login_as, db_session, shop, awaiting):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    resolve(db_session, awaiting, shop, "exchange")
    memo = db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))
    login_as(shop["admin"])
    text = pdf_text(client.get(f"/credits/memos/{memo.number}.pdf"))
    # 5 % of 120.00 = 6.00 bonus: 120.00 − 12.00 + 6.00 = 114.00
    assert row_after(text, "AUR-1 Aurelo Paola — New") == "3 120.00 -12.00 0.00 6.00 114.00"
    assert "199.99" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own retailer", 200),
        ("other retailer", 404),
        ("account's rep", 200),
        ("other rep", 404),
        ("admin", 200),
        ("warehouse", 403),
    ],
)
def test_memo_pdf_is_scoped(client, login_as, db_session, shop, credited, who, status):
    users = {
        "own retailer": lambda: shop["retailer"],
        "other retailer": lambda: make_retailer(db_session),
        "account's rep": lambda: shop["rep"],
        "other rep": lambda: make_user(db_session, Role.SALES_REP),
        "admin": lambda: shop["admin"],
        "warehouse": lambda: shop["warehouse_user"],
    }
    login_as(users[who]())
    response = client.get(f"/credits/memos/{credited.number}.pdf")
    assert response.status_code == status
    if status != 200:
        assert credited.number.encode() not in response.data


def test_an_unknown_memo_is_a_404(client, login_as, shop):
    login_as(shop["admin"])
    assert client.get("/credits/memos/CM-2026-999999.pdf").status_code == 404


def test_staff_see_balances_of_the_accounts_in_their_scope(
    client, login_as, db_session, shop, credited
):
    other_rep = make_user(db_session, Role.SALES_REP)
    elsewhere = make_account(db_session, sales_rep=other_rep, name="Elsewhere Optik")
    add_entry(db_session, elsewhere, "75.00")
    login_as(shop["rep"])
    html = client.get("/credits/").get_data(as_text=True)
    assert shop["account"].name in html and "€188.66" in html
    assert "Elsewhere Optik" not in html
    assert client.get(f"/credits/accounts/{elsewhere.id}").status_code == 404
    ledger = client.get(f"/credits/accounts/{shop['account'].id}").get_data(as_text=True)
    assert credited.number in ledger
    login_as(shop["admin"])
    html = client.get("/credits/").get_data(as_text=True)
    assert shop["account"].name in html and "Elsewhere Optik" in html and "€75.00" in html


def test_a_retailer_cannot_open_another_accounts_ledger(client, login_as, db_session, shop):
    other = make_account(db_session)
    add_entry(db_session, other, "75.00")
    login_as(shop["retailer"])
    assert client.get(f"/credits/accounts/{other.id}").status_code == 404
    assert client.get(f"/credits/accounts/{shop['account'].id}").status_code == 200


def test_warehouse_staff_have_no_credits_pages(client, login_as, shop):
    login_as(shop["warehouse_user"])
    assert client.get("/credits/").status_code == 403
    assert client.get(f"/credits/accounts/{shop['account'].id}").status_code == 403


def test_the_nav_links_credits(client, login_as, shop):
    login_as(shop["retailer"])
    assert 'href="/credits/">Credits</a>' in client.get("/account/").get_data(as_text=True)
    login_as(shop["admin"])
    nav = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/rmas">RMAs</a>' in nav
    assert 'href="/admin/replacement-orders">Replacement orders</a>' in nav


def test_memo_pdf_prints_names_beyond_western_european_letters(
    client, login_as, db_session, shop, credited
):
    if fonts()[0] == "Helvetica":
        skip_or_fail("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    shop["account"].name = "Optyka Łódź Żółty"
    db_session.flush()
    login_as(shop["admin"])
    text = pdf_text(client.get(f"/credits/memos/{credited.number}.pdf"))
    assert f"{shop['account'].number} · Optyka Łódź Żółty" in text
