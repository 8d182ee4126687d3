"""The analytics charts render as SVG with their table after them, at a phone's width
and a laptop's, with no sideways scroll, no console error and no serious axe finding:
the return rates and the retailer feedback views."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import FeedbackAnswer, FeedbackAnswerTag, FeedbackTag, WorkflowVersion
from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_rma
from tests.portal.analytics import dataset

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def people(live_server):
    with live_server.session() as session:
        data = dataset.build(session)
        refresh_rollups(session, utcnow(), full=True)
        _answer_surveys(session, data)
        session.commit()
        return {"admin": data.admin.email, "rep": data.rep1.email}


@pytest.mark.parametrize("view", ["account", "month"])
@pytest.mark.parametrize("width", [375, 1366])
def test_each_chart_fits_and_its_table_follows(page, people, view, width):
    log_in(page, people["rep"], PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/analytics/returns/{view}?{dataset.QUERY}")
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() == 2  # CHF and EUR
    for index in range(2):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and 0 < box["width"] <= width and box["height"] > 50
        assert chart.locator("rect").count() > 2
        title = chart.get_attribute("aria-labelledby")
        assert page.locator(f"[id='{title}']").text_content().endswith(("CHF", "EUR"))
    tables = page.locator("table.rates")
    assert tables.count() == 2
    assert tables.nth(1).locator("tbody tr").count() >= 1
    assert page.locator("table.rates tbody th").first.is_visible()


def test_the_pages_pass_the_checks_at_every_width(page, people):
    log_in(page, people["admin"], PASSWORD)
    for view in ("reason", "sku", "month"):
        check_page(page, f"/analytics/returns/{view}?{dataset.QUERY}")
    check_page(page, "/analytics/")


def _answer_surveys(session, data) -> None:
    """Resolved RMAs of every account, answered in January to March 2026 (never submitted:
    the return rates above stay as they were)."""
    version = session.scalars(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == data.return_types["ROT"].workflow_id
        )
    ).first()
    answers = [
        ("A", "ROT", 5, 1, [FeedbackTag.QUICK_APPROVAL]),
        ("A", "DEF", 2, 2, [FeedbackTag.SLOW_CREDIT]),
        ("C", "ROT", 4, 3, []),
        ("B", "DEF", 1, 2, [FeedbackTag.LABEL_PROBLEMS]),
    ]
    for account, kind, rating, month, tags in answers:
        rma = make_rma(
            session,
            data.accounts[account],
            version,
            state="closed",
            resolution="credit",
            return_type=data.return_types[kind],
        )
        moment = datetime(2026, month, 10, tzinfo=UTC)
        session.add(
            FeedbackAnswer(
                rma_id=rma.id,
                rating=rating,
                created_at=moment,
                updated_at=moment,
                tag_rows=[FeedbackAnswerTag(tag=tag) for tag in tags],
            )
        )
    session.flush()


@pytest.mark.parametrize("view", ["return-type", "month"])
@pytest.mark.parametrize("width", [375, 1366])
def test_each_feedback_chart_fits_and_its_table_follows(page, people, view, width):
    log_in(page, people["rep"], PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/analytics/feedback/{view}?{dataset.QUERY}")
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() == 2  # the average per group, the spread of the ratings
    for index in range(2):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and 0 < box["width"] <= width and box["height"] > 50
        assert chart.locator("rect").count() > 2
        title = chart.get_attribute("aria-labelledby")
        assert page.locator(f"[id='{title}']").text_content()
    table = page.locator("table.feedback-summary")
    assert table.locator("tbody tr").count() == (2 if view == "return-type" else 3)
    assert table.locator("tfoot th").first.is_visible()
    # Rita Rep's accounts (A and C): three answers, none of Sam Seller's account B.
    assert "3 answers" in page.locator("p.period").text_content()


def test_the_feedback_views_pass_the_checks_at_every_width(page, people):
    log_in(page, people["admin"], PASSWORD)
    for view in ("rep", "return-type", "month"):
        check_page(page, f"/analytics/feedback/{view}?{dataset.QUERY}")
