"""Figures are kept per process until the rollups change, and never outlive what they
were read for: the rollups' refresh, the viewer's accounts, the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from models import RmaLine
from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from tests.factories import make_published_workflow, make_rma
from tests.portal.analytics import dataset


@pytest.fixture
def data(db_session):
    built = dataset.build(db_session)
    refresh_rollups(db_session, utcnow(), full=True)
    return built


def _rows(client, view: str) -> dict[str, dict[str, str]]:
    export = client.get(f"/analytics/returns/{view}.csv?{dataset.QUERY}&headers=codes")
    assert export.status_code == 200
    return {row["key"]: row for row in csv.DictReader(io.StringIO(export.get_data(as_text=True)))}


def test_a_view_shown_again_reads_no_rollup(client, login_as, data, count_queries):
    login_as(data.admin)
    url = f"/analytics/returns/account?{dataset.QUERY}"
    client.get(url)
    count_queries.statements.clear()
    assert client.get(url).status_code == 200
    read = [s for s in count_queries.statements if "analytics_" in s]
    assert read and all("analytics_watermarks" in s for s in read), read


def test_figures_are_read_afresh_once_the_rollups_are_refreshed(client, login_as, data, db_session):
    login_as(data.admin)
    before = _rows(client, "account")
    version = make_published_workflow(db_session)
    rma = make_rma(
        db_session,
        data.accounts["A"],
        version,
        return_type=data.return_types["ROT"],
        state="authorized",
        submitted_at=datetime(2026, 2, 10, tzinfo=UTC),
    )
    db_session.add(
        RmaLine(
            rma_id=rma.id,
            order_line_id=data.lines["a_p1"].id,
            quantity_requested=4,
            reason="Slow seller",
            condition="new",
        )
    )
    db_session.flush()
    assert _rows(client, "account") == before  # not refreshed yet: the same figures
    refresh_rollups(db_session, utcnow() + timedelta(seconds=1), full=True)
    after = int(_rows(client, "account")["A-100"]["returned_units"])
    assert after == int(before["A-100"]["returned_units"]) + 4


def test_a_rep_no_longer_sees_an_account_moved_away(client, login_as, data, db_session):
    login_as(data.rep1)
    assert "A-100" in _rows(client, "account")
    data.accounts["A"].sales_rep_id = data.rep2.id
    db_session.flush()
    assert "A-100" not in _rows(client, "account")
    login_as(data.rep2)
    assert "A-100" in _rows(client, "account")


def test_labels_are_kept_per_language(client, login_as, data):
    login_as(data.admin)
    english = client.get(f"/analytics/returns/month?{dataset.QUERY}").get_data(as_text=True)
    german = client.get(
        f"/analytics/returns/month?{dataset.QUERY}", headers={"Accept-Language": "de"}
    ).get_data(as_text=True)
    assert "Feb 2026" in english and "Feb 2026" not in german
    assert "Feb. 2026" in german
