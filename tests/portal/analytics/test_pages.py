"""The analytics pages through HTTP: what they show matches their CSV, bad input is a
clear 4xx that falls back to the defaults, and the area is for admins and reps only."""

from __future__ import annotations

import csv
import io
import re

import pytest

from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from portal.analytics.returns import DIMENSIONS
from tests.factories import make_retailer, make_user
from tests.portal.analytics import dataset


@pytest.fixture
def data(db_session):
    built = dataset.build(db_session)
    refresh_rollups(db_session, utcnow(), full=True)
    return built


def test_the_home_page_lists_every_view_and_the_nav_links_to_it(client, login_as, data):
    for user in (data.admin, data.rep1):
        login_as(user)
        page = client.get("/analytics/").get_data(as_text=True)
        for slug in DIMENSIONS:
            assert f'href="/analytics/returns/{slug}"' in page
        assert 'href="/analytics/"' in client.get("/credits/").get_data(as_text=True)


def _table_rows(page: str, currency: str) -> list[str]:
    table = re.search(
        rf'<table class="data rates" data-currency="{currency}">(.*?)</table>', page, re.S
    )
    assert table, currency
    return re.findall(r'<tr data-key="([^"]*)">', table.group(1))


@pytest.mark.parametrize("view", sorted(DIMENSIONS))
def test_the_page_shows_exactly_the_rows_of_its_csv(client, login_as, data, view):
    login_as(data.rep1)
    query = dataset.QUERY + "&region=north"
    page = client.get(f"/analytics/returns/{view}?{query}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    export = client.get(f"/analytics/returns/{view}.csv?{query}&headers=codes")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert rows
    for currency in ("CHF", "EUR"):
        assert _table_rows(text, currency) == [r["key"] for r in rows if r["currency"] == currency]
    # One chart per currency, named, with its table after it.
    assert text.count('role="img"') == 2
    assert text.index('id="chart-') < text.index('<table class="data rates"')


def test_figures_are_formatted_for_the_reader(client, login_as, data):
    login_as(data.admin)
    text = client.get(f"/analytics/returns/account?{dataset.QUERY}").get_data(as_text=True)
    assert "€110.00" in text and "€350.00" in text and "33.3%" in text and "31.4%" in text
    assert "CHF 100.00" in text.replace("\xa0", " ")
    assert "Jan 2026 to Mar 2026" in text
    german = client.get(
        f"/analytics/returns/account?{dataset.QUERY}", headers={"Accept-Language": "de"}
    ).get_data(as_text=True)
    assert "110,00" in german


def test_the_csv_has_headers_in_the_readers_language(client, login_as, data):
    login_as(data.admin)
    export = client.get(f"/analytics/returns/account.csv?{dataset.QUERY}")
    assert export.status_code == 200
    assert export.headers["Content-Disposition"].endswith('returns-account-2026-01-2026-03.csv"')
    header = export.get_data(as_text=True).splitlines()[0]
    assert header.startswith("Account,Name,Currency,Units returned")


def test_an_injected_formula_is_quoted(client, login_as, data, db_session):
    data.accounts["A"].name = "=cmd|' /C calc'!A0"
    db_session.flush()
    login_as(data.admin)
    body = client.get(f"/analytics/returns/account.csv?{dataset.QUERY}").get_data(as_text=True)
    assert "'=cmd" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13", "Give a month as year and month"),
        ("start=1999-12", "Give a month between"),
        ("start=2026-05&end=2026-02", "The last month comes before the first."),
        ("start=2016-01&end=2026-03", "A period covers at most 120 months."),
        ("brand=Nope", "Not a valid choice"),
        ("region=nowhere", "Not a valid choice"),
        ("return_type=XYZ", "Not a valid choice"),
        ("account=" + "9" * 40, "Field cannot be longer than 32 characters."),
    ],
)
def test_bad_filters_are_a_clear_refusal(client, login_as, data, query, message):
    login_as(data.admin)
    page = client.get(f"/analytics/returns/brand?{query}")
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    export = client.get(f"/analytics/returns/brand.csv?{query}")
    assert export.status_code == 400
    assert message in export.get_data(as_text=True)


def test_unknown_views_and_header_styles(client, login_as, data):
    login_as(data.admin)
    assert client.get("/analytics/returns/colour").status_code == 404
    assert client.get("/analytics/returns/colour.csv").status_code == 404
    assert client.get("/analytics/returns/brand.csv?headers=xml").status_code == 400


def test_the_default_period_is_the_last_twelve_months(client, login_as, data):
    login_as(data.admin)
    text = client.get("/analytics/returns/month").get_data(as_text=True)
    assert text.count('<tr data-key="') % 12 == 0


def test_retailers_and_warehouse_staff_are_refused(client, login_as, db_session, data):
    from models import Role

    for user in (make_retailer(db_session), make_user(db_session, Role.WAREHOUSE)):
        login_as(user)
        assert client.get("/analytics/").status_code == 403
        assert client.get("/analytics/returns/account.csv").status_code == 403


def test_an_htmx_request_gets_the_results_only(client, login_as, data):
    login_as(data.admin)
    response = client.get(
        f"/analytics/returns/brand?{dataset.QUERY}", headers={"HX-Request": "true"}
    )
    text = response.get_data(as_text=True)
    assert "<html" not in text and 'data-currency="EUR"' in text
    assert "HX-Request" in response.headers["Vary"]
