"""The pages' templates hold no inline style, inline script or event-handler attribute: the
Content-Security-Policy (``style-src 'self'``, ``script-src 'self'``) would refuse them in
the browser, so each would be a page that silently misbehaves. E-mails are not pages: their
inline styles are what mail clients read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGES = sorted(
    path for path in TEMPLATES.rglob("*.html") if "email" not in path.relative_to(TEMPLATES).parts
)

INLINE = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "an event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_the_templates_are_found():
    assert len(PAGES) > 100


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_inline_style_or_script(template):
    text = template.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], f"{template.relative_to(TEMPLATES)} has {', '.join(found)}"


def test_the_check_sees_what_it_forbids():
    samples = [
        '<p style="color:red">',
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ]
    for sample, pattern in zip(samples, INLINE.values(), strict=True):
        assert pattern.search(sample)
    assert not INLINE["an inline script"].search('<script src="/static/js/menu.js" defer>')
