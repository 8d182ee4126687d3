"""An admin designs a return type in a real browser: htmx edits, live validation, diagram."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import Role
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def designer_admin(live_server):
    with live_server.session() as session:
        user = make_user(session, Role.ADMIN, email="designer-admin@example.test", name="Dana")
        session.commit()
        return user.email


def _diagram_text(page) -> str:
    return page.locator("#diagram svg").text_content()


def test_design_validate_and_publish_a_return_type(page, designer_admin):
    log_in(page, designer_admin, PASSWORD)
    page.goto("/designer/")
    page.click("text=New return type")
    page.fill("input[name=name]", "Browser rotation")
    page.fill("input[name=code]", "BROWSER_ROT")
    page.fill("textarea[name=reasons]", "Slow seller\nRange change")
    page.check("input[name=resolutions][value=credit]")
    page.select_option("select[name=workflow]", "template:stock_rotation")
    page.click("button:has-text('Create return type')")
    page.wait_for_load_state()
    assert "created" in page.locator(".flash").inner_text()

    page.click("a:has-text('Workflow “Browser rotation”')")
    page.wait_for_selector("#diagram svg")
    assert "Manager approval" in _diagram_text(page)
    assert "Approval 3" not in _diagram_text(page)
    page.evaluate("window.__stillTheSamePage = true")

    # Add an approval step: the workspace and the diagram are redrawn in place.
    drawn = page.get_attribute("#diagram", "data-drawn")
    page.click("#add-step")
    page.wait_for_selector("#chain-step-3")
    # Locator assertions, not wait_for_function: the page's CSP forbids string evaluation.
    expect(page.locator("#diagram")).not_to_have_attribute("data-drawn", drawn)
    expect(page.locator("#diagram svg")).to_have_count(1)
    assert "Approval 3" in _diagram_text(page)
    assert "No problems: ready to publish" in page.inner_text("#problems")

    # Escalating past the last step is an error: it appears beside the step, publish is off.
    page.select_option("#chain-steps-2-escalate_to", "next")
    page.wait_for_selector("#chain-step-3 .problems")
    assert "it is the last step" in page.inner_text("#chain-step-3")
    assert re.search(r"1 problem to fix", page.inner_text("#problems"))
    assert page.is_disabled("#publish")

    page.select_option("#chain-steps-2-escalate_to", "admins")
    page.wait_for_selector("#chain-step-3 .problems", state="detached")
    assert "No problems: ready to publish" in page.inner_text("#problems")
    assert page.evaluate("window.__stillTheSamePage") is True

    # Publishing asks first; the first version has nothing to compare with.
    page.click("#publish")
    page.wait_for_url(re.compile(r"/publish$"))
    assert "No version is published yet" in page.inner_text("main")
    page.click("#confirm-publish")
    page.wait_for_url(re.compile(r"/history$"))
    row = page.inner_text("#version-1")
    assert "published" in row and "by Dana" in row
    assert "Version 1 published" in page.inner_text(".flash")
