"""Warehouses, their return addresses, and stock held by grade."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, str_enum
from workflow_designer.policy.vocabulary import Grade

if TYPE_CHECKING:
    from models.catalog import Product

__all__ = ["Grade", "InventoryLevel", "ReturnAddress", "Warehouse"]


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    return_addresses: Mapped[list[ReturnAddress]] = relationship(
        back_populates="warehouse", order_by="ReturnAddress.region"
    )

    def __repr__(self) -> str:
        return f"<Warehouse {self.code}>"


class ReturnAddress(Base):
    """Where accounts of one region send their returns."""

    __tablename__ = "return_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="RESTRICT"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))

    warehouse: Mapped[Warehouse] = relationship(back_populates="return_addresses")

    def __repr__(self) -> str:
        return f"<ReturnAddress {self.region}>"


class InventoryLevel(Base):
    __tablename__ = "inventory_levels"
    __table_args__ = (
        UniqueConstraint("product_id", "warehouse_id", "grade"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="RESTRICT"), index=True
    )
    grade: Mapped[Grade] = mapped_column(str_enum(Grade, "grade"))
    quantity: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship()
    warehouse: Mapped[Warehouse] = relationship()

    def __repr__(self) -> str:
        return f"<InventoryLevel {self.product_id}@{self.warehouse_id} {self.grade.value}>"
