"""Every page of every role, as the demo distributor's people meet it: signed in as each
demo login, follow every link of the header and of the pages (tests/browser/crawl.py) and
check each kind of page at 375, 768 and 1366 px: no sideways scroll, nothing out of its
box, axe-core without a serious or critical violation, no console error
(tests/browser/checks.py). Then the header's menu: folded behind a button on a phone,
opened and closed by keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_LOGINS, SCALES, load_demo
from tests.browser.checks import check_page
from tests.browser.crawl import pages_of
from tests.browser.helpers import log_in, serve

pytestmark = pytest.mark.browser

ROLES = [label for label, _email, _password in DEMO_LOGINS]
# Each role reaches at least these kinds of page (a crawl that found nothing checks nothing).
AT_LEAST = {"Admin": 30, "Sales rep": 10, "Warehouse": 8, "Retailer": 8}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo distributor (the small data set with RMAs in every state) on its own server."""

    def load(session):
        load_demo(session, scale=SCALES["tiny"], today=date.today())

    yield from serve(tmp_path_factory.mktemp("every-page"), load)


def signed_in(chromium, server, role):
    _label, email, password = next(login for login in DEMO_LOGINS if login[0] == role)
    context = chromium.new_context(base_url=server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, email, password)
    return context, page


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_passes_the_check(chromium, demo_server, role):
    context, page = signed_in(chromium, demo_server, role)
    try:
        urls = pages_of(page, demo_server.url)
        assert len(urls) >= AT_LEAST[role], urls
        failures = []
        for url in urls:
            try:
                check_page(page, url)
            except AssertionError as failure:
                failures.append(str(failure).split("\nassert ")[0])
        assert failures == [], "\n".join(failures)
    finally:
        context.close()


@pytest.mark.parametrize("role", ["Admin", "Retailer"])
def test_on_a_phone_the_header_folds_into_a_menu_the_keyboard_opens(chromium, demo_server, role):
    context, page = signed_in(chromium, demo_server, role)
    try:
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto("/")
        button = page.locator(".menu-toggle")
        nav = page.locator("nav.mainnav")
        expect(button).to_be_visible()
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(nav).to_be_hidden()

        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()
        # The demo retailer reads German: the button is found by what it does.
        expect(page.locator(".whoami form[action='/logout'] button")).to_be_visible()
        height = nav.locator("a").first.bounding_box()["height"]
        assert height >= 44, f"touch target {height} px"

        page.keyboard.press("Tab")  # into the menu, then Escape folds it and returns focus
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(button).to_be_focused()

        page.set_viewport_size({"width": 1366, "height": 800})
        expect(button).to_be_hidden()
        expect(nav).to_be_visible()
    finally:
        context.close()


def test_the_skip_link_leads_past_the_header(chromium, demo_server):
    context, page = signed_in(chromium, demo_server, "Retailer")
    try:
        page.goto("/")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
    finally:
        context.close()
