"""Currency arithmetic and the one money formatter: Decimal only, rounded half-up.

Every amount shown anywhere (pages, policy messages, guard reasons) is written here, with
Babel's currency patterns and symbols, so JPY has no decimals and CAD reads CA$ everywhere.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.numbers import get_currency_symbol

from workflow_designer.policy.number_layout import NumberLayout

# ISO 4217 minor units of the currencies distributors use; they drive rounding, so stored
# credits depend on them (CLDR, hence Babel, says 0 for HUF). Any other currency: two.
CURRENCIES: dict[str, int] = {
    "EUR": 2, "GBP": 2, "USD": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2,
    "CZK": 2, "HUF": 2, "CAD": 2, "AUD": 2,
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0,
    "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip
MINUS = "\u2212"  # a typographic minus, leading the symbol: −€400.00

HUNDRED = Decimal(100)


def minor_digits(currency: str) -> int:
    return CURRENCIES.get(currency, 2)


def quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency``: 0.01 for EUR, 1 for JPY, 0.001 for KWD."""
    return Decimal(1).scaleb(-minor_digits(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-up to the currency's minor unit."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | int | str | None, currency: str, locale: str = "en") -> str:
    """€1,840.00 · £12.50 · ¥18,400 · CA$5.00 · CHF 99.00 · −€400.00; "" for no amount.

    Rounded half-up to the currency's minor unit first. A symbol made of letters is set
    apart from the digits by a space (CLDR's currency spacing, which Babel leaves out);
    a plain space, so the text reads and searches as it always did."""
    if amount is None:
        return ""
    value = round_money(Decimal(str(amount)), currency)
    layout, symbol = _currency_layout(locale, currency)
    text = layout.apply(abs(value))
    rest = text.removeprefix(symbol)
    if symbol[-1:].isalpha() and rest != text and rest[:1].isdigit():
        text = f"{symbol} {rest}"
    return f"{MINUS}{text}" if value < 0 else text


def format_amount(
    amount: Decimal | int | str, currency: str | None = None, locale: str = "en"
) -> str:
    """The number alone, with the currency's decimals (two without one): 2,500.00 · 18,401."""
    digits = minor_digits(currency) if currency else 2
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = _decimal_layout(locale, digits).apply(abs(value))
    return f"{MINUS}{text}" if value < 0 else text


@cache
def _currency_layout(locale: str, currency: str) -> tuple[NumberLayout, str]:
    """The locale's standard currency pattern with the currency's decimals, and its symbol."""
    known = Locale.parse(locale)
    digits = minor_digits(currency)
    pattern = known.currency_formats["standard"]
    layout = NumberLayout.of(pattern, known, currency, fraction_digits=(digits, digits))
    return layout, get_currency_symbol(currency, known)


@cache
def _decimal_layout(locale: str, digits: int) -> NumberLayout:
    """The locale's decimal pattern with exactly ``digits`` decimals."""
    known = Locale.parse(locale)
    return NumberLayout.of(known.decimal_formats[None], known, fraction_digits=(digits, digits))


def format_percent(value: Decimal) -> str:
    """15% · 12.5% · 100% (no trailing zeros, never exponent notation)."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def percent_of(percent: Decimal, amount: Decimal) -> Decimal:
    """``percent`` % of ``amount``, unrounded."""
    return amount * percent / HUNDRED
