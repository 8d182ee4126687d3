"""The analytics charts render as SVG with their table after them, at a phone's width
and a laptop's, with no sideways scroll, no console error and no serious axe finding."""

from __future__ import annotations

import pytest

from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD
from tests.portal.analytics import dataset

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def people(live_server):
    with live_server.session() as session:
        data = dataset.build(session)
        refresh_rollups(session, utcnow(), full=True)
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
