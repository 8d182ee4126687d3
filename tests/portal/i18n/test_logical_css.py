"""Stylesheets say "start" and "end", not "left" and "right": a right-to-left language
would mirror the layout without a stylesheet of its own (docs/translating.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[3] / "portal" / "static" / "css"
PHYSICAL = re.compile(
    r"(?<![-\w])(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
    r"|(?<![-\w])(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
    r"|(?<![-\w])border-(?:top|bottom)-(?:left|right)-radius\b"
)


def physical_properties(css: str) -> list[str]:
    """Declarations naming a physical side, comments left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return [line.strip() for line in css.splitlines() if PHYSICAL.search(line)]


@pytest.mark.parametrize("sheet", sorted(p.name for p in CSS.glob("*.css")))
def test_stylesheets_use_logical_properties(sheet):
    assert physical_properties((CSS / sheet).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("css", "found"),
    [
        (".a { margin-left: 1rem; }", 1),
        (".a { right: 0; }", 1),
        (".a { text-align: right; }", 1),
        (".a { margin-inline-start: 1rem; inset-inline-end: 0; text-align: end; }", 0),
        (".a { border-top-left-radius: 2px; }", 1),
        ("/* left: 0 */ .a { scroll-margin-top: 1rem; }", 0),
    ],
)
def test_the_check_finds_physical_sides(css, found):
    assert len(physical_properties(css)) == found
