"""Currency arithmetic and formatting for policy figures: Decimal only, rounded half-up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# code → (minor unit digits, symbol as written before the amount). ISO 4217 minor units;
# a currency missing here is treated as two decimals and written with its code.
CURRENCIES: dict[str, tuple[int, str]] = {
    "EUR": (2, "€"),
    "GBP": (2, "£"),
    "USD": (2, "$"),
    "CHF": (2, "CHF "),
    "SEK": (2, "SEK "),
    "NOK": (2, "NOK "),
    "DKK": (2, "DKK "),
    "PLN": (2, "PLN "),
    "CZK": (2, "CZK "),
    "HUF": (2, "HUF "),
    "CAD": (2, "CA$"),
    "AUD": (2, "A$"),
    "JPY": (0, "¥"),
    "KRW": (0, "₩"),
    "ISK": (0, "ISK "),
    "CLP": (0, "CLP "),
    "KWD": (3, "KWD "),
    "BHD": (3, "BHD "),
    "JOD": (3, "JOD "),
    "OMR": (3, "OMR "),
    "TND": (3, "TND "),
}

HUNDRED = Decimal(100)


def minor_digits(currency: str) -> int:
    return CURRENCIES.get(currency, (2, ""))[0]


def quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency``: 0.01 for EUR, 1 for JPY, 0.001 for KWD."""
    return Decimal(1).scaleb(-minor_digits(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-up to the currency's minor unit."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str) -> str:
    """€1,840.00 · £12.50 · ¥18,400 · CHF 99.00 · XYZ 5.00; rounded half-up first."""
    digits, symbol = CURRENCIES.get(currency, (2, f"{currency} "))
    value = round_money(amount, currency)
    sign = "−" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.{digits}f}"


def format_percent(value: Decimal) -> str:
    """15% · 12.5% · 100% (no trailing zeros, never exponent notation)."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def percent_of(percent: Decimal, amount: Decimal) -> Decimal:
    """``percent`` % of ``amount``, unrounded."""
    return amount * percent / HUNDRED
