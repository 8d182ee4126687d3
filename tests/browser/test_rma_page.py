"""On the RMA page a retailer posts a message and ships the parcel; htmx updates the page
in place (no page load), with CSRF on, as in production."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD
from tests.world import World, authorized_rma

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rma_page(live_server):
    from models import Role
    from tests.factories import (
        make_account,
        make_published_workflow,
        make_retailer,
        make_return_type,
        make_user,
    )

    with live_server.session() as session:
        rep = make_user(
            session, Role.SALES_REP, name="Rita Browser", email="rita-browser@example.test"
        )
        account = make_account(session, sales_rep=rep, name="Optik Browser Page")
        other_rep = make_user(session, Role.SALES_REP)
        other_account = make_account(session, sales_rep=other_rep)
        version = make_published_workflow(session, "stock_rotation")
        return_type = make_return_type(session, version.workflow_id, name="Stock rotation")
        world = World(
            rep=rep,
            account=account,
            retailer=make_retailer(session, account, email="olga-browser@example.test"),
            admin=make_user(session, Role.ADMIN),
            warehouse_user=make_user(session, Role.WAREHOUSE),
            other_rep=other_rep,
            other_account=other_account,
            other_retailer=make_retailer(session, other_account),
            version=version,
            return_type=return_type,
        )
        rma = authorized_rma(session, world)
        session.commit()
        return {"number": rma.number, "email": world.retailer.email}


def test_posting_a_message_and_shipping_update_the_page_in_place(page, rma_page):
    log_in(page, rma_page["email"], PASSWORD)
    page.goto(f"/rmas/{rma_page['number']}")
    assert page.locator("#rma-state .state-now").inner_text() == "Authorized"
    page.evaluate("window.__stillTheSamePage = true")

    with page.expect_response(lambda r: r.url.endswith("/messages") and r.status == 200):
        page.fill("#rma-messages textarea[name=body]", "Parcel goes out on Monday.")
        page.click("#rma-messages button[type=submit]")
    # Locator assertions poll without evaluating strings, which the page's CSP forbids.
    expect(page.locator("#rma-messages .thread")).to_contain_text("Parcel goes out on Monday.")
    assert page.input_value("#rma-messages textarea[name=body]") == ""
    assert page.evaluate("window.__stillTheSamePage") is True

    with page.expect_response(lambda r: r.url.endswith("/actions") and r.status == 200):
        page.click("#rma-actions button:has-text('Mark as shipped')")
    expect(page.locator("#rma-state .state-now")).to_have_text("Awaiting receipt")
    assert "Mark as shipped: done." in page.locator("#rma-main").inner_text()
    assert "Mark as shipped" in page.locator("#rma-timeline").inner_text()
    assert page.evaluate("window.__stillTheSamePage") is True
    # The message thread survived the action's swap, and a reload shows the same.
    page.reload()
    assert "Parcel goes out on Monday." in page.locator("#rma-messages").inner_text()
    assert page.locator("#rma-state .state-now").inner_text() == "Awaiting receipt"


@pytest.mark.parametrize("width", [1366, 1920])
def test_on_a_wide_screen_the_lines_stay_in_their_column(page, rma_page, width):
    """The returned lines scroll inside their column; none runs under the sidebar."""
    log_in(page, rma_page["email"], PASSWORD)
    check_page(page, f"/rmas/{rma_page['number']}", widths=(width,))
    lines = page.locator("#rma-lines .table-scroll").first.bounding_box()
    side = page.locator(".rma-col-side").bounding_box()
    assert lines["x"] + lines["width"] <= side["x"], (lines, side)
