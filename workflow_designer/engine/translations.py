"""What admins type for retailers, written per language: reading, checking and merging the
``translations`` of states and transitions, and listing the ones still missing.

A state may carry ``"translations": {"de": {"label": "…", "description": "…"}}`` and a
transition ``"translations": {"de": {"label": "…"}}``. The text as typed is in the
distributor's own language and stays the fallback; a blank translation is a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workflow_designer.engine.checker import Checker
from workflow_designer.engine.params import shown
from workflow_designer.engine.problems import join_path
from workflow_designer.engine.schema import is_language
from workflow_designer.policy.words import localized

KEY = "translations"
# A language's texts, by the key they translate: {"label": "Eingegangen"}.
Texts = dict[str, str]


# --- reading -------------------------------------------------------------------------------


def variants(raw: Mapping[str, Any], key: str) -> dict[str, str]:
    """Language → the non-blank translation of ``raw[key]`` (malformed entries skipped)."""
    found: dict[str, str] = {}
    for language, texts in _languages(raw).items():
        text = texts.get(key) if isinstance(texts, dict) else None
        if isinstance(text, str) and text.strip():
            found[language] = text.strip()
    return found


def translated(raw: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Texts]:
    """Language → key → text, for the ``keys`` ``raw`` translates (what a form shows)."""
    by_language: dict[str, Texts] = {}
    for key in keys:
        for language, text in variants(raw, key).items():
            by_language.setdefault(language, {})[key] = text
    return by_language


def localized_text(raw: Mapping[str, Any], key: str, typed: str) -> str:
    """``typed`` (the text as the admin wrote it), read in the reader's language when
    ``raw`` translates it."""
    return localized(typed, variants(raw, key))


def _languages(raw: Mapping[str, Any]) -> dict[str, Any]:
    value = raw.get(KEY)
    if not isinstance(value, dict):
        return {}
    return {code: texts for code, texts in value.items() if is_language(code)}


# --- checking ------------------------------------------------------------------------------


def check_translations(
    checker: Checker,
    raw: dict[str, Any],
    path: str,
    where: str,
    allowed: Mapping[str, int],
    **names: Any,
) -> None:
    """Report a ``translations`` value that is not an object of language codes, each an
    object of the ``allowed`` text keys (key → longest length); blank texts are fine."""
    if KEY not in raw:
        return
    path = join_path(path, KEY)
    if not checker.object(raw[KEY], path, f"'{KEY}'{where}", **names):
        return
    for code, texts in raw[KEY].items():
        if not is_language(code):
            checker.add(
                "bad_language",
                join_path(path, str(code)),
                language=shown(code),
                where=where,
                **names,
            )
            continue
        _check_language(checker, texts, join_path(path, code), where, allowed, **names)


def _check_language(
    checker: Checker, texts: Any, path: str, where: str, allowed: Mapping[str, int], **names: Any
) -> None:
    field = path.split(".", 1)[-1] if "." in path else path
    if not checker.object(texts, path, f"'{field}'{where}", **names):
        return
    for key, text in texts.items():
        at = join_path(path, str(key))
        if key not in allowed:
            checker.add("unknown_key", at, key=shown(f"{field}.{key}"), where=where, **names)
            continue
        what = f"'{field}.{key}'{where}"
        if checker.typed(text, str, "a string", at, what, **names) and len(text) > allowed[key]:
            checker.add("too_long", at, field=what, limit=allowed[key], **names)


# --- editing -------------------------------------------------------------------------------


def merged(old: Any, edited: Mapping[str, Mapping[str, str]]) -> dict[str, Texts]:
    """``old`` translations with the ``edited`` languages written over them: a blank text
    removes that key, a language left with none goes. Languages not edited stay as they
    were (the form shows every language but the distributor's own)."""
    result: dict[str, Texts] = {
        code: {k: v for k, v in texts.items() if isinstance(v, str) and v.strip()}
        for code, texts in (old.items() if isinstance(old, dict) else ())
        if isinstance(texts, dict)
    }
    for code, texts in edited.items():
        current = result.setdefault(code, {})
        for key, text in texts.items():
            if text.strip():
                current[key] = text.strip()
            else:
                current.pop(key, None)
    return {code: texts for code, texts in result.items() if texts}


def with_translations(body: dict[str, Any], translations: Mapping[str, Texts]) -> dict[str, Any]:
    """``body`` carrying ``translations`` (none: no key at all)."""
    body.pop(KEY, None)
    if translations:
        body[KEY] = {code: dict(texts) for code, texts in translations.items()}
    return body


def kept_for(
    old: Mapping[str, Any] | None, body: Mapping[str, Any], keys: Iterable[str]
) -> dict[str, Texts]:
    """The translations of ``old`` still right for ``body``: those of each of ``keys`` whose
    text is unchanged. A text written anew has no translation rather than a wrong one."""
    if not old:
        return {}
    same = [key for key in keys if old.get(key) == body.get(key)]
    return {
        code: {key: text for key, text in texts.items() if key in same}
        for code, texts in ((c, _texts(old, c)) for c in _languages(old))
        if any(key in same for key in texts)
    }


def _texts(raw: Mapping[str, Any], code: str) -> Texts:
    texts = _languages(raw).get(code)
    if not isinstance(texts, dict):
        return {}
    return {k: v for k, v in texts.items() if isinstance(v, str) and v.strip()}


# --- what is missing -----------------------------------------------------------------------


def _objects(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = doc.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


@dataclass(frozen=True)
class Missing:
    """A text with no translation in some language: ``kind`` is "state" or "button",
    ``field`` "label" or "description", ``label`` the element's label as typed."""

    kind: str
    name: str
    label: str
    field: str


def missing_translations(doc: Any, languages: Iterable[str]) -> dict[str, list[Missing]]:
    """Language → the labels and explanations not yet written in it, in document order.
    Buttons sharing a trigger and a label are one button; an explanation counts only
    when the typed text has one."""
    doc = doc if isinstance(doc, dict) else {}
    return {language: _missing_in(doc, language) for language in languages}


def _missing_in(doc: dict[str, Any], language: str) -> list[Missing]:
    found: list[Missing] = []
    for state in _objects(doc, "states"):
        name, label = str(state.get("name") or ""), str(state.get("label") or "")
        texts = _texts(state, language)
        if label.strip() and "label" not in texts:
            found.append(Missing("state", name, label, "label"))
        if str(state.get("description") or "").strip() and "description" not in texts:
            found.append(Missing("state", name, label, "description"))
    buttons: dict[tuple[str, str], bool] = {}
    for transition in _objects(doc, "transitions"):
        key = (str(transition.get("trigger") or ""), str(transition.get("label") or ""))
        translated = "label" in _texts(transition, language)
        buttons[key] = buttons.get(key, True) and translated
    found += [
        Missing("button", trigger, label, "label")
        for (trigger, label), translated in buttons.items()
        if label.strip() and not translated
    ]
    return found
