"""Policy and workflow sentences, and the values in them, in the reader's language.

The engine, the policies and the runtime are pure: they never import Flask (see
tests/workflow_designer/test_boundaries.py). So they translate through this module, whose
``gettext``, ``ngettext`` and ``lazy_gettext`` hand the message to Flask-Babel when the web
layer has loaded it (the request's language), and otherwise answer in English, the message
id itself. The values in a sentence (money, amounts, percentages, days) follow the same
language, and in English read exactly as they always did: "€1,840.00", "2,500.00",
"12.5%", "15 Feb", "2026-02-15".

Import them under the names the catalog extraction knows: ``gettext as _``,
``lazy_gettext as _l``, ``ngettext``.
"""

from __future__ import annotations

import copy
import html
import sys
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from workflow_designer.policy import money as money_module

ENGLISH = "en"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _babel() -> Any:
    """Flask-Babel when the web layer loaded it (it is never imported from here)."""
    return sys.modules.get("flask_babel")


def gettext(message: str, **variables: Any) -> str:
    """``message`` in the reader's language, ``%(name)s`` placeholders filled."""
    babel = _babel()
    if babel is not None:
        return str(babel.gettext(message, **variables))
    return message % variables if variables else message


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The singular or plural form for ``num`` (``%(num)d`` in the message)."""
    babel = _babel()
    if babel is not None:
        return str(babel.ngettext(singular, plural, num, **variables))
    variables.setdefault("num", num)
    return (singular if num == 1 else plural) % variables


class LazyText(str):
    """A message translated each time it is read (labels, help, choices made at import).

    A ``str`` holding the English message, so code that needs a string never fails on it
    (joins, JSON, database parameters read that English); reading it as text — ``str()``,
    f-strings, ``%s``, templates (``__html__``), the usual string methods — gives the
    reader's language. Equality and hashing stay those of the English message (a stable
    dictionary key)."""

    _message: str
    _variables: dict[str, Any]

    def __new__(cls, message: str, **variables: Any) -> LazyText:
        text = super().__new__(cls, message % variables if variables else message)
        text._message, text._variables = message, variables
        return text

    def __str__(self) -> str:
        return gettext(self._message, **self._variables)

    def __repr__(self) -> str:
        return f"l{self._message!r}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __html__(self) -> str:  # templates and Flask's JSON: escaped, translated text
        return html.escape(str(self))

    def __len__(self) -> int:
        return len(str(self))

    def __getitem__(self, key: Any) -> str:
        return str(self)[key]

    def __iter__(self) -> Any:
        return iter(str(self))

    def __contains__(self, item: Any) -> bool:
        return item in str(self)

    def __add__(self, other: str) -> str:
        return str(self) + str(other)

    def __radd__(self, other: str) -> str:
        return str(other) + str(self)

    def __mod__(self, other: Any) -> str:
        return str(str(self) % other)

    def lower(self) -> str:
        return str(self).lower()

    def upper(self) -> str:
        return str(self).upper()

    def capitalize(self) -> str:
        return str(self).capitalize()

    def strip(self, chars: str | None = None) -> str:
        return str(self).strip(chars)

    def replace(self, old: str, new: str, count: Any = -1) -> str:
        return str(self).replace(old, new, count)

    def split(self, sep: str | None = None, maxsplit: Any = -1) -> list[str]:
        return str(self).split(sep, maxsplit)

    def startswith(self, prefix: Any, *args: Any) -> bool:
        return str(self).startswith(prefix, *args)

    def endswith(self, suffix: Any, *args: Any) -> bool:
        return str(self).endswith(suffix, *args)

    def __copy__(self) -> LazyText:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> LazyText:
        return self

    def __reduce__(self) -> Any:
        return (_lazy, (self._message, self._variables))


def _lazy(message: str, variables: dict[str, Any]) -> LazyText:
    return LazyText(message, **variables)


class ConfiguredText(LazyText):
    """Text an admin typed (a state's label, a return type's name), read in the reader's
    language when the admin wrote it in that language too, and as typed otherwise: the
    distributor's own language is the fallback. Equality and hashing stay those of the
    text as typed, so it still names what it named (a reason stored on a line)."""

    _variants: dict[str, str]

    def __new__(cls, text: str, variants: Mapping[str, str]) -> ConfiguredText:
        configured = str.__new__(cls, text)
        configured._message, configured._variables = text, {}
        configured._variants = dict(variants)
        return configured

    def __str__(self) -> str:
        locale = language()
        variant = self._variants.get(locale) or self._variants.get(locale.split("_", 1)[0])
        return variant or self._message

    def __repr__(self) -> str:
        return f"c{self._message!r}"

    def __reduce__(self) -> Any:
        return (ConfiguredText, (self._message, self._variants))


def localized(text: str, variants: Mapping[str, Any] | None) -> str:
    """``text`` as the reader's language has it in ``variants`` (language → text), else as
    typed. Blank and non-text variants are ignored, and with none left ``text`` itself is
    returned: a configuration nobody translated costs nothing."""
    usable = {
        code: value.strip()
        for code, value in (variants or {}).items()
        if isinstance(code, str) and isinstance(value, str) and value.strip()
    }
    return ConfiguredText(text, usable) if usable else text


def variants_of(text: str) -> dict[str, str]:
    """The translations configured text carries (language → text); none for plain text.
    For what is stored and read later, in another reader's language (a notification)."""
    return dict(text._variants) if isinstance(text, ConfiguredText) else {}


def lazy_gettext(message: str, **variables: Any) -> Any:
    """``message``, translated when it is turned into text (typed Any: it reads as a str)."""
    return LazyText(message, **variables)


def language() -> str:
    """The reader's language: the request's, else English."""
    babel = _babel()
    locale = babel.get_locale() if babel is not None else None
    return str(locale) if locale else ENGLISH


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Received" → "received" in English and
    French, while German nouns keep their capital. For text no catalog holds (what an admin
    typed); a word the catalog holds gets a message of its own for use mid-sentence. A
    label that opens with an abbreviation ("RMA closed") keeps it."""
    text = str(label)
    if language().startswith("de") or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _english(locale: str) -> bool:
    return locale.split("_", 1)[0] == ENGLISH


def money(amount: Decimal | int | str | None, currency: str) -> str:
    """``€1,840.00`` · ``1.840,00 €`` · ``1 840,00 €``."""
    return money_module.format_money(amount, currency, locale=language())


def amount(value: Decimal | int | str, currency: str | None = None) -> str:
    """``2,500.00`` · ``2.500,00`` · ``2 500,00``."""
    return money_module.format_amount(value, currency, locale=language())


def percent(value: Decimal) -> str:
    """``12.5%`` · ``12,5 %`` (no trailing zeros)."""
    locale = language()
    if _english(locale):
        return money_module.format_percent(value)
    pattern = copy.copy(Locale.parse(locale).percent_formats[None])
    pattern.frac_prec = (0, 4)
    return babel_numbers.format_percent(Decimal(value) / 100, format=pattern, locale=locale)


def day(value: date) -> str:
    """A date in a sentence: ``2026-02-15`` in English (as always), ``15. Feb. 2026``."""
    locale = language()
    if _english(locale):
        return value.isoformat()
    return babel_dates.format_skeleton("yMMMd", value, locale=locale)


def month_day(month_day: tuple[int, int]) -> str:
    """A day of every year: ``15 Feb`` · ``15. Feb.`` · ``15 févr.``; a day the month does
    not have too (``31 Feb``, as a mistake is shown)."""
    month, number = month_day
    locale = language()
    if _english(locale):
        return f"{number} {_MONTHS[month - 1]}"
    known = Locale.parse(locale)
    name = babel_dates.format_date(date(2000, month, 1), "MMM", locale=known)
    pattern = str(known.datetime_skeletons["MMMd"].pattern)  # "d. MMM", "d MMM"
    return pattern.replace("MMM", "\0").replace("d", str(number)).replace("\0", name)
