"""At the dock: a warehouse user types the RMA number, receives the parcel with one line
short (flagged live, then recorded), grades every unit in place and finishes the
inspection, which puts the graded units into stock."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def parcel(live_server):
    """An RMA for 4 × WHB-AUR and 3 × WHB-VEL, awaiting receipt."""
    from models import Role
    from tests.browser.parcels import make_parcel
    from tests.factories import make_user

    with live_server.session() as session:
        parcel = make_parcel(session, "WHB", "Optik Dock")
        staff = make_user(session, Role.WAREHOUSE, email="dock-browser@example.test")
        session.commit()
        return {
            "number": parcel.rma.number,
            "email": staff.email,
            "lines": [line.id for line in parcel.rma.lines],
            "products": {"aurora": parcel.aurora.id, "velo": parcel.velo.id},
            "warehouse": parcel.warehouse.id,
        }


def test_receive_grade_and_finish_at_the_dock(page, live_server, parcel):
    number = parcel["number"]
    aurora, velo = parcel["lines"]
    log_in(page, parcel["email"], PASSWORD)
    page.goto("/warehouse/receive")
    assert page.evaluate("document.activeElement.id") == "scan"  # ready for the scanner
    page.keyboard.type("  " + number.removeprefix("RMA-").lower())
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/warehouse/rmas/{number}")

    # One frame short: flagged as it is typed, before anything is sent.
    velo_row = page.locator("tr[data-line]").nth(1)
    velo_row.locator("input[type=number]").fill("2")
    assert velo_row.get_attribute("class") == "line-short"
    assert velo_row.locator("[data-status]").inner_text() == "Short by 1"
    summary = page.locator("#receipt-summary")
    assert summary.inner_text() == "Will be flagged: 1 line short (WHB-VEL: 2 of 3)."

    page.evaluate("window.__stillTheSamePage = true")
    page.click("[data-add-row]")
    page.wait_for_selector("tr[data-unexpected]")
    assert page.evaluate("window.__stillTheSamePage") is True  # the row came by htmx
    # The new row's SKU field has the focus, for the product's barcode; this one has none.
    assert page.evaluate("document.activeElement.name") == "unexpected-0-sku"
    page.fill("input[name=unexpected-0-description]", "Glasses case")
    page.fill("input[name=unexpected-0-quantity]", "1")
    assert summary.inner_text() == (
        "Will be flagged: 1 line short (WHB-VEL: 2 of 3), 1 unexpected item."
    )
    page.click("button:has-text('Receive parcel')")
    # An item not on the RMA is recorded only once confirmed.
    question = page.locator("#confirm-over")
    expect(question).to_contain_text("Yes, 1 unit not on the RMA arrived")
    question.locator("input[name=confirm]").check()
    page.click("button:has-text('Receive parcel')")
    page.wait_for_selector(".flash-success")
    assert f"{number} received. Flagged: 1 line short, 1 unexpected item." in page.inner_text(
        ".flash-success"
    )
    assert "Short by 1" in page.locator("#receipt").inner_text()
    assert "Glasses case" in page.locator("#receipt").inner_text()

    page.click("button:has-text('Start inspection')")
    page.wait_for_selector("[data-grade-form]")
    page.evaluate("window.__stillTheSamePage = true")
    finish = page.locator("button:has-text('Finish inspection')")
    assert finish.is_disabled()

    _grade(page, aurora, new="3", used="1", remaining="All 4 received units graded.")
    assert finish.is_disabled()  # the other line is not graded yet
    _grade(page, velo, open_packaging="2", remaining="All 2 received units graded.")
    expect(page.locator("#inspection-actions button[type=submit]")).to_be_enabled()
    assert page.evaluate("window.__stillTheSamePage") is True

    page.locator("button:has-text('Finish inspection')").click()
    page.wait_for_selector(".flash-success")
    assert "Into stock: 3 × new, 1 × used, 2 × open packaging." in page.inner_text(".flash-success")
    assert "Inspected" in page.locator("h1").inner_text()

    from models import InventoryLevel

    with live_server.session() as session:
        stock = session.execute(
            select(InventoryLevel.product_id, InventoryLevel.grade, InventoryLevel.quantity).where(
                InventoryLevel.warehouse_id == parcel["warehouse"]
            )
        ).all()
    products = parcel["products"]
    assert sorted((p, g.value, q) for p, g, q in stock) == sorted(
        [
            (products["aurora"], "new", 3),
            (products["aurora"], "used", 1),
            (products["velo"], "open_packaging", 2),
        ]
    )


def _grade(page, line_id: int, remaining: str, **counts: str) -> None:
    form = page.locator(f"#line-{line_id}")
    for grade, count in counts.items():
        form.locator(f"input[data-grade={grade}]").fill(count)
    assert form.locator("[data-remaining]").inner_text() == remaining  # the live counter
    with page.expect_response(lambda r: r.url.endswith(f"/lines/{line_id}/grade")):
        form.locator("button:has-text('Save grading')").click()
    page.wait_for_selector(f"#line-{line_id} .flash-success")
    assert remaining in page.locator(f"#line-{line_id} [data-remaining]").inner_text()
