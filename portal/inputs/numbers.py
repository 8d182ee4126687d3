"""Numbers from a request: bounded integers of ASCII digits, finite Decimals at a fixed
scale, and JSON of bounded depth and size.

``str.isdigit()`` admits "²" and other digits ``int()`` cannot read, ``int()`` of a long
digit string raises, PostgreSQL's ``integer`` stops at 2**31 - 1, and ``Decimal`` reads
"sNaN" and "1e999999999". Every parser here returns ``None`` (or raises ``ValueError``
with a message for people) instead, so a view answers with a clear 4xx.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import DecimalField, IntegerField
from wtforms.validators import ValidationError

MAX_ID = 2**31 - 1  # every primary key is an Integer: PostgreSQL's ``integer``
MAX_QUANTITY = 100_000
MAX_PAGE = 100_000
MAX_MONEY = Decimal("9999999999.99")  # what Numeric(12, 2) holds

_DIGITS = re.compile(r"[0-9]{1,20}")
_SIGNED_DIGITS = re.compile(r"[+-]?[0-9]+")  # a whole number, if out of range
# Plain notation only: no exponent, so no value can be astronomically large or small.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})")


def parse_int(raw: object, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int if it is ASCII digits (spaces around allowed) from ``minimum`` to
    ``maximum``; otherwise None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if minimum <= raw <= maximum else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_id(raw: object) -> int | None:
    """A primary key: 1 to 2**31 - 1, or None."""
    return parse_int(raw, 1, MAX_ID)


def parse_page(raw: object) -> int:
    """A page number; 1 for anything that is not one (lists ignore a bad page number)."""
    return parse_int(raw, 1, MAX_PAGE) or 1


def parse_decimal(
    raw: object,
    places: int = 2,
    minimum: Decimal | int | None = 0,
    maximum: Decimal | int | None = MAX_MONEY,
) -> Decimal | None:
    """``raw`` as a finite Decimal in plain notation with at most ``places`` decimals,
    within ``minimum`` and ``maximum``; otherwise None."""
    if isinstance(raw, Decimal):
        value = raw if raw.is_finite() else None
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, str) and _DECIMAL.fullmatch(raw.strip()):
        value = Decimal(raw.strip())
    else:
        value = None
    # Read from at most 20 + 20 digits, or finite: quantizing stays within the context.
    if value is None or value.adjusted() > 20:
        return None
    scale = Decimal(1).scaleb(-places)
    if value.quantize(scale) != value:
        return None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value.quantize(scale)


def is_bounded(value: Decimal) -> bool:
    """Whether ``value`` is finite with at most 20 digits before and after the point:
    written out in full (``f"{value:f}"``) or quantized, it stays small."""
    if not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    return value.adjusted() <= 20 and isinstance(exponent, int) and exponent >= -20


class BoundedIntegerField(IntegerField):
    """A whole number of ASCII digits from ``minimum`` to ``maximum``. ``message`` is
    shown for a number out of range, ``invalid`` for what is not a number."""

    def __init__(
        self,
        label: str | None = None,
        validators=None,
        minimum: int = 0,
        maximum: int = MAX_ID,
        message: str | LazyString | None = None,
        invalid: str | LazyString | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        # Worded when shown, in the reader's language.
        self.message = message or LazyString(
            lambda: _(
                "Enter a whole number from %(minimum)s to %(maximum)s.",
                minimum=_number(minimum),
                maximum=_number(maximum),
            )
        )
        self.invalid = invalid or _l("Not a valid integer value.")

    def process_formdata(self, valuelist) -> None:
        raw = _posted(self, valuelist)
        if raw:
            self.data = parse_int(raw, self.minimum, self.maximum)
            if self.data is None:
                problem = self.message if _SIGNED_DIGITS.fullmatch(raw) else self.invalid
                raise ValueError(str(problem))


def _posted(field, valuelist) -> str:
    """The posted text, stripped; a blank one empties the field, and a field missing from
    the form data keeps its default. Empty means there is nothing to parse."""
    if not valuelist:
        return ""
    raw = valuelist[0].strip()
    if not raw:
        field.data = None
    return raw


NOT_LISTED = _l("Choose one of the listed values.")
PAGE = _l("Page")


def id_or_blank(message: str | LazyString = NOT_LISTED):
    """A validator for a select or hidden field holding an id: blank, or 1 to MAX_ID."""

    def check(_form, field) -> None:
        if field.data not in (None, "") and parse_id(field.data) is None:
            raise ValidationError(str(message))

    return check


class PageField(BoundedIntegerField):
    """The ``page`` of a filtered list: 1 to MAX_PAGE."""

    def __init__(self, label: str | LazyString = PAGE, **kwargs: Any) -> None:
        kwargs.setdefault("default", 1)
        super().__init__(label, minimum=1, maximum=MAX_PAGE, **kwargs)


class FiniteDecimalField(DecimalField):
    """A finite amount in plain notation with at most ``places`` decimals, from ``minimum``
    to ``maximum`` (money by default): no NaN, Infinity or exponent. ``message`` is shown
    for a number refused, ``invalid`` for what is not a number at all."""

    def __init__(
        self,
        label: str | None = None,
        validators=None,
        places: int = 2,
        minimum: Decimal | int | None = 0,
        maximum: Decimal | int | None = MAX_MONEY,
        message: str | LazyString | None = None,
        invalid: str | LazyString | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, places=places, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.message = message or LazyString(_decimal_message, places, minimum, maximum)
        self.invalid = invalid or _l("Not a valid decimal value.")

    def process_formdata(self, valuelist) -> None:
        raw = _posted(self, valuelist)
        if raw:
            self.data = parse_decimal(raw, self.places, self.minimum, self.maximum)
            if self.data is None:
                raise ValueError(str(self.message if _is_decimal(raw) else self.invalid))


def _is_decimal(raw: str) -> bool:
    """Whether ``raw`` is some Decimal ("sNaN", "1e999" included): refused for its value,
    not its form. Reading one is safe; only arithmetic on it is not."""
    try:
        Decimal(raw.strip())
    except ArithmeticError:
        return False
    return True


def _decimal_message(places: int, minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        low, high = _number(minimum), _number(maximum)
        if places:
            return _(
                "Enter a number from %(minimum)s to %(maximum)s, at most %(places)s decimals.",
                minimum=low,
                maximum=high,
                places=places,
            )
        return _(
            "Enter a number from %(minimum)s to %(maximum)s, no decimals.",
            minimum=low,
            maximum=high,
        )
    if places:
        return _("Enter a number with at most %(places)s decimals.", places=places)
    return _("Enter a number with no decimals.")


def _number(value: Decimal | int) -> str:
    """A bound as the reader writes numbers (``1,000.00`` in English, ``1.000,00`` in
    German), with as many decimals as it has."""
    exponent = Decimal(value).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_decimal(value, "#,##0." + "0" * places if places else "#,##0")


class JsonRefused(ValueError):
    """JSON that is too large, too deeply nested or not JSON; the message says which."""


MAX_JSON_DEPTH = 32
MAX_JSON_CHARS = 1_000_000
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, without parsing it."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if match[0] in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def load_json(text: str, max_depth: int = MAX_JSON_DEPTH, max_chars: int = MAX_JSON_CHARS):
    """Parse ``text`` after checking its size and depth (the parser recurses, so depth is
    checked first); numbers must be finite and integers at most 20 digits."""
    if len(text) > max_chars:
        raise JsonRefused(
            _("This JSON is too large (%(max)s characters at most).", max=_number(max_chars))
        )
    if json_depth(text) > max_depth:
        raise JsonRefused(
            _("This JSON is nested too deeply (%(max)s levels at most).", max=max_depth)
        )
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_int=_json_int, parse_float=_json_float
        )
    except JsonRefused:
        raise
    except json.JSONDecodeError as error:
        raise JsonRefused(
            _(
                "This is not valid JSON (line %(line)s, column %(column)s): %(problem)s.",
                line=error.lineno,
                column=error.colno,
                problem=error.msg,
            )
        ) from None
    except (ValueError, RecursionError):
        raise JsonRefused(_("This is not valid JSON.")) from None


def _refuse_constant(name: str):
    raise JsonRefused(_("This JSON holds %(name)s, which is not a number.", name=name))


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 20:
        raise JsonRefused(_("This JSON holds a number that is too large."))
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(_("This JSON holds a number that is too large."))
    return value


class BoundedJSONProvider(DefaultJSONProvider):
    """``request.get_json()`` through ``load_json``: a refused document is a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return load_json(s.decode("utf-8") if isinstance(s, bytes) else s)


SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def refuse_json_bodies() -> None:
    """Every route takes forms. Flask-WTF would read a JSON body as the form data, where
    nested values reach fields that expect strings, so a JSON body is refused up front.
    The JSON API under /api/ takes JSON: its own models check it."""
    if request.path.startswith("/api/"):
        return
    if request.method in SUBMIT_METHODS and request.is_json:
        abort(400, description=_("This address takes a form, not JSON."))


def init_app(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)
    app.before_request(refuse_json_bodies)
