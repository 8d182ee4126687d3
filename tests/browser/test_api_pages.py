"""The API tokens page and the API reference pass the browser check (tests/browser/
checks.py): a token is made and revoked in the browser, and Swagger UI renders the
document under the strict Content-Security-Policy without a console error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import Role
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

EMAIL = "api-tokens@example.com"


@pytest.fixture(scope="module")
def rep(live_server):
    with live_server.session() as session:
        make_user(session, Role.SALES_REP, name="Rita Tokens", email=EMAIL)
        session.commit()


def test_the_tokens_page_makes_and_revokes_a_token(chromium, live_server, rep):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, EMAIL, PASSWORD)
        page.goto("/me")
        page.click("main >> text=Manage API tokens")
        expect(page.locator("main h1")).to_have_text("API tokens")
        check_page(page, "/me/api-tokens")
        page.fill("input[name=name]", "CRM sync")
        page.check("input[value='rmas:read']")
        page.click("main button:has-text('Create token')")
        secret = page.locator("code.secret")
        expect(secret).to_have_text(re.compile(r"^rf_"))
        check_page(page)  # with the new secret shown
        page.click("main button:has-text('Revoke')")
        expect(page.locator("main .tag-on_hold")).to_have_text("revoked")
    finally:
        context.close()


def test_the_reference_renders_under_the_csp(page, live_server):
    check_page(page, "/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Rotaflow API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()


ADMIN_EMAIL = "integration-admin@example.com"


@pytest.fixture(scope="module")
def admin(live_server):
    with live_server.session() as session:
        make_user(session, Role.ADMIN, name="Ida Integrations", email=ADMIN_EMAIL)
        session.commit()


def test_an_admin_makes_and_revokes_an_integration_token(chromium, live_server, admin):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, ADMIN_EMAIL, PASSWORD)
        page.goto("/me/api-tokens")
        expect(page.locator("main #integration-heading")).to_have_text("Integration tokens")
        check_page(page, "/me/api-tokens")
        page.fill("input[name=integration-name]", "ERP")
        page.check("input[name=integration-scopes][value='webhooks:manage']")
        page.click("main button:has-text('Create integration token')")
        expect(page.locator("code.secret")).to_have_text(re.compile(r"^rf_"))
        row = page.locator("main tr", has_text="The distributor")
        expect(row).to_contain_text("Ida Integrations")
        check_page(page)  # with the new secret and the integration token listed
        row.locator("button:has-text('Revoke')").click()
        expect(page.locator("main tr", has_text="The distributor")).to_contain_text("revoked")
    finally:
        context.close()
