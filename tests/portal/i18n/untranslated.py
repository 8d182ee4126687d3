"""Finding text in templates that is not passed through the translation layer.

A template is lexed by Jinja; its raw text (everything outside ``{{ }}`` and ``{% %}``)
is read as HTML. What a person reads there — text between tags, and the attributes a
screen reader or a tooltip speaks (``title``, ``alt``, ``placeholder``, ``aria-label``) —
must contain no letter: words belong in ``_()``. Code samples (``<code>``, ``<kbd>``)
are left alone. String literals inside ``{{ }}`` are flagged when they read like words
for people (a capital then lower case, or two words) and are not an argument of ``_()``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment
from jinja2.ext import i18n

SPOKEN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-roledescription"}
CODE_ELEMENTS = {"code", "kbd", "samp", "script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# What stands for an expression in the text: no letter, so it never counts as words.
HOLE = "\u2063"
LETTER = re.compile(r"[^\W\d_]")
WORDS = re.compile(r"^[A-Z][a-z]+\b|[A-Za-z]{2,}[,.:;!?]?\s+[A-Za-z]{2,}")
TRANSLATING = {"_", "gettext", "ngettext", "pgettext", "npgettext"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value and LETTER.search(value):
                self.found.append(f'{name}="{value}"')

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if set(self.open) & CODE_ELEMENTS:
            return
        if LETTER.search(data):
            self.found.append(" ".join(data.replace(HOLE, "…").split()))


def _environment() -> Environment:
    return Environment(extensions=[i18n])


def untranslated(source: str) -> list[str]:
    """The words in ``source`` (a template) that are not passed through ``_()``."""
    skeleton: list[str] = []
    literals: list[str] = []
    depth: list[bool] = []  # for each open bracket: is it a translating call's?
    previous = ""
    in_trans = False  # text between {% trans %} and {% endtrans %} is translated
    for _, kind, value in _environment().lex(source):
        if kind == "data":
            skeleton.append(HOLE if in_trans else value)
            continue
        if kind == "name" and previous == "block_begin_name":
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        if kind in ("variable_begin", "block_begin"):
            skeleton.append(HOLE)
        if kind == "operator" and value == "(":
            depth.append(previous in TRANSLATING)
        elif kind == "operator" and value == ")" and depth:
            depth.pop()
        elif kind == "string" and not any(depth) and WORDS.search(value):
            literals.append(value)
        if kind == "block_begin":
            previous = "block_begin_name"
        elif kind != "whitespace":
            previous = value
    parser = _Text()
    parser.feed("".join(skeleton))
    parser.close()
    return parser.found + literals


def template_problems(root: Path, names: list[str]) -> dict[str, list[str]]:
    problems = {}
    for name in names:
        found = untranslated((root / name).read_text(encoding="utf-8"))
        if found:
            problems[name] = found
    return problems
