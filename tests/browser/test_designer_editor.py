"""The workflow editor in a real browser: typing into the live chain form is never lost,
"Saved" means the server saved, and the page holds at every width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Role, VersionStatus, WorkflowVersion
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_published_workflow, make_user
from workflow_designer.engine import load_template

pytestmark = pytest.mark.browser

# Records, in order, each answer to the live form and each text the save status shows.
WATCH = """() => {
  window.__log = [];
  document.addEventListener("htmx:afterRequest", () => window.__log.push("response"));
  new MutationObserver(() => {
    const status = document.getElementById("save-status");
    const text = status ? status.textContent.trim() : "";
    const entry = "status:" + text;
    if (window.__log[window.__log.length - 1] !== entry) window.__log.push(entry);
  }).observe(document.getElementById("workspace"),
             {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def editor_url(live_server):
    with live_server.session() as session:
        admin = make_user(session, Role.ADMIN, email="editor-admin@example.test", name="Eda")
        workflow = make_published_workflow(session, actor=admin, name="Typing flow").workflow
        session.commit()
        return admin.email, workflow.id, f"/designer/workflows/{workflow.id}"


def _label_on_server(live_server, workflow_id: int) -> str:
    with live_server.session() as session:
        config = session.scalar(
            select(WorkflowVersion.config).where(
                WorkflowVersion.workflow_id == workflow_id,
                WorkflowVersion.status == VersionStatus.DRAFT,
            )
        )
    return next(s["label"] for s in config["states"] if s["name"] == "rep_review")


def test_fast_typing_survives_live_saves_and_saved_follows_the_server(
    page, live_server, editor_url
):
    email, workflow_id, url = editor_url
    log_in(page, email, PASSWORD)
    page.goto(url)
    page.wait_for_selector("#diagram svg")
    page.evaluate(WATCH)
    field = page.locator("#chain-steps-0-label")
    field.click()
    field.press("Control+a")
    # Typed with no delay, in bursts: each pause lets a save start, the next burst is
    # typed while it is on its way and while its answer refreshes the preview.
    for burst in ("Area manager", " review and", " sign-off by the regional team"):
        page.keyboard.type(burst)
        page.wait_for_timeout(450)
    page.keyboard.type(" today")
    assert page.inner_text("#save-status") != "Saved."  # the last burst is not saved yet
    expect(page.locator("#save-status")).to_have_text("Saved.")
    final = "Area manager review and sign-off by the regional team today"
    expect(field).to_have_value(final)
    assert page.evaluate("document.activeElement.id") == "chain-steps-0-label"
    assert _label_on_server(live_server, workflow_id) == final
    log = page.evaluate("window.__log")
    assert "response" in log
    saved = [i for i, entry in enumerate(log) if entry == "status:Saved."]
    assert saved and saved[0] > log.index("response"), log
    expect(page.locator("#diagram svg")).to_contain_text("Area manager review")


@pytest.fixture
def own_page(chromium, live_server):
    # A context of its own: the refused saves below are console errors by design.
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_refused_save_says_so_and_never_saved(own_page, editor_url):
    page = own_page
    email, _, url = editor_url
    log_in(page, email, PASSWORD)
    page.goto(url)
    page.wait_for_selector("#diagram svg")
    page.evaluate(WATCH)
    field = page.locator("#chain-steps-1-sla_hours")
    field.click()
    field.press("Control+a")
    page.keyboard.type("0")  # an answer within 0 hours: refused
    status = page.locator("#save-status")
    expect(status).to_have_text("Not saved: fix what is marked below.")
    expect(page.locator("#chain-step-2 .error")).to_have_text("Number must be between 1 and 8760.")
    expect(field).to_have_value("0")  # left as typed
    assert page.evaluate("document.activeElement.id") == "chain-steps-1-sla_hours"
    assert "status:Saved." not in page.evaluate("window.__log")

    # The server fails outright: the status says so, never "Saved".
    page.route("**/chain", lambda route: route.fulfill(status=500, body="failed"))
    page.evaluate("window.__log = []")
    field.fill("12")
    expect(status).to_contain_text("Not saved: the server could not save")
    assert "status:Saved." not in page.evaluate("window.__log")


def test_the_editor_page_holds_at_every_width(page, editor_url):
    email, _, url = editor_url
    log_in(page, email, PASSWORD)
    check_page(page, url)


def test_removing_a_step_asks_first_and_keep_it_keeps_it(page, editor_url):
    email, _, url = editor_url
    log_in(page, email, PASSWORD)
    page.goto(url)
    page.wait_for_selector("#chain-step-2")
    steps = page.locator("#chain .step")
    count = steps.count()
    page.click("#chain-step-2 button:has-text('Remove…')")
    box = page.locator("#chain-step-2-confirm")
    expect(box).to_contain_text("also removes")
    expect(steps).to_have_count(count)
    box.locator("button:has-text('Keep it')").click()
    expect(box).to_have_count(0)
    expect(steps).to_have_count(count)
    page.click("#chain-step-2 button:has-text('Remove…')")
    page.click("#chain-step-2-confirm button:has-text('Yes, remove it')")
    expect(steps).to_have_count(count - 1)
    expect(page.locator("#save-status")).to_have_text("Saved.")


@pytest.fixture(scope="module")
def hand_edited_url(live_server):
    """A workflow whose direct route to Authorized was given a guard by hand."""
    doc = load_template("stock_rotation")
    for transition in doc["transitions"]:
        if transition["trigger"] == "submit" and transition["dest"] == "authorized":
            transition["guards"].append({"guard": "account_in_good_standing"})
    with live_server.session() as session:
        admin = make_user(session, Role.ADMIN, email="rewrite-admin@example.test", name="Rea")
        workflow = make_published_workflow(session, config=doc, actor=admin).workflow
        session.commit()
        return admin.email, f"/designer/workflows/{workflow.id}"


def test_a_new_condition_asks_before_rewriting_hand_made_routing(own_page, hand_edited_url):
    page = own_page
    email, url = hand_edited_url
    log_in(page, email, PASSWORD)
    page.goto(url)
    page.wait_for_selector("#diagram svg")
    amount = page.locator("#chain-steps-1-amount")
    amount.fill("5000")  # typed: the live save finds it would rebuild the routing
    question = page.locator("#chain-rewrite")
    expect(question).to_contain_text("This change rebuilds the approval routing")
    expect(question).to_contain_text("only if Account in good standing and Policy passed")
    expect(page.locator("#save-status")).to_contain_text("Not saved: this change rebuilds")
    expect(amount).to_have_value("5000")  # left as typed
    check_page(page)  # the question holds at every width

    question.locator("a:has-text('Undo my change')").click()
    expect(page.locator("#chain-steps-1-amount")).to_have_value("2500")
    expect(page.locator("#chain-rewrite")).to_be_empty()

    page.locator("#chain-steps-1-amount").fill("5000")
    page.click("#chain-rewrite button:has-text('Save anyway')")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    expect(page.locator("#chain-steps-1-amount")).to_have_value("5000")
    expect(page.locator("#chain-rewrite")).to_be_empty()
