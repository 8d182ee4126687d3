"""Stored values (a line's condition, grade and disposition) in the reader's words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

WORDS = {
    # Grades, also a line's reported condition.
    "new": _l("New"),
    "open_packaging": _l("Open packaging"),
    "used": _l("Used"),
    "lightly_damaged": _l("Lightly damaged"),
    "heavily_damaged": _l("Heavily damaged"),
    "defective": _l("Defective"),
    # Dispositions.
    "restock": _l("Restock"),
    "b_stock": _l("B stock"),
    "refurbish": _l("Refurbish"),
    "return_to_manufacturer": _l("Return to manufacturer"),
    "scrap": _l("Scrap"),
    # A line inspected in several grades, or sent several ways.
    "mixed": _l("Mixed"),
}


def value_words(name: str | None) -> str:
    """``open_packaging`` → "Open packaging" (translated); an unknown value as it was
    always shown, its underscores as spaces; "" for none."""
    if not name:
        return ""
    words = WORDS.get(name)
    return str(words) if words is not None else name.replace("_", " ").capitalize()
