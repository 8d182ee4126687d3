"""The process views through HTTP: each page shows its chart and table, each CSV exactly the
page's figures, and a sales rep sees only their accounts on every page and in every export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from portal.analytics.flow_refresh import refresh_until_current
from portal.analytics.process import VIEWS
from tests.portal.analytics.flow_world import build_flow_world

PERIOD = "start=2026-01&end=2026-02"


@pytest.fixture
def flow(db_session):
    world = build_flow_world(db_session)
    refresh_until_current(db_session, datetime(2026, 3, 5, tzinfo=UTC))
    db_session.commit()
    return world


def page(client, view: str, query: str = PERIOD):
    response = client.get(f"/analytics/process/{view}?{query}")
    assert response.status_code == 200, response.text[:500]
    return response.text


def export(client, view: str, query: str = PERIOD) -> list[list[str]]:
    response = client.get(f"/analytics/process/{view}.csv?{query}&headers=codes")
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))


def attribute_values(html: str, name: str) -> list[str]:
    return re.findall(rf'data-{name}="([^"]*)"', html)


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_has_a_chart_and_its_table(client, login_as, flow, view):
    login_as(flow.admin)
    html = page(client, view)
    assert '<svg viewBox="0 0' in html and 'role="img"' in html
    assert "<table" in html and "<caption" in html
    assert f"/analytics/process/{view}.csv?" in html
    assert "2026" in html


def test_time_in_each_state(client, login_as, flow):
    login_as(flow.admin)
    html = page(client, "cycle-times")
    assert attribute_values(html, "state") == [
        "draft",
        "rep_review",
        "changes_requested",
        "authorized",
        "awaiting_receipt",
    ]
    assert ">1,188 h<" in html  # R1 waited 49 d 12 h − 1 s for its parcel: 1,188.0 h
    rows = export(client, "cycle-times")
    assert rows[0] == ["workflow", "state_code", "state", "visits", "median_hours", "p90_hours"]
    assert rows[1][1:] == ["draft", "Draft", "4", "1.0", "4.0"]
    assert rows[2][1:] == ["rep_review", "Sales rep review", "4", "24.0", "96.0"]


def test_sla_and_rep_decisions(client, login_as, flow):
    login_as(flow.admin)
    assert ">75.0%<" in page(client, "sla").replace("\xa0", "")
    assert export(client, "sla")[1][3:] == ["4", "3", "1", "75.0"]
    reps = {row[0]: row[1:] for row in export(client, "reps")[1:]}
    assert reps == {
        "Anna Rep": ["3", "2", "66.7", "1", "1", "0", "50.0"],
        "Bruno Rep": ["1", "1", "100.0", "1", "0", "1", "100.0"],
    }


def test_credits_per_currency_never_added_up(client, login_as, flow):
    login_as(flow.admin)
    html = page(client, "credits")
    assert attribute_values(html, "currency") == ["EUR", "GBP"]
    assert "€140.00" in html and "£80.00" in html  # the totals of each currency
    assert export(client, "credits")[1:] == [
        ["2026-01", "EUR", "1", "100.00", "0.00", "100.00"],
        ["2026-02", "EUR", "1", "50.00", "-10.00", "40.00"],
        ["2026-01", "GBP", "1", "80.00", "0.00", "80.00"],
        ["2026-02", "GBP", "0", "0.00", "0.00", "0.00"],
    ]


def test_grades_and_allowance(client, login_as, flow):
    login_as(flow.admin)
    grades = export(client, "grades")
    assert grades[-1] == ["total", "Total", "3", "2", "1", "1", "4", "11"]
    html = page(client, "allowance")
    assert attribute_values(html, "account") == ["F001", "F002", "F003"]
    assert "as of 28 February 2026" in html.replace("\xa0", " ") or "Feb 28, 2026" in html
    allowance = {row[0]: row for row in export(client, "allowance")[1:]}
    assert allowance["F001"][6:] == [
        "2000.00",
        "200.00",
        "590.00",
        "90.00",
        "500.00",
        "-390.00",
        "295.0",
    ]
    assert allowance["F003"][-1] == ""  # no allowance to use: no share


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_rep_sees_their_accounts_only_on_every_page_and_export(client, login_as, flow, view):
    login_as(flow.bruno)
    html = page(client, view)
    rows = export(client, view)
    text = html + repr(rows)
    for foreign in ("Optik Eins", "Optik Zwei", "F001", "F002", "Anna Rep", "GBP", "£"):
        assert foreign not in text, (view, foreign)


def test_rep_figures_are_their_accounts_figures(client, login_as, flow):
    login_as(flow.bruno)
    assert export(client, "grades")[-1][-1] == "5"
    assert [row[1] for row in export(client, "credits")[1:]] == ["EUR", "EUR"]
    assert [row[0] for row in export(client, "allowance")[1:]] == ["F003"]
    assert [row[0] for row in export(client, "reps")[1:]] == ["Bruno Rep"]
    assert export(client, "sla")[1][3:] == ["2", "2", "0", "100.0"]


def test_a_rep_cannot_filter_on_another_reps_account(client, login_as, flow):
    login_as(flow.anna)
    response = client.get(f"/analytics/process/grades?{PERIOD}&account=F003")
    assert response.status_code == 422
    assert "No account numbered F003 among the accounts you see." in response.text
    assert "Optik Drei" not in response.text
    refused = client.get(f"/analytics/process/grades.csv?{PERIOD}&account=F003")
    assert refused.status_code == 400


def test_filters_narrow_page_and_export_alike(client, login_as, flow):
    login_as(flow.admin)
    query = f"{PERIOD}&account=F003"
    assert attribute_values(page(client, "allowance", query), "account") == ["F003"]
    assert [row[0] for row in export(client, "allowance", query)[1:]] == ["F003"]
    assert export(client, "grades", query)[-1][-1] == "5"


def test_an_unknown_view_is_not_found(client, login_as, flow):
    login_as(flow.admin)
    assert client.get("/analytics/process/nonsense").status_code == 404
    assert client.get("/analytics/process/nonsense.csv").status_code == 404


def test_the_analytics_home_links_every_process_view(client, login_as, flow):
    login_as(flow.anna)
    html = client.get("/analytics/").text
    for view in VIEWS:
        assert f'href="/analytics/process/{view}"' in html


def test_the_allowance_pages_through_accounts(client, login_as, flow, monkeypatch):
    monkeypatch.setattr("portal.analytics.process.ALLOWANCE_PER_PAGE", 2)
    login_as(flow.admin)
    first = page(client, "allowance")
    second = page(client, "allowance", f"{PERIOD}&page=2")
    assert attribute_values(first, "account") == ["F001", "F002"]
    assert attribute_values(second, "account") == ["F003"]
    assert [row[0] for row in export(client, "allowance", f"{PERIOD}&page=2")[1:]] == ["F003"]


def test_kept_figures_give_way_to_a_refresh(client, login_as, db_session, flow):
    from decimal import Decimal

    from models import CreditMemo

    login_as(flow.admin)
    assert "€140.00" in page(client, "credits")
    db_session.add(
        CreditMemo(
            number="CM-F-7",
            rma_id=flow.rmas["R2"].id,
            account_id=flow.eins.id,
            currency="EUR",
            amount=Decimal("7.00"),
            created_at=datetime(2026, 2, 27, tzinfo=UTC),
        )
    )
    db_session.commit()
    assert "€140.00" in page(client, "credits")  # not refreshed yet: the same figures

    refresh_until_current(db_session, datetime(2026, 3, 5, tzinfo=UTC))
    db_session.commit()
    assert "€147.00" in page(client, "credits")
