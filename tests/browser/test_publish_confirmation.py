"""Publishing asks first, in a real browser: the editor's button leads to the confirmation,
which lists the changes in words and the open returns that stay on their version; it passes
the page check at 375, 768 and 1366 px and is confirmed from the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_layout, check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

LONG_WORD = "Shiptheitemsbackwiththelabelprintedfromthispage" * 4  # no break opportunity


@pytest.fixture(scope="module")
def workflow_with_draft(live_server):
    """A published stock rotation workflow, two open returns on it, one closed, and a draft
    that renames a state, describes it at length and shortens an approval step's SLA."""
    from models import Role
    from tests.factories import make_account, make_published_workflow, make_rma, make_user
    from workflow_designer.engine.chain import read_chain
    from workflow_designer.engine.chain_compiler import apply_chain
    from workflow_designer.runtime.versions import draft_from, update_draft

    with live_server.session() as session:
        admin = make_user(session, Role.ADMIN, name="Pia Publisher", email="pia@example.test")
        version = make_published_workflow(session, actor=admin, name="Confirmed rotation")
        account = make_account(session)
        for state in ("draft", "authorized", "closed"):
            make_rma(session, account, version, state=state)
        draft = draft_from(session, version, admin)
        config = apply_chain(draft.config, read_chain(draft.config))
        chain = read_chain(config)
        chain.steps[0].sla_hours = 24
        config = apply_chain(config, chain)
        for state in config["states"]:
            if state["name"] == "authorized":
                state["label"] = "Approved"
                state["description"] = LONG_WORD
        update_draft(session, draft, config)
        session.commit()
        return admin.email, version.workflow_id


def test_publishing_shows_what_changes_then_publishes_once_confirmed(page, workflow_with_draft):
    email, workflow_id = workflow_with_draft
    log_in(page, email, PASSWORD)
    page.goto(f"/designer/workflows/{workflow_id}")
    page.click("#publish")
    page.wait_for_url(re.compile(rf"/designer/workflows/{workflow_id}/publish$"))

    changes = page.locator("ol.changes")
    expect(changes).to_contain_text("Sales rep review: SLA 48 h → 24 h")
    expect(changes).to_contain_text("Approved: label Authorized → Approved")
    expect(page.locator("#pinned-open")).to_contain_text("2 open returns")
    check_page(page)  # 375, 768 and 1366 px: layout, axe, console

    # At 375 px the two sides stack, and a long word wraps inside its box.
    page.set_viewport_size({"width": 375, "height": 900})
    check_layout(page, "the confirmation at 375 px")
    before, after = page.locator(".change-before").first, page.locator(".change-after").first
    assert after.bounding_box()["y"] > before.bounding_box()["y"]
    page.set_viewport_size({"width": 1366, "height": 900})
    assert after.bounding_box()["y"] == before.bounding_box()["y"]

    page.locator("#confirm-publish").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/history$"))
    assert "Version 2 published" in page.inner_text(".flash")

    check_page(page, f"/designer/workflows/{workflow_id}/diff?a=1&b=2")
    expect(page.locator("ol.changes")).to_contain_text("Sales rep review: SLA 48 h → 24 h")
