"""A sales rep searches their accounts; htmx replaces the table without a page load."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import Role
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_account, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rep(live_server):
    with live_server.session() as session:
        user = make_user(session, Role.SALES_REP, email="browser-rep-accounts@example.test")
        for n in range(30):
            make_account(session, sales_rep=user, name=f"Augenblick {n:02d}", number=f"BR-{n:03d}")
        make_account(session, sales_rep=user, name="Zeiss Eck", number="BR-ZE")
        session.commit()
        return user.email


def test_search_and_pages_update_the_table_in_place(page, rep):
    log_in(page, rep, PASSWORD)
    assert page.url.endswith("/rep/")
    rows = page.locator("#rep-accounts tbody tr")
    assert rows.count() == 25
    page.evaluate("window.__stillTheSamePage = true")

    page.locator("#rep-accounts a[rel=next]").click()
    expect(rows).to_have_count(6)
    expect(page.locator("#rep-accounts")).to_contain_text("Zeiss Eck")

    with page.expect_response(lambda r: "q=zeiss" in r.url and r.request.headers.get("hx-request")):
        page.fill("input[name=q]", "zeiss")
    expect(rows).to_have_count(1)
    expect(page.locator("#rep-accounts")).to_contain_text("BR-ZE")
    assert page.evaluate("window.__stillTheSamePage") is True
    assert "q=zeiss" in page.url
