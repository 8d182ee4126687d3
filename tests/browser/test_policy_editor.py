"""The policy editor with contract terms passes the browser check: periods with a unit,
closed periods as a day and a month, a refused date shown beside its field — at 375, 768
and 1366 px, axe-core over the whole page, no console error."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def contract_type(live_server):
    from models import Role
    from tests.factories import make_published_workflow, make_return_type, make_user

    with live_server.session() as session:
        make_user(session, Role.ADMIN, email="policy-editor-admin@example.test", name="Pia")
        version = make_published_workflow(session, "stock_rotation")
        return_type = make_return_type(
            session,
            version.workflow_id,
            name="Contract rotation",
            policy={
                "purchase_age": {
                    "enabled": True,
                    "mode": "exception",
                    "min_days": {"count": 3, "unit": "months"},
                    "max_days": 730,
                },
                "blackout_windows": {
                    "enabled": True,
                    "mode": "blocking",
                    "windows": [{"start": "12-15", "end": "01-10"}],
                },
            },
        )
        session.commit()
        return return_type.id


@pytest.fixture
def admin_page(chromium, live_server, contract_type):
    # A context of its own: the refused save below is a console error by design (422).
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "policy-editor-admin@example.test", PASSWORD)
    yield page
    context.close()


def test_the_policy_editor_passes_the_check_and_refuses_31_feb(admin_page, contract_type):
    page = admin_page
    url = f"/designer/return-types/{contract_type}/policy"
    page.goto(url)
    expect(page.locator("#purchase_age-min_days-unit")).to_have_value("months")
    expect(page.locator("#policy-editor")).to_contain_text(
        "Returns are closed from 15 Dec to 10 Jan (yearly)"
    )
    check_page(page, url)

    page.goto(url)
    page.fill("#blackout_windows-windows-1-end-day", "31")
    page.select_option("#blackout_windows-windows-1-end-month", "02")
    page.click("button:has-text('Save policy')")
    field = page.locator("#field-blackout_windows-windows")
    expect(field).to_contain_text("window 1 end 31 Feb is not a real date")
    expect(page.locator("#blackout_windows-windows-1-end-day")).to_have_value("31")


def test_what_is_typed_while_the_live_check_runs_is_kept(admin_page, contract_type, live_server):
    """The check redraws the editor; typing that went on meanwhile survives, with focus."""
    page = admin_page
    app = live_server.app
    check = app.view_functions["designer.policy_check"]

    def slow_check(**kwargs):
        time.sleep(0.8)  # the typing below happens while this check is on its way
        return check(**kwargs)

    app.view_functions["designer.policy_check"] = slow_check
    try:
        page.goto(f"/designer/return-types/{contract_type}/policy")
        page.fill("#purchase_age-max_days", "700")
        with page.expect_response(lambda r: r.url.endswith("/policy/check")):
            page.click("#purchase_age-min_days")  # leaving the field sends the check
            page.keyboard.press("Control+A")
            page.keyboard.type("45")
        page.wait_for_timeout(100)  # let the redraw settle
        expect(page.locator("#purchase_age-max_days")).to_have_value("700")
        expect(page.locator("#purchase_age-min_days")).to_have_value("45")
        expect(page.locator("#purchase_age-min_days")).to_be_focused()
    finally:
        app.view_functions["designer.policy_check"] = check
