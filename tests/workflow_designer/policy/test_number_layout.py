"""A number layout writes exactly what Babel writes for the same pattern, only faster."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from babel import Locale
from babel.numbers import parse_pattern

from workflow_designer.policy.number_layout import NumberLayout

# Not de_CH or fr_CH: their group separator is an apostrophe, which Babel strips as a quote.
LOCALES = ("en", "de", "fr", "fr_BE", "en_IN", "nl", "pl", "ja", "ar", "hi")
CURRENCIES = ("EUR", "CHF", "GBP", "JPY", "KWD", "CAD", "INR")
VALUES = tuple(
    Decimal(text)
    for text in (
        "0", "-0", "0.004", "0.005", "0.015", "0.025", "0.5", "1", "-1", "9.995", "12.3456",
        "999", "999.999", "1000", "-1000.5", "12345.675", "100000", "1234567.891",
        "-98765432.1", "1000000000000", "0.0000001", "1E+3", "2.50",
    )
)  # fmt: skip


@pytest.mark.parametrize("locale_code", LOCALES)
def test_decimal_and_percent_patterns_are_laid_out_as_babel_does(locale_code):
    locale = Locale.parse(locale_code)
    for pattern in (locale.decimal_formats[None], locale.percent_formats[None]):
        layout = NumberLayout.of(pattern, locale)
        for value in VALUES:
            assert layout.apply(value) == pattern.apply(value, locale), (pattern, value)


@pytest.mark.parametrize("locale_code", LOCALES)
def test_fixed_decimals_are_laid_out_as_babel_does(locale_code):
    locale = Locale.parse(locale_code)
    for digits in (0, 1, 2, 3):
        pattern = copy.copy(locale.decimal_formats[None])
        pattern.frac_prec = (digits, digits)
        layout = NumberLayout.of(
            locale.decimal_formats[None], locale, fraction_digits=(digits, digits)
        )
        for value in VALUES:
            expected = pattern.apply(value, locale)
            assert layout.apply(value) == expected, (digits, value)


@pytest.mark.parametrize("locale_code", LOCALES)
@pytest.mark.parametrize("currency", CURRENCIES)
def test_currency_patterns_are_laid_out_as_babel_does(locale_code, currency):
    locale = Locale.parse(locale_code)
    pattern = locale.currency_formats["standard"]
    layout = NumberLayout.of(pattern, locale, currency)
    for value in VALUES:
        expected = pattern.apply(value, locale, currency=currency, currency_digits=False)
        assert layout.apply(value) == expected, value


def test_an_apostrophe_separating_groups_is_kept():
    locale = Locale.parse("de_CH")
    layout = NumberLayout.of(locale.decimal_formats[None], locale)
    assert layout.apply(Decimal("1234567.891")) == "1'234'567.891"


def test_quoted_literals_lose_their_quotes():
    locale = Locale.parse("en")
    pattern = parse_pattern("'#'#,##0.00' pcs'''")
    assert NumberLayout.of(pattern, locale).apply(Decimal("1234.5")) == "#1,234.50 pcs'"


@pytest.mark.parametrize("text", ["0.00E0", "@@#", "#,##0.00 ¤¤", "¤¤¤ #,##0.00"])
def test_patterns_it_cannot_lay_out_are_refused(text):
    with pytest.raises(ValueError, match="not a plain number pattern"):
        NumberLayout.of(parse_pattern(text), Locale.parse("en"), "EUR")


def test_a_currency_pattern_needs_a_currency():
    locale = Locale.parse("en")
    with pytest.raises(ValueError, match="needs a currency"):
        NumberLayout.of(locale.currency_formats["standard"], locale)
