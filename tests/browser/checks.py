"""The product rule for every page: it works at 375, 768 and 1366 px wide and passes
axe-core with no serious violation and no console error.

``check_page(page, url)`` checks it, at each width in turn:

- the document does not scroll sideways (``scrollWidth <= clientWidth`` of the root):
  nothing reaches past the viewport's right edge unless a scrolling box of its own
  clips it;
- no element runs out of its parent's box on the right (a table under a sidebar, a
  button out of its form), unless the parent scrolls or clips;
- axe-core (vendored, ``vendor/axe-core``) finds no violation of impact "serious" or
  "critical" in the whole document, header and navigation included;
- no console error (a Content-Security-Policy violation is one) and no uncaught
  exception is logged while the page is loaded and checked.

axe is injected through the browser's protocol (``page.evaluate``), which the page's
Content-Security-Policy (``script-src 'self'``, no eval) does not apply to; nothing is
served from the app for it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

WIDTHS = (375, 768, 1366)
HEIGHT = 900
SERIOUS = ("serious", "critical")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# What sticks out on the right of the viewport. An element clipped by a scrolling
# ancestor (a wide table in an ``overflow-x: auto`` box)
# does not make the document scroll and is not counted.
OVERFLOW = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth + 1;
  const name = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX !== 'visible' && up.getBoundingClientRect().right <= limit) return true;
    }
    return false;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit || clipped(el)) continue;
    if (sticking.length < 8) sticking.push(`${name(el)} (right ${Math.round(box.right)})`);
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, sticking};
}"""

# Elements whose box runs out of their parent's on the right while the parent neither
# scrolls nor clips (they overlap whatever stands beside the parent), and elements whose
# own content (a long unbroken word) is wider than they are.
OUT_OF_BOX = """() => {
  const name = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  // Inside a visually hidden box (1 px, clipped: a table's header for screen readers only).
  const unseen = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const box = up.getBoundingClientRect();
      if (box.width <= 1 && box.height <= 1) return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.position === 'absolute' || style.position === 'fixed' || unseen(el)) continue;
    if (!el.checkVisibility()) continue;  // e.g. inside a closed <details>
    // Inside an SVG drawing the viewBox lays things out, not CSS boxes: the <svg> itself
    // is checked like any element.
    if (el instanceof SVGElement && !(el instanceof SVGSVGElement)) continue;
    // Text wider than its own box (a long word that does not wrap) is not an element.
    const control = el.matches('input, select, textarea');
    if (!control && style.overflowX === 'visible' && style.display !== 'inline'
        && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && found.length < 8) {
      const wider = el.scrollWidth - el.clientWidth;
      found.push(`${name(el)} holds content ${wider} px wider than itself`);
    }
    const parent = el.parentElement;
    if (!parent || parent === document.body) continue;
    const outer = getComputedStyle(parent);
    if (outer.overflowX !== 'visible') continue;
    if (outer.display === 'inline' || outer.display === 'contents') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const over = Math.round(box.right - parent.getBoundingClientRect().right);
    if (over <= 1 || found.length >= 8) continue;
    found.push(`${name(el)} runs ${over} px out of ${name(parent)}`);
  }
  return found;
}"""

RUN_AXE = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
    }));
}"""


@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def check_page(page, url: str | None = None, widths: tuple[int, ...] = WIDTHS) -> None:
    """Check the page at ``url`` (loaded once per width), or the page as it is now when
    ``url`` is None (its state is kept: only the viewport changes)."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")

    def on_error(error) -> None:
        errors.append(f"uncaught: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_error)
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            if url is not None:
                response = page.goto(url)
                assert response is not None and response.ok, (
                    f"{url}: {response and response.status}"
                )
            page.wait_for_load_state()
            where = f"{page.url} at {width} px"
            check_layout(page, where)
            violations = run_axe(page)
            assert violations == [], f"{where}: axe violations: {_describe(violations)}"
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)
    assert errors == [], f"{page.url}: errors logged: {errors}"


def check_layout(page, where: str) -> None:
    """No sideways scrolling, and nothing out of its box."""
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], f"{where} scrolls sideways: {found}"
    out = page.evaluate(OUT_OF_BOX)
    assert out == [], f"{where}: elements out of their box: {out}"


def run_axe(page) -> list[dict[str, Any]]:
    """Serious and critical violations in the current document."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate("() => {\n" + axe_source() + "\n}")
    return page.evaluate(RUN_AXE, list(SERIOUS))


def _describe(violations: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + " | ".join(v["nodes"]) for v in violations
    )
