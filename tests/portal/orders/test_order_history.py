"""Order history: search, filters, pagination, HTMX fragments and account scoping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models import Lifecycle, Role
from tests.factories import make_account, make_order, make_product, make_retailer, make_user


@pytest.fixture
def two_accounts(db_session):
    rep = make_user(db_session, Role.SALES_REP)
    other_rep = make_user(db_session, Role.SALES_REP)
    mine = make_account(db_session, sales_rep=rep, name="Optik Mine")
    theirs = make_account(db_session, sales_rep=other_rep, name="Brillen Theirs")
    aurora = make_product(db_session, sku="AUR-1001", brand="Aurora", model="Meridian")
    velo = make_product(
        db_session, sku="VEL-2002", brand="Velo", model="Sprint", lifecycle=Lifecycle.DISCONTINUED
    )
    make_order(
        db_session,
        mine,
        [(aurora, 3, "41.50")],
        invoice_number="INV-MINE-1",
        invoice_date=date(2026, 1, 10),
    )
    make_order(
        db_session,
        mine,
        [(velo, 1, "60.00")],
        invoice_number="INV-MINE-2",
        invoice_date=date(2026, 5, 2),
    )
    make_order(db_session, theirs, [(aurora, 7, "39.00")], invoice_number="INV-THEIRS-1")
    return {"rep": rep, "other_rep": other_rep, "mine": mine, "theirs": theirs}


def test_retailer_sees_own_lines_only(client, db_session, login_as, two_accounts):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    page = client.get("/account/").data
    assert b"INV-MINE-1" in page and b"INV-MINE-2" in page
    assert b"INV-THEIRS-1" not in page
    assert "€124.50".encode() in page  # 3 × 41.50


@pytest.mark.parametrize(
    "query",
    ["?q=INV-THEIRS-1", "?account_id={theirs}", "?q=AUR", "?page=2", "?brand=Aurora"],
)
def test_no_query_string_reaches_another_account(client, db_session, login_as, two_accounts, query):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    page = client.get("/account/" + query.format(theirs=two_accounts["theirs"].id)).data
    results = page.split(b'id="order-history-results"')[1]  # the search box echoes the query
    assert b"INV-THEIRS-1" not in results
    assert b"Brillen Theirs" not in page


def test_retailer_cannot_open_staff_account_pages(client, db_session, login_as, two_accounts):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    theirs = two_accounts["theirs"].id
    for path in (f"/rep/accounts/{theirs}", f"/admin/accounts/{theirs}"):
        assert client.get(path).status_code == 403


def test_search_by_sku_brand_model_and_invoice(client, db_session, login_as, two_accounts):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    for text, expected, absent in [
        ("aur-10", b"INV-MINE-1", b"INV-MINE-2"),
        ("velo", b"INV-MINE-2", b"INV-MINE-1"),
        ("ELO", b"INV-MINE-2", b"INV-MINE-1"),  # part of a brand, in any case
        ("meridian", b"INV-MINE-1", b"INV-MINE-2"),
        ("inv-mine-2", b"INV-MINE-2", b"INV-MINE-1"),
    ]:
        page = client.get("/account/", query_string={"q": text}).data
        assert expected in page and absent not in page, text


@pytest.mark.parametrize(
    ("few", "many"),
    [(200, 5000), (0, 5000), (0, 0)],
    ids=["by-ids", "hashed-ids-on-the-account-walk", "subquery"],
)
def test_search_finds_the_same_lines_whichever_way_it_reads_them(
    client, db_session, login_as, two_accounts, monkeypatch, few, many
):
    """Matches are read by id when few, tested line by line when many (see _matching)."""
    monkeypatch.setattr("portal.orders.queries.FEW_MATCHES", few)
    monkeypatch.setattr("portal.orders.queries.MANY_MATCHES", many)
    login_as(make_retailer(db_session, two_accounts["mine"]))
    for text, expected, absent in [
        ("aur-10", b"INV-MINE-1", b"INV-MINE-2"),
        ("velo", b"INV-MINE-2", b"INV-MINE-1"),
        ("inv-mine-2", b"INV-MINE-2", b"INV-MINE-1"),
        ("inv-mine", b"INV-MINE-1", b"INV-THEIRS-1"),
    ]:
        page = client.get("/account/", query_string={"q": text}).data
        results = page.split(b'id="order-history-results"')[1]
        assert expected in results and absent not in results, text


def test_a_search_counts_its_matches_to_a_lower_limit(
    app, client, db_session, login_as, monkeypatch
):
    monkeypatch.setattr("portal.orders.queries.SEARCH_COUNT_LIMIT", 3)
    monkeypatch.setattr("portal.orders.queries.COUNT_LIMIT", 5)
    app.config["PAGE_SIZE"] = 2
    account = make_account(db_session)
    product = make_product(db_session, sku="CNT-1")
    make_order(db_session, account, [(product, 1, "10.00")] * 8)
    login_as(make_retailer(db_session, account))
    listed = client.get("/account/").get_data(as_text=True)
    searched = client.get("/account/?q=cnt-1").get_data(as_text=True)
    assert "1–2 of more than 5" in listed
    assert "1–2 of more than 3" in searched


def test_filters_by_brand_lifecycle_and_dates(client, db_session, login_as, two_accounts):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    assert b"INV-MINE-1" not in client.get("/account/?lifecycle=discontinued").data
    assert b"INV-MINE-2" not in client.get("/account/?brand=Aurora").data
    page = client.get("/account/?invoiced_from=2026-02-01&invoiced_to=2026-12-31").data
    assert b"INV-MINE-2" in page and b"INV-MINE-1" not in page


def test_bad_filters_are_reported_not_crashing(client, db_session, login_as, two_accounts):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    response = client.get("/account/?invoiced_from=2026-05-01&invoiced_to=2026-01-01&page=x")
    assert response.status_code == 200
    assert b"The end date is before the start date." in response.data


def test_like_wildcards_are_taken_literally(client, db_session, login_as, two_accounts):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    page = client.get("/account/", query_string={"q": "%"}).data
    assert b"No invoiced lines match" in page


def test_pagination(client, app, db_session, login_as):
    account = make_account(db_session)
    product = make_product(db_session)
    for day in range(1, 31):
        make_order(
            db_session,
            account,
            [(product, 1, "10.00")],
            invoice_number=f"P-{day:02d}",
            invoice_date=date(2026, 4, day),
        )
    login_as(make_retailer(db_session, account))
    first = client.get("/account/").data
    assert b"P-30" in first and b"P-05" not in first  # newest first, 25 a page
    assert b"1\xe2\x80\x9325 of 30" in first
    second = client.get("/account/?page=2").data
    assert b"P-05" in second and b"P-30" not in second
    assert b"Page 2 of 2" in second


def test_htmx_request_gets_only_the_results_fragment(client, db_session, login_as, two_accounts):
    login_as(make_retailer(db_session, two_accounts["mine"]))
    response = client.get("/account/?q=velo", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.data
    assert b"<table" in response.data and b"INV-MINE-2" in response.data
    assert "HX-Request" in response.headers["Vary"]


def test_rep_sees_assigned_accounts_with_volume(client, db_session, login_as, two_accounts):
    login_as(two_accounts["rep"])
    page = client.get("/rep/").data
    assert b"Optik Mine" in page
    assert b"Brillen Theirs" not in page


def test_rep_searches_and_pages_through_assigned_accounts(
    app, client, db_session, login_as, two_accounts
):
    rep = two_accounts["rep"]
    for n in range(3):
        make_account(db_session, sales_rep=rep, name=f"Brillenhaus {n}", number=f"RB-9{n}")
    app.config["PAGE_SIZE"] = 2
    login_as(rep)
    first = client.get("/rep/").get_data(as_text=True)
    assert "Brillenhaus 0" in first and "Brillenhaus 1" in first and "Optik Mine" not in first
    assert "1–2 of 4" in first
    last = client.get("/rep/?page=2").get_data(as_text=True)
    assert "Brillenhaus 2" in last and "Optik Mine" in last
    # The search box asks htmx for the table alone; by name or account number.
    found = client.get("/rep/?q=rb-91", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Brillenhaus 1" in found and "Brillenhaus 0" not in found and "<html" not in found
    assert "Brillen Theirs" not in client.get("/rep/?q=brillen").get_data(as_text=True)
    nothing = client.get("/rep/?q=zzz").get_data(as_text=True)
    assert "No account matches this search." in nothing
    # A bad page number is reported, not a server error; the first page is shown.
    bad = client.get("/rep/?page=x").get_data(as_text=True)
    assert "The search was not understood" in bad and "Brillenhaus 0" in bad


def test_rep_opens_assigned_account_but_not_others(client, db_session, login_as, two_accounts):
    login_as(two_accounts["rep"])
    mine = client.get(f"/rep/accounts/{two_accounts['mine'].id}")
    assert mine.status_code == 200 and b"INV-MINE-1" in mine.data
    assert client.get(f"/rep/accounts/{two_accounts['theirs'].id}").status_code == 404
    assert client.get("/rep/accounts/999999").status_code == 404


def test_rep_volume_counts_recent_invoices(db_session, two_accounts):
    from portal.reps.queries import assigned_accounts_with_volume

    volumes = assigned_accounts_with_volume(db_session, two_accounts["rep"], today=date(2026, 6, 1))
    (volume,) = volumes.items
    assert volume.recent_invoices == 1  # only INV-MINE-2 is within 90 days
    assert volume.recent_units == 1
    assert volume.recent_value == Decimal("60.00")


def test_admin_sees_any_account(client, db_session, login_as, two_accounts):
    login_as(make_user(db_session, Role.ADMIN))
    page = client.get(f"/admin/accounts/{two_accounts['theirs'].id}").data
    assert b"INV-THEIRS-1" in page
    assert client.get("/admin/accounts/999999").status_code == 404


def test_order_history_query_count_does_not_grow_with_rows(
    client, db_session, login_as, count_queries
):
    account = make_account(db_session)
    products = [make_product(db_session) for _ in range(5)]
    make_order(db_session, account, [(p, 1, "10.00") for p in products])
    user = make_retailer(db_session, account)
    login_as(user)
    client.get("/account/")  # warm the per-process caches (the brand menu) first
    count_queries.statements.clear()
    client.get("/account/")
    few = len(count_queries)
    make_order(db_session, account, [(make_product(db_session), 1, "5.00") for _ in range(15)])
    count_queries.statements.clear()
    client.get("/account/")
    assert len(count_queries) == few <= 6


def test_a_search_as_you_type_reads_no_balance(
    client, db_session, login_as, two_accounts, count_queries
):
    """htmx asks for the results alone: the balance is not shown, so it is not read."""
    login_as(make_retailer(db_session, two_accounts["mine"]))
    count_queries.statements.clear()
    response = client.get("/account/?q=velo", headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"INV-MINE-2" in response.data
    assert b"Credit balance" not in response.data
    assert not [s for s in count_queries.statements if "ledger_entries" in s]
    assert "Credit balance" in client.get("/account/").get_data(as_text=True)
