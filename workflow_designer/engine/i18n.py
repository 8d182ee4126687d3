"""Words of the engine that people read, marked for translation.

The engine loads no web library: it translates through whatever the application
installs (``install``; the portal installs Flask-Babel's ``gettext``), and reads English
until then, so it works without a Flask app.

``_`` translates now. ``_l`` marks a module-level text (a label, a message template) that
is translated each time it is turned into a string, in the language of that moment. It
is typed as ``str`` so that labels and descriptions keep their types; ``str()`` it where
a real ``str`` is needed (JSON, ``join``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast


def _english(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, num: int) -> str:
    return singular if num == 1 else plural


_translate: Callable[[str], str] = _english
_translate_plural: Callable[[str, str, int], str] = _english_plural


def install(
    translate: Callable[[str], str],
    translate_plural: Callable[[str, str, int], str] | None = None,
) -> None:
    """Translate the engine's words with ``translate`` (English text → current language)
    and ``translate_plural`` (singular, plural, count → the form for the count)."""
    global _translate, _translate_plural
    _translate = translate
    _translate_plural = translate_plural or _english_plural


class LazyText:
    """A text translated when it is read."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return str(_translate(self.text))

    def __repr__(self) -> str:
        return f"LazyText({self.text!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyText):
            return other.text == self.text
        return isinstance(other, str) and str(self) == other

    def __hash__(self) -> int:
        return hash(self.text)

    def __len__(self) -> int:
        return len(str(self))

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __getattr__(self, name: str) -> Any:
        return getattr(str(self), name)


def _l(text: str) -> str:
    return cast(str, LazyText(text))


def _(text: str, **variables: Any) -> str:
    """``text`` in the current language (English outside a request), ``%(name)s`` filled."""
    translated = str(_translate(text))
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The form for ``num`` (English rule until a translator is installed), ``%(num)d`` and
    ``%(name)s`` filled."""
    translated = str(_translate_plural(singular, plural, num))
    return translated % {"num": num, **variables}
