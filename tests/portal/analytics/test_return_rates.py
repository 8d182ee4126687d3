"""Every figure of every return-rate view, against the hand-computed data set (dataset.py):
admins and reps, a period boundary on both sides, two currencies, rejected and draft RMAs.

Read through the CSV export with column codes (the same rows and figures as the page,
checked in test_pages.py). Rates are percent with two decimals; "" where nothing was
purchased.
"""

from __future__ import annotations

import csv
import io

import pytest

from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from tests.portal.analytics import dataset


@pytest.fixture
def data(db_session):
    built = dataset.build(db_session)
    refresh_rollups(db_session, utcnow(), full=True)
    return built


def figures(client, view: str, query: str = dataset.QUERY) -> list[tuple]:
    response = client.get(f"/analytics/returns/{view}.csv?{query}&headers=codes")
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    return [
        (
            row["key"],
            row["currency"],
            int(row["returned_units"]),
            int(row["purchased_units"]),
            row["unit_rate_percent"],
            row["returned_value"],
            row["purchased_value"],
            row["value_rate_percent"],
        )
        for row in rows
    ]


def test_by_reason_is_a_share_of_all_purchases_in_the_currency(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "reason") == [
        # EUR purchases in the period: 10 + 5 + 20 = 35 units, 200 + 150 + 500 = 850.00
        ("Slow seller", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("Slow seller", "EUR", 4, 35, "11.43", "80.00", "850.00", "9.41"),
        ("Defective", "EUR", 3, 35, "8.57", "80.00", "850.00", "9.41"),
    ]


def test_by_return_type(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "return-type") == [
        ("ROT", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("ROT", "EUR", 5, 35, "14.29", "110.00", "850.00", "12.94"),
        ("DEF", "EUR", 2, 35, "5.71", "50.00", "850.00", "5.88"),
    ]


def test_by_brand(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "brand") == [
        ("Aria", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("Aria", "EUR", 6, 30, "20.00", "130.00", "700.00", "18.57"),
        ("Brio", "EUR", 1, 5, "20.00", "30.00", "150.00", "20.00"),
    ]


def test_by_sku_shows_one_brand_the_first_by_default(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "sku") == [
        ("ARIA-2", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("ARIA-1", "EUR", 6, 30, "20.00", "130.00", "700.00", "18.57"),
    ]
    assert figures(client, "sku", dataset.QUERY + "&brand=Brio") == [
        ("BRIO-3", "EUR", 1, 5, "20.00", "30.00", "150.00", "20.00"),
    ]


def test_by_account(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "account") == [
        ("C-300", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("A-100", "EUR", 5, 15, "33.33", "110.00", "350.00", "31.43"),
        ("B-200", "EUR", 2, 20, "10.00", "50.00", "500.00", "10.00"),
    ]


def test_by_region(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "region") == [
        ("north", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("north", "EUR", 5, 15, "33.33", "110.00", "350.00", "31.43"),
        ("south", "EUR", 2, 20, "10.00", "50.00", "500.00", "10.00"),
    ]


def test_by_rep(client, login_as, data):
    login_as(data.admin)
    rep1, rep2 = str(data.rep1.id), str(data.rep2.id)
    assert figures(client, "rep") == [
        (rep1, "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        (rep1, "EUR", 5, 15, "33.33", "110.00", "350.00", "31.43"),
        (rep2, "EUR", 2, 20, "10.00", "50.00", "500.00", "10.00"),
    ]


def test_by_month_has_every_month_of_the_period(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "month") == [
        ("2026-01", "CHF", 2, 0, "", "100.00", "0.00", ""),
        ("2026-01", "EUR", 0, 15, "0.00", "0.00", "350.00", "0.00"),
        ("2026-02", "CHF", 0, 0, "", "0.00", "0.00", ""),
        ("2026-02", "EUR", 2, 20, "10.00", "50.00", "500.00", "10.00"),
        ("2026-03", "CHF", 0, 8, "0.00", "0.00", "400.00", "0.00"),
        ("2026-03", "EUR", 5, 0, "", "110.00", "0.00", ""),
    ]


def test_the_boundary_months_move_the_figures(client, login_as, data):
    """December 2025 to April 2026: the invoice of 31 December and the RMA of 1 April."""
    login_as(data.admin)
    rows = figures(client, "account", "start=2025-12&end=2026-04")
    assert ("A-100", "EUR", 7, 115, "6.09", "150.00", "2350.00", "6.38") in rows


def test_filters_narrow_both_sides(client, login_as, data):
    login_as(data.admin)
    assert figures(client, "brand", dataset.QUERY + "&region=north&brand=Aria") == [
        ("Aria", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("Aria", "EUR", 4, 10, "40.00", "80.00", "200.00", "40.00"),
    ]
    # A return type narrows the returns; purchases stay everything purchased.
    assert figures(client, "account", dataset.QUERY + "&return_type=DEF") == [
        ("B-200", "EUR", 2, 20, "10.00", "50.00", "500.00", "10.00"),
    ]
    assert figures(client, "reason", dataset.QUERY + "&account=A-100") == [
        ("Slow seller", "EUR", 4, 15, "26.67", "80.00", "350.00", "22.86"),
        ("Defective", "EUR", 1, 15, "6.67", "30.00", "350.00", "8.57"),
    ]


REP1_VIEWS = {
    "account": [
        ("C-300", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("A-100", "EUR", 5, 15, "33.33", "110.00", "350.00", "31.43"),
    ],
    "reason": [
        ("Slow seller", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("Slow seller", "EUR", 4, 15, "26.67", "80.00", "350.00", "22.86"),
        ("Defective", "EUR", 1, 15, "6.67", "30.00", "350.00", "8.57"),
    ],
    "brand": [
        ("Aria", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("Aria", "EUR", 4, 10, "40.00", "80.00", "200.00", "40.00"),
        ("Brio", "EUR", 1, 5, "20.00", "30.00", "150.00", "20.00"),
    ],
    "region": [
        ("north", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("north", "EUR", 5, 15, "33.33", "110.00", "350.00", "31.43"),
    ],
    "return-type": [
        ("ROT", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("ROT", "EUR", 5, 15, "33.33", "110.00", "350.00", "31.43"),
    ],
    "sku": [
        ("ARIA-2", "CHF", 2, 8, "25.00", "100.00", "400.00", "25.00"),
        ("ARIA-1", "EUR", 4, 10, "40.00", "80.00", "200.00", "40.00"),
    ],
    "month": [
        ("2026-01", "CHF", 2, 0, "", "100.00", "0.00", ""),
        ("2026-01", "EUR", 0, 15, "0.00", "0.00", "350.00", "0.00"),
        ("2026-02", "CHF", 0, 0, "", "0.00", "0.00", ""),
        ("2026-02", "EUR", 0, 0, "", "0.00", "0.00", ""),
        ("2026-03", "CHF", 0, 8, "0.00", "0.00", "400.00", "0.00"),
        ("2026-03", "EUR", 5, 0, "", "110.00", "0.00", ""),
    ],
}


@pytest.mark.parametrize("view", sorted(REP1_VIEWS))
def test_a_rep_sees_only_their_accounts(client, login_as, data, view):
    login_as(data.rep1)
    assert figures(client, view) == REP1_VIEWS[view]


def test_the_rep_view_shows_a_rep_only_themself(client, login_as, data):
    login_as(data.rep2)
    rep2 = str(data.rep2.id)
    assert figures(client, "rep") == [(rep2, "EUR", 2, 20, "10.00", "50.00", "500.00", "10.00")]


def test_a_rep_naming_another_reps_account_sees_none_of_its_figures(client, login_as, data):
    login_as(data.rep1)
    page = client.get(f"/analytics/returns/account?{dataset.QUERY}&account=B-200")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "No account numbered B-200 among the accounts you see." in text
    # The page falls back to the rep's own figures: B's name and figures are nowhere.
    assert "Optik B" not in text and 'data-key="B-200"' not in text
    assert 'data-key="A-100"' in text
    export = client.get(f"/analytics/returns/account.csv?{dataset.QUERY}&account=B-200")
    assert export.status_code == 400
    assert b"Optik B" not in export.get_data()
