"""The pages this work touched pass the browser check (tests/browser/checks.py): the RMA
page with its Exception section, as the retailer and as an admin sees it, and the mail
sink's list and message pages — at 375, 768 and 1366 px, axe-core over the whole page, no
console error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

BROKEN = [
    {
        "rule": "purchase_age",
        "label": "Purchase age",
        "passed": False,
        "blocking": False,
        "exception_allowed": True,
        "message": "Purchase age: 1 of 2 lines was bought less than 90 days ago.",
        "figures": {"min_days": 90, "max_days": 730, "lines": 2},
    },
    {
        "rule": "allowance",
        "label": "Rotation allowance",
        "passed": False,
        "blocking": False,
        "exception_allowed": True,
        "message": "Rotation allowance: this request goes over the allowance by €1,234.56.",
        "figures": {"allowance": "500.00", "previously_used": "420.00", "left": "0.00"},
    },
]


@pytest.fixture(scope="module")
def approved_exception(live_server):
    """A rotation RMA submitted as an exception, sent back once, resubmitted and approved."""
    from models import Role
    from portal.rmas.exception_record import exception_snapshot
    from portal.rmas.operations import fire_action
    from tests.factories import (
        make_account,
        make_order,
        make_product,
        make_published_workflow,
        make_retailer,
        make_return_type,
        make_rma_with_lines,
        make_user,
    )
    from workflow_designer.runtime.firing import fire

    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP, name="Rita Checks", email="checks-rep@example.com")
        account = make_account(session, sales_rep=rep, name="Optik Kontrolle")
        frame = make_product(session, sku="CHK-AUR", brand="Aurelo", model="Paola")
        order = make_order(session, account, [(frame, 10, "40.00")])
        version = make_published_workflow(session, "stock_rotation")
        return_type = make_return_type(session, version.workflow_id, name="Stock rotation")
        retailer = make_retailer(session, account, email="checks-retailer@example.com")
        make_user(session, Role.ADMIN, email="checks-admin@example.com")
        rma = make_rma_with_lines(
            session,
            account,
            version,
            [(order.lines[0], 3)],
            authorized=False,
            return_type=return_type,
            submitted_at=datetime.now(UTC),
            policy_findings=BROKEN,
            exception_requested=True,
            exception_justification=(
                "We are closing our second shop in Lindenstraße at the end of the month, "
                "and these frames were bought for its window display."
            ),
        )
        data = {"exception_requested": True, "exception": exception_snapshot(rma)}
        fire(session, rma, "submit", retailer, data=data)
        fire(session, rma, "request_changes", rep, comment="Which shop is closing, and when?")
        fire_action(session, rma, retailer, "submit", "", rma.version)
        fire(session, rma, "approve", rep, comment="Long-standing partner: approved this once.")
        assert rma.state == "authorized"
        session.commit()
        return rma.number


def _signed_in(chromium, live_server, email):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, email, PASSWORD)
    return context, page


@pytest.mark.parametrize("email", ["checks-retailer@example.com", "checks-admin@example.com"])
def test_the_rma_page_with_its_exception_passes_the_check(
    chromium, live_server, approved_exception, email
):
    context, page = _signed_in(chromium, live_server, email)
    try:
        page.goto(f"/rmas/{approved_exception}")
        section = page.locator("#rma-exception")
        expect(section).to_contain_text("Exception approved")
        expect(section).to_contain_text("Lindenstraße")
        expect(section).to_contain_text("Long-standing partner: approved this once.")
        expect(section.locator(".exception-round")).to_have_count(2)
        check_page(page, f"/rmas/{approved_exception}")
    finally:
        context.close()


@pytest.fixture
def sink_with_a_mail(live_server, tmp_path):
    """The server's mail sink in a temporary folder, holding one rendered e-mail."""
    from portal.notifications.emails import build_message, render_email
    from portal.notifications.sink import SinkTransport, sink_folder

    app = live_server.app
    previous = app.instance_path
    app.instance_path = str(tmp_path)
    with app.app_context():
        rendered = render_email(
            "rma_closed", {"rma_number": "RMA-2026-000777", "state_label": "Closed"}, "Olga"
        )
        message = build_message(
            rendered, sender="rotaflow@example.com", to="olga@example.com", outbox_id=1
        )
    SinkTransport(sink_folder(str(tmp_path))).send(message)
    yield
    app.instance_path = previous


def test_the_mail_sink_pages_pass_the_check(
    chromium, live_server, approved_exception, sink_with_a_mail
):
    context, page = _signed_in(chromium, live_server, "checks-admin@example.com")
    try:
        page.goto("/")
        page.click("nav.mainnav >> text=Mail sink")  # reachable from the admin's header
        expect(page.locator("main")).to_contain_text("RMA-2026-000777")
        check_page(page, "/dev/mail/")
        page.click("main a:has-text('RMA-2026-000777')")
        page.wait_for_load_state()
        check_page(page, page.url)
    finally:
        context.close()
