"""Translations of what admins type and retailers read: a return type's name, description,
exception prompt and reasons, per language.

The typed texts are in the distributor's default language and are the fallback, so only
the other languages are translated. A blank translation is no translation: it is not
stored, and the text counts as missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from models import ReturnType
from portal.i18n import language_name

# Each translated text, as the missing list names it.
TEXT_WORDS = {
    "name": lambda: _("the name"),
    "description": lambda: _("the description"),
    "exception_prompt": lambda: _("the exception prompt"),
}


def clean_translations(
    raw: Mapping[str, Mapping[str, Any]], reasons: Iterable[str], languages: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """What is worth storing of ``raw``: the given languages only, no blank text, and no
    translation of a reason the return type no longer offers."""
    offered = set(reasons)
    cleaned: dict[str, dict[str, Any]] = {}
    for code in languages:
        given = raw.get(code) or {}
        document: dict[str, Any] = {
            key: _text(given.get(key)) for key in TEXT_WORDS if _text(given.get(key))
        }
        reason_texts = {
            reason: _text(text)
            for reason, text in (given.get("reasons") or {}).items()
            if reason in offered and _text(text)
        }
        if reason_texts:
            document["reasons"] = reason_texts
        if document:
            cleaned[code] = document
    return cleaned


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class Missing:
    """What of a return type has no translation into ``language``."""

    language: str
    texts: tuple[str, ...]  # keys of TEXT_WORDS
    reasons: tuple[str, ...]  # as typed

    @property
    def count(self) -> int:
        return len(self.texts) + len(self.reasons)

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    def in_words(self) -> str:
        """ "German: 2 reasons, the description"."""
        parts = [TEXT_WORDS[key]() for key in self.texts]
        if self.reasons:
            count = len(self.reasons)
            parts.insert(0, ngettext("%(num)d reason", "%(num)d reasons", count))
        name = self.language_name
        language = name[:1].upper() + name[1:]
        return _("%(language)s: %(texts)s", language=language, texts=", ".join(parts))


def missing_translations(return_type: ReturnType, languages: Iterable[str]) -> list[Missing]:
    """Per language with something missing: the typed texts (the name, the description and
    exception prompt when there is one, each reason) that have no translation into it."""
    documents = return_type.translations or {}
    missing = []
    for code in languages:
        given = documents.get(code) or {}
        texts = tuple(
            key for key in TEXT_WORDS if getattr(return_type, key) and not _text(given.get(key))
        )
        translated_reasons = given.get("reasons") or {}
        reasons = tuple(
            reason
            for reason in return_type.reasons or []
            if not _text(translated_reasons.get(reason))
        )
        if texts or reasons:
            missing.append(Missing(code, texts, reasons))
    return missing
