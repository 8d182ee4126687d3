"""What the code asks to translate, read the way ``make translations-extract`` reads it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "portal" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "_l": None,
    "lazy_gettext": None,
}


def extracted() -> Catalog:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def catalog(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def missing(wanted: Catalog, have: Catalog) -> list[str]:
    """Messages of ``wanted`` that ``have`` lacks, leaves empty or marks fuzzy."""
    problems = []
    for message in wanted:
        if not message.id:
            continue
        found = have.get(message.id, message.context)
        strings = found.string if found else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(texts):
            key = message.id if isinstance(message.id, str) else message.id[0]
            problems.append(f"{key!r}: {'fuzzy' if found and found.fuzzy else 'untranslated'}")
    return problems


def check_errors(have: Catalog) -> list[str]:
    """What Babel's own checks refuse (as ``pybabel compile`` does, which then builds no
    catalog): placeholders the translation drops, adds or formats differently."""
    return [f"{message.id!r}: {error}" for message, errors in have.check() for error in errors]
