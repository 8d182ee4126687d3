"""At the dock, a typo: 23 typed for a 4-unit line. The receipt asks for confirmation of
the 19 extra units before recording anything; once confirmed they are held apart, and
the warehouse corrects the count (with a reason) before the RMA is resolved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def parcel(live_server):
    """An RMA for 4 × WHG-AUR and 3 × WHG-VEL, awaiting receipt."""
    from models import Role
    from tests.browser.parcels import make_parcel
    from tests.factories import make_user

    with live_server.session() as session:
        rma = make_parcel(session, "WHG", "Optik Tippfehler").rma
        staff = make_user(session, Role.WAREHOUSE, email="guard-browser@example.test")
        session.commit()
        return {"number": rma.number, "email": staff.email, "lines": [li.id for li in rma.lines]}


def test_an_over_receipt_is_confirmed_then_corrected(page, parcel):
    number = parcel["number"]
    aurora, _velo = parcel["lines"]
    log_in(page, parcel["email"], PASSWORD)
    page.goto(f"/warehouse/rmas/{number}")
    page.locator("tr[data-line]").nth(0).locator("input[type=number]").fill("23")
    page.click("button:has-text('Receive parcel')")

    question = page.locator("#confirm-over")
    expect(question).to_contain_text("Yes, 19 more units than authorised arrived")
    row = question.locator("tbody tr").nth(0)
    assert [cell.inner_text() for cell in row.locator("td").all()] == ["WHG-AUR", "4", "23", "+19"]
    assert "Receive parcel" in page.content()  # nothing recorded yet

    question.locator("input[name=confirm]").check()
    page.click("button:has-text('Receive parcel')")
    page.wait_for_selector(".flash-success")
    assert "1 line over (19 held apart)" in page.inner_text(".flash-success")
    expect(page.locator("#held-apart")).to_contain_text("Awaiting a decision")

    correction = page.locator(f"#correct-{aurora}")
    correction.locator("summary").click()
    correction.locator(f"input[name=correct-{aurora}-quantity]").fill("3")
    correction.locator(f"textarea[name=correct-{aurora}-reason]").fill("Typed 23 for 3")
    correction.locator("button:has-text('Record correction')").click()
    page.wait_for_selector(".flash-success")
    assert "Receipt corrected: WHG-AUR received 23 → 3" in page.inner_text(".flash-success")
    expect(page.locator("#held-apart")).to_have_count(0)  # nothing over any more
    check_page(page)

    page.goto(f"/rmas/{number}")
    timeline = page.locator("#rma-timeline")
    expect(timeline).to_contain_text("Receipt corrected: WHG-AUR received 23 → 3")
    expect(timeline).to_contain_text("Typed 23 for 3")
    expect(timeline).to_contain_text("WHG-AUR 23 received, 4 authorised (19 held apart)")
