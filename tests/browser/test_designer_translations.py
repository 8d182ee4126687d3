"""A return type's translations in a real browser: the folded languages open, and the
form holds at every width with them open."""

from __future__ import annotations

import pytest

from models import Role
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_published_workflow, make_return_type, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def form_url(live_server):
    with live_server.session() as session:
        admin = make_user(session, Role.ADMIN, email="translator@example.test", name="Tara")
        workflow = make_published_workflow(session, actor=admin, name="Translated flow").workflow
        return_type = make_return_type(
            session,
            workflow.id,
            name="Stock rotation",
            description="Swap slow sellers.",
            reasons=["Slow seller", "A rather long reason typed by a thorough admin"],
            translations={"de": {"name": "Lagerrotation"}},
        )
        session.commit()
        return admin.email, f"/designer/return-types/{return_type.id}"


def test_the_translations_open_and_hold_at_every_width(page, form_url):
    email, url = form_url
    log_in(page, email, PASSWORD)
    page.goto(url)
    assert page.input_value("input[name='translated-de-name']") == "Lagerrotation"
    for language in ("de", "fr"):
        page.click(f"details[data-language={language}] > summary")
    page.fill("input[name='translated-fr-reasons-0']", "Rotation lente")
    check_page(page)
    page.click("button:has-text('Save')")
    page.wait_for_load_state()
    assert "saved" in page.locator(".flash").inner_text()
    assert "French: 1 reason, the name, the description" in page.inner_text("[data-missing]")
