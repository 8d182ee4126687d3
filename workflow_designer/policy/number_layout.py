"""Numbers laid out by a locale's CLDR pattern, the way Babel lays them out, but fast.

Babel's ``NumberPattern.apply`` looks up the locale's symbols, plural rules and currency
name for every value it formats: 50-100 µs a figure, which made formatting the larger
part of rendering a table of a few hundred amounts and percentages. A ``NumberLayout``
takes the pattern apart once per locale (and currency), so each value costs only its
rounding and digit grouping. It covers the plain patterns this product uses (decimal,
percent, currency with a symbol); ``NumberLayout.of`` refuses any other.
``tests/workflow_designer/policy/test_number_layout.py`` holds it equal to Babel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.numbers import (
    NumberPattern,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)

# Text in single quotes is literal in a CLDR pattern; a doubled quote is a quote.
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class NumberLayout:
    prefixes: tuple[str, str]  # (positive, negative), the currency symbol in place
    suffixes: tuple[str, str]
    min_integer_digits: int
    grouping: tuple[int, int]  # the first group's size, then every other's
    fraction_digits: tuple[int, int]  # (at least, at most)
    scale: int  # 2 for a percent pattern: 0.15 is laid out as 15
    decimal_symbol: str
    group_symbol: str

    @classmethod
    def of(
        cls,
        pattern: NumberPattern,
        locale: Locale,
        currency: str | None = None,
        fraction_digits: tuple[int, int] | None = None,
    ) -> NumberLayout:
        """``pattern`` in ``locale``, with ``fraction_digits`` instead of its own if given."""
        if pattern.exp_prec or "@" in pattern.pattern or "¤¤" in pattern.pattern:
            raise ValueError(f"not a plain number pattern: {pattern.pattern!r}")
        symbol = get_currency_symbol(currency, locale) if currency else None

        def literal(text: str) -> str:
            if "¤" in text:
                if symbol is None:
                    raise ValueError(f"{pattern.pattern!r} needs a currency")
                text = text.replace("¤", symbol)
            return _QUOTED.sub(lambda m: m.group(1) or "'", text)

        return cls(
            prefixes=(literal(pattern.prefix[0]), literal(pattern.prefix[1])),
            suffixes=(literal(pattern.suffix[0]), literal(pattern.suffix[1])),
            min_integer_digits=pattern.int_prec[0],
            grouping=pattern.grouping,
            fraction_digits=fraction_digits or pattern.frac_prec,
            scale=pattern.scale,
            decimal_symbol=get_decimal_symbol(locale),
            group_symbol=get_group_symbol(locale),
        )

    def apply(self, value: Decimal) -> str:
        """``value`` laid out: rounded to the most fraction digits (half-even, as Babel
        does), trailing zeros dropped down to the fewest, the integer part grouped."""
        value = value.scaleb(self.scale)
        negative = int(value.is_signed())
        value = abs(value).normalize()
        fewest, most = self.fraction_digits
        whole, _, fraction = f"{value.quantize(Decimal(10) ** -most):f}".partition(".")
        return "".join(
            (
                self.prefixes[negative],
                self._grouped(whole.rjust(self.min_integer_digits, "0")),
                self._fraction(fraction.ljust(fewest, "0") if fraction else "0" * fewest),
                self.suffixes[negative],
            )
        )

    def _grouped(self, digits: str) -> str:
        size, groups = self.grouping[0], []
        while len(digits) > size:
            groups.append(digits[-size:])
            digits = digits[:-size]
            size = self.grouping[1]
        return self.group_symbol.join([digits, *reversed(groups)])

    def _fraction(self, digits: str) -> str:
        fewest, most = self.fraction_digits
        if most == 0 or (fewest == 0 and not digits.strip("0")):
            return ""
        trimmed = digits.rstrip("0")
        return self.decimal_symbol + trimmed.ljust(fewest, "0")
