"""Invoiced orders, one CSV row per order line, keyed by invoice number and line number.

Accounts and products must already exist: import them first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Order, OrderLine, Product, RetailerAccount
from models.base import utcnow
from portal.erp import fields
from portal.erp.base import Importer, Record, duplicate_of
from portal.erp.fields import Column
from portal.erp.results import ErrorLog, ImportResult
from portal.erp.upsert import batched, fetch_existing, upsert

# Fields every row of one invoice repeats, and so must agree on.
HEADER_FIELDS = ("account_number", "invoice_date", "delivery_date", "currency")
LINE_FIELDS = ("product_id", "quantity", "unit_net_price")


class OrderImporter(Importer):
    kind = "orders"
    columns = (
        Column("invoice_number", fields.text(Order.invoice_number)),
        Column("account_number", fields.text(RetailerAccount.number)),
        Column("invoice_date", fields.iso_date),
        Column("delivery_date", fields.iso_date, required=False),
        Column("currency", fields.currency),
        Column("line_number", fields.whole_number(minimum=1)),
        Column("sku", fields.text(Product.sku)),
        Column("quantity", fields.whole_number(minimum=1)),
        Column("unit_net_price", fields.decimal(places=4, whole_digits=8)),
    )

    def __init__(self, session: Session, present: frozenset[str]) -> None:
        super().__init__(session, present)
        self.header_fields = [name for name in HEADER_FIELDS if name in present]
        # Validation state: each invoice's header as first seen, and its line numbers.
        self.invoices: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.lines: dict[str, dict[int, int]] = {}
        # Reference caches, filled in batches during validation and reused for writing.
        self.accounts: dict[str, tuple[int, str]] = {}
        self.products: dict[str, int] = {}
        self.missing_accounts: set[str] = set()
        self.missing_skus: set[str] = set()
        # Write state: invoices already written by this import, and which of them are new
        # or changed (their lines count as created or updated).
        self.order_ids: dict[str, int] = {}
        self.created_orders: set[str] = set()
        self.updated_orders: set[str] = set()

    # Validation

    def check(self, chunk: list[tuple[int, Record]], errors: ErrorLog) -> None:
        self._load_references(chunk)
        for line, record in chunk:
            self._check_dates(line, record, errors)
            self._check_references(line, record, errors)
            self._check_invoice(line, record, errors)

    def _check_dates(self, line: int, record: Record, errors: ErrorLog) -> None:
        delivered = record.get("delivery_date")
        if delivered is not None and delivered < record["invoice_date"]:
            errors.add(
                line,
                "delivery_date",
                _(
                    "%(delivered)s is before the invoice date %(invoiced)s",
                    delivered=delivered,
                    invoiced=record["invoice_date"],
                ),
            )

    def _check_references(self, line: int, record: Record, errors: ErrorLog) -> None:
        number = record["account_number"]
        if number in self.missing_accounts:
            errors.add(
                line,
                "account_number",
                _("no account is numbered %(number)s; import accounts first", number=number),
            )
        elif record["currency"] != (currency := self.accounts[number][1]):
            errors.add(
                line,
                "currency",
                _(
                    "%(given)s differs from account %(number)s's currency %(currency)s",
                    given=record["currency"],
                    number=number,
                    currency=currency,
                ),
            )
        if record["sku"] in self.missing_skus:
            errors.add(
                line,
                "sku",
                _("no product has the SKU %(sku)s; import products first", sku=record["sku"]),
            )

    def _check_invoice(self, line: int, record: Record, errors: ErrorLog) -> None:
        invoice = record["invoice_number"]
        header = tuple(record[name] for name in self.header_fields)
        first_line, first_header = self.invoices.setdefault(invoice, (line, header))
        for name, value, first_value in zip(self.header_fields, header, first_header, strict=True):
            if value != first_value:
                errors.add(
                    line,
                    name,
                    _(
                        "invoice %(invoice)s has %(name)s %(value)s here "
                        "but %(first_value)s on row %(first_line)s",
                        invoice=invoice,
                        name=name,
                        value=_show(value),
                        first_value=_show(first_value),
                        first_line=first_line,
                    ),
                )
        number = record["line_number"]
        first = duplicate_of(self.lines.setdefault(invoice, {}), number, line)
        if first is not None:
            errors.add(
                line,
                "line_number",
                _(
                    "invoice %(invoice)s line %(number)s is already on row %(first)s",
                    invoice=invoice,
                    number=number,
                    first=first,
                ),
            )

    def _load_references(self, chunk: list[tuple[int, Record]]) -> None:
        numbers = (
            {r["account_number"] for _, r in chunk} - self.accounts.keys() - self.missing_accounts
        )
        for batch in batched(numbers, 5000):
            query = select(RetailerAccount.number, RetailerAccount.id, RetailerAccount.currency)
            for number, account_id, currency in self.session.execute(
                query.where(RetailerAccount.number.in_(batch))
            ):
                self.accounts[number] = (account_id, currency)
        self.missing_accounts |= numbers - self.accounts.keys()

        skus = {r["sku"] for _, r in chunk} - self.products.keys() - self.missing_skus
        for batch in batched(skus, 5000):
            query = select(Product.sku, Product.id).where(Product.sku.in_(batch))
            self.products.update((sku, id_) for sku, id_ in self.session.execute(query))
        self.missing_skus |= skus - self.products.keys()

    # Writing

    def write(self, records: list[Record], result: ImportResult) -> None:
        self._write_orders(records)
        self._write_lines(records, result)

    def _write_orders(self, records: list[Record]) -> None:
        table = Order.__table__
        orders: dict[str, Record] = {}
        for record in records:
            invoice = record["invoice_number"]
            if invoice not in self.order_ids and invoice not in orders:
                orders[invoice] = self._order_row(record)
        if not orders:
            return
        update = ["account_id", "invoice_date", "currency"]
        if "delivery_date" in self.present:
            update.append("delivery_date")
        existing = fetch_existing(self.session, table, "invoice_number", ["id", *update], orders)
        to_write = []
        for invoice, row in orders.items():
            stored = existing.get(invoice)
            if stored is None:
                self.created_orders.add(invoice)
                to_write.append(row)
            elif any(row[name] != stored._mapping[name] for name in update):
                self.updated_orders.add(invoice)
                to_write.append(row)
            else:
                self.order_ids[invoice] = stored.id
        written = upsert(
            self.session,
            table,
            _stamped(to_write),
            key=["invoice_number"],
            update=[*update, "updated_at"],
            returning=["invoice_number", "id"],
        )
        self.order_ids.update((invoice, id_) for invoice, id_ in written)

    def _write_lines(self, records: list[Record], result: ImportResult) -> None:
        table = OrderLine.__table__
        rows = [self._line_row(record) for record in records]
        known_orders = {
            row["order_id"]
            for row, record in zip(rows, records, strict=True)
            if record["invoice_number"] not in self.created_orders
        }
        existing = self._existing_lines(known_orders)
        to_write = []
        for row, record in zip(rows, records, strict=True):
            invoice = record["invoice_number"]
            stored = existing.get((row["order_id"], row["line_number"]))
            if stored is None:
                result.created += 1
                to_write.append(row)
            elif any(row[name] != stored[i] for i, name in enumerate(LINE_FIELDS)):
                result.updated += 1
                to_write.append(row)
            elif invoice in self.updated_orders:
                result.updated += 1
            else:
                result.unchanged += 1
        upsert(
            self.session,
            table,
            _stamped(to_write),
            key=["order_id", "line_number"],
            update=[*LINE_FIELDS, "updated_at"],
        )

    def _existing_lines(self, order_ids: set[int]) -> dict[tuple[int, int], tuple[Any, ...]]:
        table = OrderLine.__table__
        found: dict[tuple[int, int], tuple[Any, ...]] = {}
        for batch in batched(order_ids, 5000):
            query = select(
                table.c.order_id, table.c.line_number, *(table.c[name] for name in LINE_FIELDS)
            ).where(table.c.order_id.in_(batch))
            for order_id, line_number, *values in self.session.execute(query):
                found[(order_id, line_number)] = tuple(values)
        return found

    def _order_row(self, record: Record) -> Record:
        account_id, _currency = self.accounts[record["account_number"]]
        return {
            "invoice_number": record["invoice_number"],
            "account_id": account_id,
            "invoice_date": record["invoice_date"],
            "delivery_date": record.get("delivery_date"),
            "currency": record["currency"],
        }

    def _line_row(self, record: Record) -> Record:
        return {
            "order_id": self.order_ids[record["invoice_number"]],
            "line_number": record["line_number"],
            "product_id": self.products[record["sku"]],
            "quantity": record["quantity"],
            "unit_net_price": record["unit_net_price"],
        }


def _stamped(rows: list[Record]) -> list[Record]:
    """``rows`` marked as changed now: the analytics refresh sums their accounts again
    (an upsert bypasses the models' ``onupdate``)."""
    now = utcnow()
    return [{**row, "updated_at": now} for row in rows]


def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    return value.isoformat() if isinstance(value, date) else str(value)
