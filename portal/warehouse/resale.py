"""Resale prices of graded stock, and the CSV the resale channels import.

A B-stock unit sells at its list price less the discount configured for its grade
(``B_STOCK_DISCOUNTS``, percent), rounded once to the cent, half up. The CSV's header row
is in the reader's language; ``?headers=codes`` gives the column codes imports read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain

from flask_babel import lazy_gettext as _l

from models import Grade, InventoryLevel, Product, Warehouse
from portal.csv_export import csv_text
from portal.csv_headers import Columns, HeaderStyle, header_row

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# Each column's code (the header with ``?headers=codes``, for the resale channels' imports)
# and its label (the header people read, in their language): the one place that orders them.
CSV_COLUMNS: Columns = {
    "sku": _l("SKU"),
    "brand": _l("Brand"),
    "model": _l("Model"),
    "colour": _l("Colour"),
    "size": _l("Size"),
    "grade": _l("Grade"),
    "warehouse": _l("Warehouse"),
    "quantity": _l("Quantity"),
    "list_price": _l("List price"),
    "discount_percent": _l("Discount (%)"),
    "resale_price": _l("Resale price"),
}


@dataclass(frozen=True)
class ResaleLine:
    level: InventoryLevel
    product: Product
    warehouse: Warehouse
    discount_percent: Decimal

    @property
    def resale_price(self) -> Decimal:
        return resale_price(self.product.list_price, self.discount_percent)


def discount_for(discounts: Mapping[str, Decimal], grade: Grade) -> Decimal:
    """The configured discount of ``grade``; 0 for a grade without one (new stock)."""
    return Decimal(discounts.get(grade.value, 0))


def resale_price(list_price: Decimal, discount_percent: Decimal) -> Decimal:
    price = Decimal(list_price) * (HUNDRED - discount_percent) / HUNDRED
    return price.quantize(CENT, rounding=ROUND_HALF_UP)


def resale_lines(rows: Iterable[tuple], discounts: Mapping[str, Decimal]) -> list[ResaleLine]:
    """(level, product, warehouse) rows with the discount of their grade."""
    return [ResaleLine(lv, p, w, discount_for(discounts, lv.grade)) for lv, p, w in rows]


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f")


def csv_chunks(
    rows: Iterable[tuple], discounts: Mapping[str, Decimal], headers: HeaderStyle
) -> Iterator[str]:
    """The export, header first, one chunk per row (so it can be streamed)."""
    header = header_row(CSV_COLUMNS, headers)
    return csv_text(chain([header], (_csv_row(row, discounts) for row in rows)))


def _csv_row(row: tuple, discounts: Mapping[str, Decimal]) -> list[object]:
    # Only the header row is for people: the cells stay machine-readable in every language,
    # because spreadsheets and the resale channels' scripts read them (prices and
    # percentages as numbers with a "." decimal point, grades and warehouses as codes).
    level, product, warehouse = row
    line = ResaleLine(level, product, warehouse, discount_for(discounts, level.grade))
    return [
        product.sku,
        product.brand,
        product.model,
        product.colour,
        product.size,
        level.grade.value,
        warehouse.code,
        level.quantity,
        Decimal(product.list_price).quantize(CENT),
        _percent(line.discount_percent),
        line.resale_price,
    ]
