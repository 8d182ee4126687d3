"""A retailer on a phone answers the survey of a resolved return: from the invitation on
the RMA page, a rating, tags and a comment, back to the page that now shows the answer
with its "change" link; staff read it on the RMA page and in the feedback results under
analytics."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def resolved(live_server):
    from models import Role
    from tests.factories import (
        make_account,
        make_published_workflow,
        make_retailer,
        make_return_type,
        make_rma,
        make_user,
    )

    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP, email="rita-survey@example.test")
        account = make_account(session, sales_rep=rep, name="Optik Umfrage")
        retailer = make_retailer(session, account, email="olga-survey@example.test")
        admin = make_user(session, Role.ADMIN, email="ada-survey@example.test")
        version = make_published_workflow(session, "stock_rotation")
        return_type = make_return_type(session, version.workflow_id, name="Stock rotation")
        rma = make_rma(
            session, account, version, state="closed", resolution="credit", return_type=return_type
        )
        session.commit()
        return {"number": rma.number, "retailer": retailer.email, "admin": admin.email}


def test_a_retailer_answers_the_survey_on_a_phone(page, resolved):
    number = resolved["number"]
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, resolved["retailer"], PASSWORD)
    page.goto(f"/rmas/{number}")
    invitation = page.locator("#feedback")
    expect(invitation).to_contain_text("How did this return go?")
    invitation.get_by_role("link", name="Answer the survey").click()
    expect(page).to_have_url(f"{page.url.split('/rmas/')[0]}/rmas/{number}/feedback")
    check_page(page, None)  # the form at 375, 768 and 1366 px, as it is
    page.set_viewport_size({"width": 375, "height": 800})

    # Without a rating the browser keeps the form (the radios are required; the server's
    # own refusal is tested through HTTP).
    page.get_by_label("Comment (optional)").fill("Quick and fair.")
    page.get_by_role("button", name="Send your answer").click()
    expect(page).to_have_url(f"{page.url.split('/rmas/')[0]}/rmas/{number}/feedback")
    assert page.get_by_label("Comment (optional)").input_value() == "Quick and fair."

    page.get_by_role("radio", name="4 – Good").check()
    page.get_by_role("checkbox", name="Quick approval").check()
    page.get_by_role("checkbox", name="Problems with the return label").check()
    page.get_by_role("button", name="Send your answer").click()

    expect(page).to_have_url(f"{page.url.split('/rmas/')[0]}/rmas/{number}#feedback")
    answer = page.locator("#feedback")
    expect(answer).to_contain_text("4 of 5")
    expect(answer).to_contain_text("Quick approval")
    expect(answer).to_contain_text("Problems with the return label")
    expect(answer).to_contain_text("Quick and fair.")
    expect(answer.get_by_role("link", name="Change your answer")).to_be_visible()
    check_page(page, None)

    # Changing it: the form holds the answer given so far.
    answer.get_by_role("link", name="Change your answer").click()
    assert page.get_by_role("radio", name="4 – Good").is_checked()
    page.get_by_role("radio", name="5 – Excellent").check()
    page.get_by_role("button", name="Save the changed answer").click()
    expect(page.locator("#feedback")).to_contain_text("5 of 5")


def test_staff_read_the_answer_and_the_summary(page, resolved):
    log_in(page, resolved["admin"], PASSWORD)
    page.goto(f"/rmas/{resolved['number']}")
    expect(page.locator("#feedback")).to_contain_text("Retailer feedback")
    page.get_by_role("link", name="Analytics", exact=True).first.click()
    card = page.locator("section.card", has=page.get_by_role("heading", name="Retailer feedback"))
    card.get_by_role("link", name="By return type").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retailer feedback · By return type")
    expect(page.locator("table.feedback-summary tbody")).to_contain_text("Stock rotation")
    expect(page.locator("figure.chart svg[role=img]").first).to_be_visible()
    check_page(page, None)
