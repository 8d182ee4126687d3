"""A view's figures as CSV: exactly the rows and figures its page shows, one row per key
and currency. The header row is in the reader's language or, with ``?headers=codes``,
column codes (``portal.csv_headers``); the cells stay machine-readable (ISO currency codes,
numbers with a "." decimal point, rates in percent with two decimals, empty for none)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.analytics.returns import RateTable
from portal.csv_headers import Columns, HeaderStyle, header_row

CENTS = Decimal("0.01")


def rate_columns(table: RateTable) -> Columns:
    return {
        "key": table.dimension.key_label,
        "name": _l("Name"),
        "currency": _l("Currency"),
        "returned_units": _l("Units returned"),
        "purchased_units": _l("Units purchased"),
        "unit_rate_percent": _l("Return rate in units (%)"),
        "returned_value": _l("Value returned"),
        "purchased_value": _l("Value purchased"),
        "value_rate_percent": _l("Return rate in value (%)"),
    }


def rate_csv(table: RateTable, headers: HeaderStyle) -> Iterator[Sequence[object]]:
    yield header_row(rate_columns(table), headers)
    for row in table.rows:
        yield [
            table.codes.get(row.key, ""),
            table.labels.get(row.key, ""),
            row.currency,
            row.returned.units,
            row.purchased.units,
            row.unit_rate,
            row.returned.value.quantize(CENTS),
            row.purchased.value.quantize(CENTS),
            row.value_rate,
        ]
