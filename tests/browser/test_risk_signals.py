"""The pages that show risk signals, with every signal on them, at 375, 768 and 1366 px:
the rep's approval queue (its compact list opens), the RMA page and the account pages,
and the admin's thresholds form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from portal.signals import pages
from tests.browser.checks import check_page
from tests.browser.helpers import log_in, serve
from tests.factories import PASSWORD
from tests.portal.signals.dataset import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def signals_server(tmp_path_factory):
    found = {}

    def load(session):
        net = build(session)
        net.rmas["a2"].approver_user_id = net.rep.id
        found.update(rep=net.rep.email, admin=net.admin.email, account=net.a.id, sku=net.sku)

    with pytest.MonkeyPatch.context() as patch:
        # The data set's figures are those of 7 Dec 2026.
        patch.setattr(pages, "utcnow", lambda: datetime(2026, 12, 7, 12, tzinfo=UTC))
        for server in serve(tmp_path_factory.mktemp("signals"), load):
            yield server, found


def signed_in(chromium, server, email):
    context = chromium.new_context(base_url=server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, email, PASSWORD)
    return context, page


def test_the_reps_pages_with_signals_pass_the_check(chromium, signals_server):
    server, found = signals_server
    context, page = signed_in(chromium, server, found["rep"])
    try:
        check_page(page, "/approvals/")
        summary = page.get_by_text("5 risk signals")
        summary.click()
        expect(page.get_by_text("SKU " + found["sku"] + " was returned on 3 RMAs")).to_be_visible()
        page.set_viewport_size({"width": 375, "height": 800})
        check_page(page, widths=(375,))  # opened, still within the page
        check_page(page, "/rmas/RMA-SIG-A2")
        check_page(page, f"/rep/accounts/{found['account']}")
    finally:
        context.close()


def test_the_admins_pages_with_signals_pass_the_check(chromium, signals_server):
    server, found = signals_server
    context, page = signed_in(chromium, server, found["admin"])
    try:
        check_page(page, f"/admin/accounts/{found['account']}")
        check_page(page, "/admin/settings/risk-signals")
    finally:
        context.close()
