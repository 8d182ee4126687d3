"""The product catalog, keyed by SKU."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Lifecycle, Product
from portal.erp import fields
from portal.erp.base import Importer, Record, classify, duplicate_of
from portal.erp.fields import Column
from portal.erp.results import ErrorLog, ImportResult
from portal.erp.upsert import fetch_existing, upsert

# CSV column → the table columns it is stored in.
_STORED = {
    "brand": ("brand",),
    "model": ("model",),
    "colour": ("colour",),
    "size": ("eye_size", "bridge_size", "temple_length"),
    "category": ("category",),
    "list_price": ("list_price",),
    "lifecycle": ("lifecycle",),
}


class ProductImporter(Importer):
    kind = "products"
    columns = (
        Column("sku", fields.text(Product.sku)),
        Column("brand", fields.text(Product.brand)),
        Column("model", fields.text(Product.model)),
        Column("colour", fields.text(Product.colour), aliases=("color",)),
        Column("size", fields.frame_size),
        Column("category", fields.text(Product.category)),
        Column("list_price", fields.decimal(places=2, whole_digits=10)),
        Column("lifecycle", fields.choice(Lifecycle), required=False),
    )

    def __init__(self, session: Session, present: frozenset[str]) -> None:
        super().__init__(session, present)
        self.seen: dict[str, int] = {}

    def check(self, chunk: list[tuple[int, Record]], errors: ErrorLog) -> None:
        for line, record in chunk:
            sku = record["sku"]
            if (first := duplicate_of(self.seen, sku, line)) is not None:
                errors.add(
                    line, "sku", _("SKU %(sku)s is already on row %(first)s", sku=sku, first=first)
                )

    def write(self, records: list[Record], result: ImportResult) -> None:
        table = Product.__table__
        rows = [_row(record) for record in records]
        update = [
            name for column, names in _STORED.items() if column in self.present for name in names
        ]
        existing = fetch_existing(self.session, table, "sku", update, (r["sku"] for r in rows))
        new, changed, unchanged = classify(rows, existing, "sku", update)
        upsert(self.session, table, new + changed, key=["sku"], update=update)
        result.created += len(new)
        result.updated += len(changed)
        result.unchanged += unchanged


def _row(record: Record) -> Record:
    eye, bridge, temple = record["size"]
    return {
        "sku": record["sku"],
        "brand": record["brand"],
        "model": record["model"],
        "colour": record["colour"],
        "eye_size": eye,
        "bridge_size": bridge,
        "temple_length": temple,
        "category": record["category"],
        "list_price": record["list_price"],
        "lifecycle": record.get("lifecycle") or Lifecycle.ACTIVE,
    }
