"""The one money formatter: every page, policy message and guard reason writes amounts so."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workflow_designer.policy.money import format_amount, format_money


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("18400.5", "JPY", "¥18,401"),
        ("0.4", "JPY", "¥0"),
        ("1234.5", "CAD", "CA$1,234.50"),
        ("1234.5", "EUR", "€1,234.50"),
        ("1234.5", "USD", "$1,234.50"),
        ("1234.5", "GBP", "£1,234.50"),
        ("1234.5", "CHF", "CHF 1,234.50"),
        ("-1234.5", "EUR", "−€1,234.50"),
        ("-18400.5", "JPY", "−¥18,401"),
        ("-0.5", "CAD", "−CA$0.50"),
        ("-0.001", "EUR", "€0.00"),
        ("2.0005", "KWD", "KWD 2.001"),
    ],
)
def test_money_is_written_with_the_currency_symbol_and_decimals(amount, currency, text):
    assert format_money(Decimal(amount), currency) == text


def test_no_amount_is_written_as_nothing():
    assert format_money(None, "EUR") == ""


def test_whole_numbers_and_strings_are_amounts_too():
    assert format_money(0, "EUR") == "€0.00"
    assert format_money("12.345", "GBP") == "£12.35"


def test_the_locale_places_the_symbol():
    assert format_money(Decimal("1234.5"), "EUR", locale="de") == "1.234,50\xa0€"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("2500", None, "2,500.00"),
        ("18400.5", "JPY", "18,401"),
        ("-3.456", None, "−3.46"),
        ("1.2345", "KWD", "1.235"),
    ],
)
def test_a_plain_amount_has_the_currency_decimals_and_no_symbol(amount, currency, text):
    assert format_amount(Decimal(amount), currency) == text


def test_pages_write_money_with_the_same_formatter(app):
    from portal.i18n import formats

    assert app.jinja_env.filters["money"] is formats.money  # format_money in the reader's language
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        rendered = app.jinja_env.from_string("{{ a|money('JPY') }} {{ b|money('CAD') }}").render(
            a=Decimal("18400.5"), b=Decimal("5")
        )
    assert rendered == "¥18,401 CA$5.00"
