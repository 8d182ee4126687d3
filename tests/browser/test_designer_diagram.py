"""The editor's diagram in a real browser: a 12-state workflow fits its box, zooms and pans
by buttons and keys, becomes readable, and shows which state is being edited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import Role
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_published_workflow, make_user

pytestmark = pytest.mark.browser

STATES = 12


def _twelve_states() -> dict:
    states = [{"name": f"stage_{i}", "label": f"Stage {i} review"} for i in range(1, STATES + 1)]
    states[-1]["final"] = True
    moves = [
        {
            "trigger": f"advance_{i}",
            "label": "Move on",
            "source": f"stage_{i}",
            "dest": f"stage_{i + 1}",
            "roles": ["admin"],
        }
        for i in range(1, STATES)
    ]
    return {"schema": 1, "initial": "stage_1", "states": states, "transitions": moves}


@pytest.fixture(scope="module")
def long_workflow(live_server):
    with live_server.session() as session:
        admin = make_user(session, Role.ADMIN, email="diagram-admin@example.test", name="Di")
        version = make_published_workflow(
            session, actor=admin, name="Twelve stages", config=_twelve_states()
        )
        session.commit()
        return admin.email, f"/designer/workflows/{version.workflow_id}"


# The height on screen of a state's label, and whether the drawing lies inside its box.
LABEL_HEIGHT = """label => {
  const all = [...document.querySelectorAll('#diagram svg *')];
  const found = all.filter(e => e.children.length === 0 && e.textContent.trim() === label);
  return Math.min(...found.map(e => e.getBoundingClientRect().height).filter(h => h > 0));
}"""
INSIDE = """() => {
  const box = document.getElementById('diagram-viewport').getBoundingClientRect();
  const drawing = document.querySelector('#diagram svg > g').getBoundingClientRect();
  return drawing.left >= box.left - 1 && drawing.right <= box.right + 1
      && drawing.top >= box.top - 1 && drawing.bottom <= box.bottom + 1;
}"""


def _zoom(page) -> float:
    return float(page.get_attribute("#diagram", "data-zoom") or "0")


def test_a_twelve_state_diagram_fits_zooms_pans_and_highlights(page, long_workflow):
    email, url = long_workflow
    log_in(page, email, PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(url)
    page.wait_for_selector("#diagram svg")
    expect(page.locator("#diagram")).to_have_attribute("data-zoom", "1.00")
    assert page.evaluate(INSIDE), "the whole drawing fits its box"

    # Readable: at fit, or after zooming in with the button.
    clicks = 0
    while page.evaluate(LABEL_HEIGHT, "Stage 7 review") < 11 and clicks < 12:
        page.click("[data-diagram=in]")
        clicks += 1
    assert page.evaluate(LABEL_HEIGHT, "Stage 7 review") >= 11
    zoomed = _zoom(page)
    page.click("[data-diagram=out]")
    assert _zoom(page) < zoomed or zoomed == 0.5
    page.click("[data-diagram=fit]")
    assert _zoom(page) == 1.0

    # The keyboard, once the diagram has focus.
    page.focus("#diagram-viewport")
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert _zoom(page) > 1.5
    before = page.get_attribute("#diagram svg", "viewBox").split()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    after = page.get_attribute("#diagram svg", "viewBox").split()
    assert float(after[0]) > float(before[0]) and float(after[1]) > float(before[1])
    page.keyboard.press("-")
    assert _zoom(page) < 2
    page.keyboard.press("0")
    assert _zoom(page) == 1.0
    assert page.evaluate("window.scrollX") == 0  # the arrow keys moved the drawing only

    # Opening a state's form highlights it in the diagram.
    page.click("#state-stage_3 summary:has-text('Edit')")
    highlighted = page.locator("#diagram svg .is-editing")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_contain_text("Stage 3 review")
    expect(page.locator("#diagram-editing")).to_have_text("Highlighted: Stage 3 review")

    check_page(page)  # this state of the page, at each width
