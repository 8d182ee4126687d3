"""The process views' charts render as SVG with their table after them, at a phone's width
and a laptop's, with no sideways scroll, no console error and no serious axe finding."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.analytics.flow_refresh import refresh_until_current
from portal.analytics.process import VIEWS
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD
from tests.portal.analytics.flow_world import build_flow_world

pytestmark = pytest.mark.browser
QUERY = "start=2026-01&end=2026-02"


@pytest.fixture(scope="module")
def people(live_server):
    with live_server.session() as session:
        world = build_flow_world(session, suffix="-b")
        refresh_until_current(session, datetime(2026, 3, 5, tzinfo=UTC))
        session.commit()
        return {"admin": world.admin.email, "rep": world.anna.email}


@pytest.mark.parametrize("view", ["credits", "allowance"])
@pytest.mark.parametrize("width", [375, 1366])
def test_each_chart_fits_and_its_table_follows(page, people, view, width):
    log_in(page, people["admin"], PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/analytics/process/{view}?{QUERY}")
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and 0 < box["width"] <= width and box["height"] > 50
        assert chart.locator("rect").count() > 2
        title = chart.get_attribute("aria-labelledby")
        assert page.locator(f"[id='{title}']").text_content()
    tables = page.locator("table.rates")
    assert tables.count() == charts.count()
    assert tables.first.locator("tbody tr").count() >= 2
    assert page.locator("table.rates tbody th").first.is_visible()


def test_the_process_pages_pass_the_checks_at_every_width(page, people):
    log_in(page, people["rep"], PASSWORD)
    for view in VIEWS:
        check_page(page, f"/analytics/process/{view}?{QUERY}")
