"""After resolution a wrong count is still corrected, by an admin, and the correction
issues a credit adjustment instead of changing the issued memo: the RMA page then shows
the memo and the adjustment in its breakdown, adding up to one final figure."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def credited(live_server):
    """An RMA for 4 × WHR-AUR (€40) and 3 × WHR-VEL (€33), received in full, graded new
    and credited: 90% of 160.00 + 99.00 = 233.10 under the back office's 10% fee."""
    from models import Grade, Role
    from portal.credits.operations import resolve_rma
    from portal.warehouse.operations import grade_line, receive
    from tests.browser.parcels import make_parcel
    from tests.factories import make_user
    from workflow_designer.runtime.firing import fire

    with live_server.session() as session:
        rma = make_parcel(session, "WHR", "Optik Nachzählung").rma
        staff = make_user(session, Role.WAREHOUSE)
        admin = make_user(session, Role.ADMIN, email="recount-admin@example.test")
        first, second = rma.lines
        receive(session, rma, staff, {first.id: 4, second.id: 3})
        fire(session, rma, "start_inspection", staff)
        grade_line(session, rma, first, staff, {Grade.NEW: 4})
        grade_line(session, rma, second, staff, {Grade.NEW: 3})
        fire(session, rma, "finish_inspection", staff)
        resolve_rma(session, rma, admin, "credit")
        session.commit()
        return {"number": rma.number, "email": admin.email, "aurora": first.id}


def test_an_admin_corrects_a_credited_rma_and_an_adjustment_is_issued(page, credited):
    number, aurora = credited["number"], credited["aurora"]
    log_in(page, credited["email"], PASSWORD)
    page.goto(f"/rmas/{number}")
    expect(page.locator("dd.credit-amount")).to_have_text("€233.10")
    page.click("text=Correct the receipt or grades")

    correction = page.locator(f"#correct-{aurora}")
    expect(page.locator("#corrections")).to_contain_text("also issues a credit adjustment")
    correction.locator("summary").click()
    correction.locator(f"input[name=correct-{aurora}-quantity]").fill("3")
    correction.locator(f"input[name=correct-{aurora}-new]").fill("3")
    correction.locator(f"textarea[name=correct-{aurora}-reason]").fill("Only 3 in the box")
    correction.locator("button:has-text('Record correction')").click()
    page.wait_for_selector(".flash-success")
    flash = page.inner_text(".flash-success")
    assert "Receipt corrected: WHR-AUR received 4 → 3" in flash
    assert "Credit adjustment CM-" in flash and "−€36.00" in flash

    page.goto(f"/rmas/{number}")
    # One figure: the memo's 233.10 less the adjustment's 36.00, and the rows add up to it.
    expect(page.locator("dd.credit-amount")).to_have_text("€197.10")
    expect(page.locator("td.total-credit")).to_have_text("€197.10")
    expect(page.locator("#rma-timeline")).to_contain_text("Only 3 in the box")
    assert page.locator("dt.credit-label").count() == 1
    check_page(page)
