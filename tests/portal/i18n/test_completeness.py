"""Every word a person reads goes through the translation layer, and every language
translates all of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.i18n import LANGUAGES
from tests.portal.i18n.catalogs import ROOT, catalog, check_errors, extracted, missing
from tests.portal.i18n.untranslated import template_problems, untranslated

TEMPLATES = ROOT / "templates"
# Folders whose templates are not yet marked for translation; this list only shrinks.
NOT_YET = ()


def _templates() -> list[str]:
    names = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in (".html", ".txt")
    ]
    return [name for name in names if not name.startswith(NOT_YET)]


def test_marked_templates_have_no_word_outside_the_translation_layer():
    assert template_problems(TEMPLATES, _templates()) == {}


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("<p>Hello</p>", ["Hello"]),
        ('<button aria-label="Close">×</button>', ['aria-label="Close"']),
        ("<p>{{ n }} of {{ total }}</p>", ["… of …"]),
        ('{{ link("home", "Order history") }}', ['"Order history"']),
        ("<p>{{ _('Hello') }} · {{ name }}</p>", []),
        ("<a href=\"{{ url_for('rmas.show', id=1) }}\">→</a>", []),
        ("<code>rep_review</code>", []),
        ('{{ _("%(n)s returns", n=3) }}', []),
        ("{% trans %}Hello{% endtrans %}", []),
    ],
)
def test_the_check_finds_words_and_only_words(source, found):
    assert untranslated(source) == found


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_language_translates_every_message(language):
    assert missing(extracted(), catalog(language)) == []


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_translation_compiles(language):
    assert check_errors(catalog(language)) == []


def test_the_compile_check_refuses_a_translation_that_changes_a_placeholder():
    from babel.messages.catalog import Catalog

    have = Catalog(locale="de")
    have.add(
        "Allowance (% of net purchases)",
        "Kontingent (% der Nettoeinkäufe)",
        flags=["python-format"],
    )
    have.add("%(count)s lines", "%(count)s Positionen", flags=["python-format"])
    assert len(check_errors(have)) == 1


def test_the_completeness_check_fails_on_a_missing_translation(tmp_path: Path):
    from babel.messages.catalog import Catalog

    wanted, have = Catalog(), Catalog(locale="de")
    wanted.add("Saved.")
    wanted.add("Submit")
    have.add("Saved.", "Gespeichert.")
    have.add("Submit", "Einreichen", flags=["fuzzy"])
    assert missing(wanted, have) == ["'Submit': fuzzy"]
    wanted.add("Cancel")
    assert missing(wanted, have)[-1] == "'Cancel': untranslated"
