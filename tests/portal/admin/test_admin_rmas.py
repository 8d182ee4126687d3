"""The admin's list of every RMA: each filter, sorting, HTMX pagination, one query a page."""

from __future__ import annotations

import re

import pytest

from models import Role
from models.base import utcnow
from tests.factories import (
    make_account,
    make_retailer,
    make_rma,
    make_user,
)

HX = {"HX-Request": "true"}


def listed(response) -> list[str]:
    """The RMA keys in the order the results table lists them."""
    assert response.status_code == 200
    return re.findall(r">RMA-LIST-(\w)</a>", response.get_data(as_text=True))


def test_lists_every_rma_newest_submitted_first(client, admin, listing):
    response = client.get("/admin/rmas")
    assert listed(response) == ["B", "C", "A", "D"]  # never submitted: last
    html = response.get_data(as_text=True)
    assert 'href="/rmas/RMA-LIST-B"' in html
    assert "Lunettes Dupont" in html and "Sam Second" in html and "Rita Rep" in html
    assert "€2,500.00" in html
    assert "Sales rep review" in html  # the state's label from its workflow
    # Only the inspected RMA offers the resolution page.
    assert re.findall(r"/admin/rmas/RMA-LIST-(\w)/resolve", html) == ["B"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "inspected"}, ["B"]),
        ({"state": "rep_review"}, ["C"]),
        ({"return_type": "defective"}, ["B", "D"]),
        ({"account": "fr-2"}, ["C", "D"]),
        ({"account": "DUPONT"}, ["C", "D"]),
        ({"sales_rep": "rita"}, ["B", "A"]),
        ({"sales_rep": "sam"}, ["C", "D"]),
        ({"older_than": "7"}, ["C", "A"]),
        ({"older_than": "30"}, ["A"]),
        ({"min_value": "500"}, ["B", "C"]),
        ({"max_value": "100"}, ["A", "D"]),
        ({"min_value": "60", "max_value": "1000"}, ["C", "A"]),
        ({"state": "draft", "account": "dupont"}, ["D"]),
    ],
)
def test_each_filter(client, admin, listing, query, expected):
    ids = {
        "defective": listing["defective"].id,
        "rita": listing["rita"].id,
        "sam": listing["sam"].id,
    }
    args = {k: str(ids.get(v, v)) for k, v in query.items()}
    assert listed(client.get("/admin/rmas", query_string=args, headers=HX)) == expected
    assert listed(client.get("/admin/rmas", query_string=args)) == expected


def test_account_filter_matches_the_number_too(client, admin, listing, shop):
    number = shop["account"].number
    assert listed(client.get(f"/admin/rmas?account={number}")) == ["B", "A"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("submitted_desc", ["B", "C", "A", "D"]),
        ("submitted_asc", ["A", "C", "B", "D"]),
        ("value_desc", ["B", "C", "A", "D"]),
        ("value_asc", ["D", "A", "C", "B"]),
    ],
)
def test_sorting(client, admin, listing, sort, expected):
    assert listed(client.get(f"/admin/rmas?sort={sort}")) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("min_value=lots", "Value from: Not a valid decimal value."),
        ("min_value=-5", "Value from: Enter an amount from 0 to 9,999,999,999.99."),
        ("max_value=1e20", "Value to: Enter an amount from 0 to 9,999,999,999.99."),
        ("older_than=soon", "Submitted over … days ago: Not a valid integer value."),
        ("older_than=-1", "Submitted over … days ago: Enter a number of days from 0 to 36500."),
        ("return_type=x1", "Return type: Choose one of the listed values."),
        ("sales_rep=1;drop", "Sales rep: Choose one of the listed values."),
        ("sort=colour", "Sort: Not a valid choice."),
    ],
)
def test_bad_filters_are_reported_and_filter_nothing(client, admin, listing, query, message):
    response = client.get(f"/admin/rmas?{query}", headers=HX)
    assert message in response.get_data(as_text=True)
    assert sorted(listed(response)) == ["A", "B", "C", "D"]


def test_only_the_bad_filter_is_ignored(client, admin, listing):
    response = client.get("/admin/rmas?min_value=500&max_value=100", headers=HX)
    assert "Value to: The maximum is below the minimum." in response.get_data(as_text=True)
    assert listed(response) == ["B", "C"]  # the minimum still applies


def test_the_full_page_offers_the_filter_options(client, admin, listing):
    html = client.get("/admin/rmas").get_data(as_text=True)
    assert f'<option value="{listing["defective"].id}">Defective</option>' in html
    assert f'<option value="{listing["sam"].id}">Sam Second</option>' in html
    assert '<option value="inspected">Inspected</option>' in html
    assert 'hx-get="/admin/rmas"' in html


def test_htmx_pagination_returns_only_the_results(client, app, admin, listing):
    app.config["PAGE_SIZE"] = 3
    first = client.get("/admin/rmas", headers=HX)
    assert listed(first) == ["B", "C", "A"]
    html = first.get_data(as_text=True)
    assert "<html" not in html and 'class="filters"' not in html
    assert "1–3 of 4" in html and 'hx-get="/admin/rmas?page=2"' in html
    assert first.headers["Vary"] == "HX-Request" or "HX-Request" in first.headers["Vary"]
    second = client.get("/admin/rmas?page=2&state=", headers=HX)
    assert listed(second) == ["D"] and "4–4 of 4" in second.get_data(as_text=True)
    past_the_end = client.get("/admin/rmas?page=9", headers=HX)
    assert listed(past_the_end) == ["D"]  # the last page


def test_one_query_for_a_page_however_many_rows(client, admin, db_session, shop, count_queries):
    def add_rmas(count: int) -> None:
        for _ in range(count):
            rep = make_user(db_session, Role.SALES_REP)
            account = make_account(db_session, sales_rep=rep)
            make_rma(db_session, account, shop["version"], submitted_at=utcnow())

    add_rmas(3)
    client.get("/admin/rmas", headers=HX)  # the workflow is compiled (and cached) once
    counts = []
    for extra in (0, 12):
        add_rmas(extra)
        count_queries.statements.clear()
        response = client.get("/admin/rmas", headers=HX)
        assert response.status_code == 200
        reading_rmas = [s for s in count_queries.statements if re.search(r"FROM rmas\b", s)]
        assert len(reading_rmas) == 1, reading_rmas
        counts.append(len(count_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.WAREHOUSE, Role.RETAILER])
@pytest.mark.parametrize(
    "path", ["/admin/rmas", "/admin/rmas.csv", "/admin/rma_lines.csv", "/admin/replacement-orders"]
)
def test_only_admins_see_the_rma_screens(client, login_as, db_session, listing, role, path):
    user = make_retailer(db_session) if role is Role.RETAILER else make_user(db_session, role)
    login_as(user)
    response = client.get(path)
    assert response.status_code == 403
    assert b"RMA-LIST" not in response.data


def test_anonymous_users_are_sent_to_log_in(client, listing):
    response = client.get("/admin/rmas")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
