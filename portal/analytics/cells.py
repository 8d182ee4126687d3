"""A rate table's cells as its reader reads them: written once per row, in the reader's
locale looked up once per page. The SKU and account rankings show up to 150 rows of six
figures; formatted by the template's filters, each figure looked the locale up again
and cost the template a call, which made the table the larger half of the page's time."""

from __future__ import annotations

from dataclasses import dataclass

from portal.analytics.returns import RateRow, RateTable
from portal.i18n.formats import ReaderFormats


@dataclass(frozen=True)
class RateCells:
    code: str  # the key as the CSV names it
    label: str
    returned_units: str
    purchased_units: str
    unit_rate: str | None  # None: nothing was purchased to divide by
    returned_value: str
    purchased_value: str
    value_rate: str | None


def rate_cells(table: RateTable, figures: ReaderFormats) -> dict[str, list[RateCells]]:
    """The table's rows of each currency, in its order, as text."""
    return {
        currency: [_cells(table, row, figures) for row in table.in_currency(currency)]
        for currency in table.currencies
    }


def _cells(table: RateTable, row: RateRow, figures: ReaderFormats) -> RateCells:
    unit_rate, value_rate = row.unit_rate, row.value_rate
    return RateCells(
        code=table.codes.get(row.key, ""),
        label=table.labels.get(row.key, ""),
        returned_units=figures.number(row.returned.units),
        purchased_units=figures.number(row.purchased.units),
        unit_rate=None if unit_rate is None else figures.percent(unit_rate, 1),
        returned_value=figures.money(row.returned.value, row.currency),
        purchased_value=figures.money(row.purchased.value, row.currency),
        value_rate=None if value_rate is None else figures.percent(value_rate, 1),
    )
