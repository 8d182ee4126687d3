"""The account's purchase history as invoiced by the distributor's ERP."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Currency, UnitPrice, UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.account import RetailerAccount
    from models.catalog import Product


def changed_at():
    """When the row was written or last changed: the analytics refresh sums again what
    changed since its last pass. NULL on rows older than the column (summed by the first,
    full refresh). The ERP import sets it on the rows it updates (``portal.erp.orders``)."""
    return mapped_column(
        UTCDateTime(),
        default=utcnow,
        onupdate=utcnow,
        server_default=text("CURRENT_TIMESTAMP"),
        index=True,
    )


class Order(Base):
    """One invoice. The invoice number is the ERP's natural key."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "delivery_date IS NULL OR delivery_date >= invoice_date",
            name="delivered_after_invoice",
        ),
        Index("ix_orders_account_id_invoice_date", "account_id", "invoice_date"),
        # A search for part of an invoice number tests the account's numbers in the index.
        Index(
            "ix_orders_account_id_invoice_numbers",
            "account_id",
            postgresql_include=["invoice_number", "id"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_number: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("retailer_accounts.id", ondelete="RESTRICT"))
    invoice_date: Mapped[date]
    delivery_date: Mapped[date | None]
    currency: Mapped[Currency]
    updated_at: Mapped[datetime | None] = changed_at()

    account: Mapped[RetailerAccount] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_number"
    )

    def __repr__(self) -> str:
        return f"<Order {self.invoice_number}>"


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_number"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_net_price >= 0", name="unit_net_price_not_negative"),
        # A product's lines, with their invoice: a search counts an account's lines of a
        # few products from the index alone.
        Index("ix_order_lines_product_id_covering", "product_id", postgresql_include=["order_id"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_number: Mapped[int]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    quantity: Mapped[int]
    unit_net_price: Mapped[UnitPrice]
    updated_at: Mapped[datetime | None] = changed_at()

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    @property
    def net_amount(self) -> Decimal:
        return self.unit_net_price * self.quantity

    def __repr__(self) -> str:
        return f"<OrderLine {self.order_id}/{self.line_number}>"
